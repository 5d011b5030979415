/**
 * Where a consumer starts: the first stream sequence for each deliver policy of a new consumer
 * (selectStartingSeqNo), the restore of a stored one (readStoredState, applyState,
 * reconcileStateWithStream) and the set-up nats-server does when a consumer starts running
 * (setLeader): num pending, inactivity, heartbeats, replay.
 * @module
 */
import {
  type CoreState,
  EPHEMERAL_INACTIVE_NS_DEFAULT,
  FLOW_CONTROL_BYTES_MAX,
  NS_PER_MS,
} from "./_state.ts";
import { RateLimiter } from "./rate_limiter.ts";
import { WaitQueue } from "./wait_queue.ts";

/** The last sequence of every subject the filters match, ascending (MultiLastSeqs). */
function lastSeqsPerSubject(s: CoreState): number[] {
  const filters = s.cfg.filters.length > 0 ? s.cfg.filters : [">"];
  const seqs = new Set<number>();
  for (const filter of filters) {
    for (const ss of s.env.stream.subjectsState(filter).values()) seqs.add(ss.last);
  }
  return [...seqs].sort((a, b) => a - b);
}

function startForPolicy(s: CoreState, first: number, last: number): number {
  const cfg = s.cfg;
  switch (cfg.deliverPolicy) {
    case "all":
      return first;
    case "last": {
      if (cfg.filters.length === 0) return last;
      let seq = 0;
      for (const f of cfg.filters) seq = Math.max(seq, s.env.stream.filteredState(1, f).last);
      return seq;
    }
    case "last_per_subject": {
      if (s.env.maxMsgsPerSubject === 1) return first;
      const seqs = lastSeqsPerSubject(s);
      s.lss = { resume: last, seqs, index: 0 };
      return seqs.length === 0 ? last : seqs[0];
    }
    case "by_start_time":
      return startFromTime(s, first, last);
    default: // "new"; by_start_sequence always has opt_start_seq
      return last + 1;
  }
}

function startFromTime(s: CoreState, first: number, last: number): number {
  let seq = s.env.stream.getSeqFromTime(s.cfg.optStartTimeNs ?? 0n);
  if (s.cfg.filters.length === 0) return seq;
  // Skip ahead to the first matching message instead of walking up to it later.
  let nseq = last;
  for (const f of s.cfg.filters) {
    const ss = s.env.stream.filteredState(first, f);
    if (ss.first >= seq && ss.first < nseq) nseq = ss.first;
  }
  if (nseq > seq && nseq < last) seq = nseq;
  return seq;
}

/** Places a new consumer: sets sseq/dseq/floors and records the start in the store. */
export function selectStartingSeq(s: CoreState): void {
  const state = s.env.stream.fastState();
  const optStart = s.cfg.optStartSeq;
  let seq = optStart > 0 ? optStart : startForPolicy(s, state.firstSeq, state.lastSeq);
  const neverStored = state.msgs === 0 && state.lastSeq === 0;
  if (neverStored && optStart === 0) seq = 1;
  else if (seq > state.lastSeq && optStart === 0) seq = state.lastSeq + 1;
  else if (seq < state.firstSeq) seq = state.firstSeq;
  s.sseq = seq;
  s.dseq = 1;
  s.adflr = 0;
  s.asflr = seq - 1;
  if (seq > 0) s.env.store?.setStarting(seq - 1);
}

/** Takes over a stored state (applyState); schedules an early check of restored pending. */
export function applyStoredState(s: CoreState, nowNs: bigint): void {
  const store = s.env.store;
  if (store === null) return;
  const st = store.state();
  s.sseq = st.delivered.stream + 1;
  s.dseq = st.delivered.consumer + 1;
  s.adflr = st.ackFloor.consumer;
  s.asflr = st.ackFloor.stream;
  s.pending = new Map();
  for (const [seq, p] of st.pending) s.pending.set(seq, { dseq: p.dseq, tsNs: p.tsNs });
  s.rdc = new Map(st.redelivered);
  if (s.pending.size > 0) {
    // Check restored pending soon, between 0.5 and 1.5 s, or at ack_wait when shorter.
    let delay = 500n * NS_PER_MS + BigInt(Math.floor(s.env.random() * 1000)) * NS_PER_MS;
    if (s.cfg.ackWaitNs < delay) delay = s.ackWait(0n);
    s.resetPtmr(nowNs, delay);
  }
  if (s.rdc.size > 0) checkRedelivered(s);
}

/** Drops redelivery records of messages the stream no longer has (checkRedelivered). */
function checkRedelivered(s: CoreState): void {
  const first = s.env.stream.fastState().firstSeq;
  let changed = false;
  for (const seq of [...s.rdc.keys()]) {
    if (seq <= s.asflr || seq < first) s.removeFromRedeliverQueue(seq);
    if (seq < first) {
      s.rdc.delete(seq);
      changed = true;
    }
  }
  if (changed) writeStoreState(s);
}

/** Replaces the stored state with the machine's (writeStoreStateUnlocked). */
export function writeStoreState(s: CoreState, force = false): void {
  const store = s.env.store;
  if (store === null) return;
  const pending = new Map<number, { dseq: number; tsNs: bigint }>();
  for (const [seq, p] of s.pending) pending.set(seq, { dseq: p.dseq, tsNs: p.tsNs });
  const state = {
    delivered: { consumer: s.dseq - 1, stream: s.sseq - 1 },
    ackFloor: { consumer: s.adflr, stream: s.asflr },
    pending,
    redelivered: new Map(s.rdc),
  };
  if (force) store.forceUpdate(state);
  else store.update(state);
}

/**
 * After the stream lost messages (a crash without fsync), brings a consumer whose delivered
 * sequence is past the stream's last back in range (reconcileStateWithStream).
 */
export function reconcileWithStream(s: CoreState): boolean {
  const last = s.env.stream.fastState().lastSeq;
  if (s.sseq - 1 <= last) return false;
  if (s.asflr > last) {
    s.asflr = last;
    s.adflr = Math.max(s.dseq - 1, 0);
    s.pending.clear();
    s.rdc.clear();
  }
  for (const seq of [...s.pending.keys()]) if (seq > last) s.pending.delete(seq);
  for (const seq of [...s.rdc.keys()]) if (seq > last) s.rdc.delete(seq);
  if (s.pending.size === 0) {
    s.sseq = s.asflr + 1;
    s.dseq = s.adflr + 1;
  } else {
    let maxStream = 0;
    let maxConsumer = 0;
    for (const [seq, p] of s.pending) {
      maxStream = Math.max(maxStream, seq);
      maxConsumer = Math.max(maxConsumer, p.dseq);
    }
    s.sseq = maxStream + 1;
    s.dseq = maxConsumer + 1;
  }
  writeStoreState(s, true);
  return true;
}

/** Sets num pending from the stream (streamNumPending / calculateNumPending). */
export function streamNumPending(s: CoreState): number {
  const lps = s.cfg.deliverPolicy === "last_per_subject";
  const filters = s.cfg.filters;
  const stream = s.env.stream;
  const np = filters.length > 1
    ? stream.numPendingMulti(s.sseq, filters, lps)
    : stream.numPending(s.sseq, filters.length === 1 ? filters[0] : ">", lps);
  s.npc = np.total;
  s.npf = np.validThrough;
  return s.numPending();
}

/** The inactivity threshold actually used, with nats-server's jitter (updateInactiveThreshold). */
export function inactiveThreshold(s: CoreState): bigint {
  const jitter = () => 100n * NS_PER_MS + BigInt(Math.floor(s.env.random() * 900)) * NS_PER_MS;
  const configured = s.cfg.inactiveThresholdNs;
  if (!s.cfg.durable && configured <= 0n) return EPHEMERAL_INACTIVE_NS_DEFAULT + jitter();
  if (configured > 0n) return s.isPush ? configured : configured + jitter();
  return 0n;
}

/** What nats-server does when a consumer starts running (setLeader), minus subscriptions. */
export function startRunning(s: CoreState, nowNs: bigint): void {
  s.clearRedeliverQueue();
  s.maxdc = Math.max(s.cfg.maxDeliver, 0);
  s.maxp = s.cfg.maxAckPending;
  streamNumPending(s);
  if (s.lss !== null && s.sseq >= s.lss.resume) s.lss = null;
  if (!s.isPush) s.waiting = new WaitQueue(s.cfg.maxWaiting);
  if (s.cfg.flowControl) {
    s.pblimit = FLOW_CONTROL_BYTES_MAX;
    s.maxpb = Math.max(Math.floor(FLOW_CONTROL_BYTES_MAX / 16), 1);
  }
  if (s.isPush) s.active = s.env.hasInterest(s.cfg.deliverSubject);
  s.dthreshNs = inactiveThreshold(s);
  if (s.dthreshNs > 0n && (!s.isPush || !s.active)) s.deleteAtNs = nowNs + s.dthreshNs;
  const pause = s.cfg.pauseUntilNs;
  s.pauseEndNs = pause !== null && pause > nowNs ? pause : null;
  if (s.cfg.replayPolicy !== "instant") {
    s.replay = true;
    s.lseq = s.env.stream.fastState().lastSeq;
  }
  if (s.cfg.rateLimitBps > 0) {
    // Go divides in integers; a rate under one byte per second would never refill at all.
    const bytesPerSecond = Math.max(Math.floor(s.cfg.rateLimitBps / 8), 1);
    s.limiter = new RateLimiter(bytesPerSecond, s.env.rateBurstBytes);
  }
  if (s.isPush && s.cfg.idleHeartbeatNs > 0n) s.hbAtNs = nowNs + s.cfg.idleHeartbeatNs;
  s.signal();
}
