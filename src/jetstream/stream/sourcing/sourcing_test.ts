import { afterEach, describe, expect, test } from "bun:test";
import {
  allMsgs, createStream, header, lastSeq, msgCount, settle, TestBed, text, until,
} from "./_sourcing_bed.ts";

let bed: TestBed;
afterEach(async () => {
  await bed?.close();
});

async function publishN(b: TestBed, subject: (i: number) => string, n: number, from = 0) {
  for (let i = from; i < from + n; i++) await b.publish(subject(i), `m${i}`);
}

describe("mirror", () => {
  test("keeps the origin's sequences, times and deleted sequences", async () => {
    bed = await TestBed.start();
    await createStream(bed, { name: "O", subjects: ["o.>"] });
    await publishN(bed, (i) => `o.${i}`, 6);
    await bed.api("$JS.API.STREAM.MSG.DELETE.O", { seq: 3 });
    await bed.api("$JS.API.STREAM.MSG.DELETE.O", { seq: 4 });
    const created = await createStream(bed, { name: "M", mirror: { name: "O" } });
    expect(created.error).toBeUndefined();
    await until(bed, () => lastSeq(bed, "M") === 6);
    const origin = allMsgs(bed, "O");
    const mirror = allMsgs(bed, "M");
    expect(mirror.map((m) => [m.seq, m.subject, text(m.payload), m.ts]))
      .toEqual(origin.map((m) => [m.seq, m.subject, text(m.payload), m.ts]));
    expect(mirror.map((m) => m.seq)).toEqual([1, 2, 5, 6]);
    const info = await bed.api("$JS.API.STREAM.INFO.M");
    expect(info.mirror).toEqual({ name: "O", lag: 0, active: 0 });
  });

  test("resumes after a restart with no gap and no duplicate", async () => {
    bed = await TestBed.start();
    await createStream(bed, { name: "O", subjects: ["o.>"] });
    await createStream(bed, { name: "M", mirror: { name: "O" } });
    await publishN(bed, (i) => `o.${i % 3}`, 20);
    await until(bed, () => lastSeq(bed, "M") === 20);
    await bed.restart();
    await publishN(bed, (i) => `o.${i % 3}`, 15, 20);
    await until(bed, () => lastSeq(bed, "M") === 35);
    expect(allMsgs(bed, "M").map((m) => text(m.payload)))
      .toEqual(allMsgs(bed, "O").map((m) => text(m.payload)));
    expect(msgCount(bed, "M")).toBe(35);
  });

  test("starts at opt_start_seq and applies its subject transforms", async () => {
    bed = await TestBed.start();
    await createStream(bed, { name: "O", subjects: ["o.>"] });
    await publishN(bed, (i) => `o.${i % 2 === 0 ? "even" : "odd"}.${i}`, 10);
    await createStream(bed, { name: "M", mirror: { name: "O", opt_start_seq: 4,
      subject_transforms: [{ src: "o.even.*", dest: "e.{{wildcard(1)}}" },
        { src: "o.odd.*", dest: "d.$1" }] } });
    await until(bed, () => lastSeq(bed, "M") === 10);
    const msgs = allMsgs(bed, "M");
    expect(msgs[0].seq).toBe(4);
    expect(msgs.map((m) => m.subject)).toEqual(
      ["d.3", "e.4", "d.5", "e.6", "d.7", "e.8", "d.9"]);
    const info = await bed.api("$JS.API.STREAM.INFO.M");
    expect((info.mirror as Record<string, unknown>).subject_transforms).toEqual([
      { src: "o.even.*", dest: "e.{{wildcard(1)}}" }, { src: "o.odd.*", dest: "d.$1" }]);
  });

  test("an absent origin is reported and retried with back-off until it appears", async () => {
    bed = await TestBed.start();
    await createStream(bed, { name: "M", mirror: { name: "O" } });
    const follower = () => bed.jsa.streams.get("M")!.sourcing!.followers[0];
    await until(bed, () => follower().error !== null);
    const info = await bed.api("$JS.API.STREAM.INFO.M");
    expect((info.mirror as Record<string, unknown>).error).toEqual(
      { code: 404, err_code: 10059, description: "stream not found" });
    expect(follower().fails).toBe(1);
    // The second attempt waits 2 s plus 10 s of back-off: nothing is asked before.
    const asked = follower().requests;
    bed.clock.advance(11_000_000_000n);
    await settle();
    expect(follower().requests).toBe(asked);
    await until(bed, () => follower().fails === 2);
    expect(follower().requests).toBe(asked + 1);
    await createStream(bed, { name: "O", subjects: ["o.>"] });
    await publishN(bed, (i) => `o.${i}`, 3);
    await until(bed, () => lastSeq(bed, "M") === 3);
    expect(follower().error).toBeNull();
    expect(follower().fails).toBe(0);
  });

  test("asks again when the origin falls silent (consumer deleted)", async () => {
    bed = await TestBed.start();
    await createStream(bed, { name: "O", subjects: ["o.>"] });
    await createStream(bed, { name: "M", mirror: { name: "O" } });
    const follower = () => bed.jsa.streams.get("M")!.sourcing!.followers[0];
    await publishN(bed, (i) => `o.${i}`, 2);
    await until(bed, () => lastSeq(bed, "M") === 2);
    const names = await bed.api("$JS.API.CONSUMER.NAMES.O");
    const consumer = (names.consumers as string[])[0];
    await bed.api(`$JS.API.CONSUMER.DELETE.O.${consumer}`);
    const asked = follower().requests;
    await publishN(bed, (i) => `o.${i}`, 2, 2);
    await until(bed, () => follower().requests > asked && lastSeq(bed, "M") === 4);
    expect(allMsgs(bed, "M").map((m) => text(m.payload))).toEqual(["m0", "m1", "m2", "m3"]);
  });

  test("a new consumer replaces a live one at once (no conflict on the stable name)",
    async () => {
      bed = await TestBed.start();
      await createStream(bed, { name: "O", subjects: ["o.>"] });
      await createStream(bed, { name: "M", mirror: { name: "O" } });
      const follower = () => bed.jsa.streams.get("M")!.sourcing!.followers[0];
      await publishN(bed, (i) => `o.${i}`, 2);
      await until(bed, () => lastSeq(bed, "M") === 2);
      follower().retry();
      await publishN(bed, (i) => `o.${i}`, 2, 2);
      await until(bed, () => lastSeq(bed, "M") === 4);
      expect(follower().fails).toBe(0);
      const names = await bed.api("$JS.API.CONSUMER.NAMES.O");
      expect((names.consumers as string[]).length).toBe(1);
    });

  test("an origin deleted and recreated is followed again from the mirror's last sequence",
    async () => {
      bed = await TestBed.start();
      await createStream(bed, { name: "O", subjects: ["o.>"] });
      await createStream(bed, { name: "M", mirror: { name: "O" } });
      await publishN(bed, (i) => `o.${i}`, 3);
      await until(bed, () => lastSeq(bed, "M") === 3);
      await bed.api("$JS.API.STREAM.DELETE.O");
      await createStream(bed, { name: "O", subjects: ["o.>"] });
      // The new origin's sequences 1..3 are older than the mirror's: they are not copied.
      await publishN(bed, (i) => `o.${i}`, 5, 10);
      await until(bed, () => lastSeq(bed, "M") === 5);
      expect(allMsgs(bed, "M").map((m) => [m.seq, text(m.payload)]))
        .toEqual([[1, "m0"], [2, "m1"], [3, "m2"], [4, "m13"], [5, "m14"]]);
    });

  test("answers the origin consumer's flow control through a large backlog", async () => {
    bed = await TestBed.start();
    await createStream(bed, { name: "O", subjects: ["o.>"] });
    const big = "x".repeat(100 * 1024);
    for (let i = 0; i < 40; i++) await bed.publish(`o.${i}`, big);
    const answers = bed.collect("$JS.FC.>");
    await createStream(bed, { name: "M", mirror: { name: "O" } });
    await until(bed, () => lastSeq(bed, "M") === 40);
    expect(answers.length).toBeGreaterThan(0);
    expect(answers[0].hdr).toContain("Nats-Last-Consumer: ");
  });

  test("serves direct gets for its origin once caught up (mirror_direct)", async () => {
    bed = await TestBed.start();
    await createStream(bed, { name: "O", subjects: ["o.>"], allow_direct: true });
    await publishN(bed, (i) => `o.${i}`, 3);
    const created = await createStream(bed, { name: "M", mirror: { name: "O" },
      mirror_direct: true });
    expect((created.config as Record<string, unknown>).mirror_direct).toBe(true);
    await until(bed, () => lastSeq(bed, "M") === 3);
    await bed.api("$JS.API.STREAM.DELETE.O");
    const got = await bed.request("$JS.API.DIRECT.GET.O", '{"seq":2}');
    expect(text(got.data)).toBe("m1");
    expect(got.hdr).toContain("Nats-Stream: M");
  });
});

describe("sources", () => {
  test("stores with Nats-Stream-Source, filters, transforms, from several origins", async () => {
    bed = await TestBed.start();
    await createStream(bed, { name: "A", subjects: ["a.>"] });
    await createStream(bed, { name: "B", subjects: ["b.>"] });
    await bed.publish("a.1", "a1", { "Nats-Expected-Stream": "A", "X-Keep": "yes" });
    await bed.publish("a.2", "a2");
    await bed.publish("b.x", "bx");
    await bed.publish("b.y", "by");
    const created = await createStream(bed, { name: "S", subjects: ["s.>"], sources: [
      { name: "A", subject_transforms: [{ src: "a.*", dest: "s.a.$1" }] },
      { name: "B", filter_subject: "b.y" },
    ] });
    expect(created.error).toBeUndefined();
    await until(bed, () => msgCount(bed, "S") === 3);
    const msgs = allMsgs(bed, "S");
    const bySubject = new Map(msgs.map((m) => [m.subject, m]));
    expect([...bySubject.keys()].sort()).toEqual(["b.y", "s.a.1", "s.a.2"]);
    const a1 = bySubject.get("s.a.1")!;
    expect(header(a1, "Nats-Stream-Source")).toBe("A 1 a.* s.a.$1 a.1");
    expect(header(a1, "X-Keep")).toBe("yes");
    expect(header(a1, "Nats-Expected-Stream")).toBeNull();
    expect(header(bySubject.get("b.y")!, "Nats-Stream-Source")).toBe("B 2 b.y > b.y");
    const info = await bed.api("$JS.API.STREAM.INFO.S");
    const sources = info.sources as Record<string, unknown>[];
    expect(sources.map((s) => s.name).sort()).toEqual(["A", "B"]);
    expect(sources.find((s) => s.name === "B")).toEqual(
      { name: "B", lag: 0, active: 0, filter_subject: "b.y" });
  });

  test("resumes from the stored headers after a restart (no duplicate)", async () => {
    bed = await TestBed.start();
    await createStream(bed, { name: "A", subjects: ["a.>"] });
    await createStream(bed, { name: "S", subjects: ["s.>"], sources: [{ name: "A" }] });
    await publishN(bed, (i) => `a.${i}`, 10);
    await bed.publish("s.own", "own");
    await until(bed, () => msgCount(bed, "S") === 11);
    await bed.restart();
    await publishN(bed, (i) => `a.${i}`, 5, 10);
    await until(bed, () => msgCount(bed, "S") === 16);
    await settle();
    const payloads = allMsgs(bed, "S").map((m) => text(m.payload)).filter((p) => p !== "own");
    expect(payloads).toEqual(Array.from({ length: 15 }, (_, i) => `m${i}`));
  });

  test("opt_start_seq and opt_start_time choose the first origin message", async () => {
    bed = await TestBed.start();
    await createStream(bed, { name: "A", subjects: ["a.>"] });
    await publishN(bed, (i) => `a.${i}`, 3);
    bed.clock.advance(60_000_000_000n);
    const since = bed.clock.nowNs();
    await publishN(bed, (i) => `a.${i}`, 3, 3);
    await createStream(bed, { name: "S", sources: [{ name: "A", opt_start_seq: 5 }] });
    await createStream(bed, { name: "T", sources: [{ name: "A",
      opt_start_time: new Date(Number(since / 1_000_000n)).toISOString() }] });
    await createStream(bed, { name: "M", mirror: { name: "A",
      opt_start_time: new Date(Number(since / 1_000_000n)).toISOString() } });
    await until(bed, () => msgCount(bed, "S") === 2 && msgCount(bed, "T") === 3 &&
      msgCount(bed, "M") === 3);
    expect(allMsgs(bed, "S").map((m) => text(m.payload))).toEqual(["m4", "m5"]);
    expect(allMsgs(bed, "T").map((m) => text(m.payload))).toEqual(["m3", "m4", "m5"]);
    expect(allMsgs(bed, "M").map((m) => m.seq)).toEqual([4, 5, 6]);
  });

  test("drops duplicates by Nats-Msg-Id across origins (explicit window)", async () => {
    bed = await TestBed.start();
    await createStream(bed, { name: "A", subjects: ["a.>"] });
    await createStream(bed, { name: "B", subjects: ["b.>"] });
    await bed.publish("a.1", "x", { "Nats-Msg-Id": "one" });
    await bed.publish("b.1", "x", { "Nats-Msg-Id": "one" });
    await bed.publish("b.2", "y", { "Nats-Msg-Id": "two" });
    // Streams with sources get no default duplicate window, as in nats-server.
    await createStream(bed, { name: "S", sources: [{ name: "A" }, { name: "B" }],
      duplicate_window: 60_000_000_000 });
    const followers = () => bed.jsa.streams.get("S")!.sourcing!.followers;
    await until(bed, () => msgCount(bed, "S") === 2 &&
      followers().every((f) => f.phase === "active"));
    await settle();
    expect(msgCount(bed, "S")).toBe(2);
  });

  test("sources added and removed by an update", async () => {
    bed = await TestBed.start();
    await createStream(bed, { name: "A", subjects: ["a.>"] });
    await createStream(bed, { name: "B", subjects: ["b.>"] });
    await bed.publish("a.1", "a");
    await bed.publish("b.1", "b");
    await createStream(bed, { name: "S", sources: [{ name: "A" }] });
    await until(bed, () => msgCount(bed, "S") === 1);
    const updated = await bed.api("$JS.API.STREAM.UPDATE.S",
      { name: "S", sources: [{ name: "B" }] });
    expect(updated.error).toBeUndefined();
    await until(bed, () => msgCount(bed, "S") === 2);
    await bed.publish("a.2", "a2");
    await settle();
    bed.clock.advance(1_000_000_000n);
    await settle();
    expect(allMsgs(bed, "S").map((m) => m.subject)).toEqual(["a.1", "b.1"]);
  });
});

describe("create refusals", () => {
  test("mirror with subjects, mirror with sources, durable sourcing", async () => {
    bed = await TestBed.start();
    const withSubjects = await createStream(bed,
      { name: "M", subjects: ["x"], mirror: { name: "O" } });
    expect((withSubjects.error as Record<string, unknown>).err_code).toBe(10034);
    const both = await createStream(bed,
      { name: "M", mirror: { name: "O" }, sources: [{ name: "P" }] });
    expect((both.error as Record<string, unknown>).err_code).toBe(10031);
    const durable = await createStream(bed,
      { name: "M", mirror: { name: "O", consumer: { name: "C", deliver_subject: "d" } } });
    expect((durable.error as Record<string, unknown>).description)
      .toBe("durable sourcing is not supported by natsd yet");
  });
});
