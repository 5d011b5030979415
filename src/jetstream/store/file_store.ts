/**
 * FileStore: the StreamStore backed by the native block file store (native/src/filestore,
 * format in native/docs/filestore.md). This wrapper batches appends into one native call per
 * tick, runs group commits (one flush job, one fsync, at a time, on a worker thread), and drives
 * expiry from the injected clock. Durability guarantees per `sync` setting: docs/storage.md.
 * @module
 */
import { createHmac } from "node:crypto";
import { type Clock, systemClock, type TimerId } from "./clock.ts";
import { nativeErrorCode, StoreError } from "./errors.ts";
import { decodeFrame, decodeFrames, FRAME_FLAG_PER_SUBJECT_EXEMPT, FrameWriter } from "./_frame.ts";
import { MSG_DATA_BYTES_MAX } from "./mem_store.ts";
import { loadNextMsgMulti, numPendingMulti } from "./_multi.ts";
import {
  type NativeFileStoreHandle,
  type NativeLimits,
  newNativeFileStore,
} from "./_native.ts";
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
  utf8Length,
} from "./store.ts";

export const BLOCK_SIZE_BYTES_DEFAULT = 8 * 1024 * 1024;
export const BLOCK_SIZE_BYTES_MIN = 4 * 1024;
export const BLOCK_SIZE_BYTES_MAX = 1024 * 1024 * 1024;
const KEY_BYTES = 32;
const SUBJECT_BYTES_MAX = 0xffff;
const STATE_BUFFER_BYTES = 96;
const NOT_FOUND = -1;

export interface FileStoreOptions {
  /** The stream's directory (created if missing). */
  dir: string;
  limits?: StoreLimits;
  clock?: Clock;
  /** Target block file size; default 8 MiB. */
  blockSizeBytes?: number;
  /** lz4-compress message bodies (each record on its own). */
  compression?: "none" | "lz4";
  /** Encryption at rest; needs a 32-byte key. */
  cipher?: "none" | "aes" | "chacha";
  key?: Uint8Array;
  /**
   * "always" (default): a write is durable (fsynced) when flushed() resolves. An interval: it is
   * written to the OS when flushed() resolves and fsynced within intervalMs.
   */
  sync?: "always" | { intervalMs: number };
  /** Receives reports of damaged data found in the store's files. */
  log?: (message: string) => void;
}

interface Waiter {
  gen: number;
  resolve: () => void;
  reject: (e: unknown) => void;
}

/**
 * The file-backed StreamStore.
 * @example
 * const store = await FileStore.open({ dir: "/var/lib/natsd/stream1" });
 * store.storeMsg("orders.new", null, payload);
 * await store.flushed(); // now durable: send the publish ack
 */
export class FileStore implements StreamStore {
  readonly kind = "file" as const;
  readonly #native: NativeFileStoreHandle;
  readonly #clock: Clock;
  readonly #log: (message: string) => void;
  readonly #syncIntervalNs: bigint;
  #limits: StoreLimits;
  #writer = new FrameWriter();
  #stateBuf = new ArrayBuffer(STATE_BUFFER_BYTES);
  #f64 = new Float64Array(this.#stateBuf, 0, 9);
  #i64 = new BigInt64Array(this.#stateBuf, 72, 3);
  #lastSeq = 0;
  #lastTs = 0n;
  // Group commit bookkeeping: every mutation bumps #gen; a flush job covers the gens before it.
  #gen = 0;
  #durableGen = 0;
  #flushing = false;
  #kickScheduled = false;
  #syncWanted = false;
  #waiters: Waiter[] = [];
  #idle: Array<() => void> = [];
  #failure: StoreError | null = null;
  #expiryTimer: TimerId | null = null;
  #expiryAt = 0n;
  #syncTimer: TimerId | null = null;
  #closed = false;
  #flushCount = 0;

  private constructor(native: NativeFileStoreHandle, options: FileStoreOptions) {
    this.#native = native;
    this.#clock = options.clock ?? systemClock;
    this.#log = options.log ?? ((message) => console.warn(message));
    this.#limits = { ...options.limits };
    const sync = options.sync ?? "always";
    this.#syncIntervalNs = sync === "always" ? 0n : BigInt(sync.intervalMs) * 1_000_000n;
  }

  /**
   * Opens (recovering if needed) the store in options.dir.
   * @throws StoreError bad_key (wrong or missing key), io, invalid (bad options)
   */
  static async open(options: FileStoreOptions): Promise<FileStore> {
    const blockSize = options.blockSizeBytes ?? BLOCK_SIZE_BYTES_DEFAULT;
    if (!Number.isSafeInteger(blockSize) || blockSize < BLOCK_SIZE_BYTES_MIN ||
      blockSize > BLOCK_SIZE_BYTES_MAX) {
      throw new StoreError("invalid", `block size "${blockSize}"`);
    }
    const cipher = options.cipher ?? "none";
    if (cipher !== "none" && options.key?.length !== KEY_BYTES) {
      throw new StoreError("bad_key", `encryption needs a ${KEY_BYTES}-byte key`);
    }
    const sync = options.sync ?? "always";
    if (sync !== "always" && !(sync.intervalMs > 0)) {
      throw new StoreError("invalid", `sync interval "${sync.intervalMs}"`);
    }
    const native = newNativeFileStore();
    await new Promise<void>((resolve, reject) => {
      native.open({
        dir: options.dir,
        blockSize,
        compress: options.compression === "lz4",
        cipher: cipher === "aes" ? 1 : cipher === "chacha" ? 2 : 0,
        key: options.key,
        syncAlways: sync === "always",
        limits: toNativeLimits(options.limits ?? {}),
      }, (err, code) => {
        if (err === null) return resolve();
        const kind = code === "bad_key" ? "bad_key" : code === "io" ? "io" : "corrupt";
        reject(new StoreError(kind, err));
      });
    });
    const store = new FileStore(native, options);
    store.#start();
    return store;
  }

  #start(): void {
    this.#refresh();
    this.#reportDamage();
    if (this.#native.hasPendingWork()) this.#mutated();
    if (this.#syncIntervalNs > 0n) this.#armSync();
  }

  /** Flush jobs started so far: each is one group commit (one fsync with sync "always"). */
  get flushCount(): number {
    return this.#flushCount;
  }

  /**
   * Bytes stored but not yet handed to the disk: a streams layer can slow publishers down when
   * the disk falls behind (the store itself never refuses a write for it).
   */
  get writeBacklogBytes(): number {
    if (this.#closed) return 0;
    this.#apply();
    this.#refresh();
    return this.#f64[8];
  }

  /** Go's fileStoreMsgSize: 22 + subject + payload + 8, + 4 + headers when there are any. */
  msgSize(subject: string, hdrBytes: number, payloadBytes: number): number {
    const base = 22 + utf8Length(subject) + payloadBytes + 8;
    return hdrBytes === 0 ? base : base + 4 + hdrBytes;
  }

  storeMsg(
    subject: string,
    hdr: Uint8Array | null,
    payload: Uint8Array,
    opts: StoreMsgOptions = {},
  ): StoreResult {
    this.#assertWritable();
    const h = hdr ?? EMPTY;
    this.#checkSize(subject, h, payload);
    const ts = this.#clock.nowNs();
    const seq = this.#lastSeq + 1;
    const ttl = opts.ttl ?? 0;
    if (this.#limits.discard === "new") {
      // Refusals must be known now: store this one synchronously.
      this.#apply();
      const flags = opts.rollup ? FRAME_FLAG_PER_SUBJECT_EXEMPT : 0;
      this.#writer.add(subject, h, payload, seq, ts, ttl, flags);
      this.#appendStaged(true);
    } else {
      this.#writer.add(subject, h, payload, seq, ts, ttl);
      this.#lastSeq = seq;
      this.#lastTs = ts;
    }
    this.#mutated();
    return { seq, ts };
  }

  storeRawMsg(msg: RawMsg, opts: { discardNewCheck?: boolean } = {}): void {
    this.#assertWritable();
    assertCount(msg.seq, "sequence");
    const h = msg.hdr ?? EMPTY;
    this.#checkSize(msg.subject, h, msg.payload);
    this.#apply();
    this.#writer.add(msg.subject, h, msg.payload, msg.seq, msg.ts, msg.ttl ?? 0);
    this.#appendStaged(opts.discardNewCheck ?? false);
    this.#mutated();
  }

  #checkSize(subject: string, hdr: Uint8Array, payload: Uint8Array): void {
    const data = hdr.length + payload.length;
    const max = this.#limits.maxMsgSize ?? 0;
    if (data > MSG_DATA_BYTES_MAX || (max > 0 && data > max)) throw new StoreError("msg_too_big");
    if (utf8Length(subject) > SUBJECT_BYTES_MAX) throw new StoreError("msg_too_big");
  }

  // Hands the staged frames to the native store; with `check`, throws the refusal of the one frame.
  #appendStaged(check: boolean): void {
    const code = this.#native.append(this.#writer.bytes(), check);
    this.#writer.reset();
    this.#refresh();
    if (code === 0) return;
    const error = new StoreError(nativeErrorCode(code));
    if (error.code === "io") this.#failure ??= error;
    throw error;
  }

  /** Applies staged appends, so that native reads and writes see them. */
  #apply(): void {
    if (this.#writer.count === 0) return;
    try {
      this.#appendStaged(false);
    } catch (e) {
      // Only the disk can refuse a staged message (sizes were checked when it was staged); the
      // failure surfaces through flushed() and every later write.
      this.#failure ??= e instanceof StoreError ? e : new StoreError("io", String(e));
    }
  }

  skipMsg(seq?: number): number {
    const at = seq ?? this.#lastSeq + 1;
    this.skipMsgs(at, 1);
    return at;
  }

  skipMsgs(seq: number, count: number): void {
    this.#assertWritable();
    assertCount(seq, "sequence");
    assertCount(count, "count");
    this.#apply();
    this.#check(this.#native.skip(seq, count, this.#clock.nowNs()));
    this.#refresh();
    this.#mutated();
  }

  flushed(): Promise<void> {
    if (this.#failure) return Promise.reject(this.#failure);
    this.#apply();
    const gen = this.#gen;
    if (gen <= this.#durableGen) return Promise.resolve();
    return new Promise((resolve, reject) => {
      this.#waiters.push({ gen, resolve, reject });
      this.#scheduleKick();
    });
  }

  loadMsg(seq: number): StoredMsg {
    this.#readyToRead();
    assertCount(seq, "sequence");
    return this.#msgOrThrow(this.#native.load(seq));
  }

  loadLastMsg(filter: string): StoredMsg | null {
    this.#readyToRead();
    return this.#msgOrNull(this.#native.loadLast(filter));
  }

  loadNextMsg(filter: string, start: number): StoredMsg | null {
    this.#readyToRead();
    assertCount(start, "sequence");
    return this.#msgOrNull(this.#native.loadNext(filter, start));
  }

  loadPrevMsg(filter: string, start: number): StoredMsg | null {
    this.#readyToRead();
    assertCount(start, "sequence");
    return this.#msgOrNull(this.#native.loadPrev(filter, start));
  }

  #msgOrThrow(result: Uint8Array | number): StoredMsg {
    if (typeof result === "number") {
      if (result === -10) this.#afterDamage();
      throw new StoreError(nativeErrorCode(result));
    }
    return decodeFrame(result, 0, true).msg;
  }

  #msgOrNull(result: Uint8Array | number): StoredMsg | null {
    if (typeof result !== "number") return decodeFrame(result, 0, true).msg;
    if (result === -10) this.#afterDamage();
    const code = nativeErrorCode(result);
    if (code === "eof" || code === "not_found") return null;
    throw new StoreError(code);
  }

  loadNextMsgMulti(filters: readonly string[], start: number): StoredMsg | null {
    return loadNextMsgMulti(this, filters, start);
  }

  numPendingMulti(start: number, filters: readonly string[], lastPerSubject: boolean): NumPending {
    return numPendingMulti(this, start, filters, lastPerSubject);
  }

  subjectForSeq(seq: number): string {
    this.#readyToRead();
    const r = this.#native.subjectForSeq(seq);
    if (typeof r === "number") throw new StoreError(nativeErrorCode(r));
    return r;
  }

  getSeqFromTime(ts: bigint): number {
    this.#readyToRead();
    return this.#native.getSeqFromTime(ts);
  }

  removeMsg(seq: number): boolean {
    return this.#remove(seq, false);
  }

  eraseMsg(seq: number): boolean {
    return this.#remove(seq, true);
  }

  #remove(seq: number, secure: boolean): boolean {
    this.#assertWritable();
    assertCount(seq, "sequence");
    this.#apply();
    const code = this.#native.remove(seq, secure);
    if (code === NOT_FOUND) return false;
    this.#check(code);
    this.#refresh();
    this.#mutated();
    return true;
  }

  purge(): number {
    this.#assertWritable();
    this.#apply();
    const purged = this.#native.purge();
    this.#refresh();
    this.#mutated();
    return purged;
  }

  purgeEx(opts: PurgeOptions): number {
    this.#assertWritable();
    const seq = opts.seq ?? 0;
    const keep = opts.keep ?? 0;
    assertCount(seq, "sequence");
    assertCount(keep, "keep");
    this.#apply();
    const purged = this.#native.purgeEx(opts.subject ?? "", seq, keep);
    this.#refresh();
    this.#mutated(); // even purging nothing may write (a purge of everything starts a block)
    return purged;
  }

  compact(seq: number): number {
    this.#assertWritable();
    assertCount(seq, "sequence");
    this.#apply();
    const purged = this.#native.compact(seq);
    this.#refresh();
    this.#mutated();
    return purged;
  }

  truncate(seq: number): void {
    this.#assertWritable();
    assertCount(seq, "sequence");
    this.#apply();
    this.#check(this.#native.truncate(seq));
    this.#refresh();
    this.#mutated();
  }

  updateLimits(limits: StoreLimits): void {
    this.#assertWritable();
    this.#apply();
    this.#limits = { ...limits };
    this.#native.updateLimits(toNativeLimits(limits));
    this.#refresh();
    this.#mutated();
  }

  fastState(): FastState {
    this.#readyToRead();
    this.#refresh();
    const f = this.#f64;
    return {
      msgs: f[0],
      bytes: f[1],
      firstSeq: f[2],
      firstTs: f[0] > 0 ? this.#i64[0] : 0n,
      lastSeq: f[3],
      lastTs: this.#i64[1],
      numSubjects: f[4],
      numDeleted: f[5],
    };
  }

  state(): StreamState {
    const fast = this.fastState();
    const state: StreamState = { ...fast, deleted: Array.from(this.#native.deletedSeqs()) };
    if (this.#f64[6] > 0 || this.#f64[7] > 0) {
      state.lost = { msgs: Array.from(this.#native.lostSeqs()), bytes: this.#f64[7] };
    }
    return state;
  }

  filteredState(start: number, filter: string): SimpleState {
    this.#readyToRead();
    assertCount(start, "sequence");
    const r = this.#native.filteredState(start, filter);
    return { msgs: r[0], first: r[1], last: r[2] };
  }

  subjectsState(filter: string): Map<string, SimpleState> {
    this.#readyToRead();
    return decodeSubjectsState(this.#native.subjectsState(filter));
  }

  subjectsTotals(filter: string): Map<string, number> {
    const out = new Map<string, number>();
    for (const [subject, ss] of this.subjectsState(filter)) out.set(subject, ss.msgs);
    return out;
  }

  numPending(start: number, filter: string, lastPerSubject: boolean): NumPending {
    this.#readyToRead();
    assertCount(start, "sequence");
    const total = this.#native.numPending(start, filter, lastPerSubject);
    return { total, validThrough: this.#lastSeq };
  }

  allLastSeqs(): number[] {
    this.#readyToRead();
    return Array.from(this.#native.allLastSeqs());
  }

  snapshot(): SnapshotSource {
    this.#readyToRead();
    const state = this.fastState();
    const native = this.#native;
    let id: number | null = native.snapshotOpen();
    return {
      state,
      next(maxBytes: number): StoredMsg[] | null {
        if (id === null) return null;
        const batch = native.snapshotNext(id, maxBytes);
        if (batch === null) {
          id = null;
          return null;
        }
        return decodeFrames(batch);
      },
      close(): void {
        if (id !== null) native.snapshotClose(id);
        id = null;
      },
    };
  }

  /** Writes and syncs everything pending, writes the tail index, and closes the files. */
  async stop(): Promise<void> {
    if (this.#closed) return;
    this.#apply();
    this.#closed = true;
    for (const timer of [this.#expiryTimer, this.#syncTimer]) {
      if (timer !== null) this.#clock.clearTimer(timer);
    }
    this.#expiryTimer = this.#syncTimer = null;
    await this.#drain();
    await new Promise<void>((resolve, reject) => {
      this.#native.close((err) => (err === null ? resolve() : reject(new StoreError("io", err))));
    });
    const failure = this.#failure;
    for (const w of this.#waiters.splice(0)) w.reject(failure ?? new StoreError("store_closed"));
  }

  async #drain(): Promise<void> {
    for (;;) {
      if (this.#flushing) {
        await new Promise<void>((resolve) => this.#idle.push(resolve));
        continue;
      }
      if (this.#failure || !this.#native.hasPendingWork() || !this.#kick()) return;
    }
  }

  // ---- group commit ----

  #mutated(): void {
    this.#gen++;
    this.#scheduleKick();
  }

  #scheduleKick(): void {
    if (this.#kickScheduled) return;
    this.#kickScheduled = true;
    queueMicrotask(() => {
      this.#kickScheduled = false;
      this.#kick();
    });
  }

  /** Starts a flush job when none is running and there is work; returns whether one started. */
  #kick(): boolean {
    if (this.#flushing || this.#failure) return false;
    this.#apply();
    const gen = this.#gen;
    const sync = this.#syncWanted;
    const started = this.#native.flush(sync, (err) => this.#flushDone(gen, sync, err));
    if (!started) {
      this.#syncWanted = false;
      this.#markDurable(gen);
      return false;
    }
    this.#flushing = true;
    this.#flushCount++;
    return true;
  }

  #flushDone(gen: number, synced: boolean, err: string | null): void {
    this.#flushing = false;
    if (synced) this.#syncWanted = false;
    if (err !== null) {
      this.#failure ??= new StoreError("io", err);
      for (const w of this.#waiters.splice(0)) w.reject(this.#failure);
    } else {
      this.#markDurable(gen);
      this.#reportDamage();
    }
    for (const resolve of this.#idle.splice(0)) resolve();
    if (!this.#closed && (this.#gen > gen || this.#syncWanted || this.#native.hasPendingWork())) {
      this.#kick();
    }
  }

  #markDurable(gen: number): void {
    if (gen > this.#durableGen) this.#durableGen = gen;
    if (this.#waiters.length === 0) return;
    const still: Waiter[] = [];
    for (const w of this.#waiters) {
      if (w.gen <= this.#durableGen) w.resolve();
      else still.push(w);
    }
    this.#waiters = still;
  }

  #armSync(): void {
    const at = this.#clock.nowNs() + this.#syncIntervalNs;
    this.#syncTimer = this.#clock.setTimer(at, () => {
      this.#syncTimer = null;
      if (this.#closed) return;
      this.#syncWanted = true;
      this.#kick();
      this.#armSync();
    });
  }

  // ---- state, expiry, damage ----

  #refresh(): void {
    this.#native.fastState(this.#stateBuf);
    this.#lastSeq = this.#f64[3];
    this.#lastTs = this.#i64[1];
    this.#armExpiry(this.#i64[2]);
  }

  #armExpiry(next: bigint): void {
    if (this.#closed || next === this.#expiryAt) return;
    if (this.#expiryTimer !== null) this.#clock.clearTimer(this.#expiryTimer);
    this.#expiryTimer = null;
    this.#expiryAt = next;
    if (next === 0n) return;
    this.#expiryTimer = this.#clock.setTimer(next, () => {
      this.#expiryTimer = null;
      this.#expiryAt = 0n;
      if (this.#closed || this.#failure) return;
      this.#apply();
      if (this.#native.expire(this.#clock.nowNs()) > 0) this.#mutated();
      this.#refresh();
    });
  }

  #afterDamage(): void {
    this.#reportDamage();
    this.#refresh();
  }

  #reportDamage(): void {
    for (const d of this.#native.takeDamage()) {
      this.#log(`stream store: damaged data in block ${d.block} at offset ${d.offset} ` +
        `(${d.length} bytes): ${d.reason}; it will not be served`);
    }
  }

  #check(code: number): void {
    if (code !== 0) throw new StoreError(nativeErrorCode(code));
  }

  #readyToRead(): void {
    if (this.#closed) throw new StoreError("store_closed");
    this.#apply();
  }

  #assertWritable(): void {
    if (this.#closed) throw new StoreError("store_closed");
    if (this.#failure) throw this.#failure;
  }
}

const EMPTY = new Uint8Array(0);

/**
 * The 32-byte store key for one stream from the configured `jetstream.key`: HMAC-SHA256 of the
 * stream's identity (e.g. "<account>/<stream>") under the configured key, so streams never share
 * a key and the configured string can be any length.
 * @example storeKeyFromConfig(options.jetstream.key, `${account}/${stream}`)
 */
export function storeKeyFromConfig(configKey: string, context: string): Uint8Array {
  if (configKey.length === 0) throw new TypeError("Cannot derive a store key from an empty key");
  return new Uint8Array(createHmac("sha256", configKey).update(context).digest());
}

function toNativeLimits(l: StoreLimits): NativeLimits {
  return {
    maxMsgs: l.maxMsgs ?? 0,
    maxBytes: l.maxBytes ?? 0,
    maxAgeNs: l.maxAgeNs ?? 0n,
    maxMsgsPerSubject: l.maxMsgsPerSubject ?? 0,
    maxMsgSize: l.maxMsgSize ?? 0,
    discardNew: l.discard === "new",
    discardNewPerSubject: l.discardNewPerSubject ?? false,
  };
}

// u32 count, then per subject: u16 length, the subject, u64 msgs, first, last.
function decodeSubjectsState(buf: Uint8Array): Map<string, SimpleState> {
  const view = new DataView(buf.buffer, buf.byteOffset, buf.byteLength);
  const decoder = new TextDecoder();
  const out = new Map<string, SimpleState>();
  const count = view.getUint32(0, true);
  let at = 4;
  for (let i = 0; i < count; i++) {
    const len = view.getUint16(at, true);
    const subject = decoder.decode(buf.subarray(at + 2, at + 2 + len));
    at += 2 + len;
    const u64 = (o: number) => view.getUint32(o + 4, true) * 2 ** 32 + view.getUint32(o, true);
    out.set(subject, { msgs: u64(at), first: u64(at + 8), last: u64(at + 16) });
    at += 24;
  }
  return out;
}
