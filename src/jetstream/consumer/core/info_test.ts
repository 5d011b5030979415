import { describe, expect, test } from "bun:test";
import { Harness, MS, msgs, pullConfig, pushConfig } from "./_test_harness.ts";

describe("consumer info numbers", () => {
  test("a new consumer on an empty stream", () => {
    const h = new Harness({ config: pullConfig() });
    expect(h.core.info(h.now)).toEqual({
      delivered: { consumerSeq: 0, streamSeq: 0, lastActiveNs: null },
      ackFloor: { consumerSeq: 0, streamSeq: 0, lastActiveNs: null },
      numAckPending: 0,
      numRedelivered: 0,
      numWaiting: 0,
      numPending: 0,
      pushBound: false,
      paused: false,
      pauseRemainingNs: 0n,
      priorityGroups: [],
    });
  });

  test("deliver new on a stream with messages starts delivered and floor at its last", () => {
    const h = new Harness({ config: pullConfig({ deliverPolicy: "new" }), preload: ["a", "b"] });
    const info = h.core.info(h.now);
    expect(info.delivered).toMatchObject({ consumerSeq: 0, streamSeq: 2 });
    expect(info.ackFloor).toMatchObject({ consumerSeq: 0, streamSeq: 2 });
  });

  test("a filtered consumer reports its last delivery, not how far it looked", () => {
    const h = new Harness({ config: pushConfig({ filters: ["a"] }), preload: ["a", "b", "b"] });
    expect(h.core.position.streamSeq).toBe(4);
    const info = h.core.info(h.now);
    expect(info.delivered).toMatchObject({ consumerSeq: 1, streamSeq: 1 });
    h.ack(msgs(h.log)[0]);
    // The store's floor follows its own delivered sequence.
    expect(h.core.info(h.now).ackFloor).toMatchObject({ consumerSeq: 1, streamSeq: 1 });
  });

  test("last active times are the last delivery and the last ack", () => {
    const h = new Harness({ config: pushConfig(), preload: ["a"] });
    const t1 = h.now;
    h.clock.advance(5n * MS);
    h.ack(msgs(h.log)[0]);
    const info = h.core.info(h.now);
    expect(info.delivered.lastActiveNs).toBe(t1);
    expect(info.ackFloor.lastActiveNs).toBe(t1 + 5n * MS);
  });

  test("num_pending is clamped to what the stream still holds", () => {
    const h = new Harness({ config: pullConfig(), preload: ["a", "b", "c"] });
    // Removed behind the consumer's back: no streamRemoved call.
    h.stream.removeMsg(2);
    h.stream.removeMsg(3);
    expect(h.core.info(h.now).numPending).toBe(1);
  });

  test("num_waiting counts live requests only", () => {
    const h = new Harness({ config: pullConfig() });
    h.pull("a", { batch: 1, expires: 1_000_000_000 });
    h.pull("b", { batch: 1, expires: 5_000_000_000 });
    expect(h.core.info(h.now).numWaiting).toBe(2);
    h.clock.advance(2_000n * MS);
    expect(h.core.info(h.now).numWaiting).toBe(1);
  });
});
