/**
 * A mirror and a source of a 100k-message stream, with the server process killed (SIGKILL)
 * and stopped (SIGTERM) while they catch up: once it runs again, both copies end identical to
 * the origin with no gap and no duplicate (the mirror with the origin's sequences too).
 * Against Go nats-server 2.9.10 the SIGKILL round becomes a SIGTERM: Go acknowledges before
 * its lazy fsync, so a killed Go origin may lose acknowledged messages its mirror already has.
 */
import { afterAll, expect, test } from "bun:test";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { connect, type NatsConnection } from "@nats-io/transport-node";
import { jetstreamManager } from "@nats-io/jetstream";
import { isGoServer, startServer } from "../../harness/server_process.ts";
import { publishMany, readAll, waitForInfo } from "./_helpers.ts";

const TOTAL_MSGS = 100_000;
const HALF_MSGS = TOTAL_MSGS / 2;
const dirs: string[] = [];
afterAll(() => {
  for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
});

const message = (i: number) => ({
  subject: `o.${i % 16}`,
  payload: `p${i}`,
  headers: i % 1000 === 0 ? { "X-N": String(i) } : undefined,
});

async function round(dir: string, fn: (nc: NatsConnection) => Promise<void>,
  stop: "SIGKILL" | "SIGTERM"): Promise<void> {
  const server = await startServer({ args: ["-js", "-sd", dir] });
  const nc = await connect({ servers: server.url, reconnect: false });
  try {
    await fn(nc);
  } finally {
    server.signal(isGoServer() ? "SIGTERM" : stop);
    await server.exited;
    await nc.close().catch(() => {});
    await server.stop();
  }
}

test("100k: mirror and source survive SIGKILL and SIGTERM mid-way, no gap, no duplicate",
  async () => {
    const dir = mkdtempSync(join(tmpdir(), "natsd-mirrors-"));
    dirs.push(dir);
    await round(dir, async (nc) => {
      const jsm = await jetstreamManager(nc);
      await jsm.streams.add({ name: "O", subjects: ["o.>"] });
      expect(await publishMany(nc, HALF_MSGS, message)).toBe(HALF_MSGS);
      // The copies start with 50k to catch up on: the kill lands while they copy.
      await jsm.streams.add({ name: "M", mirror: { name: "O" } });
      await jsm.streams.add({ name: "S", sources: [{ name: "O" }] });
      const m = await waitForInfo(jsm, "M", (i) => i.state.last_seq > 0);
      if (process.env.DEBUG_MIRRORS) console.log(`killed with M at ${m.state.last_seq}`);
    }, "SIGKILL");
    await round(dir, async (nc) => {
      expect(await publishMany(nc, HALF_MSGS, message, HALF_MSGS)).toBe(HALF_MSGS);
    }, "SIGTERM");
    const server = await startServer({ args: ["-js", "-sd", dir] });
    const nc = await connect({ servers: server.url, reconnect: false });
    try {
      const jsm = await jetstreamManager(nc);
      const origin = await jsm.streams.info("O");
      expect(origin.state.messages).toBe(TOTAL_MSGS);
      const mirror = await waitForInfo(jsm, "M", (i) => i.state.last_seq === TOTAL_MSGS);
      const source = await waitForInfo(jsm, "S", (i) => i.state.messages >= TOTAL_MSGS);
      expect(mirror.mirror).toMatchObject({ name: "O", lag: 0 });
      expect(source.sources?.[0]).toMatchObject({ name: "O", lag: 0 });
      const o = await readAll(nc, "O", TOTAL_MSGS);
      const m = await readAll(nc, "M", TOTAL_MSGS);
      expect(m).toEqual(o);
      const s = await readAll(nc, "S", TOTAL_MSGS);
      expect(s.map((x) => x.seq)).toEqual(o.map((x) => x.seq));
      expect(s.map((x) => [x.subject, x.payload, x.headers["X-N"]]))
        .toEqual(o.map((x) => [x.subject, x.payload, x.headers["X-N"]]));
      const expected = isGoServer() ? "O 77" : "O 77 > > o.12";
      expect(s[76].headers["Nats-Stream-Source"]).toBe(expected);
      // Nothing arrives late: the source stays at exactly one copy of each message.
      expect((await jsm.streams.info("S")).state.messages).toBe(TOTAL_MSGS);
    } finally {
      await nc.close();
      await server.stop();
    }
  }, 60_000);
