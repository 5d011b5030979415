/**
 * STREAM.SNAPSHOT / STREAM.RESTORE over the raw protocol against a server process, as the nats
 * CLI drives them: collect chunks from deliver_subject acking each reply, then delete the stream,
 * restore it chunk by chunk, and check messages and the durable consumer came back. Runs against
 * natsd, or Go nats-server with NATS_SERVER=nats-server (the archive bytes differ: Go sends an s2
 * tar, natsd its own format; the protocol around them is the same).
 */
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { connect, createInbox, type Msg, type NatsConnection } from "@nats-io/transport-node";
import { isGoServer, type RunningServer, startServer } from "../harness/server_process.ts";

let server: RunningServer;
let nc: NatsConnection;
let dir: string;
type Json = Record<string, unknown>;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), "natsd-js-snap-"));
  server = await startServer({ args: ["-js", "-sd", dir] });
  nc = await connect({ servers: server.url });
});
afterAll(async () => {
  await nc.close();
  await server.stop();
  rmSync(dir, { recursive: true, force: true });
});

async function api(subject: string, body: unknown = undefined): Promise<Json> {
  const data = body === undefined ? "" : JSON.stringify(body);
  return (await nc.request(subject, data, { timeout: 5000 })).json<Json>();
}

/** Collects snapshot chunks (acking each) until the empty end message. */
function collect(deliver: string): Promise<{ chunks: Msg[]; end: Msg }> {
  const chunks: Msg[] = [];
  return new Promise((resolve) => {
    const sub = nc.subscribe(deliver, {
      callback: (_err, m) => {
        if (m.data.length === 0) {
          sub.unsubscribe();
          resolve({ chunks, end: m });
          return;
        }
        chunks.push(m);
        if (m.reply) m.respond();
      },
    });
  });
}

describe("snapshot and restore over the wire", () => {
  test("round trip: snapshot, delete, restore chunk by chunk", async () => {
    await api("$JS.API.STREAM.CREATE.R", { name: "R", subjects: ["r.>"], storage: "file" });
    for (let i = 1; i <= 30; i++) {
      await nc.request(`r.${i}`, `payload ${i} `.repeat(100), { timeout: 5000 });
    }
    const created = await api("$JS.API.CONSUMER.DURABLE.CREATE.R.D",
      { stream_name: "R", config: { durable_name: "D", ack_policy: "explicit" } });
    expect(created.error).toBeUndefined();
    const deliver = createInbox();
    const got = collect(deliver);
    await nc.flush();
    const snap = await api("$JS.API.STREAM.SNAPSHOT.R",
      { deliver_subject: deliver, chunk_size: 1024 });
    expect(snap.type).toBe("io.nats.jetstream.api.v1.stream_snapshot_response");
    expect((snap.state as Json).messages).toBe(30);
    const { chunks, end } = await got;
    // 2.14 ends with status 204; 2.9.10 (the live reference) with a bare empty message.
    if (isGoServer()) expect(end.headers).toBeUndefined();
    else expect(end.headers?.code).toBe(204);
    expect(chunks.length).toBeGreaterThan(1);
    // Replies name the chunk's size and index (2.14 sends full chunks; 2.9.10 what a read gave).
    chunks.filter((c) => c.reply).forEach((c, i) => {
      expect(c.reply).toMatch(/^\$JS\.SNAPSHOT\.ACK\.R\.[0-9A-Za-z]+\.\d+\.\d+$/);
      expect((c.reply ?? "").endsWith(`.${c.data.length}.${i + 1}`)).toBe(true);
    });
    if (!isGoServer()) expect(chunks[0].data.length).toBe(1024);
    expect((await api("$JS.API.STREAM.DELETE.R")).success).toBe(true);

    const restore = await api("$JS.API.STREAM.RESTORE.R",
      { config: snap.config, state: snap.state });
    expect(restore.type).toBe("io.nats.jetstream.api.v1.stream_restore_response");
    const target = restore.deliver_subject as string;
    expect(target).toMatch(/^\$JS\.SNAPSHOT\.RESTORE\.R\./);
    for (const chunk of chunks) {
      const ack = await nc.request(target, chunk.data, { timeout: 5000 });
      expect(ack.data.length).toBe(0);
    }
    const final = (await nc.request(target, new Uint8Array(0), { timeout: 5000 })).json<Json>();
    expect(final.type).toBe("io.nats.jetstream.api.v1.stream_create_response");
    expect(final.error).toBeUndefined();
    expect((final.state as Json).messages).toBe(30);
    const msg = await api("$JS.API.STREAM.MSG.GET.R", { seq: 30 });
    expect(atob((msg.message as Json).data as string)).toBe("payload 30 ".repeat(100));
    const consumer = await api("$JS.API.CONSUMER.INFO.R.D");
    expect(consumer.num_pending).toBe(30);
  });

  test("restoring onto an existing stream, a truncated archive: Go's err_codes", async () => {
    await api("$JS.API.STREAM.CREATE.E", { name: "E", subjects: ["e.>"] });
    await nc.request("e.1", "x", { timeout: 5000 });
    const existing = await api("$JS.API.STREAM.RESTORE.E", { config: { name: "E" } });
    expect(existing.error).toEqual({ code: 400, err_code: 10130,
      description: "stream name already in use, cannot restore" });
    const deliver = createInbox();
    const got = collect(deliver);
    await nc.flush();
    const snap = await api("$JS.API.STREAM.SNAPSHOT.E",
      { deliver_subject: deliver, chunk_size: 1024 });
    const { chunks } = await got;
    await api("$JS.API.STREAM.DELETE.E");
    const restore = await api("$JS.API.STREAM.RESTORE.E", { config: snap.config });
    const bytes = chunks.map((c) => c.data);
    const all = new Uint8Array(bytes.reduce((n, b) => n + b.length, 0));
    bytes.reduce((at, b) => (all.set(b, at), at + b.length), 0);
    const target = restore.deliver_subject as string;
    await nc.request(target, all.subarray(0, all.length >> 1), { timeout: 5000 });
    const final = (await nc.request(target, new Uint8Array(0), { timeout: 5000 })).json<Json>();
    expect(final.type).toBe("io.nats.jetstream.api.v1.stream_create_response");
    expect(final.error).toMatchObject({ code: 500, err_code: 10062 });
    // The reason is the archive reader's: Go's s2 reader and natsd's reader word it differently.
    expect((final.error as Json).description).toMatch(/^restore failed: /);
    expect(((await api("$JS.API.STREAM.INFO.E")).error as Json).err_code).toBe(10059);
  });
});
