/**
 * ConsumerCore: one JetStream consumer's delivery state as a deterministic state machine. It
 * never touches sockets, timers or the system clock: every input carries the time, messages
 * come from the injected stream store, and everything to be sent comes out of drain() in order.
 *
 * The driver's loop:
 * 1. feed inputs (acks, pull requests, stream events, interest changes) and call tick() when
 *    nextDeadline() passes;
 * 2. while wantsDelivery, call deliver() (it delivers at most a batch per call);
 * 3. send drain()'s outputs in order: messages and statuses at once, ack-sync replies once the
 *    consumer store's flushed() resolves;
 * 4. arm one timer for nextDeadline().
 * @module
 */
import { parseAckBody } from "./ack_body.ts";
import { parseAckReply } from "./ack_subject.ts";
import {
  processAckMsg,
  processNak,
  processTerm,
  progressUpdate,
  suppressDeletion,
} from "./acks.ts";
import { CoreState, NS_PER_MS } from "./_state.ts";
import { deliverOne, idle, processFlowControl } from "./delivery.ts";
import { type CoreInfo, coreInfo } from "./info.ts";
import {
  creditWaitingRequest,
  processNextMsgRequest,
  processWaiting,
  releaseRequests,
  unassignPin,
} from "./pull.ts";
import { checkAckFloor, checkPending, forceExpirePending } from "./redelivery.ts";
import {
  applyStoredState,
  inactiveThreshold,
  reconcileWithStream,
  selectStartingSeq,
  startRunning,
  streamNumPending,
} from "./start.ts";
import { RateLimiter } from "./rate_limiter.ts";
import { onStreamMsg, onStreamPurged, onStreamRemoved, resetStartingSeq } from "./stream_events.ts";
import { ACK_FLOOR_CHECK_NS, nextDeadline, runTimers, setInterest } from "./timers.ts";
import type { ConsumerEnv, ConsumerOutput, CoreConfig } from "./types.ts";

/** Messages one deliver() call sends at most, so one busy consumer cannot hog the loop. */
export const DELIVER_BATCH_MSGS_MAX = 256;

export interface ConsumerCoreOptions {
  config: CoreConfig;
  env: ConsumerEnv;
  nowNs: bigint;
}

export class ConsumerCore {
  readonly #s: CoreState;

  /** Starts a consumer: restores the store's state when it has one, else picks the start. */
  constructor(options: ConsumerCoreOptions) {
    const s = new CoreState(options.config, options.env);
    this.#s = s;
    const now = options.nowNs;
    if (options.env.store?.hasState()) {
      applyStoredState(s, now);
      reconcileWithStream(s);
    } else {
      selectStartingSeq(s);
    }
    startRunning(s, now);
    s.ackFloorCheckAtNs = now + ACK_FLOOR_CHECK_NS;
    checkAckFloor(s, now);
    checkPending(s, now);
  }

  get config(): Readonly<CoreConfig> {
    return this.#s.cfg;
  }

  /** True when deliver() may have something to do. */
  get wantsDelivery(): boolean {
    return this.#s.signaled && !this.#s.closed;
  }

  get closed(): boolean {
    return this.#s.closed;
  }

  /** A push consumer with someone on its deliver subject. */
  get pushActive(): boolean {
    return this.#s.isPush && this.#s.active;
  }

  /** True when the consumer's filters take messages on subject. */
  matchesFilter(subject: string): boolean {
    return this.#s.matchesFilter(subject);
  }

  /** A message arrived on one of the consumer's $JS.ACK subjects. */
  ack(subject: string, reply: string, body: Uint8Array, nowNs: bigint): void {
    const s = this.#s;
    const info = parseAckReply(subject);
    if (info === null || s.closed) return;
    if (s.dthreshNs > 0n) suppressDeletion(s, nowNs);
    const ack = { sseq: info.streamSeq, dseq: info.consumerSeq, dc: info.delivered };
    let replyOk = ack.sseq !== 0;
    const verb = parseAckBody(body);
    switch (verb.kind) {
      case "ack":
        if (!processAckMsg(s, ack, true, nowNs)) replyOk = false;
        break;
      case "next":
        processAckMsg(s, ack, true, nowNs);
        processNextMsgRequest(s, reply, verb.request, nowNs);
        replyOk = false;
        break;
      case "nak":
        processNak(s, ack, verb.delayNs, nowNs);
        break;
      case "progress":
        progressUpdate(s, ack.sseq, nowNs);
        break;
      case "term":
        if (!processTerm(s, ack, verb.reason, nowNs)) replyOk = false;
        break;
      case "unknown":
        break;
    }
    if (reply !== "" && replyOk) s.emit({ kind: "ack_reply", to: reply });
  }

  /** A pull request (CONSUMER.MSG.NEXT) arrived with this reply subject. */
  pullRequest(reply: string, body: Uint8Array, nowNs: bigint): void {
    processNextMsgRequest(this.#s, reply, body, nowNs);
  }

  /** A reply arrived on the consumer's $JS.FC subject (its header block, if any). */
  flowControlReply(subject: string, hdr: Uint8Array | null = null, nowNs = 0n): void {
    processFlowControl(this.#s, subject, hdr, nowNs);
  }

  /** The stream stored a message. */
  streamMsg(seq: number, subject: string): void {
    onStreamMsg(this.#s, seq, subject);
  }

  /** Takes num_pending from the stream again (after removals nobody reported one by one). */
  recountPending(): void {
    streamNumPending(this.#s);
  }

  /** The stream removed a message; subject null when no longer known. */
  streamRemoved(seq: number, subject: string | null, nowNs: bigint): void {
    onStreamRemoved(this.#s, seq, subject, nowNs);
  }

  /** The stream was purged; subject is the purge request's filter ("" for none). */
  streamPurged(subject: string, nowNs: bigint): void {
    onStreamPurged(this.#s, subject, nowNs);
  }

  /** The push deliver subject gained or lost interest. */
  setInterest(interest: boolean, nowNs: bigint): void {
    setInterest(this.#s, interest, nowNs);
  }

  /** A delivered message reached nobody (didNotDeliver). */
  didNotDeliver(seq: number, to: string, nowNs: bigint): void {
    const s = this.#s;
    if (s.closed) return;
    s.decDeliveryCount(seq);
    if (s.isPush) {
      s.active = false;
      setInterest(s, s.env.hasInterest(s.cfg.deliverSubject), nowNs);
      return;
    }
    if (s.ackNone) return;
    processWaiting(s, false, nowNs);
    creditWaitingRequest(s, to);
    if (s.pending.has(seq) && !s.onRedeliverQueue(seq)) {
      s.addToRedeliverQueue([seq]);
      if (s.waiting !== null && !s.waiting.isEmpty()) s.signal();
    }
  }

  /** CONSUMER.RESET; the new start sequence, or why it was refused. */
  reset(seq: number): number | string {
    return resetStartingSeq(this.#s, seq);
  }

  /** CONSUMER.UNPIN: drops the pinned client of group; false when group is not ours. */
  unpin(group: string, nowNs: bigint): boolean {
    const s = this.#s;
    if (!s.cfg.priorityGroups.includes(group)) return false;
    unassignPin(s);
    s.event({ type: "unpinned", group, reason: "admin" }, nowNs);
    s.signal();
    return true;
  }

  /** Applies a validated configuration update (updateConfig). */
  updateConfig(next: CoreConfig, nowNs: bigint): void {
    const s = this.#s;
    if (s.closed) return;
    const prev = s.cfg;
    if (next.deliverSubject !== prev.deliverSubject && s.isPush) {
      if (s.pending.size > 0) forceExpirePending(s, nowNs);
    }
    s.cfg = next;
    if (next.maxAckPending !== prev.maxAckPending) s.maxp = next.maxAckPending;
    if (next.ackWaitNs !== prev.ackWaitNs && s.ptmrEndNs !== null) {
      s.resetPtmr(nowNs, 100n * NS_PER_MS);
    }
    if (next.rateLimitBps !== prev.rateLimitBps) {
      s.limiter = next.rateLimitBps > 0
        ? new RateLimiter(Math.max(Math.floor(next.rateLimitBps / 8), 1), s.env.rateBurstBytes)
        : null;
    }
    if (next.maxDeliver !== prev.maxDeliver) s.maxdc = Math.max(next.maxDeliver, 0);
    if (next.inactiveThresholdNs !== prev.inactiveThresholdNs) {
      s.dthreshNs = inactiveThreshold(s);
      s.deleteAtNs = s.dthreshNs > 0n ? nowNs + s.dthreshNs : null;
    }
    if (next.pauseUntilNs !== prev.pauseUntilNs) this.#pauseChanged(nowNs);
    if (next.deliverSubject !== prev.deliverSubject && s.isPush) {
      setInterest(s, s.env.hasInterest(next.deliverSubject), nowNs);
    }
    if (next.filters.join("\u0000") !== prev.filters.join("\u0000")) streamNumPending(s);
    s.signal();
  }

  #pauseChanged(nowNs: bigint): void {
    const s = this.#s;
    const until = s.cfg.pauseUntilNs;
    const paused = until !== null && nowNs < until;
    s.pauseEndNs = paused ? until : null;
    s.event({ type: "paused", paused, pauseUntilNs: until }, nowNs);
  }

  /**
   * Stops the consumer. deleted: pull requests still waiting get 409 Consumer Deleted (not on a
   * server shutdown, where clients just lose the connection).
   */
  stop(options: { deleted: boolean }): void {
    const s = this.#s;
    if (s.closed) return;
    if (options.deleted && !s.isPush) releaseRequests(s);
    s.closed = true;
    s.active = false;
    s.held = null;
  }

  /** Runs the delivery loop for at most budget messages; returns how many went out. */
  deliver(nowNs: bigint, budget = DELIVER_BATCH_MSGS_MAX): number {
    const s = this.#s;
    s.signaled = false;
    let sent = 0;
    while (!s.closed) {
      if (sent >= budget) {
        s.signal();
        break;
      }
      const step = deliverOne(s, nowNs);
      if (step === "sent") {
        sent++;
        continue;
      }
      if (step !== "held") idle(s, step, nowNs);
      break;
    }
    return sent;
  }

  /** Runs every timer due at nowNs. */
  tick(nowNs: bigint): void {
    runTimers(this.#s, nowNs);
  }

  /** When tick() should run next; null when nothing is scheduled. */
  nextDeadline(): bigint | null {
    return nextDeadline(this.#s);
  }

  /** Takes the outputs produced so far, in order. */
  drain(): ConsumerOutput[] {
    const out = this.#s.outputs;
    this.#s.outputs = [];
    return out;
  }

  info(nowNs: bigint): CoreInfo {
    return coreInfo(this.#s, nowNs);
  }

  /** True while this consumer still needs the message (interest retention; needAck). */
  needAck(seq: number, subject: string): boolean {
    const s = this.#s;
    if (!s.matchesFilter(subject)) return false;
    let need = false;
    if (s.cfg.ackPolicy === "explicit") {
      need = seq > s.asflr && (seq >= s.sseq || s.pending.has(seq));
    } else {
      need = seq > s.asflr;
    }
    // A message past max_deliver is kept for inspection while its count is tracked.
    return need || s.rdc.has(seq);
  }

  /** The next stream sequence to deliver and the next consumer sequence (for tests, monitoring). */
  get position(): { streamSeq: number; consumerSeq: number } {
    return { streamSeq: this.#s.sseq, consumerSeq: this.#s.dseq };
  }
}
