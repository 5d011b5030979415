/**
 * The consumer a mirror reads its origin through is internal: as nats-server, the origin's
 * consumer_count leaves it out (it is not recorded at the store level). Runs against natsd, or Go nats-server with
 * NATS_SERVER=nats-server.
 */
import { afterAll, beforeAll, expect, test } from "bun:test";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { connect, type NatsConnection } from "@nats-io/transport-node";
import { AckPolicy, jetstreamManager } from "@nats-io/jetstream";
import { type RunningServer, startServer } from "../../harness/server_process.ts";
import { publishMany, waitForInfo } from "./_helpers.ts";

let server: RunningServer;
let nc: NatsConnection;
let dir: string;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), "natsd-mirror-count-"));
  server = await startServer({ args: ["-js", "-sd", dir] });
  nc = await connect({ servers: server.url });
});
afterAll(async () => {
  await nc.close();
  await server.stop();
  rmSync(dir, { recursive: true, force: true });
});

test("a mirrored stream counts only its own consumers", async () => {
  const jsm = await jetstreamManager(nc);
  await jsm.streams.add({ name: "ORIGIN", subjects: ["o.>"] });
  await jsm.consumers.add("ORIGIN", { durable_name: "D", ack_policy: AckPolicy.Explicit });
  await publishMany(nc, 10, (i) => ({ subject: `o.${i}`, payload: `m${i}` }));
  await jsm.streams.add({ name: "COPY", mirror: { name: "ORIGIN" } });
  await waitForInfo(jsm, "COPY", (info) => info.state.messages === 10);
  const origin = await jsm.streams.info("ORIGIN");
  expect(origin.state.consumer_count).toBe(1);
});
