/**
 * Streaming snapshots of a stream store and their restore, for either store kind (a snapshot of
 * a MemStore restores into a FileStore and back). The stream of bytes is:
 *
 *   "NATSDSNP" u32 version (1)
 *   records: u8 type, u32 length, payload, u32 CRC-32 of type + length + payload
 *     1 STATE  JSON {msgs, bytes, firstSeq, lastSeq, firstTs, lastTs} (times as decimal strings)
 *     2 MSGS   message frames (_frame.ts), in sequence order
 *     3 END    JSON {msgs}
 *
 * All integers little-endian. The snapshot is consistent: it is the store as it was when
 * writeSnapshot started, whatever happens to the store while the stream is consumed.
 * @module
 */
import { crc32 } from "./_crc32.ts";
import { StoreError } from "./errors.ts";
import { decodeFrames, FrameWriter } from "./_frame.ts";
import type { StreamStore } from "./store.ts";

const MAGIC = new TextEncoder().encode("NATSDSNP");
const VERSION = 1;
const PREAMBLE_BYTES = 12;
const RECORD_OVERHEAD_BYTES = 9;
const TYPE_STATE = 1;
const TYPE_MSGS = 2;
const TYPE_END = 3;
export const SNAPSHOT_CHUNK_BYTES_DEFAULT = 256 * 1024;
/** A record larger than this is refused on restore (a damaged length field). */
const RECORD_BYTES_MAX = 128 * 1024 * 1024;

function record(type: number, payload: Uint8Array): Uint8Array {
  const out = new Uint8Array(RECORD_OVERHEAD_BYTES + payload.length);
  const view = new DataView(out.buffer);
  out[0] = type;
  view.setUint32(1, payload.length, true);
  out.set(payload, 5);
  view.setUint32(5 + payload.length, crc32(out.subarray(0, 5 + payload.length)), true);
  return out;
}

function jsonRecord(type: number, value: unknown): Uint8Array {
  return record(type, new TextEncoder().encode(JSON.stringify(value)));
}

/**
 * The snapshot of a store as a stream of chunks (one record each).
 * @example
 * for await (const chunk of writeSnapshot(store)) socket.write(chunk);
 */
export async function* writeSnapshot(
  store: StreamStore,
  chunkBytes = SNAPSHOT_CHUNK_BYTES_DEFAULT,
): AsyncGenerator<Uint8Array> {
  const source = store.snapshot();
  try {
    const preamble = new Uint8Array(PREAMBLE_BYTES);
    preamble.set(MAGIC);
    new DataView(preamble.buffer).setUint32(8, VERSION, true);
    yield preamble;
    const s = source.state;
    yield jsonRecord(TYPE_STATE, {
      msgs: s.msgs, bytes: s.bytes, firstSeq: s.firstSeq, lastSeq: s.lastSeq,
      firstTs: s.firstTs.toString(), lastTs: s.lastTs.toString(),
    });
    let count = 0;
    const writer = new FrameWriter();
    for (let batch = source.next(chunkBytes); batch !== null; batch = source.next(chunkBytes)) {
      for (const m of batch) writer.add(m.subject, m.hdr, m.payload, m.seq, m.ts, m.ttl);
      count += batch.length;
      yield record(TYPE_MSGS, writer.bytes().slice());
      writer.reset();
    }
    yield jsonRecord(TYPE_END, { msgs: count });
  } finally {
    source.close();
  }
}

/** What a restore put into the target store. */
export interface RestoreResult {
  msgs: number;
  lastSeq: number;
}

/**
 * Restores a snapshot stream into an empty store, keeping every message's sequence, time and
 * TTL (gaps become skipped sequences).
 * @throws StoreError corrupt when the stream is damaged or incomplete
 */
export async function restoreSnapshot(
  target: StreamStore,
  chunks: AsyncIterable<Uint8Array> | Iterable<Uint8Array>,
): Promise<RestoreResult> {
  const reader = new RecordReader();
  let lastSeq = 0;
  let restored = 0;
  let state: { lastSeq: number } | null = null;
  for await (const chunk of chunks) {
    reader.push(chunk);
    for (let rec = reader.next(); rec !== null; rec = reader.next()) {
      if (rec.type === TYPE_STATE) {
        state = JSON.parse(new TextDecoder().decode(rec.payload));
      } else if (rec.type === TYPE_MSGS) {
        for (const m of decodeFrames(rec.payload)) {
          if (m.seq > target.fastState().lastSeq + 1) {
            const from = target.fastState().lastSeq + 1;
            target.skipMsgs(from, m.seq - from);
          }
          target.storeRawMsg(m);
          restored++;
          lastSeq = m.seq;
        }
      } else if (rec.type === TYPE_END) {
        const end = JSON.parse(new TextDecoder().decode(rec.payload)) as { msgs: number };
        if (state === null || end.msgs !== restored) {
          throw new StoreError("corrupt", "snapshot message count does not match");
        }
        const last = target.fastState().lastSeq;
        if (state.lastSeq > last) target.skipMsgs(last + 1, state.lastSeq - last);
        await target.flushed();
        return { msgs: restored, lastSeq: Math.max(lastSeq, state.lastSeq) };
      } else {
        throw new StoreError("corrupt", `unknown snapshot record type "${rec.type}"`);
      }
    }
  }
  throw new StoreError("corrupt", "snapshot stream ended early");
}

/** Splits a byte stream into verified records, across chunk boundaries. */
class RecordReader {
  #buf = new Uint8Array(0);
  #preamble = false;

  push(chunk: Uint8Array): void {
    const next = new Uint8Array(this.#buf.length + chunk.length);
    next.set(this.#buf);
    next.set(chunk, this.#buf.length);
    this.#buf = next;
  }

  next(): { type: number; payload: Uint8Array } | null {
    if (!this.#preamble) {
      if (this.#buf.length < PREAMBLE_BYTES) return null;
      const view = new DataView(this.#buf.buffer, this.#buf.byteOffset);
      if (!MAGIC.every((b, i) => this.#buf[i] === b) || view.getUint32(8, true) !== VERSION) {
        throw new StoreError("corrupt", "not a natsd snapshot");
      }
      this.#buf = this.#buf.subarray(PREAMBLE_BYTES);
      this.#preamble = true;
    }
    if (this.#buf.length < 5) return null;
    const view = new DataView(this.#buf.buffer, this.#buf.byteOffset);
    const length = view.getUint32(1, true);
    if (length > RECORD_BYTES_MAX) throw new StoreError("corrupt", "snapshot record too large");
    if (this.#buf.length < RECORD_OVERHEAD_BYTES + length) return null;
    const crc = view.getUint32(5 + length, true);
    if (crc32(this.#buf.subarray(0, 5 + length)) !== crc) {
      throw new StoreError("corrupt", "snapshot record checksum mismatch");
    }
    const out = { type: this.#buf[0], payload: this.#buf.slice(5, 5 + length) };
    this.#buf = this.#buf.subarray(RECORD_OVERHEAD_BYTES + length);
    return out;
  }
}
