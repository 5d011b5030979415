import { describe, expect, test } from "bun:test";
import {
  events,
  Harness,
  MS,
  msgs,
  type MsgOut,
  pullConfig,
  pushConfig,
  SECOND,
  streamSeqs,
} from "./_test_harness.ts";
import type { ConsumerOutput } from "./types.ts";

const ackReplies = (out: readonly ConsumerOutput[]) =>
  out.filter((o) => o.kind === "ack_reply").map((o) => (o as { to: string }).to);
const streamAcks = (out: readonly ConsumerOutput[]) =>
  out.filter((o) => o.kind === "stream_ack").map((o) => (o as { streamSeq: number }).streamSeq);

function delivered(h: Harness, n: number): MsgOut[] {
  return msgs(h.pull("r", { batch: n, expires: 60_000_000_000 }));
}

describe("explicit acks", () => {
  test("ack floor follows the contiguous acked prefix (table)", () => {
    const table: Array<{ acks: number[]; floor: number; pending: number }> = [
      { acks: [], floor: 0, pending: 5 },
      { acks: [1], floor: 1, pending: 4 },
      { acks: [2], floor: 0, pending: 4 },
      { acks: [2, 3, 1], floor: 3, pending: 2 },
      { acks: [5, 4, 3, 2, 1], floor: 5, pending: 0 },
      { acks: [1, 1, 1], floor: 1, pending: 4 },
    ];
    for (const row of table) {
      const h = new Harness({ config: pullConfig(), preload: ["a", "b", "c", "d", "e"] });
      const got = delivered(h, 5);
      for (const seq of row.acks) h.ack(got[seq - 1]);
      const info = h.core.info(h.now);
      expect({ floor: info.ackFloor.streamSeq, pending: info.numAckPending }).toEqual({
        floor: row.floor,
        pending: row.pending,
      });
      expect(info.ackFloor.consumerSeq).toBe(row.floor);
    }
  });

  test("the floor skips stream sequences the consumer never saw", () => {
    const h = new Harness({
      config: pullConfig({ filters: ["a"] }),
      preload: ["a", "x", "x", "a", "x", "a"],
    });
    const got = delivered(h, 3);
    expect(got.map((m) => m.streamSeq)).toEqual([1, 4, 6]);
    h.ack(got[0]);
    // Just below the next pending message (stream 4), consumer sequence 1.
    expect(h.core.info(h.now).ackFloor).toMatchObject({ consumerSeq: 1, streamSeq: 3 });
    h.ack(got[2]);
    h.ack(got[1]);
    expect(h.core.info(h.now).ackFloor).toMatchObject({ consumerSeq: 3, streamSeq: 6 });
  });

  test("ack-sync: a reply is sent for an ack, a nak, a term, progress and unknown bodies", () => {
    const h = new Harness({ config: pullConfig(), preload: ["a", "b", "c", "d", "e"] });
    const got = delivered(h, 5);
    const out = [
      ...h.ack(got[0], "+ACK", "r.ack"),
      ...h.ack(got[1], "-NAK", "r.nak"),
      ...h.ack(got[2], "+TERM", "r.term"),
      ...h.ack(got[3], "+WPI", "r.wpi"),
      ...h.ack(got[4], "whatever", "r.unknown"),
    ];
    expect(ackReplies(out)).toEqual(["r.ack", "r.nak", "r.term", "r.wpi", "r.unknown"]);
  });

  test("ack-sync: no reply for an ack above what was delivered, nor for +NXT", () => {
    const h = new Harness({ config: pullConfig(), preload: ["a", "b"] });
    const [first] = delivered(h, 1);
    const forged = { ...first, reply: first.reply.replace(".1.1.1.", ".1.2.1.") };
    expect(ackReplies(h.ack(forged, "+ACK", "r.forged"))).toEqual([]);
    expect(h.core.info(h.now).numAckPending).toBe(1);
    h.interest.add("r.next");
    expect(ackReplies(h.ack(first, "+NXT", "r.next"))).toEqual([]);
  });

  test("+NXT acks and asks for more on the ack's reply subject", () => {
    const h = new Harness({ config: pullConfig(), preload: ["a", "b", "c", "d"] });
    const [first] = delivered(h, 1);
    h.interest.add("inbox.next");
    const out = h.ack(first, "+NXT 2", "inbox.next");
    expect(msgs(out).map((m) => [m.to, m.streamSeq])).toEqual([
      ["inbox.next", 2],
      ["inbox.next", 3],
    ]);
    expect(h.core.info(h.now).ackFloor.streamSeq).toBe(1);
  });

  test("garbage ack subjects are ignored", () => {
    const h = new Harness({ config: pullConfig(), preload: ["a"] });
    delivered(h, 1);
    h.core.ack("$JS.ACK.S.C.x", "r", new Uint8Array(0), h.now);
    expect(h.run()).toEqual([]);
    expect(h.core.info(h.now).numAckPending).toBe(1);
  });

  test("sample_freq 100% emits an ack metric with the delay", () => {
    const h = new Harness({ config: pullConfig({ sampleFreq: 100 }), preload: ["a"] });
    const [m] = delivered(h, 1);
    h.clock.advance(250n * MS);
    expect(events(h.ack(m))).toEqual([
      { type: "ack_metric", streamSeq: 1, consumerSeq: 1, deliveries: 1, delayNs: 250n * MS },
    ]);
  });
});

describe("ack all", () => {
  test("one ack settles everything up to it", () => {
    const config = pullConfig({ ackPolicy: "all" });
    const h = new Harness({ config, preload: ["a", "b", "c", "d"] });
    const got = delivered(h, 4);
    h.ack(got[2]);
    const info = h.core.info(h.now);
    expect(info.numAckPending).toBe(1);
    expect(info.ackFloor).toMatchObject({ consumerSeq: 3, streamSeq: 3 });
    // An older ack changes nothing but is still confirmed.
    expect(ackReplies(h.ack(got[0], "+ACK", "r.old"))).toEqual(["r.old"]);
    expect(h.core.info(h.now).ackFloor.streamSeq).toBe(3);
  });

  test("on an interest stream every settled message is reported to the stream", () => {
    const h = new Harness({
      config: pullConfig({ ackPolicy: "all" }),
      preload: ["a", "b", "c", "d"],
      retention: "interest",
    });
    const got = delivered(h, 4);
    expect(streamAcks(h.ack(got[2])).sort()).toEqual([1, 2, 3]);
  });
});

describe("ack none", () => {
  test("deliveries count as acked at once", () => {
    const h = new Harness({ config: pushConfig({ ackPolicy: "none" }), preload: ["a", "b"] });
    const info = h.core.info(h.now);
    expect(info.numAckPending).toBe(0);
    expect(info.ackFloor).toMatchObject({ consumerSeq: 2, streamSeq: 2 });
    expect(info.delivered).toMatchObject({ consumerSeq: 2, streamSeq: 2 });
  });

  test("limits streams get no ack confirmation; interest streams get deliveries as acks", () => {
    const limits = new Harness({ config: pushConfig({ ackPolicy: "none" }), preload: ["a"] });
    const m = msgs(limits.log)[0];
    expect(ackReplies(limits.ack(m, "+ACK", "r"))).toEqual([]);
    const interest = new Harness({
      config: pushConfig({ ackPolicy: "none" }),
      preload: ["a", "b"],
      retention: "interest",
    });
    expect(streamAcks(interest.log)).toEqual([1, 2]);
    expect(ackReplies(interest.ack(msgs(interest.log)[0], "+ACK", "r"))).toEqual(["r"]);
  });
});

describe("nak, progress, term", () => {
  test("-NAK redelivers at once with the delivery count raised", () => {
    const h = new Harness({ config: pullConfig(), preload: ["a", "b"] });
    const got = delivered(h, 1);
    const out = h.ack(got[0], "-NAK");
    expect(events(out)).toEqual([{ type: "nak", streamSeq: 1, consumerSeq: 1, deliveries: 1 }]);
    const again = delivered(h, 2);
    expect(again.map((m) => [m.streamSeq, m.deliveries, m.consumerSeq])).toEqual([
      [1, 2, 2],
      [2, 1, 3],
    ]);
    expect(again[0].reply).toBe(`$JS.ACK.S.C.2.1.2.${again[0].reply.split(".")[7]}.1`);
    expect(h.core.info(h.now).numRedelivered).toBe(1);
  });

  test("-NAK with a delay redelivers after the delay, not before", () => {
    for (const body of ["-NAK 5s", '-NAK {"delay":5000000000}']) {
      const h = new Harness({ config: pullConfig(), preload: ["a"] });
      const [m] = delivered(h, 1);
      h.ack(m, body);
      h.pull("r2", { batch: 1, expires: 60_000_000_000 });
      expect(streamSeqs(h.advance(4900n * MS))).toEqual([]);
      expect(streamSeqs(h.advance(200n * MS))).toEqual([1]);
    }
  });

  test("-NAK for a message no longer pending or out of range is ignored", () => {
    const h = new Harness({ config: pullConfig(), preload: ["a", "b"] });
    const got = delivered(h, 2);
    h.ack(got[0]);
    expect(events(h.ack(got[0], "-NAK"))).toEqual([]);
    const future = { ...got[1], reply: got[1].reply.replace(".1.2.2.", ".1.2.9.") };
    expect(events(h.ack(future, "-NAK"))).toEqual([]);
  });

  test("+WPI restarts the ack wait", () => {
    const h = new Harness({ config: pullConfig({ ackWaitNs: 2n * SECOND }), preload: ["a"] });
    const [m] = delivered(h, 1);
    h.pull("r2", { batch: 1, expires: 60_000_000_000 });
    h.advance(1500n * MS);
    h.ack(m, "+WPI");
    expect(streamSeqs(h.advance(1900n * MS))).toEqual([]);
    expect(streamSeqs(h.advance(200n * MS))).toEqual([1]);
  });

  test("+TERM stops redelivery and reports the reason", () => {
    const h = new Harness({ config: pullConfig({ ackWaitNs: SECOND }), preload: ["a"] });
    const [m] = delivered(h, 1);
    const out = h.ack(m, "+TERM  poison message ");
    expect(events(out)).toEqual([{
      type: "terminated",
      streamSeq: 1,
      consumerSeq: 1,
      deliveries: 1,
      reason: "poison message",
    }]);
    h.pull("r2", { batch: 1, expires: 60_000_000_000 });
    expect(streamSeqs(h.advance(5n * SECOND))).toEqual([]);
    expect(h.core.info(h.now).numAckPending).toBe(0);
  });

  test("acks on an interest stream are reported to the stream; on limits they are not", () => {
    for (const retention of ["interest", "workqueue", "limits"] as const) {
      const h = new Harness({ config: pullConfig(), preload: ["a", "b"], retention });
      const got = delivered(h, 2);
      const out = [...h.ack(got[1]), ...h.ack(got[0], "+TERM")];
      expect(streamAcks(out)).toEqual(retention === "limits" ? [] : [2, 1]);
    }
  });
});
