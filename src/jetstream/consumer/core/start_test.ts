import { describe, expect, test } from "bun:test";
import { FakeClock, MemStore } from "../../store/mod.ts";
import { MemConsumerStore } from "../store/mod.ts";
import { bytes, Harness, msgs, pullConfig, SECOND, streamSeqs, T0 } from "./_test_harness.ts";
import type { CoreConfig } from "./types.ts";

/** subjects of messages 1..9 */
const PRELOAD = ["a.1", "b.1", "a.2", "c.1", "a.1", "b.2", "a.2", "c.1", "b.1"];

interface StartCase {
  name: string;
  config: Partial<CoreConfig>;
  preload?: string[];
  maxMsgsPerSubject?: number;
  /** Stream sequences the first big pull delivers. */
  delivered: number[];
  /** num_pending right after creation. */
  pending: number;
}

const cases: StartCase[] = [
  { name: "all", config: {}, delivered: [1, 2, 3, 4, 5, 6, 7, 8, 9], pending: 9 },
  { name: "all filtered", config: { filters: ["a.*"] }, delivered: [1, 3, 5, 7], pending: 4 },
  {
    name: "all with two filters",
    config: { filters: ["b.*", "c.1"] },
    delivered: [2, 4, 6, 8, 9],
    pending: 5,
  },
  { name: "last", config: { deliverPolicy: "last" }, delivered: [9], pending: 1 },
  {
    name: "last filtered",
    config: { deliverPolicy: "last", filters: ["a.*"] },
    delivered: [7],
    pending: 1,
  },
  {
    name: "last with filters takes the latest of them",
    config: { deliverPolicy: "last", filters: ["a.1", "c.*"] },
    delivered: [8],
    pending: 1,
  },
  {
    name: "last with a filter nothing matches starts at the first sequence",
    config: { deliverPolicy: "last", filters: ["z"] },
    delivered: [],
    pending: 0,
  },
  { name: "new", config: { deliverPolicy: "new" }, delivered: [], pending: 0 },
  {
    name: "by_start_sequence",
    config: { deliverPolicy: "by_start_sequence", optStartSeq: 7 },
    delivered: [7, 8, 9],
    pending: 3,
  },
  {
    name: "by_start_sequence past the end waits there",
    config: { deliverPolicy: "by_start_sequence", optStartSeq: 20 },
    delivered: [],
    pending: 0,
  },
  {
    name: "by_start_time",
    config: { deliverPolicy: "by_start_time", optStartTimeNs: T0 + 5n * SECOND },
    delivered: [5, 6, 7, 8, 9],
    pending: 5,
  },
  {
    name: "by_start_time filtered skips ahead",
    config: {
      deliverPolicy: "by_start_time",
      optStartTimeNs: T0 + 3n * SECOND,
      filters: ["c.*"],
    },
    delivered: [4, 8],
    pending: 2,
  },
  {
    name: "last_per_subject",
    config: { deliverPolicy: "last_per_subject", filters: [">"] },
    delivered: [5, 6, 7, 8, 9],
    pending: 5,
  },
  {
    name: "last_per_subject filtered",
    config: { deliverPolicy: "last_per_subject", filters: ["a.*", "c.*"] },
    delivered: [5, 7, 8],
    pending: 3,
  },
  {
    name: "last_per_subject on a stream keeping one per subject is all",
    config: { deliverPolicy: "last_per_subject", filters: [">"] },
    maxMsgsPerSubject: 1,
    delivered: [5, 6, 7, 8, 9],
    pending: 5,
  },
  { name: "all on an empty stream", config: {}, preload: [], delivered: [], pending: 0 },
];

function harnessWithTimes(c: StartCase): Harness {
  const clock = new FakeClock(T0);
  const limits = c.maxMsgsPerSubject ? { maxMsgsPerSubject: c.maxMsgsPerSubject } : undefined;
  const stream = new MemStore({ clock, limits });
  for (const subject of c.preload ?? PRELOAD) {
    clock.advance(SECOND);
    stream.storeMsg(subject, null, bytes(subject));
  }
  return new Harness({
    config: pullConfig(c.config),
    stream,
    clock,
    maxMsgsPerSubject: c.maxMsgsPerSubject,
  });
}

describe("deliver policies", () => {
  for (const c of cases) {
    test(c.name, () => {
      const h = harnessWithTimes(c);
      expect(h.core.info(h.now).numPending).toBe(c.pending);
      expect(streamSeqs(h.pull("r", { batch: 100, expires: 1_000_000_000 }))).toEqual(c.delivered);
      expect(h.core.info(h.now).numPending).toBe(0);
    });
  }

  test("new delivers only what arrives after creation", () => {
    const h = new Harness({ config: pullConfig({ deliverPolicy: "new" }), preload: ["x", "y"] });
    h.pull("r", { batch: 10, expires: 5_000_000_000 });
    expect(streamSeqs(h.pub("x", "z"))).toEqual([3, 4]);
  });

  test("last_per_subject goes on with new messages after the last ones", () => {
    const h = new Harness({
      config: pullConfig({ deliverPolicy: "last_per_subject", filters: ["a.*"] }),
      preload: ["a.1", "a.1", "b", "a.2"],
    });
    expect(streamSeqs(h.pull("r", { batch: 10, expires: 5_000_000_000 }))).toEqual([2, 4]);
    expect(streamSeqs(h.pub("a.1", "b", "a.3"))).toEqual([5, 7]);
  });

  test("a purged stream starts at its first sequence", () => {
    const h = new Harness({ config: pullConfig(), preload: ["a", "b", "c"] });
    h.stream.purge();
    const fresh = new Harness({ config: pullConfig(), stream: h.stream, clock: h.clock });
    expect(fresh.core.position.streamSeq).toBe(4);
  });

  test("the store records the start (setStarting) of a new consumer", () => {
    const store = new MemConsumerStore({ ackPolicy: "explicit", maxDeliver: -1, meta: bytes("") });
    new Harness({
      config: pullConfig({ deliverPolicy: "new" }),
      preload: ["a", "b"],
      store,
    });
    expect(store.state().delivered).toEqual({ consumer: 0, stream: 2 });
    expect(store.state().ackFloor).toEqual({ consumer: 0, stream: 2 });
  });
});

describe("restore from the consumer store", () => {
  test("a restarted durable continues after its last delivery and redelivers unacked", () => {
    const config = pullConfig({ ackWaitNs: 10n * SECOND });
    const first = new Harness({ config, preload: ["a", "b", "c", "d"] });
    const got = first.pull("r", { batch: 3, expires: 1_000_000_000 });
    first.ack(msgs(got)[1]);
    const store = first.store!;
    // A new machine on the same store and stream: as after a restart.
    const second = new Harness({
      config: pullConfig({ ackWaitNs: 10n * SECOND }),
      stream: first.stream,
      clock: first.clock,
      store,
    });
    const info = second.core.info(second.now);
    expect(info.delivered).toMatchObject({ consumerSeq: 3, streamSeq: 3 });
    expect(info.ackFloor).toMatchObject({ consumerSeq: 0, streamSeq: 0 });
    expect(info.numAckPending).toBe(2);
    expect(info.numPending).toBe(1);
    const again = second.pull("r2", { batch: 3, expires: 60_000_000_000 });
    expect(streamSeqs(again)).toEqual([4]);
    // Stored pending times are the messages' times (nats-server stores those): 1 and 3 are due
    // ack_wait after they were stored.
    expect(streamSeqs(second.advance(9n * SECOND))).toEqual([]);
    const redelivered = second.advance(2n * SECOND);
    expect(streamSeqs(redelivered)).toEqual([1, 3]);
    expect(msgs(redelivered).map((m) => m.deliveries)).toEqual([2, 2]);
  });

  test("a state ahead of a stream that lost messages is brought back in range", () => {
    const clock = new FakeClock(T0);
    const stream = new MemStore({ clock });
    for (const s of ["a", "b"]) stream.storeMsg(s, null, bytes(s));
    const store = new MemConsumerStore({ ackPolicy: "explicit", maxDeliver: -1, meta: bytes("") });
    store.update({
      delivered: { consumer: 5, stream: 5 },
      ackFloor: { consumer: 3, stream: 3 },
      pending: new Map([[4, { dseq: 4, tsNs: T0 }], [5, { dseq: 5, tsNs: T0 }]]),
      redelivered: new Map([[5, 1]]),
    });
    const h = new Harness({ config: pullConfig(), stream, clock, store });
    // The consumer sequence keeps moving forward, as in nats-server.
    expect(h.core.position).toEqual({ streamSeq: 3, consumerSeq: 6 });
    expect(store.state().delivered).toEqual({ consumer: 5, stream: 2 });
    expect(store.state().pending.size).toBe(0);
    expect(streamSeqs(h.pub("c"))).toEqual([]);
    expect(streamSeqs(h.pull("r", { batch: 5, expires: 1_000_000_000 }))).toEqual([3]);
  });

  test("restored pending is checked within 1.5 s even with a long ack wait", () => {
    const config = pullConfig({ ackWaitNs: 3600n * SECOND });
    const first = new Harness({ config, preload: ["a"] });
    first.pull("r", "1");
    first.clock.advance(3601n * SECOND);
    const second = new Harness({
      config: pullConfig({ ackWaitNs: 3600n * SECOND }),
      stream: first.stream,
      clock: first.clock,
      store: first.store,
    });
    // The restart found it expired: queued for redelivery at once.
    expect(streamSeqs(second.pull("r2", "1"))).toEqual([1]);
  });
});
