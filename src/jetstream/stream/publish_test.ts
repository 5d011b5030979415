import { afterEach, beforeEach, describe, expect, test } from "bun:test";
import { TestBed } from "../_test_bed.ts";
import type { StreamConsumers } from "./consumer_hooks.ts";

const SECOND = 1_000_000_000;
let bed: TestBed;
beforeEach(async () => {
  bed = await TestBed.start();
});
afterEach(async () => {
  await bed.close();
});

async function stream(cfg: Record<string, unknown>): Promise<void> {
  const name = (cfg.name as string | undefined) ?? "S";
  const r = await bed.api(`$JS.API.STREAM.CREATE.${name}`, { name, subjects: ["s.>"], ...cfg });
  if (r.error) throw new Error(JSON.stringify(r.error));
}
const errorOf = (ack: Record<string, unknown>) =>
  (ack.error as { code: number; err_code: number; description: string } | undefined);
const state = async (name = "S") =>
  (await bed.api(`$JS.API.STREAM.INFO.${name}`)).state as Record<string, unknown>;

describe("publish acknowledgements", () => {
  test("PubAck carries the stream and sequence; errors carry seq 0", async () => {
    await stream({});
    expect((await bed.request("s.a", "x")).text).toBe('{"stream":"S","seq":1}');
    expect((await bed.request("s.a", "x", { "Nats-Expected-Stream": "T" })).text).toBe(
      '{"error":{"code":400,"err_code":10060,"description":"expected stream does not match"},' +
      '"stream":"S","seq":0}');
  });

  test("the domain goes into the PubAck", async () => {
    await bed.restart({ domain: "hub" });
    await stream({});
    expect((await bed.request("s.a")).text).toBe('{"stream":"S","domain":"hub","seq":1}');
  });

  test("no_ack streams store without answering", async () => {
    await stream({ name: "Q", subjects: ["q"], no_ack: true, storage: "memory" });
    await stream({ name: "S", storage: "memory" });
    const quiet = bed.collect("_reply.q");
    bed.client.publish("q", "_reply.q", null, new Uint8Array(1));
    // Acks of a stream go out in order after the others queued before them.
    await bed.publish("s.a");
    expect(quiet).toEqual([]);
    expect((await state("Q")).messages).toBe(1);
  });

  test("the ack waits for the store to make the write durable", async () => {
    await stream({});
    const s = bed.jsa.streams.get("S")!;
    let release!: () => void;
    const gate = new Promise<void>((resolve) => (release = resolve));
    const flushed = s.store.flushed.bind(s.store);
    s.store.flushed = () => gate.then(flushed);
    const acks = bed.collect("_reply.d");
    bed.client.publish("s.a", "_reply.d", null, new Uint8Array(1));
    await Promise.resolve();
    await new Promise((resolve) => setImmediate(resolve));
    expect(acks).toEqual([]);
    release();
    await gate;
    await s.store.flushed();
    await new Promise((resolve) => setImmediate(resolve));
    expect(acks.map((a) => a.text)).toEqual(['{"stream":"S","seq":1}']);
  });
});

describe("publish headers", () => {
  test("Nats-Msg-Id is deduplicated inside the window, stored again after it", async () => {
    await stream({ duplicate_window: 2 * SECOND });
    expect(await bed.publish("s.a", "1", { "Nats-Msg-Id": "m1" })).toEqual(
      { stream: "S", seq: 1 });
    expect((await bed.request("s.a", "1", { "Nats-Msg-Id": "m1" })).text).toBe(
      '{"stream":"S","seq":1,"duplicate": true}');
    bed.clock.advance(BigInt(3 * SECOND));
    expect((await bed.publish("s.a", "1", { "Nats-Msg-Id": "m1" })).seq).toBe(2);
    expect((await state()).messages).toBe(2);
  });

  test("Nats-Expected-Last-Sequence", async () => {
    await stream({});
    await bed.publish("s.a");
    expect((await bed.publish("s.a", "", { "Nats-Expected-Last-Sequence": "1" })).seq).toBe(2);
    expect(errorOf(await bed.publish("s.a", "", { "Nats-Expected-Last-Sequence": "1" })))
      .toEqual({ code: 400, err_code: 10071, description: "wrong last sequence: 2" });
  });

  test("Nats-Expected-Last-Subject-Sequence, also for another (wildcard) subject", async () => {
    await stream({});
    const h = (seq: string, subject?: string) => ({ "Nats-Expected-Last-Subject-Sequence": seq,
      ...(subject ? { "Nats-Expected-Last-Subject-Sequence-Subject": subject } : {}) });
    expect((await bed.publish("s.a", "", h("0"))).seq).toBe(1);
    expect((await bed.publish("s.b", "", h("0"))).seq).toBe(2);
    expect(errorOf(await bed.publish("s.a", "", h("0")))?.description)
      .toBe("wrong last sequence: 1");
    expect((await bed.publish("s.c", "", h("2", "s.*"))).seq).toBe(3);
    expect(errorOf(await bed.publish("s.a", "",
      { "Nats-Expected-Last-Subject-Sequence-Subject": "s.a" }))).toEqual({ code: 400,
      err_code: 10193, description: "missing sequence for expected last sequence per subject" });
  });

  test("Nats-Expected-Last-Msg-Id", async () => {
    await stream({});
    await bed.publish("s.a", "", { "Nats-Msg-Id": "one" });
    expect((await bed.publish("s.a", "", { "Nats-Expected-Last-Msg-Id": "one" })).seq).toBe(2);
    expect(errorOf(await bed.publish("s.a", "", { "Nats-Expected-Last-Msg-Id": "one" })))
      .toEqual({ code: 400, err_code: 10070, description: "wrong last msg ID: " });
  });

  test("Nats-Rollup: sub and all, only when allowed", async () => {
    await stream({ name: "N" , subjects: ["n.*"] });
    expect(errorOf(await bed.publish("n.a", "", { "Nats-Rollup": "sub" }))).toEqual(
      { code: 500, err_code: 10111, description: "rollup not permitted" });
    await stream({ allow_rollup_hdrs: true });
    for (const s of ["s.a", "s.a", "s.b"]) await bed.publish(s);
    expect(errorOf(await bed.publish("s.a", "", { "Nats-Rollup": "x" }))?.description)
      .toBe('rollup value invalid: "x"');
    await bed.publish("s.a", "", { "Nats-Rollup": "sub" });
    expect(await state()).toMatchObject({ messages: 2, first_seq: 3, last_seq: 4 });
    await bed.publish("s.c", "", { "Nats-Rollup": "ALL" });
    expect(await state()).toMatchObject({ messages: 1, first_seq: 5 });
  });

  test("Nats-TTL: refused unless allowed, validated, and expiring by the clock", async () => {
    await stream({ name: "N", subjects: ["n"] });
    expect(errorOf(await bed.publish("n", "", { "Nats-TTL": "5s" }))?.err_code).toBe(10166);
    await stream({ allow_msg_ttl: true, max_age: 60 * SECOND });
    expect(errorOf(await bed.publish("s.a", "", { "Nats-TTL": "10ms" }))?.err_code).toBe(10165);
    await bed.publish("s.a", "", { "Nats-TTL": "5s" });
    await bed.publish("s.b", "", { "Nats-TTL": "never" });
    await bed.publish("s.c");
    bed.clock.advance(BigInt(6 * SECOND));
    expect((await state()).messages).toBe(2);
    bed.clock.advance(BigInt(60 * SECOND));
    expect(await state()).toMatchObject({ messages: 1, first_seq: 2 });
  });

  test("headers of features natsd does not run are refused as nats-server does", async () => {
    await stream({});
    expect(errorOf(await bed.publish("s.a", "", { "Nats-Incr": "1" }))?.err_code).toBe(10168);
    expect(errorOf(await bed.publish("s.a", "", { "Nats-Schedule": "@at 2030-01-01T00:00:00Z" }))
      ?.err_code).toBe(10188);
    expect(errorOf(await bed.publish("s.a", "", { "Nats-Stream-Source": "X 1" }))?.err_code)
      .toBe(10227);
    expect((await state()).messages).toBe(0);
  });
});

describe("limits at run time", () => {
  test("max_msg_size refuses larger messages", async () => {
    await stream({ max_msg_size: 4 });
    expect((await bed.publish("s.a", "1234")).seq).toBe(1);
    expect(errorOf(await bed.publish("s.a", "12345"))).toEqual({ code: 400, err_code: 10054,
      description: "message size exceeds maximum allowed" });
  });

  test("max_msgs with discard old drops the oldest; discard new refuses", async () => {
    await stream({ max_msgs: 2 });
    for (let i = 0; i < 3; i++) await bed.publish("s.a");
    expect(await state()).toMatchObject({ messages: 2, first_seq: 2 });
    await stream({ name: "N", subjects: ["n"], max_msgs: 1, discard: "new" });
    await bed.publish("n");
    expect(errorOf(await bed.publish("n"))).toEqual({ code: 503, err_code: 10077,
      description: "maximum messages exceeded" });
  });

  test("max_bytes, max_msgs_per_subject and discard_new_per_subject", async () => {
    await stream({ storage: "memory", max_bytes: 40 });
    await bed.publish("s.a", "x".repeat(10));
    await bed.publish("s.a", "x".repeat(10));
    expect((await state()).messages).toBe(1);
    await stream({ name: "P", subjects: ["p.*"], max_msgs_per_subject: 1, discard: "new",
      discard_new_per_subject: true });
    await bed.publish("p.a");
    expect(errorOf(await bed.publish("p.a"))?.description)
      .toBe("maximum messages per subject exceeded");
    expect((await bed.publish("p.b")).seq).toBe(2);
  });

  test("max_age expires messages as the clock moves", async () => {
    await stream({ max_age: 10 * SECOND });
    await bed.publish("s.a");
    bed.clock.advance(BigInt(5 * SECOND));
    await bed.publish("s.a");
    bed.clock.advance(BigInt(6 * SECOND));
    expect(await state()).toMatchObject({ messages: 1, first_seq: 2 });
  });

  test("interest retention stores only what some consumer wants", async () => {
    await stream({ retention: "interest" });
    expect((await bed.publish("s.a")).seq).toBe(1);
    expect(await state()).toMatchObject({ messages: 0, last_seq: 1 });
    const s = bed.jsa.streams.get("S")!;
    const seen: number[] = [];
    const hooks: StreamConsumers = {
      count: 1, hasInterest: (subject) => subject === "s.b", messageStored: (seq) => seen.push(seq),
      purged: () => {}, messageRemoved: () => {}, configChanged: () => {}, stop: async () => {},
    };
    s.attachConsumers(hooks);
    await bed.publish("s.a");
    await bed.publish("s.b");
    expect(await state()).toMatchObject({ messages: 1, first_seq: 3, consumer_count: 1 });
    expect(seen).toEqual([3]);
  });

  test("first_seq starts the stream's sequences", async () => {
    await stream({ first_seq: 100 });
    expect(await state()).toMatchObject({ first_seq: 100, last_seq: 99 });
    expect((await bed.publish("s.a")).seq).toBe(100);
  });
});

describe("transforms and republish", () => {
  test("subject_transform rewrites the stored subject", async () => {
    await stream({ subjects: ["in.*"], subject_transform: { src: "in.*", dest: "out.$1" } });
    await bed.publish("in.a", "x");
    const msg = await bed.api("$JS.API.STREAM.MSG.GET.S", { seq: 1 });
    expect((msg.message as { subject: string }).subject).toBe("out.a");
  });

  test("republish sends the stored message with stream headers, or only headers", async () => {
    await stream({ republish: { src: "s.>", dest: "rp.>" } });
    const got = bed.collect("rp.>");
    await bed.publish("s.a", "one");
    await bed.publish("s.a", "two", { "X-A": "1" });
    // As in nats-server, `>` carries the tokens the source's `>` matched: s.a -> rp.a.
    expect(got.map((m) => [m.subject, m.text])).toEqual([["rp.a", "one"], ["rp.a", "two"]]);
    expect(got[0].hdr).toBe("NATS/1.0\r\nNats-Stream: S\r\nNats-Subject: s.a\r\n" +
      "Nats-Sequence: 1\r\nNats-Time-Stamp: 2023-11-14T22:13:20Z\r\nNats-Last-Sequence: 0\r\n\r\n");
    expect(got[1].hdr).toContain("X-A: 1\r\nNats-Stream: S\r\n");
    expect(got[1].hdr).toContain("Nats-Last-Sequence: 1\r\n");
    await stream({ name: "H", subjects: ["h"],
      republish: { src: "h", dest: "hh", headers_only: true } });
    const heads = bed.collect("hh");
    await bed.publish("h", "12345");
    expect(heads[0].text).toBe("");
    expect(heads[0].hdr).toContain("Nats-Msg-Size: 5\r\n");
  });
});
