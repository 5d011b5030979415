/**
 * KV buckets that mirror or source other buckets through the official @nats-io/kv client
 * (`mirror` and `sources` bucket options): the client asks for a mirror with mirror_direct, or
 * sources with subject transforms into the new bucket's keys; reads go through direct gets,
 * which a caught-up mirror also answers for its origin. Runs against natsd, or Go nats-server
 * with NATS_SERVER=nats-server.
 */
import { afterAll, beforeAll, expect, test } from "bun:test";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { connect, type NatsConnection } from "@nats-io/transport-node";
import { jetstreamManager, type JetStreamManager } from "@nats-io/jetstream";
import { Kvm } from "@nats-io/kv";
import { isGoServer, type RunningServer, startServer } from "../../harness/server_process.ts";
import { waitForInfo } from "./_helpers.ts";

let server: RunningServer;
let nc: NatsConnection;
let kvm: Kvm;
let jsm: JetStreamManager;
let dir: string;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), "natsd-kv-src-"));
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

test("a bucket mirroring another holds its keys and answers direct gets for it", async () => {
  const origin = await kvm.create("origin");
  await origin.put("a", "1");
  await origin.put("b", "2");
  await origin.put("a", "3");
  await origin.delete("b");
  await kvm.create("replica", { mirror: { name: "origin" } });
  const si = await waitForInfo(jsm, "KV_replica", (i) => i.state.last_seq === 4);
  expect(si.config).toMatchObject({ mirror: { name: "KV_origin" }, mirror_direct: true });
  const a = await jsm.direct.getMessage("KV_replica", { last_by_subj: "$KV.origin.a" });
  expect([a?.string(), a?.seq]).toEqual(["3", 3]);
  const b = await jsm.direct.getMessage("KV_replica", { last_by_subj: "$KV.origin.b" });
  expect(b?.header.get("KV-Operation")).toBe("DEL");
  // With the origin gone, the mirror still answers the origin's direct gets (mirror_direct).
  await jsm.streams.delete("KV_origin");
  const viaOrigin = await jsm.direct.getMessage("KV_origin", { last_by_subj: "$KV.origin.a" });
  expect([viaOrigin?.string(), viaOrigin?.seq]).toEqual(["3", 3]);
});

// The client refuses source subject transforms before nats-server 2.10.
test.skipIf(isGoServer())("a bucket sourcing two buckets holds both key sets under its name",
  async () => {
  const east = await kvm.create("east");
  const west = await kvm.create("west");
  await east.put("e1", "E1");
  await west.put("w1", "W1");
  await west.put("w2", "W2");
  const all = await kvm.create("all", { sources: [{ name: "east" }, { name: "west" }] });
  await waitForInfo(jsm, "KV_all", (i) => i.state.messages === 3);
  expect((await all.get("e1"))?.string()).toBe("E1");
  expect((await all.get("w2"))?.string()).toBe("W2");
  await east.put("e1", "E2");
  await waitForInfo(jsm, "KV_all", (i) => i.state.last_seq === 4);
  expect((await all.get("e1"))?.string()).toBe("E2");
  const status = await all.status();
  expect(status.streamInfo.sources?.map((s) => s.name).sort()).toEqual(["KV_east", "KV_west"]);
}, 20_000);
