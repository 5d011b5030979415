/**
 * Pull requests: admission with Go's status replies, the waiting queue's expiry, interest and
 * heartbeats, the choice of the request that gets the next message, and priority groups
 * (nats-server consumer.go processNextMsgRequest, processWaiting, nextWaiting; ADR-42).
 * @module
 */
import type { CoreState } from "./_state.ts";
import { parsePullRequest, type PullRequest } from "./pull_request.ts";
import {
  badRequest,
  interestExpired,
  exceededMaxBatch,
  exceededMaxBytes,
  exceededMaxExpires,
  idleHeartbeat,
  maxBytesExceeded,
  requestTimeout,
  STATUS_CONSUMER_DELETED,
  STATUS_MAX_WAITING,
  STATUS_NO_MESSAGES,
  STATUS_PIN_MISMATCH,
  STATUS_PUSH_BASED,
  STATUS_REQUESTS_PENDING,
  wrongPinId,
} from "./status.ts";
import { WaitingRequest, type WaitQueue } from "./wait_queue.ts";

/** How often a full waiting queue may be swept for expired requests on admission. */
const FULL_QUEUE_SWEEP_NS = 1_000_000_000n;

function status(s: CoreState, to: string, hdr: Uint8Array): void {
  s.emit({ kind: "status", to, reply: "", hdr });
}

/** Checks a request against the consumer's limits; the status to refuse it with, or null. */
function refusal(s: CoreState, req: PullRequest, nowNs: bigint): Uint8Array | null {
  const cfg = s.cfg;
  if (cfg.maxBatch > 0 && req.batch > cfg.maxBatch) return exceededMaxBatch(cfg.maxBatch);
  if (req.expiresNs !== 0n && cfg.maxExpiresNs > 0n && req.expiresNs > cfg.maxExpiresNs) {
    return exceededMaxExpires(cfg.maxExpiresNs);
  }
  if (req.maxBytes > 0 && cfg.maxBytes > 0 && req.maxBytes > cfg.maxBytes) {
    return exceededMaxBytes(cfg.maxBytes);
  }
  const pg = req.priority;
  if (pg === null) return null;
  if ((pg.minPending !== 0 || pg.minAckPending !== 0) && cfg.priorityPolicy !== "overflow") {
    return badRequest("Not a Overflow Priority consumer");
  }
  if (pg.id !== "" && cfg.priorityPolicy !== "pinned_client") {
    return badRequest("Not a Pinned Client Priority consumer");
  }
  if (pg.priority < 0 || pg.priority > 9) return badRequest("Priority must be between 0 and 9");
  if (cfg.priorityPolicy === "none") return null;
  if (pg.group === "") return badRequest("Priority Group missing");
  if (!cfg.priorityGroups.includes(pg.group)) return badRequest("Invalid Priority Group");
  if (s.pinId !== "") {
    if (pg.id === s.pinId) s.pinExpiresAtNs = nowNs + cfg.pinnedTtlNs;
    else if (pg.id !== "") return STATUS_PIN_MISMATCH;
  }
  return null;
}

/** A no_wait request finds nothing to wait for: the status to answer with, or null to queue. */
function noWaitAnswer(s: CoreState, req: PullRequest, nowNs: bigint): Uint8Array | null {
  const waiting = s.waiting!;
  const msgsPending = s.numPending() + s.rdq.length;
  if (msgsPending === 0 && req.expiresNs === 0n) {
    waiting.lastNs = nowNs;
    return STATUS_NO_MESSAGES;
  }
  if (msgsPending > 0) {
    const { batchPending } = processWaiting(s, false, nowNs);
    if (msgsPending < batchPending) {
      waiting.lastNs = nowNs;
      return STATUS_REQUESTS_PENDING;
    }
  }
  return null;
}

/** A pull request arrived with this reply subject (processNextMsgRequest). */
export function processNextMsgRequest(
  s: CoreState,
  reply: string,
  body: Uint8Array,
  nowNs: bigint,
): void {
  if (reply === "" || s.closed) return;
  const waiting = s.waiting;
  if (s.isPush || waiting === null) return status(s, reply, STATUS_PUSH_BASED);
  const parsed = parsePullRequest(body);
  if (!parsed.ok) return status(s, reply, badRequest(parsed.error));
  const req = parsed.request;
  const refused = refusal(s, req, nowNs);
  if (refused !== null) return status(s, reply, refused);
  if (waiting.isFull() && nowNs - s.lwqicNs > FULL_QUEUE_SWEEP_NS) {
    processWaiting(s, false, nowNs);
  }
  if (req.noWait) {
    const answer = noWaitAnswer(s, req, nowNs);
    if (answer !== null) return status(s, reply, answer);
  }
  const wr = new WaitingRequest(
    reply,
    req.batch,
    req.maxBytes,
    req.noWait,
    req.expiresNs === 0n ? null : nowNs + req.expiresNs,
    nowNs,
    req.heartbeatNs,
    req.heartbeatNs > 0n ? nowNs + req.heartbeatNs : null,
    req.priority,
  );
  const added = s.cfg.priorityPolicy === "prioritized"
    ? waiting.addPrioritized(wr)
    : waiting.add(wr);
  if (!added) {
    // With heartbeats the client notices on its own; a 409 would only make it retry hot.
    if (req.heartbeatNs === 0n) status(s, reply, STATUS_MAX_WAITING);
    return;
  }
  s.signal();
  if (wr.heartbeatAtNs !== null || wr.expiresNs !== null) {
    const at = wr.heartbeatAtNs ?? wr.expiresNs!;
    if (s.waitAtNs === null || at < s.waitAtNs) s.waitAtNs = at;
  }
}

/**
 * Sweeps the waiting queue: expired requests get 408 (no_wait ones at the end of the stream
 * get 404 when eos), requests nobody listens to any more are dropped, heartbeats are sent.
 * Also computes when the next sweep is due (processWaiting).
 */
export function processWaiting(
  s: CoreState,
  eos: boolean,
  nowNs: bigint,
): { expired: number; batchPending: number } {
  const wq = s.waiting;
  if (wq === null || wq.isEmpty()) {
    s.waitAtNs = null;
    return { expired: 0, batchPending: 0 };
  }
  s.lwqicNs = nowNs;
  let expired = 0;
  let batchPending = 0;
  let next: bigint | null = null;
  let pre: WaitingRequest | null = null;
  for (let wr = wq.head; wr !== null;) {
    // Go compares with After(); a timer set for the deadline fires at or after it.
    const isExpired = wr.expiresNs !== null && nowNs >= wr.expiresNs;
    let answer: Uint8Array | null = null;
    if (isExpired) answer = requestTimeout(wr.pending);
    else if (eos && wr.noWait && (wr.expiresNs === null || wr.d > 0)) answer = STATUS_NO_MESSAGES;
    if (answer !== null || !s.env.hasInterest(wr.reply)) {
      if (answer !== null) status(s, wr.reply, answer);
      const after: WaitingRequest | null = wr.next;
      wq.remove(pre, wr);
      expired++;
      wr = after;
      continue;
    }
    batchPending += wr.n;
    if (wr.heartbeatAtNs !== null) {
      if (nowNs >= wr.heartbeatAtNs) {
        sendHeartbeat(s, wr.reply);
        wr.heartbeatAtNs = nowNs + wr.heartbeatNs;
      }
      if (next === null || wr.heartbeatAtNs < next) next = wr.heartbeatAtNs;
    }
    if (wr.expiresNs !== null && (next === null || wr.expiresNs < next)) next = wr.expiresNs;
    pre = wr;
    wr = wr.next;
  }
  s.waitAtNs = next;
  return { expired, batchPending };
}

/** 100 Idle Heartbeat with the last delivered sequences (sendIdleHeartbeat). */
export function sendHeartbeat(s: CoreState, to: string): void {
  const last = { consumerSeq: s.dseq - 1, streamSeq: s.sseq - 1 };
  status(s, to, idleHeartbeat(last, s.fcid));
}

function assignPin(s: CoreState, wr: WaitingRequest, nowNs: bigint): void {
  const pg = wr.priority;
  if (pg === null || pg.group === "") return;
  s.pinId = s.env.newPinId();
  s.pinnedTsNs = nowNs;
  pg.id = s.pinId;
  s.pinExpiresAtNs = nowNs + s.cfg.pinnedTtlNs;
  s.event({ type: "pinned", group: pg.group, pinId: s.pinId }, nowNs);
}

export function unassignPin(s: CoreState): void {
  s.pinId = "";
  s.pinnedTsNs = null;
  s.pinExpiresAtNs = null;
}

type Verdict = "serve" | "cycle" | "drop";

/**
 * Priority-group rules for the head request: serve it, move it back, or drop it. needNewPin is
 * decided once per search, as nats-server does.
 */
function priorityVerdict(
  s: CoreState,
  wr: WaitingRequest,
  needNewPin: boolean,
  nowNs: bigint,
): Verdict {
  const pg = wr.priority;
  if (needNewPin) {
    if (pg === null || pg.id === "") {
      assignPin(s, wr, nowNs);
      return "serve";
    }
    status(s, wr.reply, wrongPinId(wr.pending));
    return "drop";
  }
  if (s.pinId !== "") {
    if (pg !== null && pg.id === s.pinId) return "serve";
    if (pg === null || pg.id === "") return "cycle";
    status(s, wr.reply, wrongPinId(wr.pending));
    return "drop";
  }
  if (s.cfg.priorityPolicy === "overflow" && pg !== null) {
    const limited = pg.minPending > 0 || pg.minAckPending > 0;
    // npc was already lowered for the message in hand, hence +1.
    const over = (pg.minPending > 0 && pg.minPending <= s.npc + 1) ||
      (pg.minAckPending > 0 && pg.minAckPending <= s.pending.size);
    if (limited && !over) return "cycle";
  }
  return "serve";
}

/** Takes one delivery of `size` bytes from the request it goes to (nextWaiting), or null. */
export function nextWaiting(s: CoreState, size: number, nowNs: bigint): WaitingRequest | null {
  const wq = s.waiting;
  if (wq === null || wq.isEmpty()) return null;
  const needNewPin = s.pinId === "" && s.cfg.priorityPolicy === "pinned_client";
  let cycled = 0;
  for (let wr = wq.head; wr !== null && !wq.isEmpty(); wr = wq.head) {
    if (wr.expiresNs !== null && nowNs >= wr.expiresNs) {
      status(s, wr.reply, requestTimeout(wr.pending));
      wq.removeCurrent();
      continue;
    }
    const pinnedBefore = s.pinId;
    const verdict = priorityVerdict(s, wr, needNewPin, nowNs);
    if (verdict === "drop") {
      wq.removeCurrent();
      continue;
    }
    if (verdict === "cycle") {
      wq.cycle();
      if (++cycled >= wq.length) return null;
      continue;
    }
    if (wr.b > 0) {
      if (size > wr.b) {
        status(s, wr.reply, maxBytesExceeded(wr.pending));
        if (pinnedBefore === "" && s.pinId !== "") unassignPin(s);
        wq.removeCurrent();
        continue;
      }
      wr.b -= size;
      // Exactly used up: deliver this one and stop.
      if (wr.b === 0) wr.n = 1;
    }
    if (s.env.hasInterest(wr.reply)) return popRequest(s, wq);
    // The requester behind a service import is gone: tell the import's reply why.
    if (s.env.importedReply?.(wr.reply) === true) status(s, wr.reply, interestExpired(wr.pending));
    wq.removeCurrent();
  }
  return null;
}

function popRequest(s: CoreState, wq: WaitQueue): WaitingRequest | null {
  return s.cfg.priorityPolicy === "prioritized" ? wq.popAndRequeue() : wq.pop();
}

/** Gives back the delivery a request was charged for when the message did not arrive. */
export function creditWaitingRequest(s: CoreState, reply: string): void {
  const wr = s.waiting?.find(reply);
  if (wr === undefined || wr === null) return;
  wr.n++;
  wr.d--;
}

/** Answers every waiting request with 409 Consumer Deleted (releaseAnyPendingRequests). */
export function releaseRequests(s: CoreState): void {
  if (s.waiting === null) return;
  for (const wr of s.waiting.drain()) status(s, wr.reply, STATUS_CONSUMER_DELETED);
}
