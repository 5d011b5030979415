/**
 * Durable sourcing (2.14's `consumer` on a mirror or source): the follower resets the user's
 * `ack_policy: flow_control` consumer instead of creating one, reads its deliver subject, acks
 * through flow control replies, and resumes from the consumer's ack floor after restarts.
 */
import { afterEach, describe, expect, test } from "bun:test";
import {
  allMsgs, createStream, header, lastSeq, msgCount, TestBed, text, until,
} from "./_sourcing_bed.ts";
import { goHash } from "./source_header.ts";

let bed: TestBed;
afterEach(async () => {
  await bed?.close();
});

async function publishN(b: TestBed, subject: (i: number) => string, n: number, from = 0) {
  for (let i = from; i < from + n; i++) await b.publish(subject(i), `m${i}`);
}

/** An origin O (a work queue for flow_control acks) and a durable push consumer on it. */
async function origin(b: TestBed, consumer: string, deliver: string, ack = "flow_control") {
  const retention = ack === "flow_control" ? "workqueue" : "limits";
  await createStream(b, { name: "O", subjects: ["o.>"], retention });
  const r = await b.api(`$JS.API.CONSUMER.CREATE.O.${consumer}`, { stream_name: "O",
    config: { durable_name: consumer, deliver_subject: deliver, ack_policy: ack } });
  expect(r.error).toBeUndefined();
}

async function ackFloor(b: TestBed, consumer: string): Promise<number> {
  const info = await b.api(`$JS.API.CONSUMER.INFO.O.${consumer}`);
  return (info.ack_floor as { stream_seq: number }).stream_seq;
}

describe("durable mirror", () => {
  test("copies through the user's consumer and acks it by flow control", async () => {
    bed = await TestBed.start();
    await origin(bed, "D", "dlv.m");
    await publishN(bed, (i) => `o.${i}`, 20);
    const created = await createStream(bed,
      { name: "M", mirror: { name: "O", consumer: { name: "D", deliver_subject: "dlv.m" } } });
    expect(created.error).toBeUndefined();
    await until(bed, () => lastSeq(bed, "M") === 20);
    // The acks (flow control replies, heartbeats when idle) drain the work queue.
    await until(bed, () => msgCount(bed, "O") === 0);
    expect(await ackFloor(bed, "D")).toBe(20);
    expect(allMsgs(bed, "M").map((m) => [m.seq, m.subject, text(m.payload)]))
      .toEqual(Array.from({ length: 20 }, (_, i) => [i + 1, `o.${i}`, `m${i}`]));
    const info = await bed.api("$JS.API.STREAM.INFO.M");
    expect(info.mirror).toEqual({ name: "O", lag: 0,
      active: (info.mirror as { active: number }).active });
    // The follower never deletes the user's consumer.
    const consumers = await bed.api("$JS.API.CONSUMER.NAMES.O");
    expect(consumers.consumers).toEqual(["D"]);
  });

  test("resumes after a restart from the ack floor with no gap and no duplicate", async () => {
    bed = await TestBed.start();
    await origin(bed, "D", "dlv.m");
    await createStream(bed,
      { name: "M", mirror: { name: "O", consumer: { name: "D", deliver_subject: "dlv.m" } } });
    await publishN(bed, (i) => `o.${i % 3}`, 12);
    await until(bed, () => lastSeq(bed, "M") === 12);
    await bed.restart();
    await publishN(bed, (i) => `o.${i % 3}`, 9, 12);
    await until(bed, () => lastSeq(bed, "M") === 21 && msgCount(bed, "O") === 0);
    expect(allMsgs(bed, "M").map((m) => text(m.payload)))
      .toEqual(Array.from({ length: 21 }, (_, i) => `m${i}`));
  });

  test("a consumer that does not ack by flow control is refused (10214)", async () => {
    bed = await TestBed.start();
    await origin(bed, "E", "dlv.e", "explicit");
    await publishN(bed, (i) => `o.${i}`, 3);
    await createStream(bed,
      { name: "M", mirror: { name: "O", consumer: { name: "E", deliver_subject: "dlv.e" } } });
    const follower = () => bed.jsa.streams.get("M")!.sourcing!.followers[0];
    await until(bed, () => follower().error !== null);
    const info = await bed.api("$JS.API.STREAM.INFO.M");
    expect((info.mirror as Record<string, unknown>).error).toEqual({ code: 400,
      err_code: 10214, description: "stream mirror consumer requires flow control ack policy" });
    expect(lastSeq(bed, "M")).toBe(0);
  });
});

describe("durable source", () => {
  test("headers name the consumer; resumes after a restart without duplicates", async () => {
    bed = await TestBed.start();
    await origin(bed, "C", "dlv.s");
    await createStream(bed, { name: "S", subjects: ["s.>"],
      sources: [{ name: "O", consumer: { name: "C", deliver_subject: "dlv.s" } }] });
    await publishN(bed, (i) => `o.${i}`, 5);
    await until(bed, () => lastSeq(bed, "S") === 5);
    const first = allMsgs(bed, "S")[0];
    expect(header(first, "Nats-Stream-Source")).toBe(`O:C=${goHash("C")} 1 > > o.0`);
    await bed.restart();
    await publishN(bed, (i) => `o.${i}`, 4, 5);
    await until(bed, () => lastSeq(bed, "S") === 9 && msgCount(bed, "O") === 0);
    expect(allMsgs(bed, "S").map((m) => text(m.payload)))
      .toEqual(Array.from({ length: 9 }, (_, i) => `m${i}`));
  });

  test("a refusing consumer shows 10217 in sources[].error", async () => {
    bed = await TestBed.start();
    await origin(bed, "E", "dlv.e", "all");
    await createStream(bed, { name: "S", subjects: ["s.>"],
      sources: [{ name: "O", consumer: { name: "E", deliver_subject: "dlv.e" } }] });
    const follower = () => bed.jsa.streams.get("S")!.sourcing!.followers[0];
    await until(bed, () => follower().error !== null);
    expect(follower().error?.err_code).toBe(10217);
  });
});
