/**
 * Push consumer interest as nats-server decides it: only a subscription on exactly the deliver
 * subject counts (a plain one without deliver_group, a member of the group with one), wildcard
 * subscribers and other queue groups do not; interest also comes through a stream import from
 * another account. Each case also runs against Go nats-server (NATS_SERVER=nats-server).
 */
import { afterAll, beforeAll, expect, test } from "bun:test";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { connect, type NatsConnection, type Subscription } from "@nats-io/transport-node";
import { AckPolicy, jetstream, jetstreamManager } from "@nats-io/jetstream";
import { type RunningServer, startServer } from "../../harness/server_process.ts";

let dir: string;
let server: RunningServer;
beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), "natsd-push-interest-"));
  server = await startServer({ config: `
    jetstream { store_dir: "${join(dir, "js")}" }
    accounts {
      A: { jetstream: enabled, users: [{ user: a, password: a }],
           exports: [{ stream: "to.exported" }] }
      B: { users: [{ user: b, password: b }],
           imports: [{ stream: { account: A, subject: "to.exported" }, prefix: "from_a" }] }
    }` });
});
afterAll(async () => {
  await server.stop();
  rmSync(dir, { recursive: true, force: true });
});

async function client(user: string): Promise<NatsConnection> {
  return await connect({ servers: server.url, user, pass: user });
}

async function take(sub: Subscription, count: number): Promise<string[]> {
  const subjects: string[] = [];
  for await (const m of sub) {
    subjects.push(m.subject);
    if (subjects.length === count) break;
  }
  return subjects;
}

/** Stream `name` on `<name>.>` with three messages. */
async function streamOf3(nc: NatsConnection, name: string): Promise<void> {
  await (await jetstreamManager(nc)).streams.add({ name, subjects: [`${name}.>`] });
  const js = jetstream(nc);
  for (let i = 1; i <= 3; i++) await js.publish(`${name}.${i}`, "x");
}

test("wildcard and queue subscribers are no interest; an exact subscriber is", async () => {
  const nc = await client("a");
  try {
    await streamOf3(nc, "W");
    const wild = nc.subscribe("to.*");
    nc.subscribe("to.w", { queue: "q" });
    await nc.flush();
    const jsm = await jetstreamManager(nc);
    await jsm.consumers.add("W", { name: "c", deliver_subject: "to.w",
      ack_policy: AckPolicy.None });
    const idle = await jsm.consumers.info("W", "c");
    expect([idle.push_bound ?? false, idle.delivered.stream_seq]).toEqual([false, 0]);
    const exact = nc.subscribe("to.w");
    expect(await take(exact, 3)).toEqual(["W.1", "W.2", "W.3"]);
    expect(await take(wild, 3)).toEqual(["W.1", "W.2", "W.3"]);
  } finally {
    await nc.close();
  }
});

test("a deliver_group consumer is bound only by its own queue group", async () => {
  const nc = await client("a");
  try {
    await streamOf3(nc, "G");
    nc.subscribe("to.g");
    nc.subscribe("to.g", { queue: "others" });
    await nc.flush();
    const jsm = await jetstreamManager(nc);
    await jsm.consumers.add("G", { name: "c", deliver_subject: "to.g", deliver_group: "workers",
      ack_policy: AckPolicy.None });
    const idle = await jsm.consumers.info("G", "c");
    expect([idle.push_bound ?? false, idle.delivered.stream_seq]).toEqual([false, 0]);
    const worker = nc.subscribe("to.g", { queue: "workers" });
    expect(await take(worker, 3)).toEqual(["G.1", "G.2", "G.3"]);
  } finally {
    await nc.close();
  }
});

test("a subscriber in an importing account binds a push consumer", async () => {
  const nc = await client("a");
  const nb = await client("b");
  try {
    await streamOf3(nc, "I");
    const jsm = await jetstreamManager(nc);
    await jsm.consumers.add("I", { name: "c", deliver_subject: "to.exported",
      ack_policy: AckPolicy.None });
    const idle = await jsm.consumers.info("I", "c");
    expect([idle.push_bound ?? false, idle.delivered.stream_seq]).toEqual([false, 0]);
    const sub = nb.subscribe("from_a.to.exported");
    expect(await take(sub, 3)).toEqual(["I.1", "I.2", "I.3"]);
  } finally {
    await nb.close();
    await nc.close();
  }
});
