/**
 * natsd's stream archive: what STREAM.SNAPSHOT sends and STREAM.RESTORE takes. nats-server sends
 * an s2-compressed tar of its stream directory; natsd's stores differ on disk, so the archive is
 * its own (the transfer protocol around it is Go's). The byte stream is:
 *
 *   "NATSDARC" u32 version (1)
 *   records: u8 type, u32 length, payload, u32 CRC-32 of type + length + payload
 *     1 META      the stream's meta.inf JSON (configuration and creation time)
 *     2 STORE     a piece of the store snapshot stream (store/snapshot.ts), in order
 *     3 CONSUMER  u32 meta length, the consumer's meta JSON, its encoded state
 *     4 END       JSON {"store": <STORE records>, "consumers": <CONSUMER records>}
 *
 * Integers are little-endian. A reader refuses a bad magic, version or checksum, and reports an
 * archive that stops before END as "unexpected EOF" (Go's text for a truncated tar).
 * @module
 */
import { crc32 } from "../store/_crc32.ts";

const MAGIC = new TextEncoder().encode("NATSDARC");
const VERSION = 1;
export const PREAMBLE_BYTES = 12;
const HEAD_BYTES = 5;
const RECORD_OVERHEAD_BYTES = 9;
/** A record longer than this is a damaged length field. */
const RECORD_BYTES_MAX = 64 * 1024 * 1024;

export const RecordType = { meta: 1, store: 2, consumer: 3, end: 4 } as const;
export type RecordType = (typeof RecordType)[keyof typeof RecordType];

export interface ArchiveRecord {
  type: RecordType;
  payload: Uint8Array;
}

/** A damaged or incomplete archive; `message` is the restore error text. */
export class ArchiveError extends Error {
  override readonly name = "ArchiveError";
}

export function preamble(): Uint8Array {
  const out = new Uint8Array(PREAMBLE_BYTES);
  out.set(MAGIC);
  new DataView(out.buffer).setUint32(8, VERSION, true);
  return out;
}

export function encodeRecord(type: RecordType, payload: Uint8Array): Uint8Array {
  const out = new Uint8Array(RECORD_OVERHEAD_BYTES + payload.length);
  const view = new DataView(out.buffer);
  out[0] = type;
  view.setUint32(1, payload.length, true);
  out.set(payload, HEAD_BYTES);
  const end = HEAD_BYTES + payload.length;
  view.setUint32(end, crc32(out.subarray(0, end)), true);
  return out;
}

/** A consumer record's payload: its meta JSON and encoded state. */
export function consumerPayload(meta: Uint8Array, state: Uint8Array): Uint8Array {
  const out = new Uint8Array(4 + meta.length + state.length);
  new DataView(out.buffer).setUint32(0, meta.length, true);
  out.set(meta, 4);
  out.set(state, 4 + meta.length);
  return out;
}

export function splitConsumerPayload(payload: Uint8Array): { meta: Uint8Array; state: Uint8Array } {
  if (payload.length < 4) throw new ArchiveError("corrupt snapshot archive: short consumer");
  const metaLen = new DataView(payload.buffer, payload.byteOffset).getUint32(0, true);
  if (4 + metaLen > payload.length) {
    throw new ArchiveError("corrupt snapshot archive: consumer meta length");
  }
  return { meta: payload.subarray(4, 4 + metaLen), state: payload.subarray(4 + metaLen) };
}

/** Splits pushed bytes into verified records, across chunk boundaries. */
export class ArchiveReader {
  #parts: Uint8Array[] = [];
  #buffered = 0;
  #preamble = false;

  push(chunk: Uint8Array): void {
    if (chunk.length === 0) return;
    this.#parts.push(chunk);
    this.#buffered += chunk.length;
  }

  /** The next whole record, or null until more bytes arrive. @throws ArchiveError */
  next(): ArchiveRecord | null {
    if (!this.#preamble) {
      if (this.#buffered < PREAMBLE_BYTES) return null;
      const head = this.#take(PREAMBLE_BYTES);
      const version = new DataView(head.buffer, head.byteOffset).getUint32(8, true);
      if (!MAGIC.every((b, i) => head[i] === b) || version !== VERSION) {
        throw new ArchiveError("corrupt snapshot archive: not a natsd stream archive");
      }
      this.#preamble = true;
    }
    if (this.#buffered < HEAD_BYTES) return null;
    const head = this.#peek(HEAD_BYTES);
    const length = new DataView(head.buffer, head.byteOffset).getUint32(1, true);
    if (length > RECORD_BYTES_MAX) {
      throw new ArchiveError("corrupt snapshot archive: record too large");
    }
    if (this.#buffered < RECORD_OVERHEAD_BYTES + length) return null;
    const rec = this.#take(RECORD_OVERHEAD_BYTES + length);
    const end = HEAD_BYTES + length;
    const crc = new DataView(rec.buffer, rec.byteOffset).getUint32(end, true);
    if (crc32(rec.subarray(0, end)) !== crc) {
      throw new ArchiveError("corrupt snapshot archive: checksum mismatch");
    }
    const type = rec[0];
    if (type < RecordType.meta || type > RecordType.end) {
      throw new ArchiveError(`corrupt snapshot archive: record type ${type}`);
    }
    return { type: type as RecordType, payload: rec.subarray(HEAD_BYTES, end) };
  }

  /** Bytes pushed and not yet returned in a record. */
  get buffered(): number {
    return this.#buffered;
  }

  #peek(n: number): Uint8Array {
    this.#join();
    return this.#parts[0].subarray(0, n);
  }

  #take(n: number): Uint8Array {
    this.#join();
    const all = this.#parts[0];
    const out = all.subarray(0, n);
    const rest = all.subarray(n);
    this.#parts = rest.length > 0 ? [rest] : [];
    this.#buffered -= n;
    return out;
  }

  #join(): void {
    if (this.#parts.length <= 1) return;
    const joined = new Uint8Array(this.#buffered);
    let at = 0;
    for (const p of this.#parts) {
      joined.set(p, at);
      at += p.length;
    }
    this.#parts = [joined];
  }
}

/** Cuts a stream of byte pieces into chunks of exactly `size` bytes (the last may be short). */
export async function* rechunk(
  pieces: AsyncIterable<Uint8Array>, size: number,
): AsyncGenerator<Uint8Array> {
  let buf = new Uint8Array(size);
  let fill = 0;
  for await (const piece of pieces) {
    let at = 0;
    while (at < piece.length) {
      const n = Math.min(size - fill, piece.length - at);
      buf.set(piece.subarray(at, at + n), fill);
      fill += n;
      at += n;
      if (fill === size) {
        yield buf;
        buf = new Uint8Array(size);
        fill = 0;
      }
    }
  }
  if (fill > 0) yield buf.subarray(0, fill);
}
