/**
 * What the stream tells a consumer: a message was stored, a message was removed, the stream was
 * purged; and CONSUMER.RESET (nats-server consumer.go processStreamSignal, decStreamPending,
 * purge, resetStartingSeq).
 * @module
 */
import { subjectIsSubsetOf } from "../../../subjects/subject.ts";
import { processTerm } from "./acks.ts";
import { type CoreState, TERM_REASON_UNACKED_DELETED } from "./_state.ts";
import { streamNumPending, writeStoreState } from "./start.ts";

/** A message matching the stream was stored at seq (processStreamSignal). */
export function onStreamMsg(s: CoreState, seq: number, subject: string): void {
  if (s.closed || !s.matchesFilter(subject)) return;
  if (seq > s.npf) s.npc++;
  if (seq < s.sseq) return;
  if ((s.isPush && s.active) || (!s.isPush && s.waiting !== null && !s.waiting.isEmpty())) {
    s.signal();
  }
}

/**
 * The stream removed the message at seq (limits, delete, acks of others); subject null when
 * no longer known. One we were still waiting on is settled as terminated (decStreamPending).
 */
export function onStreamRemoved(
  s: CoreState,
  seq: number,
  subject: string | null,
  nowNs: bigint,
): void {
  if (s.closed) return;
  if (seq >= s.sseq) {
    // Without the subject the count is taken again from the stream.
    if (subject === null) streamNumPending(s);
    else if (s.matchesFilter(subject)) s.npc--;
  }
  const p = s.pending.get(seq);
  if (p !== undefined) {
    const dc = s.deliveryCount(seq);
    processTerm(s, { sseq: seq, dseq: p.dseq, dc }, TERM_REASON_UNACKED_DELETED, nowNs);
  } else if (s.rdc.delete(seq)) {
    s.updateAcks(0, seq, nowNs);
  }
}

function dropPending(s: CoreState, seq: number, dseq: number, nowNs: bigint): void {
  if (dseq > s.adflr) {
    s.adflr = dseq;
    if (s.adflr > s.dseq) s.dseq = s.adflr;
  }
  s.pending.delete(seq);
  s.rdc.delete(seq);
  s.updateAcks(dseq, seq, nowNs);
}

/**
 * The stream was purged (all of it, or by subject / sequence / keep); `subject` is the purge
 * request's filter, "" for none. Works out from the stream's state after the purge where the
 * consumer's floors go (nats-server stream.purgeLocked and consumer.purge).
 */
export function onStreamPurged(s: CoreState, subject: string, nowNs: bigint): void {
  if (s.closed) return;
  const state = s.env.stream.fastState();
  let start = state.firstSeq;
  if (subject !== "") start = s.env.stream.filteredState(state.firstSeq, subject).first;
  let isWider = false;
  if (subject !== "" && !coveredBy(s, subject)) {
    if (!overlaps(s, subject)) return;
    isWider = true;
    start = state.firstSeq;
  }
  purge(s, { sseq: start, lastSeq: state.lastSeq, isWider }, nowNs);
}

/** Every filter of the consumer is the purge subject or inside it (isEqualOrSubsetMatch). */
function coveredBy(s: CoreState, subject: string): boolean {
  return s.cfg.filters.some((f) => f === subject || subjectIsSubsetOf(f, subject));
}

/** The purge subject reaches messages the consumer reads (isFilteredMatch). */
function overlaps(s: CoreState, subject: string): boolean {
  const filters = s.cfg.filters;
  if (filters.length === 0) return true;
  return filters.some((f) => f === subject || subjectIsSubsetOf(subject, f));
}

/**
 * Moves the consumer past a purge below sseq (0 with isWider false: everything up to lastSeq).
 * isWider: the consumer reads more than was purged, so pending messages above sseq are checked
 * one by one (consumer.purge).
 */
function purge(
  s: CoreState,
  purge: { sseq: number; lastSeq: number; isWider: boolean },
  nowNs: bigint,
): void {
  const sseq = purge.sseq === 0 && !purge.isWider ? purge.lastSeq + 1 : purge.sseq;
  if (s.sseq < sseq) s.sseq = sseq;
  if (s.asflr < sseq) {
    s.asflr = sseq - 1;
    for (const [seq, p] of [...s.pending]) {
      if (seq <= s.asflr) dropPending(s, seq, p.dseq, nowNs);
      else if (purge.isWider && isGone(s, seq)) dropPending(s, seq, p.dseq, nowNs);
    }
  }
  if (s.pending.size === 0) {
    s.pending = new Map();
    s.rdc = new Map();
    s.adflr = s.dseq - 1;
    s.asflr = s.sseq - 1;
  }
  const queued = s.rdq;
  s.clearRedeliverQueue();
  s.addToRedeliverQueue(queued.filter((seq) => seq >= s.sseq));
  writeStoreState(s);
}

function isGone(s: CoreState, seq: number): boolean {
  try {
    s.env.stream.loadMsg(seq);
    return false;
  } catch {
    return true;
  }
}

/**
 * CONSUMER.RESET: start again at seq (0: just above the ack floor). Returns the sequence or the
 * reason it is refused ("below start seq", "below start time", "not allowed").
 */
export function resetStartingSeq(s: CoreState, seq: number): number | string {
  if (seq === 0) {
    seq = s.asflr + 1;
  } else if (s.cfg.deliverPolicy === "all") {
    // Always allowed.
  } else if (s.cfg.deliverPolicy === "by_start_sequence") {
    if (seq < s.cfg.optStartSeq) return "below start seq";
  } else if (s.cfg.deliverPolicy === "by_start_time") {
    const start = s.env.stream.getSeqFromTime(s.cfg.optStartTimeNs ?? 0n);
    if (seq < start) return "below start time";
  } else {
    return "not allowed";
  }
  if (seq <= 0) seq = 1;
  const recalc = s.sseq !== seq || s.pending.size > 0;
  s.pending = new Map();
  s.rdc = new Map();
  s.clearRedeliverQueue();
  s.sseq = seq;
  s.dseq = 1;
  s.adflr = 0;
  s.asflr = seq - 1;
  s.ldtNs = null;
  s.latNs = null;
  s.ptmrEndNs = null;
  s.env.store?.reset(seq - 1);
  if (recalc) streamNumPending(s);
  s.signal();
  return seq;
}
