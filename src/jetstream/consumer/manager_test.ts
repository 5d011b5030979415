import { afterEach, beforeEach, describe, expect, test } from "bun:test";
import { existsSync } from "node:fs";
import { join } from "node:path";
import { TestBed } from "../_test_bed.ts";
import { ConsumerManager } from "./manager.ts";

let bed: TestBed;
beforeEach(async () => {
  bed = await TestBed.start();
});
afterEach(async () => {
  await bed.close();
});

type Json = Record<string, unknown>;
const SECOND = 1_000_000_000n;

async function stream(name: string, extra: Json = {}): Promise<void> {
  await bed.api(`$JS.API.STREAM.CREATE.${name}`, { name, subjects: [`${name}.>`], ...extra });
}

async function consumer(stream: string, name: string, config: Json = {}): Promise<Json> {
  return await bed.api(`$JS.API.CONSUMER.CREATE.${stream}.${name}`, {
    stream_name: stream,
    config: { durable_name: name, ack_policy: "explicit", ...config },
  });
}

let inboxes = 0;

/** Pulls `n` messages through MSG.NEXT; resolves with their subjects and ack replies. */
function pull(stream: string, name: string, n: number):
  Promise<Array<{ subject: string; reply: string }>> {
  const inbox = `_INBOX.pull${++inboxes}`;
  const got: Array<{ subject: string; reply: string }> = [];
  return new Promise((resolve) => {
    const sub = bed.client.subscribe(inbox, (subject, reply) => {
      got.push({ subject, reply });
      if (got.length === n) {
        bed.client.unsubscribe(sub);
        resolve(got);
      }
    });
    bed.client.publish(`$JS.API.CONSUMER.MSG.NEXT.${stream}.${name}`, inbox, null,
      new TextEncoder().encode(String(n)));
  });
}

/** Acks with ack-sync, so the ack was processed when this resolves. */
async function ack(reply: string): Promise<void> {
  await bed.request(reply, "+ACK");
}

const state = async (name: string) =>
  ((await bed.api(`$JS.API.STREAM.INFO.${name}`)).state as Json);

describe("ConsumerManager retention", () => {
  test("a work-queue stream drops what its consumer acked, and tells the others", async () => {
    await stream("W", { retention: "workqueue" });
    await consumer("W", "a", { filter_subject: "W.a" });
    await consumer("W", "b", { filter_subject: "W.b" });
    for (const s of ["W.a", "W.b", "W.a"]) await bed.publish(s, s);
    const got = await pull("W", "a", 2);
    expect(got.map((m) => m.subject)).toEqual(["W.a", "W.a"]);
    await ack(got[0].reply);
    expect(await state("W")).toMatchObject({ messages: 2, first_seq: 2 });
    await ack(got[1].reply);
    expect(await state("W")).toMatchObject({ messages: 1, first_seq: 2, last_seq: 3 });
    const b = await bed.api("$JS.API.CONSUMER.INFO.W.b");
    expect(b.num_pending).toBe(1);
  });

  test("an interest stream keeps a message until every interested consumer acked", async () => {
    await stream("I", { retention: "interest" });
    await consumer("I", "x");
    await consumer("I", "y", { filter_subject: "I.only" });
    await bed.publish("I.one", "1");
    await bed.publish("I.only", "2");
    const manager = bed.jsa.streams.get("I")!.consumers as ConsumerManager;
    expect([manager.hasInterest("I.zzz"), manager.count]).toEqual([true, 2]);
    for (const m of await pull("I", "x", 2)) await ack(m.reply);
    // I.one only mattered to x; I.only still waits for y.
    expect(await state("I")).toMatchObject({ messages: 1, first_seq: 2 });
    for (const m of await pull("I", "y", 1)) await ack(m.reply);
    expect((await state("I")).messages).toBe(0);
  });

  test("messages a store evicts on its own (per-subject limit) leave num_pending", async () => {
    await stream("K", { max_msgs_per_subject: 1 });
    await consumer("K", "w");
    for (let i = 0; i < 3; i++) await bed.publish("K.key", `v${i}`);
    await bed.publish("K.other", "x");
    const got = await pull("K", "w", 2);
    // The pending count each delivery carries: one left after the first, none after the second.
    expect(got.map((m) => m.reply.split(".").at(-1))).toEqual(["1", "0"]);
  });

  test("deleting the last consumer of an interest stream drops its messages", async () => {
    await stream("J", { retention: "interest" });
    await consumer("J", "only");
    await bed.publish("J.1", "1");
    expect((await state("J")).messages).toBe(1);
    await bed.api("$JS.API.CONSUMER.DELETE.J.only");
    expect((await state("J")).messages).toBe(0);
  });
});

describe("ConsumerManager lifecycle", () => {
  test("consumers live under the stream's obs/ directory and come back after a restart",
    async () => {
      await stream("D");
      await consumer("D", "keep", { ack_wait: 60_000_000_000 });
      await consumer("D", "eph_named", {});
      const eph = await bed.api("$JS.API.CONSUMER.CREATE.D", { stream_name: "D",
        config: { ack_policy: "explicit" } });
      await bed.api("$JS.API.CONSUMER.CREATE.D", { stream_name: "D",
        config: { ack_policy: "explicit", name: "in_memory", mem_storage: true } });
      for (let i = 0; i < 3; i++) await bed.publish(`D.${i}`, `m${i}`);
      const delivered = await bed.requestMany("$JS.API.CONSUMER.MSG.NEXT.D.keep", "2",
        undefined, 2);
      expect(delivered.length).toBe(2);
      const d = bed.jsa.streams.get("D")!;
      await (d.consumers as ConsumerManager).consumers.get("keep")!.store.flushed();
      expect(existsSync(join(d.dir!, "obs", "keep", "o.dat"))).toBe(true);
      await bed.restart();
      const names = await bed.api("$JS.API.CONSUMER.NAMES.D");
      // Ephemerals come back too (as ephemerals); mem_storage consumers do not.
      expect(names.consumers).toEqual(["eph_named", eph.name, "keep"].sort());
      const ephInfo = await bed.api(`$JS.API.CONSUMER.INFO.D.${eph.name}`);
      expect((ephInfo.config as Json).durable_name).toBeUndefined();
      const info = await bed.api("$JS.API.CONSUMER.INFO.D.keep");
      expect([(info.delivered as Json).stream_seq, info.num_ack_pending, info.num_pending])
        .toEqual([2, 2, 1]);
    });

  test("deleting a consumer removes its state; deleting the stream removes all", async () => {
    await stream("X");
    await consumer("X", "c");
    const dir = bed.jsa.streams.get("X")!.dir!;
    expect(existsSync(join(dir, "obs", "c"))).toBe(true);
    await bed.api("$JS.API.CONSUMER.DELETE.X.c");
    expect(existsSync(join(dir, "obs", "c"))).toBe(false);
    await consumer("X", "d");
    await bed.api("$JS.API.STREAM.DELETE.X");
    expect(existsSync(dir)).toBe(false);
  });

  test("an idle ephemeral goes after its inactive threshold", async () => {
    await stream("E");
    const created = await bed.api("$JS.API.CONSUMER.CREATE.E", { stream_name: "E",
      config: { ack_policy: "explicit", inactive_threshold: 1_000_000_000 } });
    const name = created.name as string;
    const deleted = bed.collect(`$JS.EVENT.ADVISORY.CONSUMER.DELETED.E.${name}`);
    bed.clock.advance(3n * SECOND);
    await new Promise((resolve) => setImmediate(resolve));
    expect(deleted.length).toBe(1);
    expect(deleted[0].json).toMatchObject({ type: "io.nats.jetstream.advisory.v1.consumer_action",
      stream: "E", consumer: name, action: "delete" });
    expect((await bed.api("$JS.API.CONSUMER.NAMES.E")).consumers).toEqual([]);
  });
});

