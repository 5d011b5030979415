/**
 * Helpers of the mirror and source process tests: batched async publishing, waiting for a
 * stream to reach a state (bounded polling of STREAM.INFO, like nats-server's checkFor), and
 * reading a whole stream through an ordered consumer.
 * @module
 */
import type { NatsConnection } from "@nats-io/transport-node";
import {
  jetstream, type JetStreamManager, type StreamInfo,
} from "@nats-io/jetstream";

/** Publishes in flight at once. */
const WINDOW_MSGS = 2_000;
const POLL_MS = 25;
const WAIT_MS_MAX = 30_000;

/** Publishes `count` messages with async acks, WINDOW_MSGS in flight; returns how many acked. */
export async function publishMany(nc: NatsConnection, count: number,
  msg: (i: number) => { subject: string; payload: string; headers?: Record<string, string> },
  from = 0): Promise<number> {
  const js = jetstream(nc);
  let acked = 0;
  for (let start = from; start < from + count; start += WINDOW_MSGS) {
    const batch: Promise<unknown>[] = [];
    for (let i = start; i < Math.min(start + WINDOW_MSGS, from + count); i++) {
      const m = msg(i);
      let headers;
      if (m.headers !== undefined) {
        const { headers: make } = await import("@nats-io/transport-node");
        headers = make();
        for (const [k, v] of Object.entries(m.headers)) headers.set(k, v);
      }
      batch.push(js.publish(m.subject, m.payload, { headers, timeout: 20_000 })
        .then(() => acked++));
    }
    await Promise.all(batch);
  }
  return acked;
}

/** Polls STREAM.INFO until `done` holds (bounded; a condition wait, not a timing check). */
export async function waitForInfo(jsm: JetStreamManager, stream: string,
  done: (info: StreamInfo) => boolean): Promise<StreamInfo> {
  const deadline = Date.now() + WAIT_MS_MAX;
  let last: StreamInfo | null = null;
  while (Date.now() < deadline) {
    try {
      last = await jsm.streams.info(stream);
      if (done(last)) return last;
    } catch {
      // not there yet
    }
    await Bun.sleep(POLL_MS);
  }
  throw new Error(`${stream} never reached the state: ${JSON.stringify(last)}`);
}

export interface ReadMsg {
  seq: number;
  subject: string;
  payload: string;
  headers: Record<string, string>;
}

/** Every message of a stream, in order, through an ordered consumer. */
export async function readAll(nc: NatsConnection, stream: string, count: number):
  Promise<ReadMsg[]> {
  const out: ReadMsg[] = [];
  if (count === 0) return out;
  const consumer = await jetstream(nc).consumers.get(stream);
  const messages = await consumer.consume({ max_messages: 5_000 });
  for await (const m of messages) {
    const headers: Record<string, string> = {};
    for (const [k, v] of m.headers ?? []) headers[k] = v[0];
    out.push({ seq: m.seq, subject: m.subject, payload: m.string(), headers });
    if (out.length >= count) break;
  }
  await messages.close();
  return out;
}
