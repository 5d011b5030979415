/**
 * Key-value buckets through the official @nats-io/kv client: bucket creation (the stream it
 * asks for), put/get (direct get), create and update with revisions (expected last subject
 * sequence), delete and purge markers (rollups), history through direct get batches, status and
 * listing, and the consumer-based reads (keys, history, watch) on top of issue 8's consumers.
 * Runs against natsd, or Go nats-server with NATS_SERVER=nats-server.
 */
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { connect, type NatsConnection } from "@nats-io/transport-node";
import { jetstreamManager, type JetStreamManager } from "@nats-io/jetstream";
import { Kvm } from "@nats-io/kv";
import { isGoServer, type RunningServer, startServer } from "../harness/server_process.ts";

let server: RunningServer;
let nc: NatsConnection;
let kvm: Kvm;
let jsm: JetStreamManager;
let dir: string;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), "natsd-kv-"));
  server = await startServer({ args: ["-js", "-sd", dir] });
  nc = await connect({ servers: server.url });
  kvm = new Kvm(nc);
  jsm = await jetstreamManager(nc);
});
afterAll(async () => {
  await nc.close();
  await server.stop();
  rmSync(dir, { recursive: true, force: true });
});

describe("KV buckets", () => {
  test("creating a bucket creates the stream the client asks for", async () => {
    await kvm.create("cfg", { history: 5, ttl: 60_000, max_bytes: 1 << 20 });
    const si = await jsm.streams.info("KV_cfg");
    expect(si.config).toMatchObject({
      subjects: ["$KV.cfg.>"], max_msgs_per_subject: 5, discard: "new", allow_rollup_hdrs: true,
      deny_delete: false, allow_direct: true, max_age: 60_000_000_000, max_bytes: 1 << 20,
      duplicate_window: 60_000_000_000,
    });
  });

  test("put, get, create, update with revisions", async () => {
    const kv = await kvm.create("app");
    expect(await kv.put("color", "red")).toBe(1);
    const e = await kv.get("color");
    expect([e?.string(), e?.revision, e?.operation, e?.key]).toEqual(["red", 1, "PUT", "color"]);
    expect(await kv.create("size", "L")).toBe(2);
    await expect(kv.create("size", "M")).rejects.toThrow();
    expect(await kv.update("size", "M", 2)).toBe(3);
    await expect(kv.update("size", "S", 2)).rejects.toThrow(/wrong last sequence: 3/);
    expect(await kv.get("missing")).toBeNull();
  });

  test("delete and purge leave markers; create works again after a delete", async () => {
    const kv = await kvm.create("del", { history: 10 });
    await kv.put("k", "1");
    await kv.put("k", "2");
    await kv.delete("k");
    const deleted = await kv.get("k");
    expect(deleted?.operation).toBe("DEL");
    expect(await kv.create("k", "3")).toBe(4);
    await kv.purge("k");
    const purged = await kv.get("k");
    expect(purged?.operation).toBe("PURGE");
    const si = await jsm.streams.info("KV_del");
    expect(si.state.messages).toBe(1);
  });

  test("history of a key through direct get batches", async () => {
    if (isGoServer()) return; // nats-server 2.9.10 has no batched direct get (2.11).
    const kv = await kvm.create("hist", { history: 3 });
    for (const v of ["a", "b", "c", "d"]) await kv.put("k", v);
    const values: string[] = [];
    const batch = await jsm.direct.getBatch("KV_hist", { batch: 10, next_by_subj: "$KV.hist.k",
      seq: 1 });
    for await (const m of batch) values.push(m.string());
    expect(values).toEqual(["b", "c", "d"]);
  });

  test("status and listing", async () => {
    const kv = await kvm.create("stat", { history: 2 });
    await kv.put("a", "1");
    const status = await kv.status();
    expect([status.bucket, status.values, status.history, status.storage])
      .toEqual(["stat", 1, 2, "file"]);
    const names: string[] = [];
    for await (const s of kvm.list()) names.push(s.bucket);
    expect(names).toContain("stat");
  });

  test("keys, history and watch (ordered consumers)", async () => {
    const kv = await kvm.create("watch", { history: 5 });
    await kv.put("a", "1");
    await kv.put("b", "2");
    await kv.put("a", "3");
    const keys: string[] = [];
    for await (const k of await kv.keys()) keys.push(k);
    expect(keys.sort()).toEqual(["a", "b"]);
    const history: string[] = [];
    for await (const e of await kv.history({ key: "a" })) history.push(e.string());
    expect(history).toEqual(["1", "3"]);
    const watch = await kv.watch();
    const seen: string[] = [];
    for await (const e of watch) {
      seen.push(`${e.key}=${e.string()}`);
      if (seen.length === 2) await kv.put("c", "new");
      if (seen.length === 3) break;
    }
    expect(seen).toEqual(["b=2", "a=3", "c=new"]);
  });

  test("limit markers (markerTTL) and per-key TTLs", async () => {
    if (isGoServer()) return; // nats-server 2.9.10 predates TTLs and delete markers (2.11).
    const kv = await kvm.create("marked", { markerTTL: 5_000, ttl: 60_000 });
    const si = await jsm.streams.info("KV_marked");
    expect(si.config).toMatchObject({ allow_msg_ttl: true,
      subject_delete_marker_ttl: 5_000_000_000 });
    expect(await kv.create("k", "v", "10s")).toBe(1);
    const m = await jsm.streams.getMessage("KV_marked", { seq: 1 });
    expect(m?.header.get("Nats-TTL")).toBe("10s");
    await kv.purge("k", { ttl: "30s" });
    expect((await kv.get("k"))?.operation).toBe("PURGE");
  });

  test("a missing bucket is not found", async () => {
    const kv = await kvm.open("nope");
    await expect(kv.status()).rejects.toThrow(/stream not found/);
  });
});
