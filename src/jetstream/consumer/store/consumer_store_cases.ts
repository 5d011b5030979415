/**
 * The ConsumerStore contract: one suite run against MemConsumerStore and FileConsumerStore.
 * Expected values follow nats-server's consumerMemStore / consumerFileStore update rules.
 * @module
 */
import { describe, expect, test } from "bun:test";
import type { ConsumerState, ConsumerStore, ConsumerStoreConfig } from "./consumer_store.ts";
import { emptyConsumerState } from "./consumer_store.ts";
import { ConsumerStoreError, type ConsumerStoreErrorCode } from "./errors.ts";

export interface ConsumerStoreFactory {
  make(config: ConsumerStoreConfig): Promise<ConsumerStore>;
  /** Stops the store and opens it again from what it persisted; absent for memory stores. */
  reopen?(store: ConsumerStore): Promise<ConsumerStore>;
}

const META = new TextEncoder().encode('{"name":"c"}');
export const EXPLICIT: ConsumerStoreConfig = { ackPolicy: "explicit", maxDeliver: -1, meta: META };

export function expectStoreError(fn: () => unknown, code: ConsumerStoreErrorCode): void {
  try {
    fn();
  } catch (e) {
    expect(e).toBeInstanceOf(ConsumerStoreError);
    expect((e as ConsumerStoreError).code).toBe(code);
    return;
  }
  throw new Error(`expected ConsumerStoreError "${code}"`);
}

/** A compact, order-independent view of a state for comparisons. */
export function view(state: Readonly<ConsumerState>): unknown {
  return {
    delivered: state.delivered,
    ackFloor: state.ackFloor,
    pending: [...state.pending].sort((a, b) => a[0] - b[0]).map(([s, p]) => [s, p.dseq, p.tsNs]),
    redelivered: [...state.redelivered].sort((a, b) => a[0] - b[0]),
  };
}

async function withStore(
  factory: ConsumerStoreFactory,
  config: ConsumerStoreConfig,
  body: (store: ConsumerStore) => Promise<void> | void,
): Promise<void> {
  const store = await factory.make(config);
  try {
    await body(store);
  } finally {
    await store.stop();
  }
}

/** Registers the contract suite for one implementation. */
export function runConsumerStoreCases(name: string, factory: ConsumerStoreFactory): void {
  describe(`${name}: ConsumerStore contract`, () => {
    deliveredCases(factory);
    ackCases(factory);
    updateCases(factory);
    lifecycleCases(factory);
    randomizedCases(factory);
  });
}

function deliveredCases(f: ConsumerStoreFactory): void {
  test("updateDelivered adds pending entries and moves delivered", () =>
    withStore(f, EXPLICIT, (s) => {
      s.updateDelivered(1, 10, 1, 100n);
      s.updateDelivered(2, 12, 1, 200n);
      expect(view(s.state())).toEqual({
        delivered: { consumer: 2, stream: 12 },
        ackFloor: { consumer: 0, stream: 0 },
        pending: [[10, 1, 100n], [12, 2, 200n]],
        redelivered: [],
      });
    }));

  test("a redelivery keeps the first consumer sequence and records the count", () =>
    withStore(f, EXPLICIT, (s) => {
      s.updateDelivered(1, 10, 1, 100n);
      s.updateDelivered(2, 10, 2, 300n);
      s.updateDelivered(3, 10, 3, 400n);
      s.updateDelivered(4, 10, 2, 500n); // an older count never lowers the record
      const st = s.state();
      expect(st.pending.get(10)).toEqual({ dseq: 1, tsNs: 500n });
      expect(st.delivered).toEqual({ consumer: 4, stream: 10 });
      expect(st.redelivered.get(10)).toBe(2);
    }));

  test("past max_deliver the message leaves pending but keeps its count", () =>
    withStore(f, { ...EXPLICIT, maxDeliver: 2 }, (s) => {
      s.updateDelivered(1, 5, 1, 1n);
      s.updateDelivered(2, 5, 2, 2n);
      expect(s.state().pending.has(5)).toBe(true);
      s.updateDelivered(3, 5, 3, 3n);
      expect(s.state().pending.has(5)).toBe(false);
      expect(s.state().redelivered.get(5)).toBe(2);
    }));

  test("ack none moves delivered and ack floor together and ignores redeliveries", () =>
    withStore(f, { ...EXPLICIT, ackPolicy: "none" }, (s) => {
      s.updateDelivered(1, 3, 1, 1n);
      s.updateDelivered(2, 7, 1, 1n);
      s.updateDelivered(3, 7, 2, 1n);
      expect(view(s.state())).toEqual({
        delivered: { consumer: 2, stream: 7 },
        ackFloor: { consumer: 2, stream: 7 },
        pending: [],
        redelivered: [],
      });
    }));

  test("a delivery at or below the consumer ack floor is a stale replay", () =>
    withStore(f, EXPLICIT, (s) => {
      s.updateDelivered(1, 1, 1, 1n);
      s.updateAcks(1, 1);
      s.updateDelivered(1, 1, 1, 9n);
      expect(s.state().pending.size).toBe(0);
    }));

  test("setStarting and updateStarting place a new consumer", () =>
    withStore(f, EXPLICIT, (s) => {
      expect(s.hasState()).toBe(false);
      s.setStarting(41);
      expect(s.hasState()).toBe(true);
      expect(s.state().delivered).toEqual({ consumer: 0, stream: 41 });
      expect(s.state().ackFloor).toEqual({ consumer: 0, stream: 41 });
      s.updateStarting(50);
      s.updateStarting(45);
      expect(s.state().delivered.stream).toBe(50);
      expect(s.state().ackFloor.stream).toBe(41);
    }));
}

function ackCases(f: ConsumerStoreFactory): void {
  test("explicit acks move the floor only across a contiguous prefix", () =>
    withStore(f, EXPLICIT, (s) => {
      for (let i = 1; i <= 4; i++) s.updateDelivered(i, i * 10, 1, BigInt(i));
      s.updateAcks(2, 20);
      expect(s.state().ackFloor).toEqual({ consumer: 0, stream: 0 });
      s.updateAcks(1, 10);
      // Floor jumps over the acked 20 to just below the next pending (30).
      expect(s.state().ackFloor).toEqual({ consumer: 2, stream: 29 });
      s.updateAcks(4, 40);
      s.updateAcks(3, 30);
      expect(s.state().ackFloor).toEqual({ consumer: 4, stream: 40 });
      expect(s.state().pending.size).toBe(0);
    }));

  test("an ack uses the original consumer sequence of a redelivered message", () =>
    withStore(f, EXPLICIT, (s) => {
      s.updateDelivered(1, 1, 1, 1n);
      s.updateDelivered(2, 2, 1, 1n);
      s.updateDelivered(3, 1, 2, 2n);
      s.updateAcks(3, 1);
      expect(s.state().ackFloor).toEqual({ consumer: 1, stream: 1 });
      expect(s.state().redelivered.size).toBe(0);
    }));

  test("ack all removes every pending message up to the acked one", () =>
    withStore(f, { ...EXPLICIT, ackPolicy: "all" }, (s) => {
      for (let i = 1; i <= 5; i++) s.updateDelivered(i, i, 1, 1n);
      s.updateAcks(3, 3);
      expect([...s.state().pending.keys()].sort()).toEqual([4, 5]);
      expect(s.state().ackFloor).toEqual({ consumer: 3, stream: 3 });
    }));

  test("acks for unknown messages change nothing but clear redelivery counts", () =>
    withStore(f, EXPLICIT, (s) => {
      s.updateDelivered(1, 1, 1, 1n);
      s.updateDelivered(2, 1, 2, 1n);
      s.updateAcks(0, 1);
      expect(s.state().pending.size).toBe(1);
      expect(s.state().redelivered.size).toBe(0);
      s.updateAcks(9, 9);
      expect(s.state().ackFloor).toEqual({ consumer: 0, stream: 0 });
    }));

  test("removeRedeliveredBelow forgets old counts", () =>
    withStore(f, EXPLICIT, (s) => {
      for (const seq of [1, 2, 3]) {
        s.updateDelivered(seq, seq, 1, 1n);
        s.updateDelivered(seq + 3, seq, 2, 1n);
      }
      s.removeRedeliveredBelow(3);
      expect([...s.state().redelivered.keys()]).toEqual([3]);
    }));
}

function sampleState(): ConsumerState {
  const st = emptyConsumerState();
  st.delivered = { consumer: 9, stream: 20 };
  st.ackFloor = { consumer: 3, stream: 5 };
  st.pending.set(7, { dseq: 4, tsNs: 1_700_000_000_000_000_000n });
  st.pending.set(20, { dseq: 9, tsNs: 1_700_000_000_500_000_000n });
  st.redelivered.set(7, 2);
  return st;
}

function updateCases(f: ConsumerStoreFactory): void {
  test("update replaces the state with a copy", () =>
    withStore(f, EXPLICIT, (s) => {
      const st = sampleState();
      s.update(st);
      st.pending.clear();
      expect(view(s.state())).toEqual(view(sampleState()));
      const copy = s.state();
      copy.pending.clear();
      expect(s.borrowState().pending.size).toBe(2);
    }));

  test("update rejects inconsistent states", () =>
    withStore(f, EXPLICIT, (s) => {
      const floorAbove = sampleState();
      floorAbove.ackFloor.consumer = 10;
      expectStoreError(() => s.update(floorAbove), "bad_state");
      const streamAbove = sampleState();
      streamAbove.ackFloor.stream = 21;
      expectStoreError(() => s.update(streamAbove), "bad_state");
      const outOfRange = sampleState();
      outOfRange.pending.set(5, { dseq: 3, tsNs: 0n });
      expectStoreError(() => s.update(outOfRange), "bad_state");
      const pastDelivered = sampleState();
      pastDelivered.pending.set(21, { dseq: 10, tsNs: 0n });
      expectStoreError(() => s.update(pastDelivered), "bad_state");
    }));

  test("update refuses an older state; forceUpdate takes it", () =>
    withStore(f, EXPLICIT, (s) => {
      s.update(sampleState());
      const older = sampleState();
      older.delivered.consumer = 8;
      expectStoreError(() => s.update(older), "old_update");
      s.forceUpdate(older);
      expect(s.state().delivered.consumer).toBe(8);
    }));

  test("reset clears everything and starts again", () =>
    withStore(f, EXPLICIT, (s) => {
      s.update(sampleState());
      s.reset(99);
      expect(view(s.state())).toEqual({
        delivered: { consumer: 0, stream: 99 },
        ackFloor: { consumer: 0, stream: 99 },
        pending: [],
        redelivered: [],
      });
    }));
}

function lifecycleCases(f: ConsumerStoreFactory): void {
  test("config round-trips and unlimited max deliver reads -1", () =>
    withStore(f, { ...EXPLICIT, maxDeliver: 0 }, (s) => {
      expect(s.config().maxDeliver).toBe(-1);
      s.updateConfig({ ackPolicy: "all", maxDeliver: 5, meta: new Uint8Array([1, 2]) });
      expect(s.config()).toEqual({ ackPolicy: "all", maxDeliver: 5, meta: new Uint8Array([1, 2]) });
    }));

  test("a stopped store refuses changes", async () => {
    const s = await f.make(EXPLICIT);
    await s.stop();
    expectStoreError(() => s.updateDelivered(1, 1, 1, 1n), "closed");
    expectStoreError(() => s.setStarting(1), "closed");
  });

  test("flushed resolves after changes", () =>
    withStore(f, EXPLICIT, async (s) => {
      s.updateDelivered(1, 1, 1, 1n);
      await s.flushed();
      await s.flushed();
    }));

  // Memory stores keep nothing across a reopen, so the reopen cases are for file stores only.
  if (f.reopen === undefined) return;
  const reopen = f.reopen;
  test("state and config survive reopening", async () => {
    let s = await f.make(EXPLICIT);
    s.update(sampleState());
    s.updateConfig({ ...EXPLICIT, maxDeliver: 4 });
    s = await reopen(s);
    try {
      expect(view(s.state())).toEqual(view(sampleState()));
      expect(s.config()).toEqual({ ...EXPLICIT, maxDeliver: 4 });
      expect(s.hasState()).toBe(true);
    } finally {
      await s.stop();
    }
  });
}

/** A seeded PRNG (mulberry32) for reproducible operation sequences. */
export function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function randomOps(s: ConsumerStore, random: () => number, ops: number): void {
  let dseq = 0;
  let sseq = 0;
  const counts = new Map<number, number>();
  for (let i = 0; i < ops; i++) {
    const r = random();
    const pending = [...s.borrowState().pending.keys()];
    if (r < 0.5 || pending.length === 0) {
      sseq += 1 + Math.floor(random() * 3);
      s.updateDelivered(++dseq, sseq, 1, BigInt(i) * 1000n);
      counts.set(sseq, 1);
    } else if (r < 0.65) {
      const seq = pending[Math.floor(random() * pending.length)];
      const dc = (counts.get(seq) ?? 1) + 1;
      counts.set(seq, dc);
      s.updateDelivered(++dseq, seq, dc, BigInt(i) * 1000n);
    } else {
      const seq = pending[Math.floor(random() * pending.length)];
      s.updateAcks(s.borrowState().pending.get(seq)!.dseq, seq);
    }
  }
}

function randomizedCases(f: ConsumerStoreFactory): void {
  for (const seed of [1, 2, 3, 42]) {
    test(`random deliveries and acks keep the state consistent (seed ${seed})`, async () => {
      let s = await f.make({ ...EXPLICIT, maxDeliver: 3 });
      randomOps(s, seededRandom(seed), 400);
      const st = s.state();
      expect(st.ackFloor.consumer).toBeLessThanOrEqual(st.delivered.consumer);
      expect(st.ackFloor.stream).toBeLessThanOrEqual(st.delivered.stream);
      for (const seq of st.pending.keys()) {
        expect(seq).toBeGreaterThan(st.ackFloor.stream);
        expect(seq).toBeLessThanOrEqual(st.delivered.stream);
      }
      if (f.reopen !== undefined) {
        s = await f.reopen(s);
        expect(view(s.state())).toEqual(view(st));
      }
      await s.stop();
    });
  }
}
