import { describe, expect, test } from "bun:test";
import {
  bytes,
  Harness,
  MS,
  msgs,
  pullConfig,
  pushConfig,
  SECOND,
  statuses,
  statusText,
  streamSeqs,
  text,
} from "./_test_harness.ts";
import type { CoreConfig } from "./types.ts";

/** ack_policy flow_control as the API sets it up: 1 s heartbeats, no ack wait. */
function ackFlowControlConfig(over: Partial<CoreConfig> = {}): CoreConfig {
  return pushConfig({ ackPolicy: "all", ackFlowControl: true, flowControl: true,
    idleHeartbeatNs: SECOND, ackWaitNs: 0n, ...over });
}

describe("push delivery", () => {
  test("messages go to the deliver subject with the original subject and an ack reply", () => {
    const h = new Harness({ config: pushConfig() });
    const [m] = msgs(h.pub("orders.new"));
    expect(m.to).toBe("deliver");
    expect(m.subject).toBe("orders.new");
    expect(m.reply).toMatch(/^\$JS\.ACK\.S\.C\.1\.1\.1\.\d+\.0$/);
    expect(text(m.payload)).toBe("orders.new");
  });

  test("the pending count in the reply counts what is left after this message", () => {
    const h = new Harness({ config: pushConfig(), preload: ["a", "b", "c"] });
    expect(msgs(h.log).map((m) => m.reply.split(".").at(-1))).toEqual(["2", "1", "0"]);
  });

  test("without interest nothing is sent; interest starts delivery", () => {
    const h = new Harness({ config: pushConfig({ deliverSubject: "nobody" }), preload: ["a"] });
    expect(h.log).toEqual([]);
    expect(h.core.info(h.now).pushBound).toBe(false);
    h.core.setInterest(true, h.now);
    expect(streamSeqs(h.run())).toEqual([1]);
    expect(h.core.info(h.now).pushBound).toBe(true);
  });

  test("a delivery that reached nobody marks the consumer inactive until interest returns", () => {
    const h = new Harness({ config: pushConfig({ ackWaitNs: SECOND }), preload: ["a"] });
    h.interest.delete("deliver");
    h.core.didNotDeliver(1, "deliver", h.now);
    expect(h.core.info(h.now).pushBound).toBe(false);
    expect(msgs(h.advance(2n * SECOND))).toEqual([]);
    h.interest.add("deliver");
    h.core.setInterest(true, h.now);
    const again = msgs(h.run());
    // The failed attempt does not count as a delivery (nats-server decDeliveryCount).
    expect(again.map((m) => [m.streamSeq, m.deliveries])).toEqual([[1, 1]]);
  });

  test("idle heartbeats every idle_heartbeat of silence, with the last sequences", () => {
    const h = new Harness({ config: pushConfig({ idleHeartbeatNs: SECOND }) });
    expect(statuses(h.advance(1000n * MS)).map(statusText)).toEqual([
      "NATS/1.0 100 Idle Heartbeat\r\nNats-Last-Consumer: 0\r\nNats-Last-Stream: 0\r\n\r\n",
    ]);
    h.advance(600n * MS);
    h.pub("a");
    expect(statuses(h.advance(900n * MS))).toEqual([]);
    expect(statuses(h.advance(200n * MS)).map(statusText)).toEqual([
      "NATS/1.0 100 Idle Heartbeat\r\nNats-Last-Consumer: 1\r\nNats-Last-Stream: 1\r\n\r\n",
    ]);
  });

  test("flow control: a request past half the window stalls delivery until answered", () => {
    const h = new Harness({ config: pushConfig({ flowControl: true, idleHeartbeatNs: SECOND }) });
    const big = "x".repeat(600 * 1024);
    for (let i = 0; i < 8; i++) h.publish("big", big);
    const out = h.run();
    // Window 2 MiB: the FC request goes out after the message that passes 1 MiB.
    expect(out.map((o) => o.kind)).toEqual(["msg", "msg", "status", "msg", "msg"]);
    const fc = statuses(out)[0];
    expect(statusText(fc)).toBe("NATS/1.0 100 FlowControl Request\r\n\r\n");
    expect(fc.reply).toMatch(/^\$JS\.FC\.S\.C\.[0-9A-Za-z]{4}$/);
    // Stalled: heartbeats say so.
    expect(statuses(h.advance(SECOND)).map(statusText)).toEqual([
      "NATS/1.0 100 Idle Heartbeat\r\nNats-Last-Consumer: 4\r\nNats-Last-Stream: 4\r\n" +
      `Nats-Consumer-Stalled: ${fc.reply}\r\n\r\n`,
    ]);
    h.core.flowControlReply("$JS.FC.S.C.nope");
    expect(h.run()).toEqual([]);
    h.core.flowControlReply(fc.reply);
    expect(streamSeqs(h.run())).toEqual([5, 6, 7, 8]);
  });

  test("ack_policy flow_control: a flow control reply's last sequences ack everything below",
    () => {
      const h = new Harness({ config: ackFlowControlConfig({ maxAckPending: 3 }) });
      for (let i = 0; i < 5; i++) h.publish("a");
      const out = h.run();
      // max_ack_pending reached: the flow control request goes out at once, delivery stalls.
      expect(out.map((o) => o.kind)).toEqual(["msg", "msg", "msg", "status"]);
      const fc = statuses(out)[0];
      expect(statusText(fc)).toBe("NATS/1.0 100 FlowControl Request\r\n\r\n");
      h.core.flowControlReply(fc.reply,
        bytes("NATS/1.0\r\nNats-Last-Consumer: 2\r\nNats-Last-Stream: 2\r\n\r\n"), h.now);
      const next = h.run();
      expect(streamSeqs(next)).toEqual([4, 5]);
      const info = h.core.info(h.now);
      expect([info.ackFloor.streamSeq, info.numAckPending]).toEqual([2, 3]);
      expect(next.filter((o) => o.kind === "stream_ack")).toEqual([]);
    });

  test("ack_policy flow_control: an idle consumer with unacked messages asks on its heartbeat",
    () => {
      const h = new Harness({ config: ackFlowControlConfig() });
      h.pub("a", "b");
      // Ack wait is zero: nothing is ever redelivered, the heartbeat carries a request instead.
      const out = h.advance(SECOND);
      expect(msgs(out)).toEqual([]);
      const [hb, fc] = statuses(out);
      expect(statusText(hb)).toBe(
        "NATS/1.0 100 Idle Heartbeat\r\nNats-Last-Consumer: 2\r\nNats-Last-Stream: 2\r\n\r\n");
      expect(statusText(fc)).toBe("NATS/1.0 100 FlowControl Request\r\n\r\n");
      // A reply with only the stream sequence (the source saw no deliveries) answers the
      // request but acks nothing: an "all" ack needs a delivered sequence above the floor.
      h.core.flowControlReply(fc.reply, bytes("NATS/1.0\r\nNats-Last-Stream: 2\r\n\r\n"),
        h.now);
      expect(h.core.info(h.now).numAckPending).toBe(2);
      const again = statuses(h.advance(SECOND));
      expect(again.map(statusText)).toEqual([statusText(hb), statusText(fc)]);
      h.core.flowControlReply(again[1].reply,
        bytes("NATS/1.0\r\nNats-Last-Consumer: 2\r\nNats-Last-Stream: 2\r\n\r\n"), h.now);
      expect(h.core.info(h.now).numAckPending).toBe(0);
      expect(statuses(h.advance(SECOND)).map(statusText)).toEqual([statusText(hb)]);
    });

  test("ack_policy flow_control: replies without headers or to a stale request ack nothing",
    () => {
      const h = new Harness({ config: ackFlowControlConfig({ maxAckPending: 2 }) });
      h.pub("a", "b", "c");
      const fc = statuses(h.log).at(-1)!;
      const last = bytes("NATS/1.0\r\nNats-Last-Consumer: 2\r\nNats-Last-Stream: 2\r\n\r\n");
      h.core.flowControlReply("$JS.FC.S.C.old", last, h.now);
      expect(h.core.info(h.now).numAckPending).toBe(2);
      h.core.flowControlReply(fc.reply, null, h.now);
      expect(h.core.info(h.now).numAckPending).toBe(2);
    });

  test("rate_limit_bps spaces deliveries out after the first burst", () => {
    // 8000 bps = 1000 B/s with a 1000 B burst.
    const h = new Harness({ config: pushConfig({ rateLimitBps: 8000 }), rateBurstBytes: 1000 });
    for (let i = 0; i < 4; i++) h.publish("r", "x".repeat(400));
    expect(streamSeqs(h.run())).toEqual([1, 2]);
    const size = BigInt(msgs(h.log)[0].reply.length + 1 + 400);
    // The third message takes the bucket 3 * size - 1000 bytes into debt: at 1000 B/s that is
    // as many milliseconds before it goes; the fourth then waits size milliseconds more.
    const debtMs = 3n * size - 1000n;
    expect(streamSeqs(h.advance(debtMs * MS - MS))).toEqual([]);
    expect(streamSeqs(h.advance(2n * MS))).toEqual([3]);
    expect(streamSeqs(h.advance(size * MS - 3n * MS))).toEqual([]);
    expect(streamSeqs(h.advance(2n * MS))).toEqual([4]);
  });

  test("replay original keeps the gaps between stored messages, then goes instant", () => {
    const h0 = new Harness({ config: pullConfig({ deliverPolicy: "new" }) });
    h0.publish("a");
    h0.clock.advance(2n * SECOND);
    h0.publish("b");
    h0.clock.advance(SECOND);
    h0.publish("c");
    const h = new Harness({
      config: pushConfig({ replayPolicy: "original" }),
      stream: h0.stream,
      clock: h0.clock,
    });
    expect(streamSeqs(h.log)).toEqual([1]);
    expect(streamSeqs(h.advance(1999n * MS))).toEqual([]);
    expect(streamSeqs(h.advance(1n * MS))).toEqual([2]);
    expect(streamSeqs(h.advance(SECOND))).toEqual([3]);
    // Caught up: new messages go at once.
    h.clock.advance(5n * SECOND);
    expect(streamSeqs(h.pub("d"))).toEqual([4]);
  });

  test("headers_only sends headers plus Nats-Msg-Size and no payload", () => {
    const h = new Harness({ config: pushConfig({ headersOnly: true }) });
    h.publish("a", "hello", bytes("NATS/1.0\r\nX: 1\r\n\r\n"));
    h.publish("b", "");
    const out = msgs(h.run());
    expect(out.map((m) => [text(m.hdr), m.payload.length])).toEqual([
      ["NATS/1.0\r\nX: 1\r\nNats-Msg-Size: 5\r\n\r\n", 0],
      ["NATS/1.0\r\nNats-Msg-Size: 0\r\n\r\n", 0],
    ]);
  });

  test("a paused consumer delivers nothing until pause_until", () => {
    const config = pushConfig({ pauseUntilNs: 1_700_000_010_000_000_000n });
    const h = new Harness({ config, preload: ["a"] });
    const info = h.core.info(h.now);
    expect(info.paused).toBe(true);
    expect(info.pauseRemainingNs).toBe(10n * SECOND);
    expect(h.log).toEqual([]);
    const out = h.advance(10n * SECOND);
    expect(out.map((o) => o.kind)).toEqual(["event", "msg"]);
    expect(h.core.info(h.now).paused).toBe(false);
  });

  test("deliveries are batched: one deliver() call sends at most the budget", () => {
    const h = new Harness({ config: pushConfig({ deliverSubject: "later" }) });
    for (let i = 0; i < 10; i++) h.publish("m");
    h.interest.add("later");
    h.core.setInterest(true, h.now);
    expect(h.core.deliver(h.now, 4)).toBe(4);
    expect(h.core.wantsDelivery).toBe(true);
    expect(h.core.deliver(h.now, 100)).toBe(6);
    expect(h.core.wantsDelivery).toBe(false);
  });
});
