import { describe, expect, test } from "bun:test";
import {
  events,
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
import type { ConsumerOutput } from "./types.ts";

const texts = (out: readonly ConsumerOutput[]) => statuses(out).map(statusText);
const EXP = 10_000_000_000; // 10 s

describe("pull requests", () => {
  test("a batch takes up to its size, then the request is done", () => {
    const h = new Harness({ config: pullConfig(), preload: ["a", "b", "c"] });
    const out = h.pull("r", { batch: 2, expires: EXP });
    expect(msgs(out).map((m) => [m.to, m.subject, m.streamSeq])).toEqual([
      ["r", "a", 1],
      ["r", "b", 2],
    ]);
    expect(h.core.info(h.now).numWaiting).toBe(0);
  });

  test("an empty body asks for one message; a number for that many", () => {
    const h = new Harness({ config: pullConfig(), preload: ["a", "b", "c", "d"] });
    expect(streamSeqs(h.pull("r1", ""))).toEqual([1]);
    expect(streamSeqs(h.pull("r2", "2"))).toEqual([2, 3]);
  });

  test("waiting requests are served round-robin as messages arrive", () => {
    const h = new Harness({ config: pullConfig() });
    h.pull("r1", { batch: 2, expires: EXP });
    h.pull("r2", { batch: 2, expires: EXP });
    expect(msgs(h.pub("a", "b", "c", "d")).map((m) => m.to)).toEqual(["r1", "r2", "r1", "r2"]);
  });

  test("an expired request gets 408 with what was left of it", () => {
    const h = new Harness({ config: pullConfig(), preload: ["a"] });
    h.pull("r", { batch: 5, expires: 1_000_000_000, max_bytes: 4096 });
    expect(texts(h.advance(999n * MS))).toEqual([]);
    const out = h.advance(2n * MS);
    expect(statuses(out).map((s) => s.to)).toEqual(["r"]);
    expect(texts(out)).toEqual([
      "NATS/1.0 408 Request Timeout\r\nNats-Pending-Messages: 4\r\nNats-Pending-Bytes: " +
      `${4096 - msgs(h.log)[0].reply.length - 2}\r\n\r\n`,
    ]);
  });

  test("no_wait on nothing pending gets 404 at once", () => {
    const h = new Harness({ config: pullConfig() });
    expect(texts(h.pull("r", { batch: 3, no_wait: true }))).toEqual([
      "NATS/1.0 404 No Messages\r\n\r\n",
    ]);
    expect(h.core.info(h.now).numWaiting).toBe(0);
  });

  test("no_wait gets what there is, then 404 at the end of the stream", () => {
    const h = new Harness({ config: pullConfig(), preload: ["a", "b"] });
    const out = h.pull("r", { batch: 5, no_wait: true });
    expect(out.map((o) => o.kind)).toEqual(["msg", "msg", "status"]);
    expect(texts(out)).toEqual(["NATS/1.0 404 No Messages\r\n\r\n"]);
  });

  test("no_wait with expires waits for a first message, then ends at the stream end", () => {
    const h = new Harness({ config: pullConfig() });
    expect(h.pull("r", { batch: 5, no_wait: true, expires: EXP })).toEqual([]);
    const out = h.pub("a");
    expect(out.map((o) => o.kind)).toEqual(["msg", "status"]);
    expect(texts(out)).toEqual(["NATS/1.0 404 No Messages\r\n\r\n"]);
  });

  test("no_wait when earlier requests cover what is pending gets 408 Requests Pending", () => {
    const h = new Harness({ config: pullConfig({ maxAckPending: 1 }), preload: ["a", "b"] });
    h.pull("r1", { batch: 5, expires: EXP });
    expect(texts(h.pull("r2", { batch: 1, no_wait: true }))).toEqual([
      "NATS/1.0 408 Requests Pending\r\n\r\n",
    ]);
  });

  test("max_bytes: a message too big for the request gets 409 and ends it", () => {
    const h = new Harness({ config: pullConfig() });
    h.publish("a", "x".repeat(100));
    const out = h.pull("r", { batch: 2, max_bytes: 50, expires: EXP });
    expect(texts(out)).toEqual([
      "NATS/1.0 409 Message Size Exceeds MaxBytes\r\nNats-Pending-Messages: 2\r\n" +
      "Nats-Pending-Bytes: 50\r\n\r\n",
    ]);
    expect(h.core.info(h.now).numWaiting).toBe(0);
    // The message was not lost: the next request gets it.
    expect(streamSeqs(h.pull("r2", { batch: 1, expires: EXP }))).toEqual([1]);
  });

  test("max_bytes: a batch done with bytes left ends with 409 Batch Completed", () => {
    const h = new Harness({ config: pullConfig(), preload: ["a"] });
    const out = h.pull("r", { batch: 1, max_bytes: 1000, expires: EXP });
    const size = 1 + msgs(out)[0].reply.length + 1;
    expect(texts(out)).toEqual([
      "NATS/1.0 409 Batch Completed\r\nNats-Pending-Messages: 0\r\n" +
      `Nats-Pending-Bytes: ${1000 - size}\r\n\r\n`,
    ]);
  });

  test("max_bytes used up exactly ends the request after that message", () => {
    const h = new Harness({ config: pullConfig(), preload: ["a", "b"] });
    const probe = new Harness({ config: pullConfig(), preload: ["a"] });
    const exact = 1 + msgs(probe.pull("p", "1"))[0].reply.length + 1;
    const out = h.pull("r", { batch: 10, max_bytes: exact, expires: EXP });
    expect(streamSeqs(out)).toEqual([1]);
    expect(texts(out)).toEqual([]);
    expect(h.core.info(h.now).numWaiting).toBe(0);
  });

  test("a full waiting queue answers 409 Exceeded MaxWaiting (not with heartbeats)", () => {
    const h = new Harness({ config: pullConfig({ maxWaiting: 2 }) });
    h.pull("r1", { batch: 1, expires: EXP });
    h.pull("r2", { batch: 1, expires: EXP });
    expect(texts(h.pull("r3", { batch: 1, expires: EXP }))).toEqual([
      "NATS/1.0 409 Exceeded MaxWaiting\r\n\r\n",
    ]);
    const withHeartbeat = { batch: 1, expires: EXP, idle_heartbeat: 1_000_000_000 };
    expect(texts(h.pull("r4", withHeartbeat))).toEqual([]);
  });

  test("request heartbeats: 100 Idle Heartbeat while idle, pushed back by deliveries", () => {
    const h = new Harness({ config: pullConfig() });
    h.pull("r", { batch: 5, expires: EXP, idle_heartbeat: 1_000_000_000 });
    const hb = "NATS/1.0 100 Idle Heartbeat\r\nNats-Last-Consumer: 0\r\n" +
      "Nats-Last-Stream: 0\r\n\r\n";
    expect(texts(h.advance(1001n * MS))).toEqual([hb]);
    h.advance(500n * MS);
    h.pub("a");
    expect(texts(h.advance(900n * MS))).toEqual([]);
    expect(texts(h.advance(200n * MS))).toEqual([
      "NATS/1.0 100 Idle Heartbeat\r\nNats-Last-Consumer: 1\r\nNats-Last-Stream: 1\r\n\r\n",
    ]);
  });

  test("requests over the consumer's limits are refused with Go's texts", () => {
    const h = new Harness({
      config: pullConfig({ maxBatch: 10, maxExpiresNs: 60n * SECOND, maxBytes: 1024 }),
    });
    expect(texts(h.pull("a", { batch: 11 }))).toEqual([
      "NATS/1.0 409 Exceeded MaxRequestBatch of 10\r\n\r\n",
    ]);
    expect(texts(h.pull("b", { batch: 1, expires: 61_000_000_000 }))).toEqual([
      "NATS/1.0 409 Exceeded MaxRequestExpires of 1m0s\r\n\r\n",
    ]);
    expect(texts(h.pull("c", { batch: 1, max_bytes: 2048 }))).toEqual([
      "NATS/1.0 409 Exceeded MaxRequestMaxBytes of 1024\r\n\r\n",
    ]);
    expect(texts(h.pull("d", '{"batch":'))).toEqual([
      "NATS/1.0 400 Bad Request - unexpected end of JSON input\r\n\r\n",
    ]);
    expect(texts(h.pull("e", { batch: 1, expires: 1_000_000_000, idle_heartbeat: 900_000_000 })))
      .toEqual(["NATS/1.0 400 Bad Request - heartbeat value too large\r\n\r\n"]);
  });

  test("a push consumer answers pull requests with 409 Consumer is push based", () => {
    const h = new Harness({ config: pushConfig() });
    expect(texts(h.pull("r", "1"))).toEqual(["NATS/1.0 409 Consumer is push based\r\n\r\n"]);
  });

  test("a request nobody listens to any more is dropped without a reply", () => {
    const h = new Harness({ config: pullConfig() });
    h.pull("r", { batch: 1, expires: EXP });
    h.interest.delete("r");
    expect(h.core.info(h.now).numWaiting).toBe(0);
    expect(msgs(h.pub("a"))).toEqual([]);
  });

  test("a request through a service import whose requester left gets 408 Interest Expired",
    () => {
      const h = new Harness({ config: pullConfig() });
      h.pull("_R_.abc.def", { batch: 2, expires: EXP });
      h.imported.add("_R_.abc.def");
      h.interest.delete("_R_.abc.def");
      const out = h.pub("a");
      expect(msgs(out)).toEqual([]);
      expect(statuses(out).map((s) => [s.to, statusText(s)])).toEqual([["_R_.abc.def",
        "NATS/1.0 408 Interest Expired\r\nNats-Pending-Messages: 2\r\n" +
        "Nats-Pending-Bytes: 0\r\n\r\n"]]);
      expect(h.core.info(h.now).numWaiting).toBe(0);
    });

  test("deleting the consumer answers waiting requests with 409 Consumer Deleted", () => {
    const h = new Harness({ config: pullConfig() });
    h.pull("r1", { batch: 1, expires: EXP });
    h.pull("r2", { batch: 1, expires: EXP });
    h.core.stop({ deleted: true });
    const out = h.run();
    expect(statuses(out).map((s) => [s.to, statusText(s)])).toEqual([
      ["r1", "NATS/1.0 409 Consumer Deleted\r\n\r\n"],
      ["r2", "NATS/1.0 409 Consumer Deleted\r\n\r\n"],
    ]);
    expect(h.core.nextDeadline()).toBe(null);
  });

  test("a delivery that reached nobody is credited back and redelivered", () => {
    const h2 = new Harness({ config: pullConfig(), preload: ["a", "b"] });
    const first = msgs(h2.pull("r", { batch: 1, expires: EXP }))[0];
    h2.pull("r2", { batch: 3, expires: EXP });
    h2.core.didNotDeliver(first.streamSeq, "r", h2.now);
    const out = h2.run();
    expect(msgs(out).map((x) => [x.streamSeq, x.deliveries, x.to])).toEqual([[1, 1, "r2"]]);
  });
});

describe("priority groups", () => {
  const group = (extra: object) => ({ batch: 1, expires: EXP, group: "jobs", ...extra });

  test("requests must name a known group", () => {
    const h = new Harness({
      config: pullConfig({ priorityPolicy: "overflow", priorityGroups: ["jobs"] }),
    });
    expect(texts(h.pull("a", { batch: 1, min_pending: 1 }))).toEqual([
      "NATS/1.0 400 Bad Request - Priority Group missing\r\n\r\n",
    ]);
    expect(texts(h.pull("b", { batch: 1, group: "other" }))).toEqual([
      "NATS/1.0 400 Bad Request - Invalid Priority Group\r\n\r\n",
    ]);
    expect(texts(h.pull("c", group({ id: "x" })))).toEqual([
      "NATS/1.0 400 Bad Request - Not a Pinned Client Priority consumer\r\n\r\n",
    ]);
    expect(texts(h.pull("d", group({ priority: 10 })))).toEqual([
      "NATS/1.0 400 Bad Request - Priority must be between 0 and 9\r\n\r\n",
    ]);
    const plain = new Harness({ config: pullConfig() });
    expect(texts(plain.pull("e", group({ min_pending: 3 })))).toEqual([
      "NATS/1.0 400 Bad Request - Not a Overflow Priority consumer\r\n\r\n",
    ]);
  });

  test("overflow: a request with min_pending is served only past that backlog", () => {
    const h = new Harness({
      config: pullConfig({ priorityPolicy: "overflow", priorityGroups: ["jobs"] }),
    });
    h.pull("overflow", { ...group({ min_pending: 3 }), batch: 5 });
    expect(msgs(h.pub("a", "b"))).toEqual([]);
    // With the third message the backlog reaches 3: the overflow request gets one, which
    // brings the backlog under the threshold again.
    expect(streamSeqs(h.pub("c"))).toEqual([1]);
    expect(streamSeqs(h.pub("d"))).toEqual([2]);
  });

  test("pinned_client: the first requester is pinned, others wait, wrong pins get 423", () => {
    const h = new Harness({
      config: pullConfig({
        priorityPolicy: "pinned_client",
        priorityGroups: ["jobs"],
        pinnedTtlNs: 2n * SECOND,
      }),
      preload: ["a", "b"],
    });
    const first = h.pull("one", { ...group({}), batch: 1 });
    expect(msgs(first).map((m) => [m.to, text(m.hdr)])).toEqual([
      ["one", "NATS/1.0\r\nNats-Pin-Id: PIN1\r\n\r\n"],
    ]);
    expect(events(first)).toEqual([{ type: "pinned", group: "jobs", pinId: "PIN1" }]);
    expect(msgs(h.pull("two", group({})))).toEqual([]);
    expect(texts(h.pull("three", group({ id: "PIN9" })))).toEqual([
      "NATS/1.0 423 Nats-Pin-Id mismatch\r\n\r\n",
    ]);
    expect(msgs(h.pull("one", group({ id: "PIN1" }))).map((m) => m.to)).toEqual(["one"]);
    expect(h.core.info(h.now).priorityGroups).toEqual([
      { group: "jobs", pinnedClientId: "PIN1", pinnedTsNs: h.now },
    ]);
  });

  test("pinned_client: the pin expires after priority_timeout without requests", () => {
    const h = new Harness({
      config: pullConfig({
        priorityPolicy: "pinned_client",
        priorityGroups: ["jobs"],
        pinnedTtlNs: 2n * SECOND,
      }),
    });
    h.pull("one", { ...group({}), expires: 60_000_000_000 });
    h.pub("a");
    h.pull("two", { ...group({}), expires: 60_000_000_000 });
    const out = h.advance(2001n * MS);
    expect(events(out)).toEqual([{ type: "unpinned", group: "jobs", reason: "timeout" }]);
    const next = h.pub("b");
    expect(msgs(next).map((m) => [m.to, text(m.hdr)])).toEqual([
      ["two", "NATS/1.0\r\nNats-Pin-Id: PIN2\r\n\r\n"],
    ]);
  });

  test("unpin drops the pin so the next request is pinned afresh", () => {
    const h = new Harness({
      config: pullConfig({
        priorityPolicy: "pinned_client",
        priorityGroups: ["jobs"],
        pinnedTtlNs: SECOND,
      }),
      preload: ["a", "b"],
    });
    h.pull("one", group({}));
    expect(h.core.unpin("other", h.now)).toBe(false);
    expect(h.core.unpin("jobs", h.now)).toBe(true);
    expect(events(h.run())).toEqual([{ type: "unpinned", group: "jobs", reason: "admin" }]);
    const out = h.pull("two", group({}));
    expect(msgs(out).map((m) => text(m.hdr))).toEqual(["NATS/1.0\r\nNats-Pin-Id: PIN2\r\n\r\n"]);
  });

  test("prioritized: lower priority numbers are served first", () => {
    const h = new Harness({
      config: pullConfig({ priorityPolicy: "prioritized", priorityGroups: ["jobs"] }),
    });
    h.pull("low", { ...group({ priority: 5 }), batch: 2 });
    h.pull("high", { ...group({ priority: 1 }), batch: 2 });
    const order = msgs(h.pub("a", "b", "c", "d")).map((m) => m.to);
    expect(order).toEqual(["high", "high", "low", "low"]);
  });
});

