import { describe, expect, test } from "bun:test";
import {
  events,
  Harness,
  msgs,
  pullConfig,
  pushConfig,
  SECOND,
  streamSeqs,
} from "./_test_harness.ts";

describe("stream events", () => {
  test("num_pending counts stored messages that match the filter", () => {
    const h = new Harness({ config: pullConfig({ filters: ["a.>"] }) });
    for (const s of ["a.1", "b.1", "a.2", "a.3"]) h.publish(s);
    expect(h.core.info(h.now).numPending).toBe(3);
  });

  test("removing a message not yet delivered lowers num_pending", () => {
    const h = new Harness({ config: pullConfig() });
    for (const s of ["a", "b", "c"]) h.publish(s);
    h.stream.removeMsg(2);
    h.core.streamRemoved(2, "b", h.now);
    expect(h.core.info(h.now).numPending).toBe(2);
    expect(streamSeqs(h.pull("r", { batch: 5, expires: 1_000_000_000 }))).toEqual([1, 3]);
  });

  test("a removal without its subject recounts num_pending from the stream", () => {
    const h = new Harness({ config: pullConfig({ filters: ["a"] }) });
    for (const s of ["a", "b", "a"]) h.publish(s);
    h.stream.removeMsg(2);
    h.core.streamRemoved(2, null, h.now);
    expect(h.core.info(h.now).numPending).toBe(2);
    h.stream.removeMsg(3);
    h.core.streamRemoved(3, null, h.now);
    expect(h.core.info(h.now).numPending).toBe(1);
  });

  test("removing a pending message settles it as terminated", () => {
    const h = new Harness({ config: pushConfig({ ackWaitNs: SECOND }), preload: ["a", "b"] });
    h.stream.removeMsg(1);
    h.core.streamRemoved(1, "a", h.now);
    const out = h.run();
    expect(events(out)).toEqual([{
      type: "terminated",
      streamSeq: 1,
      consumerSeq: 1,
      deliveries: 1,
      reason: "Unacknowledged message was deleted",
    }]);
    expect(h.core.info(h.now).numAckPending).toBe(1);
    expect(streamSeqs(h.advance(1100n * SECOND / 1000n))).toEqual([2]);
  });

  test("a redelivery of a message removed meanwhile is skipped and settled", () => {
    const h = new Harness({ config: pushConfig({ ackWaitNs: SECOND }), preload: ["a", "b"] });
    h.advance(1001n * SECOND / 1000n); // both queued for redelivery, sent again
    h.core.setInterest(false, h.now);
    h.advance(1001n * SECOND / 1000n); // queued again, not sent
    h.stream.removeMsg(1);
    h.core.setInterest(true, h.now);
    const out = h.run();
    expect(streamSeqs(out)).toEqual([2]);
    expect(events(out).map((e) => e.type)).toEqual(["terminated"]);
  });

  test("a purge below a sequence drops pending and moves the floors", () => {
    const config = pushConfig({ ackWaitNs: SECOND });
    const h = new Harness({ config, preload: ["a", "b", "c", "d"] });
    h.stream.purgeEx({ seq: 3 });
    h.core.streamPurged("", h.now);
    const info = h.core.info(h.now);
    expect(info.numAckPending).toBe(2);
    expect(info.ackFloor.streamSeq).toBe(2);
    expect(streamSeqs(h.advance(1100n * SECOND / 1000n))).toEqual([3, 4]);
  });

  test("a full purge resets the floors to delivered", () => {
    const h = new Harness({ config: pushConfig(), preload: ["a", "b"] });
    h.stream.purge();
    h.core.streamPurged("", h.now);
    const info = h.core.info(h.now);
    expect(info.numAckPending).toBe(0);
    expect(info.ackFloor).toMatchObject({ consumerSeq: 2, streamSeq: 2 });
    expect(streamSeqs(h.pub("c"))).toEqual([3]);
  });

  test("a subject purge wider than the filter drops only what is gone", () => {
    const config = pushConfig({ ackWaitNs: SECOND });
    const h = new Harness({ config, preload: ["a", "b", "a", "b"] });
    h.stream.purgeEx({ subject: "a" });
    h.core.streamPurged("a", h.now);
    expect(h.core.info(h.now).numAckPending).toBe(2);
    expect(streamSeqs(h.advance(1100n * SECOND / 1000n))).toEqual([2, 4]);
  });

  test("a subject purge covering the filter moves the consumer past the purged messages", () => {
    const h = new Harness({
      config: pushConfig({ ackWaitNs: SECOND, filters: ["a.*"] }),
      preload: ["a.1", "b", "a.2", "b", "a.3"],
    });
    h.stream.purgeEx({ subject: "a.>", keep: 1 });
    h.core.streamPurged("a.>", h.now);
    const info = h.core.info(h.now);
    expect(info.numAckPending).toBe(1);
    expect(info.ackFloor.streamSeq).toBe(4);
    expect(streamSeqs(h.advance(1100n * SECOND / 1000n))).toEqual([5]);
  });

  test("a subject purge elsewhere leaves the consumer alone", () => {
    const h = new Harness({
      config: pushConfig({ ackWaitNs: SECOND, filters: ["a.*"] }),
      preload: ["a.1", "b", "a.2"],
    });
    h.stream.purgeEx({ subject: "b" });
    h.core.streamPurged("b", h.now);
    expect(h.core.info(h.now).numAckPending).toBe(2);
  });
});

describe("reset", () => {
  test("reset to a sequence starts delivering there again with fresh state", () => {
    const h = new Harness({ config: pushConfig(), preload: ["a", "b", "c"] });
    h.core.setInterest(false, h.now);
    expect(h.core.reset(2)).toBe(2);
    const info = h.core.info(h.now);
    expect(info.numAckPending).toBe(0);
    expect(info.numPending).toBe(2);
    expect(info.ackFloor).toMatchObject({ consumerSeq: 0, streamSeq: 1 });
    h.core.setInterest(true, h.now);
    expect(msgs(h.run()).map((m) => [m.streamSeq, m.consumerSeq])).toEqual([[2, 1], [3, 2]]);
  });

  test("reset without a sequence goes back to just above the ack floor", () => {
    const h = new Harness({ config: pushConfig(), preload: ["a", "b", "c"] });
    h.ack(msgs(h.log)[0]);
    h.core.setInterest(false, h.now);
    expect(h.core.reset(0)).toBe(2);
  });

  test("reset is refused below the configured start and for other policies", () => {
    const bySeq = new Harness({
      config: pullConfig({ deliverPolicy: "by_start_sequence", optStartSeq: 5 }),
    });
    expect(bySeq.core.reset(4)).toBe("below start seq");
    expect(bySeq.core.reset(6)).toBe(6);
    const last = new Harness({ config: pullConfig({ deliverPolicy: "last" }) });
    expect(last.core.reset(3)).toBe("not allowed");
  });
});
