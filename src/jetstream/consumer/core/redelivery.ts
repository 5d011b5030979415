/**
 * Ack wait, backoff and max_deliver: the pending timer and what it does when it fires
 * (nats-server consumer.go trackPending, checkPending, hasMaxDeliveries, forceExpirePending,
 * checkAckFloor).
 * @module
 */
import { moveAckFloor, processTerm } from "./acks.ts";
import { type CoreState, TERM_REASON_LIMITS } from "./_state.ts";
import { writeStoreState } from "./start.ts";

/** Records a delivery as pending and makes sure the timer fires by its ack deadline. */
export function trackPending(s: CoreState, sseq: number, dseq: number, nowNs: bigint): void {
  const p = s.pending.get(sseq);
  // A redelivery keeps its first consumer sequence.
  if (p !== undefined) p.tsNs = nowNs;
  else s.pending.set(sseq, { dseq, tsNs: nowNs });
  const deadline = nowNs + s.ackWaitFor(sseq);
  if (s.ptmrEndNs === null || s.ptmrEndNs > deadline) s.ptmrEndNs = deadline;
}

/**
 * True when seq was delivered max_deliver times: it leaves pending for good (its count stays,
 * so interest retention keeps it), with a max_deliver event the first time.
 */
export function hasMaxDeliveries(s: CoreState, seq: number, nowNs: bigint): boolean {
  if (s.maxdc === 0) return false;
  const dc = s.deliveryCount(seq);
  if (dc < s.maxdc) return false;
  if (dc === s.maxdc) s.event({ type: "max_deliver", streamSeq: seq, deliveries: dc }, nowNs);
  if (s.maxp > 0 && s.pending.size >= s.maxp) s.signal();
  const p = s.pending.get(seq);
  if (p !== undefined) {
    s.pending.delete(seq);
    s.updateDelivered(p.dseq, seq, dc + 1, p.tsNs, nowNs);
    moveAckFloor(s, p.dseq, seq);
  }
  s.rdc.set(seq, dc);
  return true;
}

/** The deadline of one pending message and the next backoff step, by its redelivery count. */
function backoffDeadline(s: CoreState, seq: number): { deadline: bigint; next: bigint } {
  const backoff = s.cfg.backoffNs;
  let dc = Math.max(s.rdc.get(seq) ?? 0, 0);
  let nbi = dc + 1;
  if (dc + 1 >= backoff.length) {
    dc = backoff.length - 1;
    nbi = dc;
  }
  return { deadline: backoff[dc], next: backoff[nbi] };
}

function queueExpired(s: CoreState, expired: number[], nowNs: bigint): void {
  if (expired.length === 0) return;
  expired.sort((a, b) => a - b);
  s.addToRedeliverQueue(expired);
  // Restart their clocks together, keeping their order, so they expire again together.
  const offset = nowNs - s.pending.get(expired[0])!.tsNs;
  for (const seq of expired) {
    const p = s.pending.get(seq);
    if (p !== undefined) p.tsNs += offset;
  }
  s.signal();
}

/** The pending timer fired: queue what is past its ack wait, re-arm (checkPending). */
export function checkPending(s: CoreState, nowNs: bigint): void {
  const ttl = s.cfg.ackWaitNs;
  if (s.closed || s.ptmrEndNs === null || ttl === 0n) {
    s.ptmrEndNs = null;
    return;
  }
  const firstSeq = s.env.stream.fastState().firstSeq;
  const backoff = s.cfg.backoffNs;
  let next = backoff.length > 0 ? backoff[backoff.length - 1] : s.ackWait(0n);
  const expired: number[] = [];
  let stateChanged = false;
  for (const [seq, p] of [...s.pending]) {
    if (seq < firstSeq || seq <= s.asflr) {
      // Gone from the stream or below the floor: no longer ours to track.
      s.pending.delete(seq);
      s.rdc.delete(seq);
      s.removeFromRedeliverQueue(seq);
      stateChanged = true;
      if (seq > s.asflr) s.asflr = seq;
      if (p.dseq > s.adflr) s.adflr = p.dseq;
      continue;
    }
    const elapsed = nowNs - p.tsNs;
    let deadline = ttl;
    if (backoff.length > 0) {
      const step = backoffDeadline(s, seq);
      deadline = step.deadline;
      if (step.next < next) next = step.next;
    }
    if (elapsed >= deadline) {
      if (!s.onRedeliverQueue(seq) && !hasMaxDeliveries(s, seq, nowNs)) expired.push(seq);
    } else if (deadline - elapsed < next) {
      next = deadline - elapsed;
    }
  }
  queueExpired(s, expired, nowNs);
  if (s.pending.size > 0) {
    s.resetPtmr(nowNs, next);
  } else {
    s.ptmrEndNs = null;
    s.clearRedeliverQueue();
    s.pending = new Map();
    s.adflr = s.dseq - 1;
    s.asflr = s.sseq - 1;
  }
  if (stateChanged) writeStoreState(s);
}

/** Expires every pending message at once (a push consumer's deliver subject changed). */
export function forceExpirePending(s: CoreState, nowNs: bigint): void {
  const expired: number[] = [];
  for (const seq of [...s.pending.keys()]) {
    if (!s.onRedeliverQueue(seq) && !hasMaxDeliveries(s, seq, nowNs)) expired.push(seq);
  }
  if (expired.length > 0) {
    queueExpired(s, expired, nowNs);
    s.resetPtmr(nowNs, s.ackWait(0n));
  }
  s.signal();
}

const ACK_FLOOR_DRIFT_SEQS_MIN = 50;

/**
 * Terminates pending messages the stream dropped without telling us, and repairs an ack floor
 * left far below the stream's first sequence (checkAckFloor).
 */
export function checkAckFloor(s: CoreState, nowNs: bigint): void {
  if (s.asflr === 0 || s.closed) return;
  const firstSeq = s.env.stream.fastState().firstSeq;
  if (firstSeq === 0 || s.asflr >= firstSeq - 1) return;
  const gone: Array<[number, number]> = [];
  for (const [seq, p] of s.pending) if (seq < firstSeq) gone.push([seq, p.dseq]);
  gone.sort((a, b) => a[0] - b[0]);
  for (const [seq, dseq] of gone) {
    processTerm(s, { sseq: seq, dseq, dc: s.deliveryCount(seq) }, TERM_REASON_LIMITS, nowNs);
  }
  if (firstSeq < ACK_FLOOR_DRIFT_SEQS_MIN || s.asflr >= firstSeq - ACK_FLOOR_DRIFT_SEQS_MIN) {
    return;
  }
  let lowest: { seq: number; dseq: number } | null = null;
  for (const [seq, p] of s.pending) {
    if (lowest === null || seq < lowest.seq) lowest = { seq, dseq: p.dseq };
  }
  if (lowest === null) {
    s.asflr = Math.max(s.sseq - 1, firstSeq - 1);
    s.adflr = s.dseq - 1;
  } else {
    s.asflr = lowest.seq - 1;
    s.adflr = lowest.dseq - 1;
  }
}
