/**
 * Consumers through the official @nats-io/jetstream client against a server process: fetch,
 * next, consume, ordered consumers, push consumers, every ack form, redelivery after ack_wait,
 * max_deliver, backoff, max_ack_pending, ConsumerInfo numbers, work-queue and interest
 * retention. Runs against natsd, or Go nats-server with NATS_SERVER=nats-server (2.9.10 lacks
 * filter_subjects, pause and priority groups: those tests are natsd-only, stated per test).
 */
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { connect, type NatsConnection } from "@nats-io/transport-node";
import {
  AckPolicy, DeliverPolicy, jetstream, type JetStreamClient, jetstreamManager,
  type JetStreamManager, type JsMsg, RetentionPolicy, StorageType,
} from "@nats-io/jetstream";
import { isGoServer, type RunningServer, startServer } from "../../harness/server_process.ts";

let server: RunningServer;
let nc: NatsConnection;
let js: JetStreamClient;
let jsm: JetStreamManager;
let dir: string;
let streams = 0;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), "natsd-consumers-"));
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

/** A fresh memory stream `name` on `name.>` with `count` messages `name.<i>` = "m<i>". */
async function stream(count: number, extra: Record<string, unknown> = {}): Promise<string> {
  const name = `C${++streams}`;
  await jsm.streams.add({ name, subjects: [`${name}.>`], storage: StorageType.Memory, ...extra });
  for (let i = 0; i < count; i++) await js.publish(`${name}.${i}`, `m${i}`);
  return name;
}

const NS = 1_000_000;

describe("pull consumers", () => {
  test("fetch, next and consume deliver in order; info counts", async () => {
    const name = await stream(6);
    await jsm.consumers.add(name, { durable_name: "d", ack_policy: AckPolicy.Explicit });
    const c = await js.consumers.get(name, "d");
    const fetched: string[] = [];
    for await (const m of await c.fetch({ max_messages: 3, expires: 2000 })) {
      fetched.push(m.string());
      m.ack();
    }
    expect(fetched).toEqual(["m0", "m1", "m2"]);
    const next = await c.next({ expires: 2000 });
    expect(next?.subject).toBe(`${name}.3`);
    expect(next?.info.pending).toBe(2);
    await next?.ackAck();
    const info = await c.info();
    expect([info.delivered.stream_seq, info.ack_floor.stream_seq, info.num_pending,
      info.num_ack_pending]).toEqual([4, 4, 2, 0]);
    const seen: string[] = [];
    const messages = await c.consume({ max_messages: 10 });
    for await (const m of messages) {
      seen.push(m.string());
      m.ack();
      if (seen.length === 2) break;
    }
    expect(seen).toEqual(["m4", "m5"]);
  });

  test("a fetch takes what there is; next gives null once its expiry passes", async () => {
    const name = await stream(2);
    await jsm.consumers.add(name, { durable_name: "d", ack_policy: AckPolicy.Explicit });
    const c = await js.consumers.get(name, "d");
    const got: number[] = [];
    for await (const m of await c.fetch({ max_messages: 10, expires: 5000 })) {
      got.push(m.seq);
      m.ack();
      if (got.length === 2) break;
    }
    expect(got).toEqual([1, 2]);
    expect(await c.next({ expires: 1000 })).toBeNull();
  });

  test("ordered consumers read a filtered slice from the start", async () => {
    const name = await stream(0);
    for (const s of ["a", "b", "a", "c", "a"]) await js.publish(`${name}.${s}`, s);
    const oc = await js.consumers.get(name, { filter_subjects: `${name}.a` });
    const got: number[] = [];
    for await (const m of await oc.consume()) {
      got.push(m.seq);
      if (got.length === 3) break;
    }
    expect(got).toEqual([1, 3, 5]);
  });

  test("nak redelivers now, working delays, term ends delivery", async () => {
    const name = await stream(3);
    await jsm.consumers.add(name, { durable_name: "d", ack_policy: AckPolicy.Explicit,
      ack_wait: 30_000 * NS });
    const c = await js.consumers.get(name, "d");
    const seen: Array<[number, number]> = [];
    for await (const m of await c.consume({ max_messages: 10 })) {
      seen.push([m.seq, m.info.deliveryCount]);
      if (m.seq === 1 && m.info.deliveryCount === 1) m.nak();
      else if (m.seq === 2) m.term();
      else {
        m.working();
        // ackAck: the server answers once this and every earlier ack was processed.
        await m.ackAck();
      }
      if (seen.length === 4) break;
    }
    expect(seen).toEqual([[1, 1], [2, 1], [3, 1], [1, 2]]);
    const info = await c.info();
    expect([info.num_ack_pending, info.num_redelivered, info.ack_floor.stream_seq])
      .toEqual([0, 0, 3]);
  });

  test("an unacked message comes back after ack_wait with redelivered set", async () => {
    const name = await stream(1);
    await jsm.consumers.add(name, { durable_name: "d", ack_policy: AckPolicy.Explicit,
      ack_wait: 300 * NS });
    const c = await js.consumers.get(name, "d");
    const deliveries: Array<[number, boolean]> = [];
    for await (const m of await c.consume()) {
      deliveries.push([m.info.deliveryCount, m.redelivered]);
      if (deliveries.length === 2) {
        m.ack();
        break;
      }
    }
    expect(deliveries).toEqual([[1, false], [2, true]]);
  });

  test("max_deliver stops redelivery; backoff steps the waits", async () => {
    const name = await stream(1);
    await jsm.consumers.add(name, { durable_name: "d", ack_policy: AckPolicy.Explicit,
      max_deliver: 3, backoff: [100 * NS, 200 * NS] });
    const c = await js.consumers.get(name, "d");
    const counts: number[] = [];
    for await (const m of await c.fetch({ max_messages: 10, expires: 2000 })) {
      counts.push(m.info.deliveryCount);
    }
    expect(counts).toEqual([1, 2, 3]);
    const info = await c.info();
    expect([info.num_ack_pending, info.num_redelivered]).toEqual([0, 1]);
    expect(info.config.ack_wait).toBe(100 * NS);
  });

  test("max_ack_pending holds deliveries until acks arrive", async () => {
    const name = await stream(5);
    await jsm.consumers.add(name, { durable_name: "d", ack_policy: AckPolicy.Explicit,
      max_ack_pending: 2 });
    const c = await js.consumers.get(name, "d");
    const got: JsMsg[] = [];
    for await (const m of await c.consume({ max_messages: 10 })) {
      got.push(m);
      if (got.length === 2) {
        const info = await c.info();
        expect([info.num_ack_pending, info.num_pending]).toEqual([2, 3]);
        m.ack();
      }
      if (got.length === 3) break;
    }
    expect(got.map((m) => m.seq)).toEqual([1, 2, 3]);
  });
});

describe("push consumers", () => {
  test("a durable push consumer delivers to its subject; acks settle it", async () => {
    const name = await stream(3);
    await jsm.consumers.add(name, { durable_name: "p", ack_policy: AckPolicy.Explicit,
      deliver_subject: `deliver.${name}` });
    const pc = await js.consumers.getPushConsumer(name, "p");
    const got: string[] = [];
    for await (const m of await pc.consume()) {
      got.push(m.subject);
      await m.ackAck();
      if (got.length === 3) break;
    }
    expect(got).toEqual([`${name}.0`, `${name}.1`, `${name}.2`]);
    const info = await jsm.consumers.info(name, "p");
    expect([info.ack_floor.stream_seq, info.num_pending]).toEqual([3, 0]);
  });

  test("flow control: megabytes flow through a push consumer that answers the requests",
    async () => {
      const name = await stream(0);
      const blob = new Uint8Array(200 * 1024).fill(7);
      for (let i = 0; i < 20; i++) await js.publish(`${name}.big`, blob);
      await jsm.consumers.add(name, { durable_name: "fc", ack_policy: AckPolicy.None,
        deliver_subject: `fc.${name}`, flow_control: true, idle_heartbeat: 1_000 * NS });
      const pc = await js.consumers.getPushConsumer(name, "fc");
      let bytes = 0;
      let count = 0;
      for await (const m of await pc.consume()) {
        bytes += m.data.length;
        if (++count === 20) break;
      }
      expect(bytes).toBe(20 * blob.length);
    });

  test("an ordered push consumer reads everything once", async () => {
    const name = await stream(4);
    const pc = await js.consumers.getPushConsumer(name);
    const got: number[] = [];
    for await (const m of await pc.consume()) {
      got.push(m.seq);
      if (got.length === 4) break;
    }
    expect(got).toEqual([1, 2, 3, 4]);
  });
});

describe("deliver policies and info", () => {
  test("last, new, by_start_sequence and last_per_subject start where asked", async () => {
    const name = await stream(0);
    for (const s of ["x", "y", "x", "z"]) await js.publish(`${name}.${s}`, s);
    const first = async (cfg: Record<string, unknown>) => {
      const ci = await jsm.consumers.add(name, { ack_policy: AckPolicy.Explicit, ...cfg });
      if (ci.num_pending === 0) return [0, ci.delivered.stream_seq];
      const c = await js.consumers.get(name, ci.name);
      const m = await c.next({ expires: 2000 });
      return [ci.num_pending, m?.seq ?? 0];
    };
    expect(await first({ deliver_policy: DeliverPolicy.Last })).toEqual([1, 4]);
    // deliver new: nothing pending, delivered starts at the stream's last sequence.
    expect(await first({ deliver_policy: DeliverPolicy.New })).toEqual([0, 4]);
    expect(await first({ deliver_policy: DeliverPolicy.StartSequence, opt_start_seq: 3 }))
      .toEqual([2, 3]);
    expect(await first({ deliver_policy: DeliverPolicy.LastPerSubject,
      filter_subject: `${name}.*` })).toEqual([3, 2]);
  });

  test("consumer names, list and delete", async () => {
    const name = await stream(0);
    for (const d of ["b", "a"]) {
      await jsm.consumers.add(name, { durable_name: d, ack_policy: AckPolicy.Explicit });
    }
    const names: string[] = [];
    for await (const n of jsm.consumers.list(name)) names.push(n.name);
    expect(names.sort()).toEqual(["a", "b"]);
    expect(await jsm.consumers.delete(name, "a")).toBe(true);
    await expect(jsm.consumers.info(name, "a")).rejects.toThrow(/consumer not found/);
  });
});

describe("retention", () => {
  test("work-queue streams drop what was acked", async () => {
    const name = await stream(3, { retention: RetentionPolicy.Workqueue });
    await jsm.consumers.add(name, { durable_name: "w", ack_policy: AckPolicy.Explicit });
    const c = await js.consumers.get(name, "w");
    for await (const m of await c.fetch({ max_messages: 2, expires: 1000 })) await m.ackAck();
    const si = await jsm.streams.info(name);
    expect([si.state.messages, si.state.first_seq]).toEqual([1, 3]);
  });

  test("interest streams keep a message until every consumer acked it", async () => {
    const name = await stream(0, { retention: RetentionPolicy.Interest });
    for (const d of ["a", "b"]) {
      await jsm.consumers.add(name, { durable_name: d, ack_policy: AckPolicy.Explicit });
    }
    await js.publish(`${name}.1`, "x");
    const a = await js.consumers.get(name, "a");
    await (await a.next({ expires: 1000 }))?.ackAck();
    expect((await jsm.streams.info(name)).state.messages).toBe(1);
    const b = await js.consumers.get(name, "b");
    await (await b.next({ expires: 1000 }))?.ackAck();
    expect((await jsm.streams.info(name)).state.messages).toBe(0);
  });
});

describe("natsd only (features after 2.9.10)", () => {
  test.skipIf(isGoServer())("filter_subjects and pause", async () => {
    const name = await stream(0);
    for (const s of ["a", "b", "c"]) await js.publish(`${name}.${s}`, s);
    const ci = await jsm.consumers.add(name, { durable_name: "f", ack_policy: AckPolicy.Explicit,
      filter_subjects: [`${name}.a`, `${name}.c`] });
    expect(ci.num_pending).toBe(2);
    const paused = await jsm.consumers.pause(name, "f", new Date(Date.now() + 60_000));
    expect(paused.paused).toBe(true);
    const c = await js.consumers.get(name, "f");
    expect((await c.info()).num_ack_pending).toBe(0);
    await jsm.consumers.resume(name, "f");
    expect((await c.next({ expires: 2000 }))?.seq).toBe(1);
  });
});
