/**
 * MemStore: the in-memory stream store (nats-server's memstore.go, redesigned). Messages live in
 * a Map by sequence; each subject keeps its message count and a doubly linked list of its
 * messages, so per-subject limits and literal-filter queries never scan the stream.
 * @module
 */
import { type Clock, systemClock, type TimerId } from "./clock.ts";
import { StoreError } from "./errors.ts";
import { type Filter, parseFilter } from "./_filter.ts";
import { MinHeap } from "./_min_heap.ts";
import { loadNextMsgMulti, numPendingMulti } from "./_multi.ts";
import {
  assertCount,
  type FastState,
  type NumPending,
  type PurgeOptions,
  type RawMsg,
  type SimpleState,
  type SnapshotSource,
  type StoredMsg,
  type StoreLimits,
  type StoreMsgOptions,
  type StoreResult,
  type StreamState,
  type StreamStore,
  TTL_NEVER,
  utf8Length,
} from "./store.ts";

/** Largest headers + payload of one message, whatever the limits say (NATS max_payload cap). */
export const MSG_DATA_BYTES_MAX = 64 * 1024 * 1024;
const NS_PER_SECOND = 1_000_000_000n;
// A literal next/prev lookup scans this many sequences before walking the subject's list.
const SHORT_SCAN_SEQS = 256;
/** Shared by every message stored without headers (never written to). */
const NO_HEADERS = new Uint8Array(0);

interface MemMsg {
  subject: string;
  hdr: Uint8Array;
  payload: Uint8Array;
  seq: number;
  ts: bigint;
  ttl: number;
  size: number;
  expiry: bigint; // 0n: no TTL
  prev: MemMsg | null; // same subject
  next: MemMsg | null;
  erased: boolean;
}

interface SubjectEntry {
  msgs: number;
  first: MemMsg;
  last: MemMsg;
}

export interface MemStoreOptions {
  limits?: StoreLimits;
  clock?: Clock;
}

/**
 * The in-memory StreamStore.
 * @example
 * const store = new MemStore({ limits: { maxMsgs: 1000 } });
 * const { seq } = store.storeMsg("orders.new", null, new TextEncoder().encode("hi"));
 */
export class MemStore implements StreamStore {
  readonly kind = "memory" as const;
  #msgs = new Map<number, MemMsg>();
  #subjects = new Map<string, SubjectEntry>();
  #count = 0;
  #bytes = 0;
  #first = 1;
  #last = 0;
  #lastTs = 0n;
  #limits: StoreLimits;
  #clock: Clock;
  #ttls = new MinHeap<MemMsg>();
  #ageCursor = 0;
  #timer: TimerId | null = null;
  #timerAt = 0n;
  #closed = false;

  constructor(options: MemStoreOptions = {}) {
    this.#limits = { ...options.limits };
    this.#clock = options.clock ?? systemClock;
  }

  /** Go's memStoreMsgSize: subject + headers + payload + 16. */
  msgSize(subject: string, hdrBytes: number, payloadBytes: number): number {
    return utf8Length(subject) + hdrBytes + payloadBytes + 16;
  }

  storeMsg(
    subject: string,
    hdr: Uint8Array | null,
    payload: Uint8Array,
    opts: StoreMsgOptions = {},
  ): StoreResult {
    const ts = this.#clock.nowNs();
    const seq = this.#last + 1;
    this.#store(subject, hdr ?? NO_HEADERS, payload, seq, ts, opts.ttl ?? 0, {
      check: true,
      rollup: opts.rollup ?? false,
    });
    return { seq, ts };
  }

  storeRawMsg(msg: RawMsg, opts: { discardNewCheck?: boolean } = {}): void {
    assertCount(msg.seq, "sequence");
    if (msg.seq !== this.#last + 1) throw new StoreError("seq_mismatch", `${msg.seq}`);
    this.#store(msg.subject, msg.hdr ?? NO_HEADERS, msg.payload, msg.seq, msg.ts,
      msg.ttl ?? 0, { check: opts.discardNewCheck ?? false, rollup: false });
  }

  #store(
    subject: string,
    hdr: Uint8Array,
    payload: Uint8Array,
    seq: number,
    ts: bigint,
    ttl: number,
    o: { check: boolean; rollup: boolean },
  ): void {
    this.#assertOpen();
    const data = hdr.length + payload.length;
    const max = this.#limits.maxMsgSize ?? 0;
    if (data > MSG_DATA_BYTES_MAX || (max > 0 && data > max)) throw new StoreError("msg_too_big");
    const size = this.msgSize(subject, hdr.length, payload.length);
    if (o.check) this.#checkDiscardNew(subject, size, o.rollup);
    const msg: MemMsg = {
      // Most messages have no headers: they share one empty block instead of a copy each.
      subject, hdr: hdr.length === 0 ? NO_HEADERS : hdr.slice(), payload: payload.slice(), seq,
      ts, ttl, size,
      expiry: ttl > 0 ? ts + BigInt(ttl) * NS_PER_SECOND : 0n,
      prev: null, next: null, erased: false,
    };
    this.#msgs.set(seq, msg);
    if (this.#count === 0) this.#first = seq;
    this.#count++;
    this.#bytes += size;
    this.#last = seq;
    this.#lastTs = ts;
    const entry = this.#subjects.get(subject);
    if (entry === undefined) {
      this.#subjects.set(subject, { msgs: 1, first: msg, last: msg });
    } else {
      msg.prev = entry.last;
      entry.last.next = msg;
      entry.last = msg;
      entry.msgs++;
    }
    if (msg.expiry !== 0n) this.#ttls.push(msg.expiry, msg);
    const perSubject = this.#limits.maxMsgsPerSubject ?? 0;
    const e = this.#subjects.get(subject)!;
    while (perSubject > 0 && e.msgs > perSubject) this.#remove(e.first.seq, false);
    this.#enforceLimits();
    this.#armExpiry();
  }

  #checkDiscardNew(subject: string, size: number, rollup: boolean): void {
    const l = this.#limits;
    if (l.discard !== "new") return;
    const perSubject = l.maxMsgsPerSubject ?? 0;
    const entry = this.#subjects.get(subject);
    const atSubjectLimit = perSubject > 0 && entry !== undefined && entry.msgs >= perSubject;
    if (atSubjectLimit && l.discardNewPerSubject && !rollup) {
      throw new StoreError("max_msgs_per_subject");
    }
    if ((l.maxMsgs ?? 0) > 0 && this.#count >= l.maxMsgs! && !atSubjectLimit) {
      throw new StoreError("max_msgs");
    }
    if ((l.maxBytes ?? 0) > 0 && this.#bytes + size > l.maxBytes!) {
      // At the subject limit, storing replaces the subject's oldest message: allowed when that
      // frees enough room.
      if (!atSubjectLimit || entry!.first.size < size) throw new StoreError("max_bytes");
    }
  }

  #enforceLimits(): void {
    const l = this.#limits;
    if (l.discard === "new") return;
    while ((l.maxMsgs ?? 0) > 0 && this.#count > l.maxMsgs!) this.#remove(this.#first, false);
    while ((l.maxBytes ?? 0) > 0 && this.#bytes > l.maxBytes!) this.#remove(this.#first, false);
  }

  skipMsg(seq?: number): number {
    const at = seq ?? this.#last + 1;
    this.skipMsgs(at, 1);
    return at;
  }

  skipMsgs(seq: number, count: number): void {
    this.#assertOpen();
    assertCount(seq, "sequence");
    assertCount(count, "count");
    if (seq !== this.#last + 1) throw new StoreError("seq_mismatch", `${seq}`);
    if (count === 0) return;
    this.#last = seq + count - 1;
    if (this.#lastTs === 0n) this.#lastTs = this.#clock.nowNs();
    if (this.#count === 0) this.#first = this.#last + 1;
  }

  flushed(): Promise<void> {
    return Promise.resolve();
  }

  loadMsg(seq: number): StoredMsg {
    this.#assertOpen();
    assertCount(seq, "sequence");
    if (seq > this.#last) throw new StoreError("eof");
    if (seq < this.#first) throw new StoreError("not_found");
    const msg = this.#msgs.get(seq);
    if (msg === undefined) throw new StoreError("deleted");
    return copyOut(msg);
  }

  loadLastMsg(filter: string): StoredMsg | null {
    return this.loadPrevMsg(filter, this.#last);
  }

  loadNextMsg(filter: string, start: number): StoredMsg | null {
    this.#assertOpen();
    assertCount(start, "sequence");
    const from = Math.max(start, this.#first);
    if (this.#count === 0 || from > this.#last) return null;
    const msg = this.#nextMatch(parseFilter(filter), from);
    return msg === null ? null : copyOut(msg);
  }

  loadPrevMsg(filter: string, start: number): StoredMsg | null {
    this.#assertOpen();
    assertCount(start, "sequence");
    const from = Math.min(start, this.#last);
    if (this.#count === 0 || from < this.#first) return null;
    const msg = this.#prevMatch(parseFilter(filter), from);
    return msg === null ? null : copyOut(msg);
  }

  #nextMatch(f: Filter, start: number): MemMsg | null {
    if (f.literal) {
      const e = this.#subjects.get(f.text);
      return e === undefined ? null : this.#subjectNext(e, start);
    }
    for (let s = start; s <= this.#last; s++) {
      const msg = this.#msgs.get(s);
      if (msg !== undefined && f.matches(msg.subject)) return msg;
    }
    return null;
  }

  #prevMatch(f: Filter, start: number): MemMsg | null {
    if (f.literal) {
      const e = this.#subjects.get(f.text);
      return e === undefined ? null : this.#subjectPrev(e, start);
    }
    for (let s = start; s >= this.#first; s--) {
      const msg = this.#msgs.get(s);
      if (msg !== undefined && f.matches(msg.subject)) return msg;
    }
    return null;
  }

  /** The subject's first message at or after start: a short scan, then its list. */
  #subjectNext(e: SubjectEntry, start: number): MemMsg | null {
    if (start <= e.first.seq) return e.first;
    if (start > e.last.seq) return null;
    const scanEnd = Math.min(e.last.seq, start + SHORT_SCAN_SEQS);
    for (let s = start; s <= scanEnd; s++) {
      const msg = this.#msgs.get(s);
      if (msg !== undefined && msg.subject === e.first.subject) return msg;
    }
    return splitAt(e, start).firstAtOrAfter;
  }

  #subjectPrev(e: SubjectEntry, start: number): MemMsg | null {
    if (start >= e.last.seq) return e.last;
    if (start < e.first.seq) return null;
    const next = splitAt(e, start + 1).firstAtOrAfter;
    return next === null ? e.last : next.prev;
  }

  loadNextMsgMulti(filters: readonly string[], start: number): StoredMsg | null {
    return loadNextMsgMulti(this, filters, start);
  }

  numPendingMulti(start: number, filters: readonly string[], lastPerSubject: boolean): NumPending {
    return numPendingMulti(this, start, filters, lastPerSubject);
  }

  subjectForSeq(seq: number): string {
    const msg = this.#msgs.get(seq);
    if (msg === undefined) throw new StoreError("not_found");
    return msg.subject;
  }

  getSeqFromTime(ts: bigint): number {
    if (this.#count === 0) return this.#last + 1;
    let result = this.#last + 1;
    let lo = this.#first;
    let hi = this.#last;
    while (lo <= hi) {
      const mid = lo + Math.floor((hi - lo) / 2);
      let m = mid;
      while (m <= hi && !this.#msgs.has(m)) m++;
      if (m > hi) {
        hi = mid - 1;
        continue;
      }
      if (this.#msgs.get(m)!.ts >= ts) {
        result = m;
        hi = mid - 1;
      } else {
        lo = m + 1;
      }
    }
    return result;
  }

  removeMsg(seq: number): boolean {
    this.#assertOpen();
    const removed = this.#remove(seq, false);
    if (removed) this.#armExpiry();
    return removed;
  }

  eraseMsg(seq: number): boolean {
    this.#assertOpen();
    const removed = this.#remove(seq, true);
    if (removed) this.#armExpiry();
    return removed;
  }

  #remove(seq: number, secure: boolean): boolean {
    const msg = this.#msgs.get(seq);
    if (msg === undefined) return false;
    this.#msgs.delete(seq);
    this.#count--;
    this.#bytes -= msg.size;
    const entry = this.#subjects.get(msg.subject)!;
    if (--entry.msgs === 0) {
      this.#subjects.delete(msg.subject);
    } else {
      if (msg.prev) msg.prev.next = msg.next;
      else entry.first = msg.next!;
      if (msg.next) msg.next.prev = msg.prev;
      else entry.last = msg.prev!;
    }
    msg.expiry = 0n; // the TTL heap skips it
    if (secure) {
      msg.erased = true;
      msg.hdr.fill(0);
      msg.payload.fill(0);
    }
    if (this.#count === 0) {
      this.#first = this.#last + 1;
    } else if (seq === this.#first) {
      let s = seq + 1;
      while (!this.#msgs.has(s)) s++;
      this.#first = s;
    }
    return true;
  }

  purge(): number {
    this.#assertOpen();
    const purged = this.#count;
    this.#clearAll();
    return purged;
  }

  #clearAll(): void {
    this.#msgs = new Map();
    this.#subjects = new Map();
    this.#ttls.clear();
    this.#count = 0;
    this.#bytes = 0;
    this.#first = this.#last + 1;
    this.#ageCursor = 0;
    this.#armExpiry();
  }

  compact(seq: number): number {
    this.#assertOpen();
    assertCount(seq, "sequence");
    if (seq === 0) return this.purge();
    if (this.#first > seq) return 0;
    if (seq > this.#last) {
      const purged = this.#count;
      this.#last = seq - 1;
      this.#clearAll();
      return purged;
    }
    let purged = 0;
    for (let s = this.#first; s < seq; s++) if (this.#remove(s, false)) purged++;
    this.#armExpiry();
    return purged;
  }

  purgeEx(opts: PurgeOptions): number {
    this.#assertOpen();
    const subject = opts.subject ?? "";
    const seq = opts.seq ?? 0;
    const keep = opts.keep ?? 0;
    assertCount(seq, "sequence");
    assertCount(keep, "keep");
    if (seq === 1) return 0;
    const f = parseFilter(subject);
    if (f.all) {
      if (keep === 0 && seq === 0) return this.purge();
      if (seq > 1) return this.compact(seq);
    }
    const ss = this.filteredState(1, subject);
    if (ss.msgs === 0) return 0;
    let maxPurge = 0;
    if (keep > 0) {
      if (keep >= ss.msgs) return 0;
      maxPurge = ss.msgs - keep;
    }
    const last = seq >= 1 ? seq - 1 : ss.last;
    let purged = 0;
    for (let s = ss.first; s <= last; s++) {
      const msg = this.#msgs.get(s);
      if (msg === undefined || !f.matches(msg.subject)) continue;
      this.#remove(s, false);
      if (++purged === maxPurge) break;
    }
    this.#armExpiry();
    return purged;
  }

  truncate(seq: number): void {
    this.#assertOpen();
    assertCount(seq, "sequence");
    const at = this.#msgs.get(seq);
    const lastTs = at !== undefined ? at.ts : this.#lastTs;
    for (let s = this.#last; s > seq; s--) this.#remove(s, false);
    this.#last = seq;
    this.#lastTs = lastTs;
    this.#ageCursor = 0;
    if (this.#count === 0) this.#first = seq + 1;
    this.#armExpiry();
  }

  updateLimits(limits: StoreLimits): void {
    this.#assertOpen();
    this.#limits = { ...limits };
    const perSubject = limits.maxMsgsPerSubject ?? 0;
    if (perSubject > 0) {
      for (const entry of [...this.#subjects.values()]) {
        while (entry.msgs > perSubject) this.#remove(entry.first.seq, false);
      }
    }
    this.#enforceLimits();
    this.#armExpiry();
  }

  fastState(): FastState {
    const first = this.#count > 0 ? this.#msgs.get(this.#first)! : null;
    return {
      msgs: this.#count,
      bytes: this.#bytes,
      firstSeq: this.#first,
      firstTs: first ? first.ts : 0n,
      lastSeq: this.#last,
      lastTs: this.#lastTs,
      numSubjects: this.#subjects.size,
      numDeleted: this.#count > 0 ? this.#last - this.#first + 1 - this.#count : 0,
    };
  }

  state(): StreamState {
    const deleted: number[] = [];
    if (this.#count > 0) {
      for (let s = this.#first; s <= this.#last; s++) if (!this.#msgs.has(s)) deleted.push(s);
    }
    return { ...this.fastState(), deleted };
  }

  filteredState(start: number, filter: string): SimpleState {
    assertCount(start, "sequence");
    const from = Math.max(start, this.#first);
    const out: SimpleState = { msgs: 0, first: 0, last: 0 };
    if (this.#count === 0 || from > this.#last) return out;
    const f = parseFilter(filter);
    const add = (e: SubjectEntry): void => {
      const { count, firstAtOrAfter } = splitAt(e, from);
      if (count === 0) return;
      out.msgs += count;
      if (out.first === 0 || firstAtOrAfter!.seq < out.first) out.first = firstAtOrAfter!.seq;
      out.last = Math.max(out.last, e.last.seq);
    };
    if (f.literal) {
      const e = this.#subjects.get(f.text);
      if (e !== undefined) add(e);
      return out;
    }
    const matching: SubjectEntry[] = [];
    for (const [subject, e] of this.#subjects) if (f.matches(subject)) matching.push(e);
    // Fewer sequences than matching subjects: scanning the range is cheaper.
    if (matching.length > this.#last - from + 1) return this.#scanState(f, from);
    for (const e of matching) add(e);
    return out;
  }

  #scanState(f: Filter, from: number): SimpleState {
    const out: SimpleState = { msgs: 0, first: 0, last: 0 };
    for (let s = from; s <= this.#last; s++) {
      const msg = this.#msgs.get(s);
      if (msg === undefined || !f.matches(msg.subject)) continue;
      out.msgs++;
      if (out.first === 0) out.first = s;
      out.last = s;
    }
    return out;
  }

  subjectsState(filter: string): Map<string, SimpleState> {
    const f = parseFilter(filter);
    const out = new Map<string, SimpleState>();
    for (const [subject, e] of this.#subjects) {
      if (!f.matches(subject)) continue;
      out.set(subject, { msgs: e.msgs, first: e.first.seq, last: e.last.seq });
    }
    return out;
  }

  subjectsTotals(filter: string): Map<string, number> {
    const out = new Map<string, number>();
    for (const [subject, ss] of this.subjectsState(filter)) out.set(subject, ss.msgs);
    return out;
  }

  numPending(start: number, filter: string, lastPerSubject: boolean): NumPending {
    if (!lastPerSubject) {
      return { total: this.filteredState(start, filter).msgs, validThrough: this.#last };
    }
    const from = Math.max(start, this.#first);
    const f = parseFilter(filter);
    let total = 0;
    for (const [subject, e] of this.#subjects) {
      if (e.last.seq >= from && f.matches(subject)) total++;
    }
    return { total, validThrough: this.#last };
  }

  allLastSeqs(): number[] {
    return [...this.#subjects.values()].map((e) => e.last.seq).sort((a, b) => a - b);
  }

  snapshot(): SnapshotSource {
    const msgs = [...this.#msgs.values()];
    const state = this.fastState();
    let index = 0;
    return {
      state,
      next(maxBytes: number): StoredMsg[] | null {
        const out: StoredMsg[] = [];
        let bytes = 0;
        while (index < msgs.length && (out.length === 0 || bytes < maxBytes)) {
          const msg = msgs[index++];
          if (msg.erased) continue;
          out.push(copyOut(msg));
          bytes += msg.size;
        }
        return out.length === 0 ? null : out;
      },
      close(): void {
        index = msgs.length;
      },
    };
  }

  stop(): Promise<void> {
    this.#closed = true;
    if (this.#timer !== null) this.#clock.clearTimer(this.#timer);
    this.#timer = null;
    // A stopped store is never read again: free the messages now, even if something still
    // holds the store object.
    this.#msgs = new Map();
    this.#subjects = new Map();
    this.#ttls = new MinHeap<MemMsg>();
    return Promise.resolve();
  }

  // Expiry: max_age from the front of the stream (messages are in time order), per-message
  // TTLs from a heap ordered by expiry time; one timer for whichever comes first.
  #expire(now: bigint): void {
    const maxAge = this.#limits.maxAgeNs ?? 0n;
    if (maxAge > 0n && this.#count > 0) {
      const cutoff = now - maxAge;
      let s = Math.max(this.#first, this.#ageCursor);
      for (; s <= this.#last; s++) {
        const msg = this.#msgs.get(s);
        if (msg === undefined) continue;
        if (msg.ts > cutoff) break;
        if (msg.ttl !== TTL_NEVER) this.#remove(s, false);
      }
      this.#ageCursor = s;
    }
    while (this.#ttls.size > 0 && this.#ttls.peekKey()! <= now) {
      const msg = this.#ttls.pop()!;
      if (msg.expiry !== 0n) this.#remove(msg.seq, false);
    }
  }

  #nextExpiry(): bigint {
    let next = 0n;
    while (this.#ttls.size > 0 && this.#ttls.peekValue()!.expiry === 0n) this.#ttls.pop();
    if (this.#ttls.size > 0) next = this.#ttls.peekKey()!;
    const maxAge = this.#limits.maxAgeNs ?? 0n;
    if (maxAge > 0n && this.#count > 0) {
      let s = Math.max(this.#first, this.#ageCursor);
      for (; s <= this.#last; s++) {
        const msg = this.#msgs.get(s);
        if (msg === undefined || msg.ttl === TTL_NEVER) continue;
        const at = msg.ts + maxAge;
        if (next === 0n || at < next) next = at;
        break;
      }
      this.#ageCursor = s; // live messages below s never expire by age
    }
    return next;
  }

  #armExpiry(): void {
    if (this.#closed) return;
    const next = this.#nextExpiry();
    if (next === this.#timerAt && (next === 0n || this.#timer !== null)) return;
    if (this.#timer !== null) this.#clock.clearTimer(this.#timer);
    this.#timer = null;
    this.#timerAt = next;
    if (next === 0n) return;
    this.#timer = this.#clock.setTimer(next, () => {
      this.#timer = null;
      this.#timerAt = 0n;
      this.#expire(this.#clock.nowNs());
      this.#armExpiry();
    });
  }

  #assertOpen(): void {
    if (this.#closed) throw new StoreError("store_closed");
  }
}

function copyOut(msg: MemMsg): StoredMsg {
  return {
    subject: msg.subject,
    hdr: msg.hdr.slice(),
    payload: msg.payload.slice(),
    seq: msg.seq,
    ts: msg.ts,
    ttl: msg.ttl,
  };
}

/**
 * How many of a subject's messages are at or after start, and the first of them, walking the
 * subject's list from both ends at once so the cost is the shorter side.
 */
function splitAt(e: SubjectEntry, start: number): { count: number; firstAtOrAfter: MemMsg | null } {
  if (start <= e.first.seq) return { count: e.msgs, firstAtOrAfter: e.first };
  if (start > e.last.seq) return { count: 0, firstAtOrAfter: null };
  let fwd: MemMsg = e.first;
  let back: MemMsg = e.last;
  let before = 0;
  let after = 0;
  let firstAfter: MemMsg = e.last;
  for (;;) {
    if (fwd.seq >= start) return { count: e.msgs - before, firstAtOrAfter: fwd };
    before++;
    fwd = fwd.next!;
    if (back.seq < start) return { count: after, firstAtOrAfter: firstAfter };
    after++;
    firstAfter = back;
    back = back.prev!;
  }
}
