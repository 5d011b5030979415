/**
 * The consumer machine's state and the small operations every part of it shares. Field names
 * follow nats-server's consumer struct where one exists (sseq, dseq, adflr, asflr, npc, rdc,
 * rdq), so the two can be read side by side.
 * @module
 */
import { subjectMatchesPattern } from "../../../subjects/subject.ts";
import type { StoredMsg } from "../../store/mod.ts";
import type { RateLimiter } from "./rate_limiter.ts";
import type { ConsumerEnv, ConsumerEvent, ConsumerOutput, CoreConfig } from "./types.ts";
import type { WaitQueue } from "./wait_queue.ts";

/** An outstanding delivery: first consumer sequence and the time its ack wait counts from. */
export interface Pending {
  dseq: number;
  tsNs: bigint;
}

/** deliver last_per_subject: the last message of each subject, then on from `resume`. */
export interface SkipList {
  resume: number;
  seqs: number[];
  index: number;
}

/** A message taken from the stream and waiting for its replay or rate-limit time. */
export interface HeldMsg {
  msg: StoredMsg;
  dc: number;
  to: string;
  reply: string;
  hdr: Uint8Array;
  payload: Uint8Array;
  size: number;
  wrn: number;
  wrb: number;
  readyAtNs: bigint;
  rateChecked: boolean;
}

export const NS_PER_MS = 1_000_000n;
export const NS_PER_SECOND = 1_000_000_000n;
/** Added to every ack timer so that a burst of deliveries expires together (ackWaitDelay). */
export const ACK_WAIT_DELAY_NS = NS_PER_MS;
/** Go's default pending bytes window for push flow control (JsFlowControlMaxPending). */
export const FLOW_CONTROL_BYTES_MAX = 32 * 1024 * 1024;
/** Ephemerals without an inactive threshold are removed after this (JsDeleteWaitTimeDefault). */
export const EPHEMERAL_INACTIVE_NS_DEFAULT = 5n * NS_PER_SECOND;
export const TERM_REASON_UNACKED_DELETED = "Unacknowledged message was deleted";
export const TERM_REASON_LIMITS = "Message deleted by stream limits";

export class CoreState {
  sseq = 1;
  dseq = 1;
  adflr = 0;
  asflr = 0;
  npc = 0;
  npf = 0;
  pending = new Map<number, Pending>();
  rdc = new Map<number, number>();
  rdq: number[] = [];
  rdqSet = new Set<number>();
  lss: SkipList | null = null;
  waiting: WaitQueue | null = null;
  /** When checkPending runs next (Go's ptmr); null when no timer runs. */
  ptmrEndNs: bigint | null = null;
  maxdc = 0;
  maxp = 0;
  dthreshNs = 0n;
  deleteAtNs: bigint | null = null;
  active = false;
  pbytes = 0;
  maxpb = 0;
  pblimit = 0;
  fcid = "";
  fcsz = 0;
  hbAtNs: bigint | null = null;
  replay = false;
  lseq = 0;
  ltsNs = 0n;
  held: HeldMsg | null = null;
  limiter: RateLimiter | null = null;
  ldtNs: bigint | null = null;
  latNs: bigint | null = null;
  lwqicNs = 0n;
  waitAtNs: bigint | null = null;
  pinId = "";
  pinnedTsNs: bigint | null = null;
  pinExpiresAtNs: bigint | null = null;
  pauseEndNs: bigint | null = null;
  ackFloorCheckAtNs: bigint | null = null;
  closed = false;
  /** Set when new work may be possible (Go's signalNewMessages). */
  signaled = false;
  outputs: ConsumerOutput[] = [];

  constructor(public cfg: CoreConfig, readonly env: ConsumerEnv) {}

  get isPush(): boolean {
    return this.cfg.deliverSubject !== "";
  }

  get ackNone(): boolean {
    return this.cfg.ackPolicy === "none";
  }

  emit(output: ConsumerOutput): void {
    this.outputs.push(output);
  }

  event(event: ConsumerEvent, nowNs: bigint): void {
    this.outputs.push({ kind: "event", event, timeNs: nowNs });
  }

  signal(): void {
    this.signaled = true;
  }

  numPending(): number {
    return this.npc < 0 ? 0 : this.npc;
  }

  /** True when the subject passes the consumer's filters (isFilteredMatch). */
  matchesFilter(subject: string): boolean {
    const filters = this.cfg.filters;
    if (filters.length === 0) return true;
    for (const f of filters) {
      if (f === subject || f === ">" || subjectMatchesPattern(subject, f)) return true;
    }
    return false;
  }

  deliveryCount(seq: number): number {
    const dc = this.rdc.get(seq) ?? 0;
    return dc >= 1 ? dc : 1;
  }

  incDeliveryCount(seq: number): number {
    const n = (this.rdc.get(seq) ?? 0) + 1;
    this.rdc.set(seq, n);
    return n + 1;
  }

  decDeliveryCount(seq: number): void {
    this.rdc.set(seq, (this.rdc.get(seq) ?? 0) - 1);
  }

  addToRedeliverQueue(seqs: readonly number[]): void {
    for (const seq of seqs) {
      this.rdq.push(seq);
      this.rdqSet.add(seq);
    }
  }

  onRedeliverQueue(seq: number): boolean {
    return this.rdqSet.has(seq);
  }

  nextToRedeliver(): number {
    const seq = this.rdq.shift();
    if (seq === undefined) return 0;
    this.rdqSet.delete(seq);
    return seq;
  }

  removeFromRedeliverQueue(seq: number): boolean {
    if (!this.rdqSet.delete(seq)) return false;
    const i = this.rdq.indexOf(seq);
    if (i >= 0) this.rdq.splice(i, 1);
    return true;
  }

  clearRedeliverQueue(): void {
    this.rdq = [];
    this.rdqSet.clear();
  }

  /** ackWait(next): the pending timer delay for a deadline of next (or ack_wait). */
  ackWait(nextNs: bigint): bigint {
    return (nextNs > 0n ? nextNs : this.cfg.ackWaitNs) + ACK_WAIT_DELAY_NS;
  }

  /** The ack wait for a message by its redelivery count (the backoff step, when set). */
  ackWaitFor(seq: number): bigint {
    const backoff = this.cfg.backoffNs;
    if (backoff.length === 0) return this.ackWait(0n);
    const bi = Math.min(Math.max(this.rdc.get(seq) ?? 0, 0), backoff.length - 1);
    return this.ackWait(backoff[bi]);
  }

  resetPtmr(nowNs: bigint, delayNs: bigint): void {
    this.ptmrEndNs = delayNs === 0n ? null : nowNs + delayNs;
  }

  /** Go's updateDelivered: record in the store and note the activity. */
  updateDelivered(dseq: number, sseq: number, dc: number, tsNs: bigint, nowNs: bigint): void {
    this.env.store?.updateDelivered(dseq, sseq, dc, tsNs);
    this.ldtNs = nowNs;
  }

  /** Go's updateAcks. */
  updateAcks(dseq: number, sseq: number, nowNs: bigint): void {
    this.env.store?.updateAcks(dseq, sseq);
    this.latNs = nowNs;
  }
}
