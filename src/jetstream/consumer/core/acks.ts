/**
 * Acknowledgements: +ACK / ack all, -NAK with or without a delay, +WPI, +TERM (nats-server
 * consumer.go processAckMsg, moveAckFloor, processNak, processTerm, progressUpdate).
 * @module
 */
import type { CoreState, Pending } from "./_state.ts";

/** The pending entry with the smallest stream sequence in (above, upTo]. */
export function firstPendingAbove(
  pending: ReadonlyMap<number, Pending>,
  above: number,
  upTo: number,
): { seq: number; entry: Pending } | null {
  if (upTo - above <= pending.size) {
    for (let seq = above + 1; seq <= upTo; seq++) {
      const entry = pending.get(seq);
      if (entry !== undefined) return { seq, entry };
    }
    return null;
  }
  let best: { seq: number; entry: Pending } | null = null;
  for (const [seq, entry] of pending) {
    if (seq > above && seq <= upTo && (best === null || seq < best.seq)) best = { seq, entry };
  }
  return best;
}

/** Moves the ack floors after the pending message (dseq, sseq) left (moveAckFloor). */
export function moveAckFloor(s: CoreState, dseq: number, sseq: number): void {
  if (s.pending.size === 0) {
    s.adflr = s.dseq - 1;
    s.asflr = s.sseq - 1;
    return;
  }
  if (dseq !== s.adflr + 1) return;
  s.adflr = dseq;
  s.asflr = sseq;
  const next = firstPendingAbove(s.pending, sseq, s.sseq - 1);
  if (next !== null && next.entry.dseq > 0) {
    s.adflr = next.entry.dseq - 1;
    s.asflr = next.seq - 1;
  }
}

function sampleAck(s: CoreState, sseq: number, dseq: number, dc: number, nowNs: bigint): void {
  const freq = s.cfg.sampleFreq;
  if (freq <= 0) return;
  if (freq < 100 && Math.floor(s.env.random() * 100) > freq) return;
  const p = s.pending.get(sseq)!;
  s.event({
    type: "ack_metric",
    streamSeq: sseq,
    consumerSeq: dseq,
    deliveries: dc,
    delayNs: nowNs - p.tsNs,
  }, nowNs);
}

function ackAll(s: CoreState, dseq: number, sseq: number, ackInPlace: boolean): number[] {
  const acked: number[] = [];
  const gap = sseq - s.asflr;
  s.adflr = dseq;
  s.asflr = sseq;
  const remove = (seq: number) => {
    if (ackInPlace && seq !== sseq && s.pending.has(seq)) acked.push(seq);
    s.pending.delete(seq);
    s.rdc.delete(seq);
    s.removeFromRedeliverQueue(seq);
  };
  if (gap > s.pending.size) {
    for (const seq of [...s.pending.keys()]) if (seq <= sseq) remove(seq);
  } else {
    for (let seq = sseq; seq > sseq - gap && s.pending.size > 0; seq--) remove(seq);
  }
  return acked;
}

/**
 * Processes a positive ack (processAckMsg). Returns true when an ack-sync reply may be sent:
 * not for an ack above what was delivered, nor for ack none on a limits stream.
 */
export function processAckMsg(
  s: CoreState,
  ack: { sseq: number; dseq: number; dc: number },
  sample: boolean,
  nowNs: bigint,
): boolean {
  let { dseq } = ack;
  const { sseq, dc } = ack;
  if (s.closed) return false;
  // An ack past our next sequence cannot be ours to take (another leader, a stale subject).
  if (sseq >= s.sseq && !s.cfg.flowControl) return false;
  const ackInPlace = s.env.retention !== "limits";
  let needSignal = false;
  let acked: number[] = [];
  const atLimit = s.maxp > 0 && s.pending.size >= s.maxp;
  switch (s.cfg.ackPolicy) {
    case "explicit": {
      const p = s.pending.get(sseq);
      if (p !== undefined) {
        if (sample) sampleAck(s, sseq, dseq, dc, nowNs);
        needSignal = atLimit;
        s.pending.delete(sseq);
        dseq = p.dseq;
        moveAckFloor(s, dseq, sseq);
      }
      s.rdc.delete(sseq);
      s.removeFromRedeliverQueue(sseq);
      break;
    }
    case "all":
      if (dseq <= s.adflr || sseq <= s.asflr) return true;
      needSignal = atLimit;
      acked = ackAll(s, dseq, sseq, ackInPlace);
      break;
    case "none":
      return ackInPlace;
  }
  s.updateAcks(dseq, sseq, nowNs);
  if (ackInPlace) {
    s.emit({ kind: "stream_ack", streamSeq: sseq });
    for (const seq of acked) s.emit({ kind: "stream_ack", streamSeq: seq });
  }
  if (needSignal) s.signal();
  return true;
}

/** -NAK: redeliver now, or after delayNs counted from now (processNak). */
export function processNak(
  s: CoreState,
  ack: { sseq: number; dseq: number; dc: number },
  delayNs: bigint | null,
  nowNs: bigint,
): void {
  const { sseq, dseq, dc } = ack;
  if (dseq <= s.adflr || dseq > s.dseq) return;
  const p = s.pending.get(sseq);
  if (p === undefined) return;
  s.event({ type: "nak", streamSeq: sseq, consumerSeq: dseq, deliveries: dc }, nowNs);
  if (delayNs !== null) {
    s.removeFromRedeliverQueue(sseq);
    // The pending check sees (now - ack_wait) as just expired, so this expires after delay.
    p.tsNs = nowNs - s.cfg.ackWaitNs + delayNs;
    s.updateDelivered(p.dseq, sseq, dc, p.tsNs, nowNs);
    if (s.ptmrEndNs !== null) s.resetPtmr(nowNs, 10_000_000n);
    return;
  }
  if (!s.onRedeliverQueue(sseq)) s.addToRedeliverQueue([sseq]);
  s.signal();
}

/** +TERM: ack without further redelivery and report it (processTerm). */
export function processTerm(
  s: CoreState,
  ack: { sseq: number; dseq: number; dc: number },
  reason: string,
  nowNs: bigint,
): boolean {
  const replyOk = processAckMsg(s, ack, false, nowNs);
  s.event({
    type: "terminated",
    streamSeq: ack.sseq,
    consumerSeq: ack.dseq,
    deliveries: ack.dc,
    reason,
  }, nowNs);
  return replyOk;
}

/** +WPI: restart the ack wait of a pending message (progressUpdate). */
export function progressUpdate(s: CoreState, sseq: number, nowNs: bigint): void {
  const p = s.pending.get(sseq);
  if (p === undefined) return;
  p.tsNs = nowNs;
  s.updateDelivered(p.dseq, sseq, 1, nowNs, nowNs);
}

/** Ack activity keeps an inactive consumer alive (suppressDeletion). */
export function suppressDeletion(s: CoreState, nowNs: bigint): void {
  if (s.closed) return;
  if (s.isPush) {
    if (s.deleteAtNs !== null) s.deleteAtNs = nowNs + s.dthreshNs;
  } else if (s.waiting !== null) {
    s.waiting.lastNs = nowNs;
    if (s.deleteAtNs !== null) s.deleteAtNs = nowNs + s.dthreshNs;
  }
}
