/**
 * The message frame that crosses the N-API boundary (many per call) and makes up snapshot
 * batches. Layout (native/src/filestore/msg_frame.h is the C++ side):
 *
 *   0 u32 subject_len  4 u32 hdr_len  8 u32 payload_len  12 u32 flags
 *   16 u64 seq  24 i64 ts (unix ns)  32 i64 ttl (seconds)  40 subject, headers, payload
 * @module
 */
import type { StoredMsg } from "./store.ts";

export const FRAME_HEADER_BYTES = 40;
export const FRAME_FLAG_TTL = 1;
/** A rollup: exempt from the discard-new per-subject check. */
export const FRAME_FLAG_PER_SUBJECT_EXEMPT = 2;

const TWO_32 = 2 ** 32;
const encoder = new TextEncoder();
const decoder = new TextDecoder();
const EMPTY = new Uint8Array(0);
/** Longer subjects go through TextDecoder. */
const SUBJECT_ASCII_FAST_BYTES_MAX = 256;
type Slice = (this: Uint8Array, start: number, end: number) => string;
const latin1Slice = Buffer.prototype.latin1Slice as Slice;
const INITIAL_CAPACITY_BYTES = 64 * 1024;

/** Accumulates frames in one growing buffer; `bytes()` is valid until the next `add`/`reset`. */
export class FrameWriter {
  #buf = new Uint8Array(INITIAL_CAPACITY_BYTES);
  #view = new DataView(this.#buf.buffer);
  #length = 0;
  #count = 0;

  get count(): number {
    return this.#count;
  }

  add(
    subject: string,
    hdr: Uint8Array,
    payload: Uint8Array,
    seq: number,
    ts: bigint,
    ttl: number,
    flags = 0,
  ): void {
    this.#reserve(FRAME_HEADER_BYTES + subject.length * 3 + hdr.length + payload.length);
    const at = this.#length;
    const body = at + FRAME_HEADER_BYTES;
    const subjectBytes = encoder.encodeInto(subject, this.#buf.subarray(body)).written;
    const v = this.#view;
    v.setUint32(at, subjectBytes, true);
    v.setUint32(at + 4, hdr.length, true);
    v.setUint32(at + 8, payload.length, true);
    v.setUint32(at + 12, flags | (ttl !== 0 ? FRAME_FLAG_TTL : 0), true);
    v.setUint32(at + 16, seq % TWO_32, true);
    v.setUint32(at + 20, Math.floor(seq / TWO_32), true);
    v.setBigInt64(at + 24, ts, true);
    if (ttl === 0) {
      v.setUint32(at + 32, 0, true);
      v.setUint32(at + 36, 0, true);
    } else {
      v.setBigInt64(at + 32, BigInt(ttl), true);
    }
    this.#buf.set(hdr, body + subjectBytes);
    this.#buf.set(payload, body + subjectBytes + hdr.length);
    this.#length = body + subjectBytes + hdr.length + payload.length;
    this.#count++;
  }

  bytes(): Uint8Array {
    return this.#buf.subarray(0, this.#length);
  }

  reset(): void {
    this.#length = 0;
    this.#count = 0;
  }

  #reserve(extra: number): void {
    if (this.#length + extra <= this.#buf.length) return;
    let capacity = this.#buf.length * 2;
    while (capacity < this.#length + extra) capacity *= 2;
    const next = new Uint8Array(capacity);
    next.set(this.#buf.subarray(0, this.#length));
    this.#buf = next;
    this.#view = new DataView(next.buffer);
  }
}

/**
 * Decodes the frame at offset; returns the message and the offset after it. With `owned` (a
 * buffer made for this one call, as the native loads return) the headers and payload are views
 * into it instead of copies.
 */
export function decodeFrame(buf: Uint8Array, offset: number, owned = false):
  { msg: StoredMsg; next: number } {
  const v = new DataView(buf.buffer, buf.byteOffset + offset, FRAME_HEADER_BYTES);
  const subjectLen = v.getUint32(0, true);
  const hdrLen = v.getUint32(4, true);
  const payloadLen = v.getUint32(8, true);
  const flags = v.getUint32(12, true);
  const seq = v.getUint32(20, true) * TWO_32 + v.getUint32(16, true);
  const ts = v.getBigInt64(24, true);
  const ttl = flags & FRAME_FLAG_TTL ? Number(v.getBigInt64(32, true)) : 0;
  const body = offset + FRAME_HEADER_BYTES;
  const end = body + subjectLen + hdrLen + payloadLen;
  if (end > buf.length) throw new RangeError(`Truncated message frame at offset "${offset}"`);
  const subject = decodeSubject(buf, body, subjectLen);
  const hdrStart = body + subjectLen;
  // Copies unless owned: the caller owns what it loads, whatever buffer it came from.
  const cut = owned ? buf.subarray : buf.slice;
  const hdr = hdrLen === 0 ? EMPTY : cut.call(buf, hdrStart, hdrStart + hdrLen);
  const payload = cut.call(buf, hdrStart + hdrLen, end);
  return { msg: { subject, hdr, payload, seq, ts, ttl }, next: end };
}

// Subjects are almost always short ASCII: a latin1 slice builds them without TextDecoder's cost.
function decodeSubject(buf: Uint8Array, start: number, length: number): string {
  const end = start + length;
  if (length > SUBJECT_ASCII_FAST_BYTES_MAX) return decoder.decode(buf.subarray(start, end));
  for (let i = start; i < end; i++) {
    if (buf[i] >= 0x80) return decoder.decode(buf.subarray(start, end));
  }
  return latin1Slice.call(buf, start, end);
}

/** Decodes every frame of a buffer. */
export function decodeFrames(buf: Uint8Array): StoredMsg[] {
  const out: StoredMsg[] = [];
  for (let offset = 0; offset < buf.length;) {
    const { msg, next } = decodeFrame(buf, offset);
    out.push(msg);
    offset = next;
  }
  return out;
}
