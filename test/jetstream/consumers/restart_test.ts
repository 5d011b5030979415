/**
 * Durable consumers survive a restart: after a clean stop (SIGTERM) and after SIGKILL, the
 * consumer comes back with its delivered sequence, ack floor and pending acks, acks the client
 * saw confirmed (ackAck) are never lost, and unacked messages are redelivered. The SIGTERM case
 * also runs against Go nats-server (NATS_SERVER=nats-server); the SIGKILL case is natsd's promise
 * (Go writes consumer state lazily and may lose confirmed acks on a crash).
 */
import { afterAll, beforeAll, expect, test } from "bun:test";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { connect, type NatsConnection } from "@nats-io/transport-node";
import { AckPolicy, jetstream, jetstreamManager, type JsMsg } from "@nats-io/jetstream";
import { isGoServer, type RunningServer, startServer } from "../../harness/server_process.ts";

let dir: string;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), "natsd-consumer-restart-"));
});
afterAll(() => {
  rmSync(dir, { recursive: true, force: true });
});

const NS = 1_000_000;

async function started(storeDir: string): Promise<{ server: RunningServer; nc: NatsConnection }> {
  const server = await startServer({ args: ["-js", "-sd", storeDir] });
  const nc = await connect({ servers: server.url });
  return { server, nc };
}

/** Creates S with 10 messages and consumer d; takes 5, confirms acks of 1, 2 and 4. */
async function prepare(nc: NatsConnection): Promise<void> {
  const jsm = await jetstreamManager(nc);
  const js = jetstream(nc);
  await jsm.streams.add({ name: "S", subjects: ["s.>"] });
  for (let i = 1; i <= 10; i++) await js.publish(`s.${i}`, `m${i}`);
  await jsm.consumers.add("S", { durable_name: "d", ack_policy: AckPolicy.Explicit,
    ack_wait: 500 * NS });
  const c = await js.consumers.get("S", "d");
  const got: JsMsg[] = [];
  for await (const m of await c.fetch({ max_messages: 5, expires: 2000 })) {
    got.push(m);
    if (got.length === 5) break;
  }
  for (const i of [0, 1, 3]) await got[i].ackAck();
}

async function checkAfterRestart(nc: NatsConnection): Promise<void> {
  const jsm = await jetstreamManager(nc);
  const info = await jsm.consumers.info("S", "d");
  expect([info.delivered.consumer_seq, info.delivered.stream_seq, info.ack_floor.stream_seq,
    info.num_ack_pending, info.num_pending]).toEqual([5, 5, 2, 2, 5]);
  // 6..10 go out, and 3 and 5 come back once their ack wait passes; nothing acked returns.
  const c = await jetstream(nc).consumers.get("S", "d");
  const got: Array<[number, number]> = [];
  for await (const m of await c.consume({ max_messages: 10 })) {
    got.push([m.seq, m.info.deliveryCount]);
    await m.ackAck();
    if (got.length === 7) break;
  }
  expect(got.sort((a, b) => a[0] - b[0])).toEqual([[3, 2], [5, 2], [6, 1], [7, 1], [8, 1],
    [9, 1], [10, 1]]);
  const after = await jsm.consumers.info("S", "d");
  expect([after.ack_floor.stream_seq, after.num_ack_pending]).toEqual([10, 0]);
}

test("a durable consumer resumes after a clean restart", async () => {
  const storeDir = join(dir, "term");
  let run = await started(storeDir);
  await prepare(run.nc);
  await run.nc.close();
  await run.server.stop();
  run = await started(storeDir);
  try {
    await checkAfterRestart(run.nc);
  } finally {
    await run.nc.close();
    await run.server.stop();
  }
});

test.skipIf(isGoServer())("confirmed acks survive SIGKILL", async () => {
  const storeDir = join(dir, "kill");
  let run = await started(storeDir);
  await prepare(run.nc);
  run.server.signal("SIGKILL");
  await run.server.exited;
  await run.nc.close();
  run = await started(storeDir);
  try {
    await checkAfterRestart(run.nc);
  } finally {
    await run.nc.close();
    await run.server.stop();
  }
});
