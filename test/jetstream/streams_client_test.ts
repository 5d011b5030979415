/**
 * Streams and publishing through the official @nats-io/jetstream client against a real server
 * process: stream management, PubAcks, every publish expectation, dedupe, limits, purge,
 * message get and delete, direct get. Runs against natsd, or Go nats-server with
 * NATS_SERVER=nats-server (2.9.10 lacks per-message TTL and batched direct get: branched on).
 */
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { connect, type NatsConnection } from "@nats-io/transport-node";
import { headers } from "@nats-io/nats-core";
import {
  DiscardPolicy, jetstream, type JetStreamClient, JetStreamApiError, jetstreamManager,
  type JetStreamManager, StorageType,
} from "@nats-io/jetstream";
import { isGoServer, type RunningServer, startServer } from "../harness/server_process.ts";

let server: RunningServer;
let nc: NatsConnection;
let js: JetStreamClient;
let jsm: JetStreamManager;
let dir: string;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), "natsd-js-client-"));
  server = await startServer({ args: ["-js", "-sd", dir] });
  nc = await connect({ servers: server.url });
  js = jetstream(nc);
  jsm = await jetstreamManager(nc);
});
afterAll(async () => {
  await nc.close();
  await server.stop();
  rmSync(dir, { recursive: true, force: true });
});

async function apiCode(p: Promise<unknown>): Promise<number> {
  try {
    await p;
  } catch (error) {
    if (error instanceof JetStreamApiError) return error.apiError().err_code;
    throw error;
  }
  throw new Error("expected a JetStream API error");
}

describe("stream management", () => {
  test("add, info, update, names, list, delete", async () => {
    const si = await jsm.streams.add({ name: "M1", subjects: ["m1.>"],
      storage: StorageType.Memory });
    expect(si.config).toMatchObject({ name: "M1", retention: "limits", max_msgs: -1,
      num_replicas: 1, duplicate_window: 120_000_000_000 });
    const updated = await jsm.streams.update("M1", { subjects: ["m1.>", "mm1"] });
    expect(updated.config.subjects).toEqual(["m1.>", "mm1"]);
    expect(await jsm.streams.names("mm1").next()).toEqual(["M1"]);
    const listed = await jsm.streams.list().next();
    expect(listed.map((s) => s.config.name)).toContain("M1");
    expect(await jsm.streams.delete("M1")).toBe(true);
    expect(await apiCode(jsm.streams.info("M1"))).toBe(10059);
  });

  test("errors surface with nats-server's err_codes", async () => {
    await jsm.streams.add({ name: "E1", subjects: ["e1"] });
    expect(await apiCode(jsm.streams.add({ name: "E2", subjects: ["e1"] }))).toBe(10065);
    expect(await apiCode(jsm.streams.add({ name: "E1", subjects: ["other"] }))).toBe(10058);
    const memory = { storage: StorageType.Memory } as Record<string, unknown>;
    expect(await apiCode(jsm.streams.update("E1", memory))).toBe(10052);
  });
});

describe("publishing", () => {
  test("PubAcks, dedupe and every expectation", async () => {
    await jsm.streams.add({ name: "P", subjects: ["p.*"] });
    const ack = await js.publish("p.a", "one", { msgID: "id-1" });
    expect(ack).toMatchObject({ stream: "P", seq: 1, duplicate: false });
    expect((await js.publish("p.a", "one", { msgID: "id-1" })).duplicate).toBe(true);
    await js.publish("p.b", "two", { expect: { lastSequence: 1, lastMsgID: "id-1",
      streamName: "P" } });
    await js.publish("p.a", "three", { expect: { lastSubjectSequence: 1 } });
    expect(await apiCode(js.publish("p.a", "x", { expect: { lastSequence: 1 } }))).toBe(10071);
    expect(await apiCode(js.publish("p.a", "x", { expect: { lastMsgID: "nope" } }))).toBe(10070);
    expect(await apiCode(js.publish("p.a", "x", { expect: { streamName: "Q" } }))).toBe(10060);
    expect(await apiCode(js.publish("p.a", "x", { expect: { lastSubjectSequence: 1 } })))
      .toBe(10071);
  });

  test("limits are enforced as messages arrive", async () => {
    await jsm.streams.add({ name: "L", subjects: ["l"], max_msgs: 2, discard: DiscardPolicy.New,
      max_msg_size: 8 });
    await js.publish("l", "1");
    await js.publish("l", "2");
    expect(await apiCode(js.publish("l", "3"))).toBe(10077);
    expect(await apiCode(js.publish("l", "123456789"))).toBe(10054);
    expect((await jsm.streams.info("L")).state.messages).toBe(2);
  });

  test("rollup headers replace a subject's history", async () => {
    await jsm.streams.add({ name: "R", subjects: ["r.*"], allow_rollup_hdrs: true });
    await js.publish("r.a", "1");
    await js.publish("r.a", "2");
    const h = headers();
    h.set("Nats-Rollup", "sub");
    await js.publish("r.a", "3", { headers: h });
    const info = await jsm.streams.info("R");
    expect(info.state).toMatchObject({ messages: 1, first_seq: 3 });
  });

  test("per-message TTL needs allow_msg_ttl", async () => {
    if (isGoServer()) return; // nats-server 2.9.10 predates per-message TTLs (2.11).
    await jsm.streams.add({ name: "T", subjects: ["t"] });
    expect(await apiCode(js.publish("t", "x", { ttl: "5s" }))).toBe(10166);
    await jsm.streams.add({ name: "T2", subjects: ["t2"], allow_msg_ttl: true });
    expect((await js.publish("t2", "x", { ttl: "5s" })).seq).toBe(1);
  });
});

describe("reading and removing messages", () => {
  test("purge, message get, message delete and direct get", async () => {
    await jsm.streams.add({ name: "G", subjects: ["g.*"], allow_direct: true });
    for (const [s, d] of [["g.a", "1"], ["g.b", "2"], ["g.a", "3"]]) await js.publish(s, d);
    const m = await jsm.streams.getMessage("G", { last_by_subj: "g.a" });
    expect(m?.seq).toBe(3);
    expect(m?.string()).toBe("3");
    expect(await jsm.streams.deleteMessage("G", 1)).toBe(true);
    expect(await apiCode(jsm.streams.deleteMessage("G", 1))).toBe(10057);
    const direct = await jsm.direct.getMessage("G", { last_by_subj: "g.b" });
    expect(direct?.seq).toBe(2);
    expect(direct?.subject).toBe("g.b");
    const purged = await jsm.streams.purge("G", { filter: "g.a" });
    expect(purged).toMatchObject({ success: true, purged: 1 });
    expect((await jsm.streams.info("G")).state.messages).toBe(1);
  });
});
