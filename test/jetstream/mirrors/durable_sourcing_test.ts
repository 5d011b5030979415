/**
 * Durable sourcing (2.14's `consumer` on a mirror or source) across process kills: an interest
 * stream with two `ack_policy: flow_control` durables, a mirror reading one and a source the
 * other. The server is killed (SIGKILL) twice while they copy; at the end both copies hold
 * every message once, in order, and the flow control acks have drained the interest origin.
 * Go 2.9.10 has no durable sourcing, so against it the file is skipped.
 */
import { afterAll, expect, test } from "bun:test";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { connect, type NatsConnection } from "@nats-io/transport-node";
import { jetstreamManager } from "@nats-io/jetstream";
import { isGoServer, startServer } from "../../harness/server_process.ts";
import { accountHash } from "../../../src/jetstream/consumer/core/ack_subject.ts";
import { publishMany, readAll, waitForInfo } from "./_helpers.ts";

const ROUND_MSGS = 10_000;
const TOTAL_MSGS = 2 * ROUND_MSGS;
const dirs: string[] = [];
afterAll(() => {
  for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
});

const message = (i: number) => ({ subject: `o.${i % 8}`, payload: `p${i}` });

async function api(nc: NatsConnection, subject: string, body: unknown): Promise<any> {
  return (await nc.request(`$JS.API.${subject}`, JSON.stringify(body))).json();
}

async function durable(nc: NatsConnection, name: string, deliver: string): Promise<void> {
  const r = await api(nc, `CONSUMER.CREATE.O.${name}`, { stream_name: "O",
    config: { durable_name: name, deliver_subject: deliver, ack_policy: "flow_control" } });
  expect(r.error).toBeUndefined();
}

async function round(dir: string, fn: (nc: NatsConnection) => Promise<void>): Promise<void> {
  const server = await startServer({ args: ["-js", "-sd", dir] });
  const nc = await connect({ servers: server.url, reconnect: false });
  try {
    await fn(nc);
  } finally {
    server.signal("SIGKILL");
    await server.exited;
    await nc.close().catch(() => {});
    await server.stop();
  }
}

test.skipIf(isGoServer())("durable mirror and source survive SIGKILL: no gap, no duplicate",
  async () => {
    const dir = mkdtempSync(join(tmpdir(), "natsd-durable-src-"));
    dirs.push(dir);
    await round(dir, async (nc) => {
      const jsm = await jetstreamManager(nc);
      await jsm.streams.add({ name: "O", subjects: ["o.>"], retention: "interest" as never });
      await durable(nc, "DM", "dlv.m");
      await durable(nc, "DS", "dlv.s");
      expect(await publishMany(nc, ROUND_MSGS, message)).toBe(ROUND_MSGS);
      await api(nc, "STREAM.CREATE.M", { name: "M",
        mirror: { name: "O", consumer: { name: "DM", deliver_subject: "dlv.m" } } });
      await api(nc, "STREAM.CREATE.S", { name: "S", subjects: ["s.>"],
        sources: [{ name: "O", consumer: { name: "DS", deliver_subject: "dlv.s" } }] });
      await waitForInfo(jsm, "M", (i) => i.state.last_seq > 0);
    });
    await round(dir, async (nc) => {
      const jsm = await jetstreamManager(nc);
      expect(await publishMany(nc, ROUND_MSGS, message, ROUND_MSGS)).toBe(ROUND_MSGS);
      await waitForInfo(jsm, "S", (i) => i.state.last_seq > ROUND_MSGS / 2);
    });
    const server = await startServer({ args: ["-js", "-sd", dir] });
    const nc = await connect({ servers: server.url, reconnect: false });
    try {
      const jsm = await jetstreamManager(nc);
      const mirror = await waitForInfo(jsm, "M", (i) => i.state.last_seq === TOTAL_MSGS);
      const source = await waitForInfo(jsm, "S", (i) => i.state.messages >= TOTAL_MSGS);
      // Both durables acked everything through flow control: the interest origin is empty.
      await waitForInfo(jsm, "O", (i) => i.state.messages === 0);
      expect(mirror.mirror).toMatchObject({ name: "O", lag: 0 });
      expect(source.sources?.[0]).toMatchObject({ name: "O", lag: 0 });
      const expected = Array.from({ length: TOTAL_MSGS }, (_, i) => message(i));
      const m = await readAll(nc, "M", TOTAL_MSGS);
      expect(m.map((x) => [x.seq, x.subject, x.payload]))
        .toEqual(expected.map((x, i) => [i + 1, x.subject, x.payload]));
      const s = await readAll(nc, "S", TOTAL_MSGS);
      expect(s.map((x) => [x.subject, x.payload])).toEqual(expected.map((x) => [x.subject,
        x.payload]));
      expect(s[76].headers["Nats-Stream-Source"]).toBe(`O:C=${accountHash("DS")} 77 > > o.4`);
      expect((await jsm.streams.info("S")).state.messages).toBe(TOTAL_MSGS);
      const infos = await Promise.all(
        ["DM", "DS"].map((c) => api(nc, `CONSUMER.INFO.O.${c}`, {})));
      expect(infos.map((i) => i.ack_floor.stream_seq)).toEqual([TOTAL_MSGS, TOTAL_MSGS]);
    } finally {
      await nc.close();
      await server.stop();
    }
  }, 60_000);
