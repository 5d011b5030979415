import { describe, expect, test } from "bun:test";
import {
  Harness,
  MS,
  msgs,
  type MsgOut,
  pullConfig,
  pushConfig,
  SECOND,
  seeded,
  streamSeqs,
} from "./_test_harness.ts";
import type { CoreConfig } from "./types.ts";

const SUBJECTS = ["a.1", "a.2", "b.1", "c.9"];

interface Model {
  h: Harness;
  random: () => number;
  filter: (subject: string) => boolean;
  /** Delivered and not yet settled by us, by stream sequence (last delivery). */
  open: Map<number, MsgOut>;
  settled: Set<number>;
  lastConsumerSeq: number;
  lastFirstDelivery: number;
  deliveries: Map<number, number>;
}

function observe(m: Model, out: readonly MsgOut[], config: CoreConfig): void {
  for (const msg of out) {
    expect(m.filter(msg.subject)).toBe(true);
    expect(m.settled.has(msg.streamSeq)).toBe(false);
    expect(msg.consumerSeq).toBeGreaterThan(m.lastConsumerSeq);
    m.lastConsumerSeq = msg.consumerSeq;
    const before = m.deliveries.get(msg.streamSeq) ?? 0;
    if (msg.deliveries === 1 && before === 0) {
      expect(msg.streamSeq).toBeGreaterThan(m.lastFirstDelivery);
      m.lastFirstDelivery = msg.streamSeq;
    }
    expect(msg.deliveries).toBeLessThanOrEqual(before + 1);
    m.deliveries.set(msg.streamSeq, Math.max(before, msg.deliveries));
    if (config.maxDeliver > 0) expect(msg.deliveries).toBeLessThanOrEqual(config.maxDeliver);
    m.open.set(msg.streamSeq, msg);
  }
}

function checkInvariants(m: Model, config: CoreConfig): void {
  const { h } = m;
  const info = h.core.info(h.now);
  if (config.maxAckPending > 0) {
    expect(info.numAckPending).toBeLessThanOrEqual(config.maxAckPending);
  }
  expect(info.ackFloor.streamSeq).toBeLessThanOrEqual(info.delivered.streamSeq);
  expect(info.ackFloor.consumerSeq).toBeLessThanOrEqual(info.delivered.consumerSeq);
  const st = h.store!.borrowState();
  for (const seq of st.pending.keys()) {
    expect(seq).toBeGreaterThan(st.ackFloor.stream);
    expect(seq).toBeLessThanOrEqual(st.delivered.stream);
  }
  // The running num_pending matches a count from the stream.
  const filters = config.filters;
  const exact = filters.length > 1
    ? h.stream.numPendingMulti(h.core.position.streamSeq, filters, false).total
    : h.stream.numPending(h.core.position.streamSeq, filters[0] ?? ">", false).total;
  expect(info.numPending).toBe(exact);
}

function randomStep(m: Model, config: CoreConfig): MsgOut[] {
  const { h, random } = m;
  const r = random();
  if (r < 0.3) {
    h.publish(SUBJECTS[Math.floor(random() * SUBJECTS.length)]);
    return msgs(h.run());
  }
  if (r < 0.45 && config.deliverSubject === "") {
    const batch = 1 + Math.floor(random() * 5);
    const expires = 100 + Math.floor(random() * 3000);
    return msgs(h.pull(`inbox.${Math.floor(random() * 4)}`, { batch, expires: expires * 1e6 }));
  }
  if (r < 0.75 && m.open.size > 0) {
    const open = [...m.open.values()];
    const msg = open[Math.floor(random() * open.length)];
    const verbs = ["+ACK", "+ACK", "-NAK", "-NAK 200ms", "+WPI", "+TERM"];
    const verb = verbs[Math.floor(random() * verbs.length)];
    const out = h.ack(msg, verb);
    // Only an ack of the latest delivery is sure to count (a stale one may be ignored).
    if ((verb === "+ACK" || verb === "+TERM") && m.open.get(msg.streamSeq) === msg) {
      m.open.delete(msg.streamSeq);
      m.settled.add(msg.streamSeq);
    }
    return msgs(out);
  }
  if (r < 0.8) {
    const fs = h.stream.fastState();
    if (fs.msgs > 0) {
      const seq = fs.firstSeq + Math.floor(random() * (fs.lastSeq - fs.firstSeq + 1));
      try {
        const subject = h.stream.subjectForSeq(seq);
        h.stream.removeMsg(seq);
        h.core.streamRemoved(seq, subject, h.now);
        m.open.delete(seq);
        m.settled.add(seq);
      } catch {
        // already gone
      }
    }
    return msgs(h.run());
  }
  return msgs(h.advance(BigInt(Math.floor(random() * 1500)) * MS));
}

function drain(m: Model, config: CoreConfig): void {
  const { h } = m;
  for (let round = 0; round < 50; round++) {
    if (config.deliverSubject === "") {
      observe(m, msgs(h.pull("final", { batch: 100, expires: 5e9 })), config);
    }
    while (m.open.size > 0) {
      const msg = m.open.values().next().value!;
      m.open.delete(msg.streamSeq);
      m.settled.add(msg.streamSeq);
      observe(m, msgs(h.ack(msg)), config);
    }
    observe(m, msgs(h.advance(3n * SECOND)), config);
    if (m.open.size === 0 && h.core.info(h.now).numPending === 0) break;
  }
}

function simulate(seed: number, config: CoreConfig): void {
  const filter = (subject: string) =>
    config.filters.length === 0 ||
    config.filters.some((f) =>
      f === subject || (f.endsWith(".*") && subject.startsWith(f.slice(0, -1)))
    );
  const h = new Harness({ config, seed });
  const m: Model = {
    h,
    random: seeded(seed * 7919),
    filter,
    open: new Map(),
    settled: new Set(),
    lastConsumerSeq: 0,
    lastFirstDelivery: 0,
    deliveries: new Map(),
  };
  for (let step = 0; step < 400; step++) {
    observe(m, randomStep(m, config), config);
    checkInvariants(m, config);
  }
  drain(m, config);
  const info = h.core.info(h.now);
  expect(info.numAckPending).toBe(0);
  expect(info.numPending).toBe(0);
  // At least once: every matching message still in the stream was delivered.
  const fs = h.stream.fastState();
  for (let seq = fs.firstSeq; seq <= fs.lastSeq; seq++) {
    let subject: string;
    try {
      subject = h.stream.subjectForSeq(seq);
    } catch {
      continue;
    }
    if (filter(subject)) expect(m.deliveries.has(seq)).toBe(true);
  }
}

describe("ConsumerCore randomized (seeded)", () => {
  const configs: Array<[string, CoreConfig]> = [
    ["pull explicit", pullConfig({ ackWaitNs: SECOND })],
    [
      "pull filtered, max_ack_pending 3",
      pullConfig({ ackWaitNs: SECOND, filters: ["a.*"], maxAckPending: 3 }),
    ],
    ["pull two filters, backoff", pullConfig({
      ackWaitNs: 500n * MS,
      backoffNs: [500n * MS, SECOND],
      filters: ["a.1", "c.*"],
    })],
    ["push explicit", pushConfig({ ackWaitNs: SECOND })],
    ["push, max_ack_pending 2", pushConfig({ ackWaitNs: 700n * MS, maxAckPending: 2 })],
  ];
  for (const [name, config] of configs) {
    for (const seed of [1, 2, 3]) {
      test(`${name} (seed ${seed})`, () => simulate(seed, config));
    }
  }
});

describe("ConsumerCore.updateConfig", () => {
  test("raising max_ack_pending resumes delivery", () => {
    const config = pushConfig({ maxAckPending: 1 });
    const h = new Harness({ config, preload: ["a", "b", "c"] });
    expect(streamSeqs(h.log)).toEqual([1]);
    h.core.updateConfig({ ...config, maxAckPending: 10 }, h.now);
    expect(streamSeqs(h.run())).toEqual([2, 3]);
  });

  test("a new deliver subject redelivers everything pending there", () => {
    const config = pushConfig({ ackWaitNs: 3600n * SECOND });
    const h = new Harness({ config, preload: ["a", "b"] });
    h.interest.add("elsewhere");
    h.core.updateConfig({ ...config, deliverSubject: "elsewhere" }, h.now);
    expect(msgs(h.run()).map((m) => [m.to, m.streamSeq, m.deliveries])).toEqual([
      ["elsewhere", 1, 2],
      ["elsewhere", 2, 2],
    ]);
  });

  test("pausing and resuming emit pause events", () => {
    const config = pushConfig();
    const h = new Harness({ config });
    h.core.updateConfig({ ...config, pauseUntilNs: h.now + SECOND }, h.now);
    h.pub("a");
    expect(h.log.filter((o) => o.kind === "msg")).toEqual([]);
    h.core.updateConfig(config, h.now);
    const out = h.run();
    expect(out.map((o) => o.kind)).toEqual(["event", "msg"]);
    expect(out[0]).toMatchObject({ event: { type: "paused", paused: false } });
  });

  test("changing filters recounts num_pending", () => {
    const config = pullConfig({ filters: ["a.*"] });
    const h = new Harness({ config, preload: ["a.1", "b.1", "b.2"] });
    expect(h.core.info(h.now).numPending).toBe(1);
    h.core.updateConfig({ ...config, filters: ["b.*"] }, h.now);
    expect(h.core.info(h.now).numPending).toBe(2);
  });

  test("a shorter ack wait takes effect for what is pending", () => {
    const config = pushConfig({ ackWaitNs: 3600n * SECOND });
    const h = new Harness({ config, preload: ["a"] });
    h.core.updateConfig({ ...config, ackWaitNs: SECOND }, h.now);
    expect(streamSeqs(h.advance(1200n * MS))).toEqual([1]);
  });
});

describe("ConsumerCore.needAck", () => {
  test("explicit: needed until acked, and undelivered ones too", () => {
    const h = new Harness({ config: pullConfig({ filters: ["a"] }), preload: ["a", "b", "a"] });
    const [first] = msgs(h.pull("r", "1"));
    expect(h.core.needAck(1, "a")).toBe(true);
    expect(h.core.needAck(2, "b")).toBe(false);
    expect(h.core.needAck(3, "a")).toBe(true);
    h.ack(first);
    expect(h.core.needAck(1, "a")).toBe(false);
  });

  test("ack none: needed only above the floor", () => {
    const h = new Harness({ config: pushConfig({ ackPolicy: "none" }), preload: ["a"] });
    expect(h.core.needAck(1, "a")).toBe(false);
    expect(h.core.needAck(2, "a")).toBe(true);
  });
});
