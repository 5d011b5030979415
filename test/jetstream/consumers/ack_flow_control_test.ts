/**
 * ack_policy flow_control (2.14) end to end over raw $JS.API requests: the create defaults
 * (flow control on, 1 s heartbeat, API level 4), nats-server's refusals with their err_codes,
 * and delivery paced by flow control requests whose replies (Nats-Last-Consumer /
 * Nats-Last-Stream headers) are the acks. Go 2.9.10 has no such policy, so against it the file
 * is skipped (NATS_SERVER=nats-server).
 */
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { connect, headers, type Msg, type NatsConnection } from "@nats-io/transport-node";
import { isGoServer, type RunningServer, startServer } from "../../harness/server_process.ts";

const NS = 1_000_000_000;

let dir: string;
let server: RunningServer;
let nc: NatsConnection;

/** An API response or request body, checked field by field by the tests. */
type Json = Record<string, any>;

async function api(subject: string, body: unknown): Promise<Json> {
  const reply = await nc.request(`$JS.API.${subject}`, JSON.stringify(body));
  return reply.json();
}

async function stream(name: string, count: number): Promise<void> {
  await api(`STREAM.CREATE.${name}`, { name, subjects: [`${name}.>`] });
  for (let i = 1; i <= count; i++) await nc.request(`${name}.${i}`, "x");
}

/** Messages of the deliver subject as an async queue (data and status messages alike). */
function inbox(subject: string): () => Promise<Msg> {
  const sub = nc.subscribe(subject);
  const it = sub[Symbol.asyncIterator]();
  return async () => (await it.next()).value as Msg;
}

function isFlowControlRequest(m: Msg): boolean {
  return m.headers?.code === 100 && m.headers.description === "FlowControl Request";
}

describe.skipIf(isGoServer())("ack_policy flow_control", () => {
  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), "natsd-ack-fc-"));
    server = await startServer({ config: `jetstream { store_dir: "${join(dir, "js")}" }` });
    nc = await connect({ servers: server.url });
  });
  afterAll(async () => {
    await nc?.close();
    await server?.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  test("create turns flow control on with 1 s heartbeats and needs API level 4", async () => {
    await stream("D", 0);
    const r = await api("CONSUMER.CREATE.D.c", { stream_name: "D", config: {
      name: "c", deliver_subject: "d.c", ack_policy: "flow_control" } });
    expect(r.error).toBeUndefined();
    expect(r.config.ack_policy).toBe("flow_control");
    expect(r.config.flow_control).toBe(true);
    expect(r.config.idle_heartbeat).toBe(NS);
    expect(r.config.ack_wait ?? 0).toBe(0);
    expect(r.config.max_ack_pending).toBe(1000);
    expect(r.config.metadata["_nats.req.level"]).toBe("4");
  });

  test("nats-server's refusals, in its order", async () => {
    await stream("R", 0);
    const cases: Array<[Json, number]> = [
      [{}, 10218],
      [{ deliver_subject: "r.x", max_ack_pending: -1 }, 10220],
      [{ deliver_subject: "r.x", ack_wait: NS }, 10221],
      [{ deliver_subject: "r.x", backoff: [NS] }, 10221],
      [{ deliver_subject: "r.x", max_deliver: 3 }, 10222],
    ];
    for (const [cfg, code] of cases) {
      const r = await api("CONSUMER.CREATE.R", { stream_name: "R",
        config: { ack_policy: "flow_control", ...cfg } });
      expect([JSON.stringify(cfg), r.error?.err_code]).toEqual([JSON.stringify(cfg), code]);
    }
    // Pedantic creates keep what they are given, so flow control and the heartbeat are checked.
    const noFc = await api("CONSUMER.CREATE.R", { stream_name: "R", pedantic: true,
      config: { ack_policy: "flow_control", deliver_subject: "r.x" } });
    expect(noFc.error?.err_code).toBe(10219);
  });

  test("flow control replies ack up to their last sequences and let delivery go on", async () => {
    await stream("F", 4);
    const next = inbox("f.c");
    const r = await api("CONSUMER.CREATE.F.c", { stream_name: "F", config: {
      name: "c", deliver_subject: "f.c", ack_policy: "flow_control", max_ack_pending: 2 } });
    expect(r.error).toBeUndefined();
    const seen: string[] = [];
    for (let acked = 0; acked < 4;) {
      const m = await next();
      if (m.headers?.code === 100 && !isFlowControlRequest(m)) continue; // idle heartbeat
      if (!isFlowControlRequest(m)) {
        seen.push(m.subject);
        continue;
      }
      expect(m.reply).toStartWith("$JS.FC.F.c.");
      // The request comes as soon as max_ack_pending messages are out.
      acked = seen.length;
      const h = headers();
      h.set("Nats-Last-Consumer", String(acked));
      h.set("Nats-Last-Stream", String(acked));
      nc.publish(m.reply!, new Uint8Array(0), { headers: h });
      await nc.flush();
      const info = await api("CONSUMER.INFO.F.c", {});
      expect(info.ack_floor.stream_seq).toBe(acked);
      // Delivery may already have gone on past what this loop has read.
      expect(info.num_ack_pending).toBe(info.delivered.stream_seq - acked);
    }
    expect(seen).toEqual(["F.1", "F.2", "F.3", "F.4"]);
  });

  test("acks on the message reply subjects are not listened to", async () => {
    await stream("N", 1);
    const next = inbox("n.c");
    await api("CONSUMER.CREATE.N.c", { stream_name: "N", config: {
      name: "c", deliver_subject: "n.c", ack_policy: "flow_control", max_ack_pending: 1 } });
    const m = await next();
    expect(m.subject).toBe("N.1");
    const answer = await nc.request(m.reply!, "+ACK", { timeout: 2_000 })
      .then((r) => `answered ${r.string()}`, (e) => String(e.cause ?? e));
    expect(answer).toContain("no responders");
    const info = await api("CONSUMER.INFO.N.c", {});
    expect(info.num_ack_pending).toBe(1);
  });
});
