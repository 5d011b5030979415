/**
 * The object store through the official @nats-io/obj client, as far as streams alone carry it:
 * bucket creation, putting multi-chunk objects (chunks plus a rolled-up meta message with the
 * SHA-256 digest), info, links, metadata updates, delete (purge of the chunks), seal and status.
 * Reading an object back (get, list) uses ordered consumers (issue 8); the chunks are also
 * checked through direct get. Runs against natsd, or Go nats-server with NATS_SERVER=nats-server.
 */
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { createHash } from "node:crypto";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { connect, type NatsConnection } from "@nats-io/transport-node";
import { jetstreamManager, type JetStreamManager } from "@nats-io/jetstream";
import { Objm } from "@nats-io/obj";
import { isGoServer, type RunningServer, startServer } from "../harness/server_process.ts";

let server: RunningServer;
let nc: NatsConnection;
let objm: Objm;
let jsm: JetStreamManager;
let dir: string;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), "natsd-obj-"));
  server = await startServer({ args: ["-js", "-sd", dir] });
  nc = await connect({ servers: server.url });
  objm = new Objm(nc);
  jsm = await jetstreamManager(nc);
});
afterAll(async () => {
  await nc.close();
  await server.stop();
  rmSync(dir, { recursive: true, force: true });
});

/** 1.5 MB of deterministic bytes. */
function blob(): Uint8Array {
  const data = new Uint8Array(1_500_000);
  for (let i = 0; i < data.length; i++) data[i] = (i * 31 + (i >> 8)) & 0xff;
  return data;
}

describe("object store", () => {
  test("put stores chunks and a meta message with the digest; info reads it back", async () => {
    const os = await objm.create("files");
    const data = blob();
    const info = await os.putBlob({ name: "big.bin", description: "test data" }, data);
    // The client writes the digest as padded base64url.
    const digest = createHash("sha256").update(data).digest("base64").replaceAll("+", "-")
      .replaceAll("/", "_");
    expect([info.name, info.size, info.chunks, info.digest, info.deleted]).toEqual(
      ["big.bin", data.length, 12, `SHA-256=${digest}`, false]);
    const again = await os.info("big.bin");
    expect([again?.nuid, again?.size, again?.description]).toEqual(
      [info.nuid, data.length, "test data"]);
    const si = await jsm.streams.info("OBJ_files");
    expect(si.config).toMatchObject({ subjects: ["$O.files.C.>", "$O.files.M.>"],
      allow_rollup_hdrs: true, discard: "new" });
    expect(si.state.messages).toBe(13);
  });

  test("the chunks hold the object's bytes in order", async () => {
    if (isGoServer()) return; // nats-server 2.9.10 has no batched direct get (2.11).
    const os = await objm.create("chunks");
    const data = blob();
    const info = await os.putBlob({ name: "o", options: { max_chunk_size: 500_000 } }, data);
    const parts: Uint8Array[] = [];
    const batch = await jsm.direct.getBatch("OBJ_chunks",
      { batch: 10, next_by_subj: `$O.chunks.C.${info.nuid}`, seq: 1 });
    for await (const m of batch) parts.push(m.data);
    expect(Buffer.concat(parts).equals(Buffer.from(data))).toBe(true);
  });

  test("get reads the object back through an ordered consumer; list lists it", async () => {
    const os = await objm.create("read");
    const data = blob();
    await os.putBlob({ name: "r" }, data);
    await os.putBlob({ name: "s" }, new Uint8Array([1, 2, 3]));
    const result = await os.get("r");
    const chunks: Uint8Array[] = [];
    const reader = result!.data.getReader();
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      chunks.push(value);
    }
    expect(Buffer.concat(chunks).equals(Buffer.from(data))).toBe(true);
    expect(await result!.error).toBeFalsy();
    expect((await os.list()).map((o) => o.name).sort()).toEqual(["r", "s"]);
  });

  test("replacing an object purges the old chunks; delete leaves a deleted marker", async () => {
    const os = await objm.create("rep");
    await os.putBlob({ name: "a" }, new Uint8Array(300_000));
    await os.putBlob({ name: "a" }, new Uint8Array(10));
    expect((await jsm.streams.info("OBJ_rep")).state.messages).toBe(2);
    await os.delete("a");
    const deleted = await os.info("a");
    expect([deleted?.deleted, deleted?.size]).toEqual([true, 0]);
    expect((await jsm.streams.info("OBJ_rep")).state.messages).toBe(1);
  });

  test("links, metadata updates, seal and status", async () => {
    const os = await objm.create("meta");
    const target = await os.putBlob({ name: "t" }, new Uint8Array(5));
    const link = await os.link("l", target);
    expect(link.options?.link).toMatchObject({ bucket: "meta", name: "t" });
    await os.update("t", { name: "t", description: "described" });
    expect((await os.info("t"))?.description).toBe("described");
    const status = await os.seal();
    expect(status.sealed).toBe(true);
    await expect(os.putBlob({ name: "x" }, new Uint8Array(1))).rejects.toThrow();
  });
});
