/**
 * Per-account JetStream settings from the config file (`accounts { A { jetstream {...} } }`)
 * through a server process: which accounts get JetStream, the limits $JS.API.INFO reports, and
 * each limit enforced with nats-server's err_code. Runs against natsd, or Go nats-server with
 * NATS_SERVER=nats-server.
 */
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { connect, type NatsConnection } from "@nats-io/transport-node";
import { type RunningServer, startServer } from "../harness/server_process.ts";

type Json = Record<string, unknown>;
let server: RunningServer;
let dir: string;
let a: NatsConnection;
let b: NatsConnection;
let c: NatsConnection;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), "natsd-js-acclimits-"));
  const conf = join(dir, "server.conf");
  writeFileSync(conf, `
jetstream { store_dir: "${dir}" }
accounts {
  A {
    jetstream {
      max_mem: 100000, max_file: 1000000, max_streams: 3, max_consumers: 2,
      max_bytes_required: true, memory_max_stream_bytes: 50000,
      store_max_stream_bytes: 400000, max_ack_pending: 100
    }
    users: [{ user: a, password: a }]
  }
  B { jetstream: disabled, users: [{ user: b, password: b }] }
  C { users: [{ user: c, password: c }] }
  D { jetstream: enabled, users: [{ user: d, password: d }] }
}
`);
  server = await startServer({ args: ["-c", conf] });
  [a, b, c] = await Promise.all(["a", "b", "c"].map((user) =>
    connect({ servers: server.url, user, pass: user })));
});
afterAll(async () => {
  await Promise.all([a, b, c].map((nc) => nc.close()));
  await server.stop();
  rmSync(dir, { recursive: true, force: true });
});

async function api(nc: NatsConnection, subject: string, body?: unknown): Promise<Json> {
  const data = body === undefined ? "" : JSON.stringify(body);
  return (await nc.request(subject, data, { timeout: 3000 })).json<Json>();
}

const codeOf = (r: Json) => (r.error as { err_code: number } | undefined)?.err_code;

describe("per-account JetStream settings", () => {
  test("INFO reports the configured limits", async () => {
    const info = await api(a, "$JS.API.INFO");
    expect(info.limits).toEqual({ max_memory: 100000, max_storage: 1000000, max_streams: 3,
      max_consumers: 2, max_ack_pending: 100, memory_max_stream_bytes: 50000,
      storage_max_stream_bytes: 400000, max_bytes_required: true });
  });

  test("stream limits: max_bytes required, per-stream and account bytes, stream count",
    async () => {
      const stream = (name: string, extra: Json) => api(a, `$JS.API.STREAM.CREATE.${name}`,
        { name, subjects: [name.toLowerCase()], ...extra });
      expect(codeOf(await stream("S1", { storage: "memory" }))).toBe(10113);
      expect(codeOf(await stream("S1", { storage: "memory", max_bytes: 60000 }))).toBe(10122);
      expect(codeOf(await stream("S1", { storage: "file", max_bytes: 500000 }))).toBe(10122);
      expect(codeOf(await stream("S1", { storage: "memory", max_bytes: 50000 }))).toBeUndefined();
      expect(codeOf(await stream("S2", { storage: "memory", max_bytes: 50000 }))).toBeUndefined();
      expect(codeOf(await stream("S3", { storage: "memory", max_bytes: 1000 }))).toBe(10028);
      expect(codeOf(await stream("S3", { storage: "file", max_bytes: 1000 }))).toBeUndefined();
      expect(codeOf(await stream("S4", { storage: "file", max_bytes: 1000 }))).toBe(10027);
    });

  test("max_consumers", async () => {
    const consumer = (name: string) => api(a, `$JS.API.CONSUMER.DURABLE.CREATE.S3.${name}`,
      { stream_name: "S3", config: { durable_name: name, ack_policy: "explicit" } });
    expect(codeOf(await consumer("c1"))).toBeUndefined();
    expect(codeOf(await consumer("c2"))).toBeUndefined();
    expect(codeOf(await consumer("c3"))).toBe(10026);
  });

  test("max_ack_pending caps consumers", async () => {
    await api(a, "$JS.API.CONSUMER.DELETE.S3.c2");
    const r = await api(a, "$JS.API.CONSUMER.DURABLE.CREATE.S3.p",
      { stream_name: "S3", config: { durable_name: "p", ack_policy: "explicit",
        max_ack_pending: 200 } });
    expect(r.error).toMatchObject({ err_code: 10121 });
  });

  test("accounts without JetStream: disabled, or not mentioned while others are", async () => {
    for (const nc of [b, c]) {
      const r = await nc.request("$JS.API.STREAM.NAMES", "", { timeout: 3000 }).then(
        (m) => (m.data.length > 0 ? m.json<Json>() : { status: m.headers?.code }),
        (error: Error) => ({ failed: error.message }),
      );
      expect(codeOf(r as Json) === 10039 || "failed" in r).toBe(true);
    }
    const d = await connect({ servers: server.url, user: "d", pass: "d" });
    expect((await api(d, "$JS.API.INFO")).limits).toMatchObject({ max_streams: -1 });
    await d.close();
  });
});
