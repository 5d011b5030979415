/**
 * The on-disk records of a file consumer store (format in docs/consumers.md, "Consumer state
 * files"). Both files share one envelope:
 *
 *   magic (4 bytes) | payload length (u32 LE) | CRC-32 of the payload (u32 LE) | payload
 *
 * `o.dat` (magic "NCS1") holds the state as varints: delivered consumer and stream sequence,
 * ack floor consumer and stream sequence; the pending count, then per entry in stream order the
 * stream sequence as a delta from the previous one (from the ack floor), the consumer sequence,
 * and the time as a zigzag delta from the previous time (from 0); the redelivered count, then per
 * entry in stream order the delta sequence (from 0) and the count. `meta.inf` (magic "NCM1")
 * holds the ack policy, max deliver and the opaque meta record.
 *
 * A record decodes only if every length, checksum and invariant holds; anything else is damage.
 * @module
 */
import { crc32 } from "./_crc32.ts";
import type {
  ConsumerState,
  ConsumerStoreConfig,
  PendingEntry,
  StoreAckPolicy,
} from "./consumer_store.ts";
import { ConsumerStoreError } from "./errors.ts";
import { checkConsumerState } from "./_state_keeper.ts";

export const STATE_MAGIC = "NCS1";
export const META_MAGIC = "NCM1";
export const ENVELOPE_HEADER_BYTES = 12;
/** A record larger than this is damage, not state (about 30 bytes per pending entry). */
export const RECORD_PAYLOAD_BYTES_MAX = 1 << 30;
const ACK_POLICIES: readonly StoreAckPolicy[] = ["none", "all", "explicit", "flow_control"];
const TWO_POW_7 = 128;

class Writer {
  #buf = new Uint8Array(256);
  #len = 0;

  #ensure(n: number): void {
    if (this.#len + n <= this.#buf.length) return;
    const next = new Uint8Array(Math.max(this.#buf.length * 2, this.#len + n));
    next.set(this.#buf.subarray(0, this.#len));
    this.#buf = next;
  }

  uvarint(n: number): void {
    if (!Number.isSafeInteger(n) || n < 0) throw new TypeError(`Cannot encode "${n}"`);
    this.#ensure(8);
    while (n >= TWO_POW_7) {
      this.#buf[this.#len++] = (n % TWO_POW_7) | 0x80;
      n = Math.floor(n / TWO_POW_7);
    }
    this.#buf[this.#len++] = n;
  }

  zigzag(v: bigint): void {
    let u = v >= 0n ? v << 1n : ((-v) << 1n) - 1n;
    this.#ensure(10);
    while (u >= 128n) {
      this.#buf[this.#len++] = Number(u & 0x7fn) | 0x80;
      u >>= 7n;
    }
    this.#buf[this.#len++] = Number(u);
  }

  bytes(b: Uint8Array): void {
    this.uvarint(b.length);
    this.#ensure(b.length);
    this.#buf.set(b, this.#len);
    this.#len += b.length;
  }

  finish(): Uint8Array {
    return this.#buf.subarray(0, this.#len);
  }
}

class Reader {
  #pos = 0;
  constructor(readonly buf: Uint8Array) {}

  get done(): boolean {
    return this.#pos === this.buf.length;
  }

  uvarint(): number {
    let n = 0;
    let scale = 1;
    for (let i = 0; i < 8; i++) {
      if (this.#pos >= this.buf.length) throw damage("truncated number");
      const b = this.buf[this.#pos++];
      n += (b & 0x7f) * scale;
      if ((b & 0x80) === 0) {
        if (!Number.isSafeInteger(n)) throw damage("number out of range");
        return n;
      }
      scale *= TWO_POW_7;
    }
    throw damage("number too long");
  }

  zigzag(): bigint {
    let u = 0n;
    let shift = 0n;
    for (let i = 0; i < 10; i++) {
      if (this.#pos >= this.buf.length) throw damage("truncated time");
      const b = this.buf[this.#pos++];
      u |= BigInt(b & 0x7f) << shift;
      if ((b & 0x80) === 0) return (u & 1n) === 0n ? u >> 1n : -((u + 1n) >> 1n);
      shift += 7n;
    }
    throw damage("time too long");
  }

  bytes(): Uint8Array {
    const n = this.uvarint();
    if (this.#pos + n > this.buf.length) throw damage("truncated bytes");
    const out = this.buf.slice(this.#pos, this.#pos + n);
    this.#pos += n;
    return out;
  }
}

function damage(detail: string): ConsumerStoreError {
  return new ConsumerStoreError("corrupt", detail);
}

function envelope(magic: string, payload: Uint8Array): Uint8Array {
  const out = new Uint8Array(ENVELOPE_HEADER_BYTES + payload.length);
  for (let i = 0; i < 4; i++) out[i] = magic.charCodeAt(i);
  const view = new DataView(out.buffer);
  view.setUint32(4, payload.length, true);
  view.setUint32(8, crc32(payload), true);
  out.set(payload, ENVELOPE_HEADER_BYTES);
  return out;
}

function openEnvelope(magic: string, record: Uint8Array): Uint8Array {
  if (record.length < ENVELOPE_HEADER_BYTES) throw damage("record shorter than its header");
  for (let i = 0; i < 4; i++) {
    if (record[i] !== magic.charCodeAt(i)) throw damage("bad magic");
  }
  const view = new DataView(record.buffer, record.byteOffset, record.byteLength);
  const length = view.getUint32(4, true);
  if (length > RECORD_PAYLOAD_BYTES_MAX || length !== record.length - ENVELOPE_HEADER_BYTES) {
    throw damage("length does not match the record");
  }
  const payload = record.subarray(ENVELOPE_HEADER_BYTES);
  if (crc32(payload) !== view.getUint32(8, true)) throw damage("checksum mismatch");
  return payload;
}

/** Encodes a state record (o.dat). */
export function encodeState(state: Readonly<ConsumerState>): Uint8Array {
  const w = new Writer();
  w.uvarint(state.delivered.consumer);
  w.uvarint(state.delivered.stream);
  w.uvarint(state.ackFloor.consumer);
  w.uvarint(state.ackFloor.stream);
  const pending = [...state.pending].sort((a, b) => a[0] - b[0]);
  w.uvarint(pending.length);
  let prevSeq = state.ackFloor.stream;
  let prevTs = 0n;
  for (const [seq, p] of pending) {
    w.uvarint(seq - prevSeq);
    w.uvarint(p.dseq);
    w.zigzag(p.tsNs - prevTs);
    prevSeq = seq;
    prevTs = p.tsNs;
  }
  const redelivered = [...state.redelivered].sort((a, b) => a[0] - b[0]);
  w.uvarint(redelivered.length);
  prevSeq = 0;
  for (const [seq, count] of redelivered) {
    w.uvarint(seq - prevSeq);
    w.uvarint(count);
    prevSeq = seq;
  }
  return envelope(STATE_MAGIC, w.finish());
}

/** Decodes a state record; throws ConsumerStoreError corrupt on any damage. */
export function decodeState(record: Uint8Array): ConsumerState {
  const r = new Reader(openEnvelope(STATE_MAGIC, record));
  const delivered = { consumer: r.uvarint(), stream: r.uvarint() };
  const ackFloor = { consumer: r.uvarint(), stream: r.uvarint() };
  const pending = new Map<number, PendingEntry>();
  const pendingCount = r.uvarint();
  let seq = ackFloor.stream;
  let ts = 0n;
  for (let i = 0; i < pendingCount; i++) {
    const delta = r.uvarint();
    if (delta === 0) throw damage("pending sequences out of order");
    seq += delta;
    const dseq = r.uvarint();
    ts += r.zigzag();
    pending.set(seq, { dseq, tsNs: ts });
  }
  const redelivered = new Map<number, number>();
  const redeliveredCount = r.uvarint();
  seq = 0;
  for (let i = 0; i < redeliveredCount; i++) {
    const delta = r.uvarint();
    if (delta === 0) throw damage("redelivered sequences out of order");
    seq += delta;
    redelivered.set(seq, r.uvarint());
  }
  if (!r.done) throw damage("trailing bytes");
  const state = { delivered, ackFloor, pending, redelivered };
  try {
    checkConsumerState(state);
  } catch (e) {
    throw damage((e as Error).message);
  }
  return state;
}

/** Encodes a config record (meta.inf). */
export function encodeMeta(config: Readonly<ConsumerStoreConfig>): Uint8Array {
  const w = new Writer();
  w.uvarint(ACK_POLICIES.indexOf(config.ackPolicy));
  w.uvarint(config.maxDeliver > 0 ? config.maxDeliver : 0);
  w.bytes(config.meta);
  return envelope(META_MAGIC, w.finish());
}

/** Decodes a config record; throws ConsumerStoreError corrupt on any damage. */
export function decodeMeta(record: Uint8Array): ConsumerStoreConfig {
  const r = new Reader(openEnvelope(META_MAGIC, record));
  const ackPolicy = ACK_POLICIES[r.uvarint()];
  if (ackPolicy === undefined) throw damage("unknown ack policy");
  const maxDeliver = r.uvarint();
  const meta = r.bytes();
  if (!r.done) throw damage("trailing bytes");
  return { ackPolicy, maxDeliver: maxDeliver === 0 ? -1 : maxDeliver, meta };
}
