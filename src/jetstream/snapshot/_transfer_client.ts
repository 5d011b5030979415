/**
 * The client side of the snapshot and restore transfers over an in-process client, for tests (what
 * the nats CLI does over a connection): collect and ack snapshot chunks, push restore chunks one
 * acknowledged request at a time. Not part of the server.
 * @module
 */
import type { InternalClient } from "../../server/internal_client.ts";

const decoder = new TextDecoder();
const encoder = new TextEncoder();

export interface ReceivedChunk {
  data: Uint8Array;
  reply: string;
}

export interface ReceivedSnapshot {
  chunks: ReceivedChunk[];
  /** The end message's header block, or null. */
  endHeader: string | null;
  bytes: Uint8Array;
}

/** Subscribes `deliver` and acks every chunk until the empty end message. */
export function collectSnapshot(client: InternalClient, deliver: string, ack = true):
  Promise<ReceivedSnapshot> {
  const chunks: ReceivedChunk[] = [];
  return new Promise((resolve) => {
    const sub = client.subscribe(deliver, (_s, reply, hdr, data) => {
      if (data.length === 0) {
        client.unsubscribe(sub);
        resolve({ chunks, endHeader: hdr === null ? null : decoder.decode(hdr),
          bytes: concat(chunks.map((c) => c.data)) });
        return;
      }
      chunks.push({ data: data.slice(), reply });
      if (ack && reply !== "") client.publish(reply, "", null, new Uint8Array(0));
    });
  });
}

let inbox = 0;

/** Publishes one message and resolves with the first reply's body. */
export function requestRaw(client: InternalClient, subject: string, body: Uint8Array):
  Promise<Uint8Array> {
  const reply = `_INBOX.transfer.${inbox++}`;
  return new Promise((resolve) => {
    const sub = client.subscribe(reply, (_s, _r, _h, data) => {
      client.unsubscribe(sub);
      resolve(data.slice());
    });
    client.publish(subject, reply, null, body);
  });
}

/** Sends the archive in chunks (each acknowledged) and the end message; returns the answer. */
export async function pushRestore(client: InternalClient, deliver: string, bytes: Uint8Array,
  chunkSize = 1024): Promise<Record<string, unknown>> {
  for (let at = 0; at < bytes.length; at += chunkSize) {
    const ack = await requestRaw(client, deliver, bytes.subarray(at, at + chunkSize));
    if (ack.length > 0) return JSON.parse(decoder.decode(ack));
  }
  return JSON.parse(decoder.decode(await requestRaw(client, deliver, new Uint8Array(0))));
}

export function concat(parts: Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}

export const json = (value: unknown): Uint8Array => encoder.encode(JSON.stringify(value));
