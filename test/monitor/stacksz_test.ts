/**
 * /stacksz on a running natsd with JetStream: the dump names the live connection and the
 * stream. natsd-only (Go dumps goroutine stacks; see docs/monitoring.md).
 */
import { afterAll, beforeAll, expect, test } from "bun:test";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { connect } from "@nats-io/transport-node";
import { jetstreamManager } from "@nats-io/jetstream";
import { isGoServer, type RunningServer, startServer } from "../harness/server_process.ts";
import { get } from "./monitor_http.ts";

let server: RunningServer;
let dir: string;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), "natsd-stacksz-"));
  server = await startServer({ args: ["-js", "-sd", dir, "-m", "-1"] });
});
afterAll(async () => {
  await server.stop();
  rmSync(dir, { recursive: true, force: true });
});

test.skipIf(isGoServer())("/stacksz lists connections, streams and the heap census", async () => {
  const nc = await connect({ servers: server.url, name: "stack-probe" });
  try {
    const jsm = await jetstreamManager(nc);
    await jsm.streams.add({ name: "STK", subjects: ["stk.>"] });
    const reply = await get(server, "/stacksz");
    expect(reply.status).toBe(200);
    expect(reply.body).toContain("== event loop stack at this request ==");
    expect(reply.body).toMatch(/cid \d+ Client 127\.0\.0\.1:\d+ account=\$G name="stack-probe"/);
    expect(reply.body).toContain("account $G stream STK (file) msgs=0 bytes=0 consumers=0");
    expect(reply.body).toMatch(/== heap objects by type \(top \d+\) ==\n\w+ \d+/);
  } finally {
    await nc.close();
  }
});
