/**
 * The sending side of STREAM.SNAPSHOT, as nats-server's streamSnapshot runs it: the archive is cut
 * into chunks of exactly chunk_size bytes, each published to deliver_subject with the reply
 * `$JS.SNAPSHOT.ACK.<stream>.<id>.<chunk bytes>.<index>`; at most window_size / chunk_size chunks
 * are unacknowledged (any message on the ack subjects frees one). A short last chunk goes without
 * a reply. The transfer ends with an empty message: status `204` once a chunk was sent,
 * `408 No Interest` when the receiver left, `408 No Flow Response` when no ack came for the ack
 * timeout, `500 <error>` when the archive could not be read.
 * @module
 */
import { rechunk } from "./archive.ts";

/** Go's defaults and bounds (defaultSnapshotChunkSize, defaultSnapshotWindowSize, clamps). */
export const CHUNK_BYTES_DEFAULT = 128 * 1024;
export const WINDOW_BYTES_DEFAULT = 8 * 1024 * 1024;
const CHUNK_BYTES_MIN = 1024;
const CHUNK_BYTES_MAX = 1024 * 1024;
const WINDOW_BYTES_MIN = 1024;
const WINDOW_BYTES_MAX = 32 * 1024 * 1024;
/** No ack for this long after the last chunk ends the transfer (snapshotAckTimeout). */
export const ACK_TIMEOUT_MS_DEFAULT = 5_000;
/** How long a snapshot waits for the receiver's interest to show up. */
export const INTEREST_WAIT_MS = 2_000;
const INTEREST_POLL_MS = 20;

export const SNAPSHOT_ACK_PREFIX = "$JS.SNAPSHOT.ACK";

export interface SenderHost {
  publish(subject: string, reply: string, hdr: Uint8Array | null, payload: Uint8Array): void;
  /** Subscribes; returns the unsubscribe. */
  subscribe(subject: string, onMessage: () => void): () => void;
  hasInterest(subject: string): boolean;
  newId(): string;
}

export interface SendOptions {
  stream: string;
  deliverSubject: string;
  chunkSize?: number;
  windowSize?: number;
  ackTimeoutMs?: number;
}

/** Chunk size and in-flight chunks after Go's clamping. */
export function flowWindow(chunkSize = 0, windowSize = 0): { chunk: number; inflight: number } {
  const chunk = Math.min(Math.max(CHUNK_BYTES_MIN, chunkSize || CHUNK_BYTES_DEFAULT),
    CHUNK_BYTES_MAX);
  let window = Math.min(Math.max(WINDOW_BYTES_MIN, windowSize || WINDOW_BYTES_DEFAULT),
    WINDOW_BYTES_MAX);
  window = Math.max(window, chunk);
  return { chunk, inflight: Math.floor(window / chunk) };
}

const enc = new TextEncoder();
const STATUS_OK = "NATS/1.0 204\r\n\r\n";
const STATUS_NO_INTEREST = "NATS/1.0 408 No Interest\r\n\r\n";
const STATUS_NO_FLOW = "NATS/1.0 408 No Flow Response\r\n\r\n";

/** Sends the archive; resolves with the error that ended it early, or null. */
export async function sendSnapshot(
  host: SenderHost, opts: SendOptions, bytes: AsyncIterable<Uint8Array>,
): Promise<Error | null> {
  const { chunk: chunkSize, inflight } = flowWindow(opts.chunkSize, opts.windowSize);
  const ackTimeoutMs = opts.ackTimeoutMs ?? ACK_TIMEOUT_MS_DEFAULT;
  const deliver = opts.deliverSubject;
  const ackSubject = `${SNAPSHOT_ACK_PREFIX}.${opts.stream}.${host.newId()}`;
  const flow = new FlowSlots(inflight);
  const unsubscribe = host.subscribe(`${ackSubject}.>`, () => flow.release());
  let status: string | null = null;
  let failure: Error | null = null;
  const chunks = rechunk(bytes, chunkSize)[Symbol.asyncIterator]();
  try {
    await waitForInterest(host, deliver);
    for (let index = 1; ;) {
      const slot = await flow.take(ackTimeoutMs);
      if (!host.hasInterest(deliver)) {
        [failure, status] = [new Error("no interest"), STATUS_NO_INTEREST];
        break;
      }
      if (!slot) {
        [failure, status] = [new Error("no flow response"), STATUS_NO_FLOW];
        break;
      }
      let next: IteratorResult<Uint8Array>;
      try {
        next = await chunks.next();
      } catch (error) {
        const text = (error as Error).message;
        [failure, status] = [new Error(text), `NATS/1.0 500 ${text}\r\n\r\n`];
        break;
      }
      if (next.done) break;
      const chunk = next.value;
      if (chunk.length < chunkSize) {
        host.publish(deliver, "", null, chunk);
        break;
      }
      host.publish(deliver, `${ackSubject}.${chunk.length}.${index}`, null, chunk);
      status ??= STATUS_OK;
      flow.sent();
      index++;
    }
  } finally {
    unsubscribe();
    await chunks.return?.(undefined);
  }
  host.publish(deliver, "", status === null ? null : enc.encode(status), new Uint8Array(0));
  return failure;
}

async function waitForInterest(host: SenderHost, subject: string): Promise<void> {
  for (let waited = 0; !host.hasInterest(subject) && waited < INTEREST_WAIT_MS;
    waited += INTEREST_POLL_MS) {
    await new Promise((resolve) => setTimeout(resolve, INTEREST_POLL_MS));
  }
}

/** In-flight chunk slots: each send takes one, each ack frees one. */
class FlowSlots {
  #free: number;
  #wake: (() => void) | null = null;
  #lastSentMs = Date.now();

  constructor(slots: number) {
    this.#free = slots;
  }

  release(): void {
    this.#free++;
    const wake = this.#wake;
    this.#wake = null;
    wake?.();
  }

  sent(): void {
    this.#lastSentMs = Date.now();
  }

  /** True with a slot taken; false when the ack timeout since the last send passed first. */
  async take(timeoutMs: number): Promise<boolean> {
    while (this.#free === 0) {
      const left = this.#lastSentMs + timeoutMs - Date.now();
      if (left <= 0) return false;
      await new Promise<void>((resolve) => {
        const timer = setTimeout(() => {
          this.#wake = null;
          resolve();
        }, left);
        this.#wake = () => {
          clearTimeout(timer);
          resolve();
        };
      });
    }
    this.#free--;
    return true;
  }
}
