/**
 * Ephemeral consumers of a file stream survive a restart as nats-server's do: their state is kept
 * in the stream's `obs/` directory, they come back as ephemerals under the same name, and
 * inactive_threshold removes the ones whose client does not return. Pull case after SIGTERM (also
 * Go) and SIGKILL (natsd only: Go writes consumer state lazily); push case likewise: a
 * subscriber on the deliver subject resumes where delivery stopped, a push consumer nobody
 * subscribes to again is deleted once its threshold passes.
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
  dir = mkdtempSync(join(tmpdir(), "natsd-ephemeral-restart-"));
});
afterAll(() => {
  rmSync(dir, { recursive: true, force: true });
});

const NS_PER_MS = 1_000_000;

async function started(storeDir: string): Promise<{ server: RunningServer; nc: NatsConnection }> {
  const server = await startServer({ args: ["-js", "-sd", storeDir] });
  const nc = await connect({ servers: server.url });
  return { server, nc };
}

async function publishN(nc: NatsConnection, from: number, to: number): Promise<void> {
  const js = jetstream(nc);
  for (let i = from; i <= to; i++) await js.publish(`s.${i}`, `m${i}`);
}

/** Stream S with 10 messages, an ephemeral pull consumer; takes 5 and confirms acks 1, 2, 4. */
async function preparePull(nc: NatsConnection): Promise<string> {
  const jsm = await jetstreamManager(nc);
  await jsm.streams.add({ name: "S", subjects: ["s.>"] });
  await publishN(nc, 1, 10);
  const info = await jsm.consumers.add("S", { ack_policy: AckPolicy.Explicit,
    ack_wait: 500 * NS_PER_MS, inactive_threshold: 60_000 * NS_PER_MS });
  const c = await jetstream(nc).consumers.get("S", info.name);
  const got: JsMsg[] = [];
  for await (const m of await c.fetch({ max_messages: 5, expires: 2000 })) {
    got.push(m);
    if (got.length === 5) break;
  }
  for (const i of [0, 1, 3]) await got[i].ackAck();
  return info.name;
}

async function checkPull(nc: NatsConnection, name: string): Promise<void> {
  const jsm = await jetstreamManager(nc);
  const info = await jsm.consumers.info("S", name);
  expect(info.config.durable_name).toBeUndefined();
  expect([info.delivered.stream_seq, info.ack_floor.stream_seq, info.num_ack_pending,
    info.num_pending]).toEqual([5, 2, 2, 5]);
  const c = await jetstream(nc).consumers.get("S", name);
  const got: Array<[number, number]> = [];
  for await (const m of await c.consume({ max_messages: 10 })) {
    got.push([m.seq, m.info.deliveryCount]);
    await m.ackAck();
    if (got.length === 7) break;
  }
  expect(got.sort((a, b) => a[0] - b[0])).toEqual([[3, 2], [5, 2], [6, 1], [7, 1], [8, 1],
    [9, 1], [10, 1]]);
}

async function restartedPull(storeDir: string, signal: "SIGTERM" | "SIGKILL"): Promise<void> {
  let run = await started(storeDir);
  const name = await preparePull(run.nc);
  if (signal === "SIGTERM") {
    await run.nc.close();
    await run.server.stop();
  } else {
    run.server.signal("SIGKILL");
    await run.server.exited;
    await run.nc.close();
  }
  run = await started(storeDir);
  try {
    await checkPull(run.nc, name);
  } finally {
    await run.nc.close();
    await run.server.stop();
  }
}

test("an ephemeral pull consumer resumes after a clean restart", async () => {
  await restartedPull(join(dir, "pull-term"), "SIGTERM");
});

test.skipIf(isGoServer())("an ephemeral pull consumer keeps confirmed acks through SIGKILL",
  async () => {
    await restartedPull(join(dir, "pull-kill"), "SIGKILL");
  });

/** Receives `count` messages on `subject`, returning their subjects. */
async function receive(nc: NatsConnection, subject: string, count: number): Promise<string[]> {
  const sub = nc.subscribe(subject, { max: count });
  await nc.flush();
  const subjects: string[] = [];
  for await (const m of sub) subjects.push(m.subject);
  return subjects;
}

async function consumerNames(nc: NatsConnection): Promise<string[]> {
  const names: string[] = [];
  for await (const c of (await jetstreamManager(nc)).consumers.list("S")) names.push(c.name);
  return names;
}

/**
 * Two push ephemerals: "kept" delivers 1..5 (acked with ack-sync, so confirmed), then nobody
 * listens while 6..10 arrive; "gone" never gets a subscriber again. After the restart "gone" is
 * removed by its 300 ms threshold and "kept" resumes at 6 for a new subscriber.
 */
async function restartedPush(storeDir: string, signal: "SIGTERM" | "SIGKILL"): Promise<void> {
  let run = await started(storeDir);
  const jsm = await jetstreamManager(run.nc);
  await jsm.streams.add({ name: "S", subjects: ["s.>"] });
  await publishN(run.nc, 1, 5);
  const kept = await jsm.consumers.add("S", { deliver_subject: "to.kept",
    ack_policy: AckPolicy.Explicit, inactive_threshold: 60_000 * NS_PER_MS });
  const gone = await jsm.consumers.add("S", { deliver_subject: "to.gone",
    ack_policy: AckPolicy.None, inactive_threshold: 300 * NS_PER_MS });
  const sub = run.nc.subscribe("to.kept", { max: 5 });
  const first: string[] = [];
  for await (const m of sub) {
    first.push(m.subject);
    await run.nc.request(m.reply!, "+ACK");
  }
  expect(first).toEqual(["s.1", "s.2", "s.3", "s.4", "s.5"]);
  await publishN(run.nc, 6, 10);
  if (signal === "SIGTERM") {
    await run.nc.close();
    await run.server.stop();
  } else {
    run.server.signal("SIGKILL");
    await run.server.exited;
    await run.nc.close();
  }
  run = await started(storeDir);
  try {
    const deleted = run.nc.subscribe(`$JS.EVENT.ADVISORY.CONSUMER.DELETED.S.${gone.name}`,
      { max: 1 });
    await run.nc.flush();
    // Either the consumer is already gone or its deleted advisory is still to come.
    if ((await consumerNames(run.nc)).includes(gone.name)) {
      for await (const _ of deleted) break;
    }
    expect(await receive(run.nc, "to.kept", 5)).toEqual(["s.6", "s.7", "s.8", "s.9", "s.10"]);
    expect(await consumerNames(run.nc)).toEqual([kept.name]);
  } finally {
    await run.nc.close();
    await run.server.stop();
  }
}

test("ephemeral push consumers after a clean restart: one resumes, one without interest goes",
  async () => {
    await restartedPush(join(dir, "push-term"), "SIGTERM");
  });

test.skipIf(isGoServer())("ephemeral push consumers after SIGKILL: confirmed acks kept",
  async () => {
    await restartedPush(join(dir, "push-kill"), "SIGKILL");
  });
