import { describe, expect, test } from "bun:test";
import {
  events,
  Harness,
  MS,
  msgs,
  pullConfig,
  pushConfig,
  SECOND,
  streamSeqs,
} from "./_test_harness.ts";

/** Times (ms after the first delivery) at which message 1 was delivered. */
function deliveryTimes(h: Harness, untilMs: bigint, stepMs = 50n): bigint[] {
  const start = h.now;
  const times: bigint[] = [];
  for (const m of msgs(h.log)) if (m.streamSeq === 1) times.push(0n);
  while (h.now - start < untilMs * MS) {
    for (const m of msgs(h.advance(stepMs * MS))) {
      if (m.streamSeq === 1) times.push((h.now - start) / MS);
    }
  }
  return times;
}

describe("ack wait", () => {
  test("an unacked message comes back after ack_wait (+1 ms), again and again", () => {
    const h = new Harness({ config: pushConfig({ ackWaitNs: SECOND }), preload: ["a"] });
    const times = deliveryTimes(h, 3200n, 1n);
    expect(times).toEqual([0n, 1001n, 2002n, 3003n]);
    const counts = msgs(h.log).map((m) => m.deliveries);
    expect(counts).toEqual([1, 2, 3, 4]);
    expect(h.core.info(h.now).numRedelivered).toBe(1);
  });

  test("redeliveries keep their order and consumer sequences grow", () => {
    const h = new Harness({ config: pushConfig({ ackWaitNs: SECOND }), preload: ["a", "b", "c"] });
    const again = msgs(h.advance(1100n * MS));
    expect(again.map((m) => [m.streamSeq, m.consumerSeq, m.deliveries])).toEqual([
      [1, 4, 2], [2, 5, 2], [3, 6, 2],
    ]);
  });

  test("backoff sets the wait of each redelivery and repeats its last step", () => {
    const backoffNs = [SECOND, 2n * SECOND, 4n * SECOND];
    const h = new Harness({
      config: pushConfig({ ackWaitNs: SECOND, backoffNs }),
      preload: ["a"],
    });
    const times = deliveryTimes(h, 16_000n, 1n);
    // Deliveries at 0, then +1 s, +2 s, +4 s, +4 s, +4 s (each + ~1 ms of timer slack).
    const gaps = times.slice(1).map((t, i) => (t - times[i] + 500n) / 1000n);
    expect(gaps).toEqual([1n, 2n, 4n, 4n, 4n]);
  });
});

describe("max_deliver", () => {
  test("stops after max_deliver deliveries, with one max_deliver event", () => {
    const h = new Harness({
      config: pushConfig({ ackWaitNs: SECOND, maxDeliver: 3 }),
      preload: ["a", "b"],
    });
    const got = msgs(h.log);
    h.core.ack(got[1].reply, "", new Uint8Array(0), h.now);
    h.run();
    h.advance(10n * SECOND);
    const deliveries = msgs(h.log).filter((m) => m.streamSeq === 1).map((m) => m.deliveries);
    expect(deliveries).toEqual([1, 2, 3]);
    expect(events(h.log).filter((e) => e.type === "max_deliver")).toEqual([
      { type: "max_deliver", streamSeq: 1, deliveries: 3 },
    ]);
    const info = h.core.info(h.now);
    expect(info.numAckPending).toBe(0);
    expect(info.numRedelivered).toBe(1);
    // nats-server reports the stored ack floor, which giving up on a message does not move.
    expect(info.ackFloor.streamSeq).toBe(0);
    expect(h.store!.state().pending.size).toBe(0);
    expect(h.store!.state().redelivered.get(1)).toBe(3);
  });

  test("max_deliver 1 never redelivers and reports no redeliveries", () => {
    const config = pushConfig({ ackWaitNs: SECOND, maxDeliver: 1 });
    const h = new Harness({ config, preload: ["a"] });
    h.advance(5n * SECOND);
    expect(msgs(h.log).length).toBe(1);
    expect(h.core.info(h.now).numRedelivered).toBe(0);
  });

  test("a message past max_deliver stays needed on interest streams", () => {
    const h = new Harness({
      config: pushConfig({ ackWaitNs: SECOND, maxDeliver: 2 }),
      preload: ["a"],
      retention: "interest",
    });
    h.advance(5n * SECOND);
    expect(h.core.needAck(1, "a")).toBe(true);
  });
});

describe("max_ack_pending", () => {
  test("delivery stalls at the limit and resumes when an ack frees a slot", () => {
    const h = new Harness({
      config: pullConfig({ maxAckPending: 2 }),
      preload: ["a", "b", "c", "d"],
    });
    const first = msgs(h.pull("r", { batch: 10, expires: 60_000_000_000 }));
    expect(first.map((m) => m.streamSeq)).toEqual([1, 2]);
    expect(h.core.info(h.now).numWaiting).toBe(1);
    expect(streamSeqs(h.ack(first[0]))).toEqual([3]);
    expect(streamSeqs(h.advance(SECOND))).toEqual([]);
    expect(h.core.info(h.now).numAckPending).toBe(2);
  });

  test("redeliveries still go out at the limit", () => {
    const h = new Harness({
      config: pushConfig({ maxAckPending: 1, ackWaitNs: SECOND }),
      preload: ["a", "b"],
    });
    expect(streamSeqs(h.log)).toEqual([1]);
    expect(streamSeqs(h.advance(1100n * MS))).toEqual([1]);
  });
});

describe("pending check housekeeping", () => {
  test("pending messages the stream dropped below its first sequence are forgotten", () => {
    const h = new Harness({ config: pushConfig({ ackWaitNs: SECOND }), preload: ["a", "b", "c"] });
    h.stream.compact(3);
    h.advance(1100n * MS);
    const info = h.core.info(h.now);
    expect(streamSeqs(h.log)).toEqual([1, 2, 3, 3]);
    expect(info.numAckPending).toBe(1);
    expect(info.ackFloor.streamSeq).toBe(2);
  });

  test("the periodic ack floor check terminates pending messages lost without notice", () => {
    const config = pushConfig({ ackWaitNs: 3600n * SECOND });
    const h = new Harness({ config, preload: ["a", "b", "c"] });
    const first = msgs(h.log);
    h.ack(first[0]);
    h.stream.compact(3);
    const out = h.advance(61n * SECOND);
    expect(events(out).filter((e) => e.type === "terminated").map((e) => e.streamSeq)).toEqual([2]);
    expect(h.core.info(h.now).numAckPending).toBe(1);
  });
});
