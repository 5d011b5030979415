/**
 * What the KV and object store clients build on consumers: KV watch (live updates, deletes,
 * ignoring deletes, initial values), keys() and history(); object store get (an ordered consumer
 * over the chunks) and list. Runs against natsd, or Go nats-server with NATS_SERVER=nats-server.
 */
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { connect, type NatsConnection } from "@nats-io/transport-node";
import { Kvm } from "@nats-io/kv";
import { Objm } from "@nats-io/obj";
import { type RunningServer, startServer } from "../../harness/server_process.ts";

let server: RunningServer;
let nc: NatsConnection;
let kvm: Kvm;
let objm: Objm;
let dir: string;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), "natsd-kvobj-"));
  server = await startServer({ args: ["-js", "-sd", dir] });
  nc = await connect({ servers: server.url });
  kvm = new Kvm(nc);
  objm = new Objm(nc);
});
afterAll(async () => {
  await nc.close();
  await server.stop();
  rmSync(dir, { recursive: true, force: true });
});

describe("KV through consumers", () => {
  test("keys() lists live keys; history() lists a key's revisions", async () => {
    const kv = await kvm.create("keys", { history: 5 });
    await kv.put("a", "1");
    await kv.put("b", "1");
    await kv.put("a", "2");
    await kv.put("c", "1");
    await kv.delete("c");
    const keys: string[] = [];
    for await (const k of await kv.keys()) keys.push(k);
    expect(keys.sort()).toEqual(["a", "b"]);
    const history: Array<[string, number, string]> = [];
    for await (const e of await kv.history({ key: "a" })) {
      history.push([e.string(), e.revision, e.operation]);
    }
    expect(history).toEqual([["1", 1, "PUT"], ["2", 3, "PUT"]]);
  });

  test("watch sends the current values, then every change including deletes", async () => {
    const kv = await kvm.create("watch");
    await kv.put("x", "old");
    await kv.put("x", "current");
    await kv.put("y", "1");
    const watch = await kv.watch();
    const seen: string[] = [];
    let changed = false;
    for await (const e of watch) {
      seen.push(`${e.key}=${e.operation === "PUT" ? e.string() : e.operation}`);
      if (seen.length === 2 && !changed) {
        changed = true;
        await kv.put("y", "2");
        await kv.delete("x");
      }
      if (seen.length === 4) break;
    }
    expect(seen).toEqual(["x=current", "y=1", "y=2", "x=DEL"]);
  });

  test("watch with a key filter and without deletes", async () => {
    const kv = await kvm.create("filtered");
    await kv.put("in.a", "1");
    await kv.put("out.a", "1");
    const watch = await kv.watch({ key: "in.>", ignoreDeletes: true });
    const seen: string[] = [];
    for await (const e of watch) {
      seen.push(`${e.key}=${e.string()}`);
      if (seen.length === 1) {
        await kv.delete("in.a");
        await kv.put("out.b", "2");
        await kv.put("in.b", "2");
      }
      if (seen.length === 2) break;
    }
    expect(seen).toEqual(["in.a=1", "in.b=2"]);
  });
});

describe("object store through consumers", () => {
  test("get reads back a multi-chunk object; list shows objects", async () => {
    const os = await objm.create("files");
    const data = new Uint8Array(400_000);
    for (let i = 0; i < data.length; i++) data[i] = (i * 7) & 0xff;
    await os.putBlob({ name: "blob.bin", options: { max_chunk_size: 64 * 1024 } }, data);
    await os.putBlob({ name: "small.txt" }, new TextEncoder().encode("hello"));
    const back = await os.getBlob("blob.bin");
    expect(back?.length).toBe(data.length);
    expect(Buffer.compare(Buffer.from(back!), Buffer.from(data))).toBe(0);
    const names = (await os.list()).map((o) => o.name).sort();
    expect(names).toEqual(["blob.bin", "small.txt"]);
  });
});
