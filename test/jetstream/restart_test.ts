/**
 * Streams survive restarts of the server process: a clean stop (SIGTERM) keeps every stream,
 * its configuration and messages; a crash (SIGKILL in the middle of a publish burst) keeps
 * every message whose PubAck the client received, byte for byte, because natsd acknowledges
 * only after the store's flush (fsync by default). Go nats-server acknowledges before its lazy
 * sync, so against Go the crash rounds check only that the server recovers.
 */
import { afterAll, describe, expect, test } from "bun:test";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { connect, type NatsConnection } from "@nats-io/transport-node";
import { jetstream, jetstreamManager, type PubAck } from "@nats-io/jetstream";
import { isGoServer, type RunningServer, startServer } from "../harness/server_process.ts";

const dirs: string[] = [];
afterAll(() => {
  for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
});

function storeDir(): string {
  const dir = mkdtempSync(join(tmpdir(), "natsd-js-restart-"));
  dirs.push(dir);
  return dir;
}

async function withServer<T>(dir: string, fn: (nc: NatsConnection, s: RunningServer) =>
  Promise<T>): Promise<T> {
  const server = await startServer({ args: ["-js", "-sd", dir] });
  const nc = await connect({ servers: server.url, reconnect: false });
  try {
    return await fn(nc, server);
  } finally {
    await nc.close().catch(() => {});
    await server.stop();
  }
}

describe("restart", () => {
  test("SIGTERM: streams, configuration and messages come back", async () => {
    const dir = storeDir();
    await withServer(dir, async (nc) => {
      const jsm = await jetstreamManager(nc);
      await jsm.streams.add({ name: "ORDERS", subjects: ["orders.*"], max_msgs_per_subject: 3,
        description: "kept" });
      const js = jetstream(nc);
      for (let i = 0; i < 10; i++) await js.publish(`orders.${i % 2}`, `o${i}`);
    });
    await withServer(dir, async (nc) => {
      const jsm = await jetstreamManager(nc);
      const info = await jsm.streams.info("ORDERS");
      expect(info.config).toMatchObject({ subjects: ["orders.*"], max_msgs_per_subject: 3,
        description: "kept" });
      expect(info.state).toMatchObject({ messages: 6, first_seq: 5, last_seq: 10 });
      expect((await jsm.streams.getMessage("ORDERS", { seq: 10 }))?.string()).toBe("o9");
    });
  });

  test("SIGKILL during a publish burst loses no acknowledged message", async () => {
    const dir = storeDir();
    const acked = new Map<number, string>();
    const rounds = 5;
    for (let round = 0; round < rounds; round++) {
      await crashRound(dir, round, acked);
    }
    await withServer(dir, async (nc) => {
      const jsm = await jetstreamManager(nc);
      const info = await jsm.streams.info("CRASH");
      if (isGoServer()) return;
      expect(info.state.last_seq).toBeGreaterThanOrEqual(Math.max(...acked.keys()));
      const stored = new Map<number, string>();
      for (let seq = 1; seq <= info.state.last_seq; seq += 1000) {
        const batch = await jsm.direct.getBatch("CRASH", { seq, batch: 1000 });
        for await (const m of batch) stored.set(m.seq, m.string());
      }
      const lost = [...acked].filter(([seq, payload]) => stored.get(seq) !== payload);
      expect(lost).toEqual([]);
    });
    expect(acked.size).toBeGreaterThan(0);
  });
});

/** Messages published per crash round: enough that the kill lands in the middle. */
const BURST_MSGS = 8000;

/** Publishes a burst and kills the server with SIGKILL once some acks have arrived. */
async function crashRound(dir: string, round: number, acked: Map<number, string>):
  Promise<void> {
  const server = await startServer({ args: ["-js", "-sd", dir] });
  const nc = await connect({ servers: server.url, reconnect: false });
  const jsm = await jetstreamManager(nc);
  if (round === 0) {
    await jsm.streams.add({ name: "CRASH", subjects: ["crash.>"], allow_direct: true });
  }
  const js = jetstream(nc);
  const killAfter = 20 + round * 30;
  let acks = 0;
  const pending: Promise<void>[] = [];
  for (let i = 0; i < BURST_MSGS; i++) {
    const payload = `r${round}-m${i}-${"x".repeat(i % 97)}`;
    pending.push(js.publish(`crash.${i % 7}`, payload, { timeout: 10_000 }).then(
      (ack: PubAck) => {
        acked.set(ack.seq, payload);
        if (++acks === killAfter) server.signal("SIGKILL");
      },
      () => {},
    ));
    if (i % 100 === 99) await Promise.resolve();
  }
  await Promise.all(pending);
  await server.exited;
  if (process.env.DEBUG_CRASH) console.log(`round ${round}: ${acks} acks, total ${acked.size}`);
  await nc.close().catch(() => {});
  await server.stop();
}
