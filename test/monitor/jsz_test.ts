/**
 * /jsz with JetStream running reports usage and totals after a known workload.
 * Runs against natsd by default, or any server named by NATS_SERVER.
 */
import { afterAll, beforeAll, expect, test } from "bun:test";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { connect } from "@nats-io/transport-node";
import { jetstreamManager, jetstream } from "@nats-io/jetstream";
import { isGoServer, type RunningServer, startServer } from "../harness/server_process.ts";
import { get, getJson } from "./monitor_http.ts";

let server: RunningServer;
let dir: string;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), "natsd-jsz-"));
  server = await startServer({ args: ["-js", "-sd", dir, "-m", "-1"] });
});
afterAll(async () => {
  await server.stop();
  rmSync(dir, { recursive: true, force: true });
});

test("/jsz reports streams, consumers, messages and API use", async () => {
  const nc = await connect({ servers: server.url });
  try {
    const jsm = await jetstreamManager(nc);
    await jsm.streams.add({ name: "JSZ", subjects: ["jsz.>"] });
    const js = jetstream(nc);
    for (let i = 0; i < 3; i++) await js.publish("jsz.a", "x");
    await jsm.consumers.add("JSZ", { durable_name: "C", ack_policy: "explicit" as never });
    const jszInfo = await getJson(server, "/jsz");
    expect(jszInfo.disabled).toBeUndefined();
    expect(jszInfo.streams).toBe(1);
    expect(jszInfo.consumers).toBe(1);
    expect(jszInfo.messages).toBe(3);
    expect(jszInfo.bytes).toBeGreaterThan(0);
    expect((jszInfo.api as { total: number }).total).toBeGreaterThanOrEqual(3);
    expect((jszInfo.config as { max_memory: number }).max_memory).toBeGreaterThan(0);
  } finally {
    await nc.close();
  }
});

test("/healthz is ok with JetStream running", async () => {
  const health = await getJson(server, "/healthz");
  expect(health.status).toBe("ok");
  const jsOnly = await getJson(server, "/healthz?js-enabled-only=true");
  expect(jsOnly.status).toBe("ok");
});

// Go 2.9.10 ignores these 2.10+ parameters (it answers ok), so they run against natsd only.
test.skipIf(isGoServer())("/healthz checks the named account, stream and consumer", async () => {
  const ok = await get(server, "/healthz?account=$G&stream=JSZ&consumer=C");
  expect(ok.status).toBe(200);
  expect(JSON.parse(ok.body)).toEqual({ status: "ok" });
  const stream = await get(server, "/healthz?account=$G&stream=NOPE");
  expect(stream.status).toBe(404);
  expect(JSON.parse(stream.body)).toEqual({
    status: "unavailable", error: 'JetStream stream "NOPE" not found on account "$G"',
  });
  const consumer = await get(server, "/healthz?account=$G&stream=JSZ&consumer=X&details=true");
  expect(consumer.status).toBe(404);
  expect(JSON.parse(consumer.body).errors[0]).toEqual({
    type: "CONSUMER", account: "$G", stream: "JSZ", consumer: "X",
    error: 'JetStream consumer "X" not found for stream "JSZ" on account "$G"',
  });
  const missing = await get(server, "/healthz?account=ZZ");
  expect(missing.status).toBe(404);
  const bad = await get(server, "/healthz?stream=JSZ&details=true");
  expect(bad.status).toBe(400);
  expect(JSON.parse(bad.body).errors[0].type).toBe("BAD_REQUEST");
});
