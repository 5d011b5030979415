/**
 * The stream store contract: what JetStream's streams layer needs from message storage, shaped
 * after nats-server's StreamStore (server/store.go) but in TypeScript terms. Two implementations
 * follow it: MemStore (mem_store.ts) and FileStore (file_store.ts, the native block store), and one
 * suite (store_cases.ts) checks both.
 *
 * Units, everywhere in this module:
 * - sequences, counts and byte sizes are `number` (asserted safe integers);
 * - times are `bigint` unix nanoseconds (`ts`, `firstTs`, `lastTs`), because a nanosecond time
 *   does not fit a double exactly; durations are `bigint` nanoseconds (`maxAgeNs`);
 * - the per-message TTL is a `number` of seconds as nats-server takes it from the `Nats-TTL`
 *   header: > 0 expires that many seconds after the message's time, -1 (TTL_NEVER) means the
 *   message never expires, not even by `max_age`, 0 means no TTL;
 * - headers and payloads are Uint8Array, never strings; a message without headers has an empty
 *   `hdr`.
 * @module
 */

/** A per-message TTL meaning "never expires, not even by max_age". */
export const TTL_NEVER = -1;

/** What a message was stored as. */
export interface StoreResult {
  seq: number;
  /** Unix nanoseconds. */
  ts: bigint;
}

/** A stored message as loaded. The arrays belong to the caller. */
export interface StoredMsg {
  subject: string;
  hdr: Uint8Array;
  payload: Uint8Array;
  seq: number;
  ts: bigint;
  /** Seconds; 0: none, TTL_NEVER: never expires. */
  ttl: number;
}

/** A message with its sequence and time already decided (mirrors, raft, restore). */
export interface RawMsg {
  subject: string;
  hdr?: Uint8Array | null;
  payload: Uint8Array;
  seq: number;
  ts: bigint;
  ttl?: number;
}

export interface StoreMsgOptions {
  /** Seconds; see TTL_NEVER. */
  ttl?: number;
  /** A rollup message: exempt from the discard-new per-subject check (Go: Nats-Rollup). */
  rollup?: boolean;
}

/** Retention limits, as in a stream configuration; 0 means unlimited. */
export interface StoreLimits {
  maxMsgs?: number;
  maxBytes?: number;
  maxAgeNs?: bigint;
  maxMsgsPerSubject?: number;
  /** Largest headers + payload of one message (stream max_msg_size). */
  maxMsgSize?: number;
  /** "old" (default) drops the oldest messages at a limit, "new" refuses new ones. */
  discard?: "old" | "new";
  /** With discard "new", also refuse a message when its subject is at maxMsgsPerSubject. */
  discardNewPerSubject?: boolean;
}

/** Messages, first and last sequence of a filtered part of the stream. */
export interface SimpleState {
  msgs: number;
  first: number;
  last: number;
}

/** Messages and bytes that were found damaged and will never be served. */
export interface LostStreamData {
  msgs: number[];
  bytes: number;
}

/** The cheap part of the stream state (Go's FastState). */
export interface FastState {
  msgs: number;
  bytes: number;
  firstSeq: number;
  /** 0n when the store is empty. */
  firstTs: bigint;
  lastSeq: number;
  lastTs: bigint;
  numSubjects: number;
  /** Sequences between first and last that hold no message. */
  numDeleted: number;
}

/** The full stream state (Go's StreamState). */
export interface StreamState extends FastState {
  /** The interior deleted sequences, ascending. */
  deleted: number[];
  lost?: LostStreamData;
}

export interface NumPending {
  total: number;
  /** The last sequence the count covers. */
  validThrough: number;
}

export interface PurgeOptions {
  /** Only messages matching this filter (wildcards allowed); all when absent or ">". */
  subject?: string;
  /** Only messages below this sequence. */
  seq?: number;
  /** Keep this many of the newest matching messages. */
  keep?: number;
}

/**
 * A consistent view of the live messages at the moment it was taken: later stores, removals and
 * compactions do not change what it returns (an erased message may be skipped).
 */
export interface SnapshotSource {
  readonly state: FastState;
  /** The next messages, about maxBytes of them (at least one), or null when done. */
  next(maxBytes: number): StoredMsg[] | null;
  close(): void;
}

/** A stream's message store. */
export interface StreamStore {
  readonly kind: "memory" | "file";

  /** The bytes this store accounts for a message (Go's formula for the store type). */
  msgSize(subject: string, hdrBytes: number, payloadBytes: number): number;

  /**
   * Stores a message at the next sequence. The sequence and time are decided at once; with a
   * file store the message is durable when flushed() resolves.
   * @throws StoreError max_msgs, max_bytes, max_msgs_per_subject (discard "new"), msg_too_big,
   *   store_closed, io
   */
  storeMsg(
    subject: string,
    hdr: Uint8Array | null,
    payload: Uint8Array,
    opts?: StoreMsgOptions,
  ): StoreResult;
  /**
   * Stores a message whose sequence must be the next one.
   * @throws StoreError seq_mismatch, and the errors of storeMsg when discardNewCheck is set
   */
  storeRawMsg(msg: RawMsg, opts?: { discardNewCheck?: boolean }): void;
  /** Uses up the next sequence without a message; seq, when given, must be the next one. */
  skipMsg(seq?: number): number;
  /** Uses up `count` sequences from seq, which must be the next one. */
  skipMsgs(seq: number, count: number): void;
  /** Resolves when every write made so far is durable (as the sync setting defines it). */
  flushed(): Promise<void>;

  /** @throws StoreError not_found (below first), deleted, eof (above last), corrupt */
  loadMsg(seq: number): StoredMsg;
  /** The last message matching the filter, or null. */
  loadLastMsg(filter: string): StoredMsg | null;
  /** The first message at or after start matching the filter, or null. */
  loadNextMsg(filter: string, start: number): StoredMsg | null;
  /** The last message at or before start matching the filter, or null. */
  loadPrevMsg(filter: string, start: number): StoredMsg | null;
  /** The first message at or after start matching any of the filters, or null. */
  loadNextMsgMulti(filters: readonly string[], start: number): StoredMsg | null;
  /** @throws StoreError not_found */
  subjectForSeq(seq: number): string;
  /** The first sequence whose message time is at or after ts (last + 1 when none). */
  getSeqFromTime(ts: bigint): number;

  /** Removes a message; false when there was none at seq. */
  removeMsg(seq: number): boolean;
  /** Removes a message and overwrites its bytes; false when there was none at seq. */
  eraseMsg(seq: number): boolean;
  /** Removes every message; returns how many. */
  purge(): number;
  /** Removes messages by subject, below a sequence, or all but the newest `keep`. */
  purgeEx(opts: PurgeOptions): number;
  /** Removes every message below seq; returns how many. */
  compact(seq: number): number;
  /** Removes every message above seq; the last sequence becomes seq. */
  truncate(seq: number): void;
  /** Applies new limits now (removing what they no longer allow). */
  updateLimits(limits: StoreLimits): void;

  state(): StreamState;
  fastState(): FastState;
  filteredState(start: number, filter: string): SimpleState;
  subjectsState(filter: string): Map<string, SimpleState>;
  subjectsTotals(filter: string): Map<string, number>;
  /**
   * Messages at or after start matching the filter; with lastPerSubject, the number of matching
   * subjects whose last message is at or after start.
   */
  numPending(start: number, filter: string, lastPerSubject: boolean): NumPending;
  /** numPending over the union of several filters; each message counts once. */
  numPendingMulti(start: number, filters: readonly string[], lastPerSubject: boolean): NumPending;
  /** The last sequence of every subject, ascending. */
  allLastSeqs(): number[];

  /** Opens a consistent snapshot of the live messages (see snapshot.ts for the stream). */
  snapshot(): SnapshotSource;
  /** Writes what is pending and releases the store; later calls throw store_closed. */
  stop(): Promise<void>;
}

/** Throws a TypeError unless n is a non-negative safe integer (a sequence, count or size). */
export function assertCount(n: number, what: string): void {
  if (!Number.isSafeInteger(n) || n < 0) {
    throw new TypeError(`Invalid ${what} "${n}": expected a non-negative safe integer`);
  }
}

/** UTF-8 length of a string without encoding it. */
export function utf8Length(s: string): number {
  let n = s.length;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c < 0x80) continue;
    if (c < 0x800) n += 1;
    else if (c >= 0xd800 && c <= 0xdbff) i++, n += 2;
    else n += 2;
  }
  return n;
}
