/**
 * The StreamStore contract: one suite of behaviours every store must show, run against MemStore
 * (mem_store_test.ts) and FileStore in several configurations (file_store_test.ts). Expected
 * values follow nats-server's store semantics (server/store.go, memstore.go).
 * @module
 */
import { describe, expect, test } from "bun:test";
import { FakeClock } from "./clock.ts";
import { StoreError, type StoreErrorCode } from "./errors.ts";
import { restoreSnapshot, writeSnapshot } from "./snapshot.ts";
import { type StoreLimits, type StreamStore, TTL_NEVER } from "./store.ts";

export interface StoreFactoryOptions {
  limits?: StoreLimits;
  clock: FakeClock;
}

/** Makes a fresh, empty store; the suite stops every store it makes. */
export type StoreFactory = (options: StoreFactoryOptions) => Promise<StreamStore>;

const enc = new TextEncoder();
const dec = new TextDecoder();
const bytes = (s: string): Uint8Array => enc.encode(s);
const text = (b: Uint8Array): string => dec.decode(b);
const SECOND_NS = 1_000_000_000n;

/** Expects fn to throw a StoreError with the code. */
export function expectStoreError(fn: () => unknown, code: StoreErrorCode): void {
  try {
    fn();
  } catch (e) {
    expect(e).toBeInstanceOf(StoreError);
    expect((e as StoreError).code).toBe(code);
    return;
  }
  throw new Error(`expected StoreError "${code}"`);
}

/** Stores `count` messages on subjects produced by `subject(i)`; i counts from 1. */
function fill(store: StreamStore, count: number, subject: (i: number) => string): void {
  for (let i = 1; i <= count; i++) store.storeMsg(subject(i), null, bytes(`m${i}`));
}

async function withStore(
  make: StoreFactory,
  limits: StoreLimits | undefined,
  body: (store: StreamStore, clock: FakeClock) => Promise<void> | void,
): Promise<void> {
  const clock = new FakeClock();
  const store = await make({ limits, clock });
  try {
    await body(store, clock);
  } finally {
    await store.stop();
  }
}

/** Registers the contract suite for one store implementation. */
export function runStoreCases(name: string, make: StoreFactory): void {
  describe(`${name}: StreamStore contract`, () => {
    basicCases(make);
    sequenceCases(make);
    removalCases(make);
    filterCases(make);
    filteredStateCases(make);
    multiFilterCases(make);
    purgeCases(make);
    limitCases(make);
    subjectLimitCases(make);
    expiryCases(make);
    snapshotCases(make);
  });
}

function basicCases(make: StoreFactory): void {
  test("storeMsg assigns consecutive sequences and clock timestamps", () =>
    withStore(make, undefined, (store, clock) => {
      const a = store.storeMsg("orders.new", bytes("NATS/1.0\r\nA: 1\r\n\r\n"), bytes("one"));
      clock.advance(5n);
      const b = store.storeMsg("orders.new", null, new Uint8Array(0));
      expect(a.seq).toBe(1);
      expect(b.seq).toBe(2);
      expect(b.ts - a.ts).toBe(5n);
      const m = store.loadMsg(1);
      expect(m.subject).toBe("orders.new");
      expect(text(m.hdr)).toBe("NATS/1.0\r\nA: 1\r\n\r\n");
      expect(text(m.payload)).toBe("one");
      expect(m.ts).toBe(a.ts);
      expect(store.loadMsg(2).payload.length).toBe(0);
      expect(store.loadMsg(2).hdr.length).toBe(0);
    }));

  test("loadMsg returns a copy of the exact bytes, for every byte value", () =>
    withStore(make, undefined, (store) => {
      const payload = new Uint8Array(1024).map((_, i) => i & 0xff);
      store.storeMsg("bin.ü.subject", null, payload);
      payload[0] = 99;
      const m = store.loadMsg(1);
      expect(m.subject).toBe("bin.ü.subject");
      expect(m.payload[0]).toBe(0);
      expect(m.payload[255]).toBe(255);
      m.payload[1] = 42;
      expect(store.loadMsg(1).payload[1]).toBe(1);
    }));

  test("loadMsg distinguishes eof, not_found and deleted", () =>
    withStore(make, undefined, (store) => {
      fill(store, 5, () => "a");
      store.removeMsg(3);
      store.removeMsg(1);
      expectStoreError(() => store.loadMsg(6), "eof");
      expectStoreError(() => store.loadMsg(1), "not_found");
      expectStoreError(() => store.loadMsg(3), "deleted");
      expect(text(store.loadMsg(2).payload)).toBe("m2");
    }));

  test("fastState and state count messages, bytes, subjects and interior deletes", () =>
    withStore(make, undefined, (store, clock) => {
      const first = store.storeMsg("a", null, bytes("xx")).ts;
      clock.advance(10n);
      store.storeMsg("b", bytes("h"), bytes("yyy"));
      const last = store.storeMsg("a", null, bytes("z")).ts;
      store.removeMsg(2);
      const s = store.state();
      expect(s.msgs).toBe(2);
      expect(s.bytes).toBe(store.msgSize("a", 0, 2) + store.msgSize("a", 0, 1));
      expect([s.firstSeq, s.lastSeq, s.numSubjects, s.numDeleted]).toEqual([1, 3, 1, 1]);
      expect(s.deleted).toEqual([2]);
      expect(s.firstTs).toBe(first);
      expect(s.lastTs).toBe(last);
      expect(s.lost).toBeUndefined();
    }));

}

function sequenceCases(make: StoreFactory): void {
  test("an empty store reports first = last + 1", () =>
    withStore(make, undefined, (store) => {
      expect(store.fastState()).toMatchObject({ msgs: 0, firstSeq: 1, lastSeq: 0, firstTs: 0n });
      fill(store, 2, () => "a");
      store.removeMsg(1);
      store.removeMsg(2);
      expect(store.fastState()).toMatchObject({ msgs: 0, firstSeq: 3, lastSeq: 2, numDeleted: 0 });
      expect(store.storeMsg("a", null, bytes("x")).seq).toBe(3);
    }));

  test("skipMsg and skipMsgs use up sequences and check the expected one", () =>
    withStore(make, undefined, (store) => {
      expect(store.skipMsg()).toBe(1);
      expect(store.fastState()).toMatchObject({ firstSeq: 2, lastSeq: 1 });
      store.skipMsgs(2, 10);
      expect(store.storeMsg("a", null, bytes("x")).seq).toBe(12);
      store.skipMsgs(13, 2);
      store.storeMsg("a", null, bytes("y"));
      expect(store.fastState()).toMatchObject({
        msgs: 2, firstSeq: 12, lastSeq: 15, numDeleted: 2,
      });
      expectStoreError(() => store.skipMsgs(99, 1), "seq_mismatch");
      expectStoreError(() => store.skipMsg(3), "seq_mismatch");
    }));

  test("storeRawMsg keeps the given sequence, time and TTL, and checks the sequence", () =>
    withStore(make, undefined, (store) => {
      store.storeRawMsg({ subject: "r", payload: bytes("1"), seq: 1, ts: 123n, ttl: 60 });
      expectStoreError(
        () => store.storeRawMsg({ subject: "r", payload: bytes("2"), seq: 5, ts: 124n }),
        "seq_mismatch",
      );
      const m = store.loadMsg(1);
      expect([m.ts, m.ttl]).toEqual([123n, 60]);
    }));

  test("flushed resolves once writes are durable, and stop closes the store", async () => {
    const clock = new FakeClock();
    const store = await make({ clock });
    store.storeMsg("a", null, bytes("x"));
    await store.flushed();
    await store.flushed();
    await store.stop();
    expectStoreError(() => store.storeMsg("a", null, bytes("y")), "store_closed");
    expectStoreError(() => store.loadMsg(1), "store_closed");
  });
}

function removalCases(make: StoreFactory): void {
  test("removeMsg reports whether a message was removed and moves the first sequence", () =>
    withStore(make, undefined, (store) => {
      fill(store, 4, (i) => `s.${i}`);
      expect(store.removeMsg(1)).toBe(true);
      expect(store.removeMsg(1)).toBe(false);
      expect(store.removeMsg(99)).toBe(false);
      expect(store.fastState().firstSeq).toBe(2);
      expect(store.removeMsg(3)).toBe(true);
      expect(store.fastState()).toMatchObject({ msgs: 2, numDeleted: 1, numSubjects: 2 });
      expect(store.state().deleted).toEqual([3]);
    }));

  test("eraseMsg removes the message for good", () =>
    withStore(make, undefined, async (store) => {
      fill(store, 3, () => "e");
      await store.flushed();
      expect(store.eraseMsg(2)).toBe(true);
      expect(store.eraseMsg(2)).toBe(false);
      expectStoreError(() => store.loadMsg(2), "deleted");
      await store.flushed();
      expect(text(store.loadMsg(3).payload)).toBe("m3");
    }));

  test("subjectForSeq and allLastSeqs", () =>
    withStore(make, undefined, (store) => {
      fill(store, 6, (i) => `k.${i % 3}`);
      expect(store.subjectForSeq(5)).toBe("k.2");
      store.removeMsg(5);
      expectStoreError(() => store.subjectForSeq(5), "not_found");
      expect(store.allLastSeqs()).toEqual([2, 4, 6]);
    }));

  test("getSeqFromTime finds the first message at or after a time", () =>
    withStore(make, undefined, (store, clock) => {
      const times: bigint[] = [];
      for (let i = 0; i < 20; i++) {
        times.push(store.storeMsg("t", null, bytes(`${i}`)).ts);
        clock.advance(10n);
      }
      store.removeMsg(6);
      expect(store.getSeqFromTime(0n)).toBe(1);
      expect(store.getSeqFromTime(times[4] + 1n)).toBe(7);
      expect(store.getSeqFromTime(times[10])).toBe(11);
      expect(store.getSeqFromTime(times[19] + 1n)).toBe(21);
    }));
}

function filterCases(make: StoreFactory): void {
  const names = ["orders.eu.new", "orders.us.new", "orders.eu.done", "other"];
  const subjects = (i: number) => names[i % 4];

  test("loadNextMsg follows literal, * and > filters from a start sequence", () =>
    withStore(make, undefined, (store) => {
      fill(store, 40, subjects);
      // Seq i has subject subjects(i): us.new at 1, 5, ...; eu.done at 2, 6, ...; other at
      // 3, 7, ...; eu.new at 4, 8, ..., 40.
      expect(store.loadNextMsg("orders.us.new", 1)?.seq).toBe(1);
      expect(store.loadNextMsg("orders.us.new", 3)?.seq).toBe(5);
      expect(store.loadNextMsg("orders.*.done", 1)?.seq).toBe(2);
      expect(store.loadNextMsg("orders.eu.>", 4)?.seq).toBe(4);
      expect(store.loadNextMsg("orders.eu.>", 5)?.seq).toBe(6);
      expect(store.loadNextMsg(">", 40)?.seq).toBe(40);
      expect(store.loadNextMsg("", 39)?.seq).toBe(39);
      expect(store.loadNextMsg("orders.*", 1)).toBeNull();
      expect(store.loadNextMsg("nothing", 1)).toBeNull();
      expect(store.loadNextMsg(">", 41)).toBeNull();
      store.removeMsg(5);
      expect(store.loadNextMsg("orders.us.new", 3)?.seq).toBe(9);
    }));

  test("loadNextMsg over a long, sparse subject walks past far gaps", () =>
    withStore(make, undefined, (store) => {
      fill(store, 2000, (i) => (i % 500 === 0 ? "rare" : `busy.${i % 7}`));
      expect(store.loadNextMsg("rare", 501)?.seq).toBe(1000);
      expect(store.loadPrevMsg("rare", 1499)?.seq).toBe(1000);
      expect(store.loadNextMsg("rare", 1001)?.seq).toBe(1500);
      expect(store.loadLastMsg("rare")?.seq).toBe(2000);
    }));

  test("loadPrevMsg and loadLastMsg search backwards", () =>
    withStore(make, undefined, (store) => {
      fill(store, 40, subjects);
      expect(store.loadLastMsg("orders.eu.new")?.seq).toBe(40);
      expect(store.loadLastMsg("orders.us.*")?.seq).toBe(37);
      expect(store.loadLastMsg(">")?.seq).toBe(40);
      expect(store.loadLastMsg("missing")).toBeNull();
      expect(store.loadPrevMsg("other", 30)?.seq).toBe(27);
      expect(store.loadPrevMsg("orders.eu.>", 3)?.seq).toBe(2);
      expect(store.loadPrevMsg("other", 2)).toBeNull();
    }));

}

function filteredStateCases(make: StoreFactory): void {
  const names = ["orders.eu.new", "orders.us.new", "orders.eu.done", "other"];
  const subjects = (i: number) => names[i % 4];

  test("filteredState counts matching messages from a start sequence", () =>
    withStore(make, undefined, (store) => {
      fill(store, 40, subjects);
      expect(store.filteredState(1, "orders.eu.new")).toEqual({ msgs: 10, first: 4, last: 40 });
      expect(store.filteredState(1, "orders.*.new")).toEqual({ msgs: 20, first: 1, last: 40 });
      expect(store.filteredState(21, "orders.*.new")).toEqual({ msgs: 10, first: 21, last: 40 });
      expect(store.filteredState(21, ">")).toEqual({ msgs: 20, first: 21, last: 40 });
      expect(store.filteredState(40, "other")).toEqual({ msgs: 0, first: 0, last: 0 });
      expect(store.filteredState(41, ">")).toEqual({ msgs: 0, first: 0, last: 0 });
    }));

  test("subjectsState and subjectsTotals per subject for a filter", () =>
    withStore(make, undefined, (store) => {
      fill(store, 8, subjects);
      const ss = store.subjectsState("orders.>");
      expect(ss.size).toBe(3);
      expect(ss.get("orders.eu.done")).toEqual({ msgs: 2, first: 2, last: 6 });
      expect(store.subjectsState("").size).toBe(4);
      expect(Object.fromEntries(store.subjectsTotals("*.*.new"))).toEqual({
        "orders.eu.new": 2,
        "orders.us.new": 2,
      });
    }));

  test("numPending counts pending messages, or subjects with lastPerSubject", () =>
    withStore(make, undefined, (store) => {
      fill(store, 40, subjects);
      expect(store.numPending(1, ">", false)).toEqual({ total: 40, validThrough: 40 });
      expect(store.numPending(31, "orders.*.new", false).total).toBe(5);
      expect(store.numPending(1, "orders.>", true).total).toBe(3);
      expect(store.numPending(40, ">", true).total).toBe(1);
      expect(store.numPending(39, "orders.*.*", true).total).toBe(1);
    }));
}

function multiFilterCases(make: StoreFactory): void {
  test("loadNextMsgMulti and numPendingMulti take the union of several filters", () =>
    withStore(make, undefined, (store) => {
      fill(store, 30, (i) => ["a.x", "a.y", "b.x", "c.z"][i % 4]);
      // a.y at 1, 5, ...; b.x at 2, 6, ...; c.z at 3, 7, ...; a.x at 4, 8, ..., 28.
      expect(store.loadNextMsgMulti(["c.z", "b.*"], 8)?.seq).toBe(10);
      expect(store.loadNextMsgMulti(["nothing", "a.x"], 1)?.seq).toBe(4);
      expect(store.loadNextMsgMulti(["nothing"], 1)).toBeNull();
      // Overlapping filters count each message once.
      expect(store.numPendingMulti(1, ["a.*", "a.x", "*.x"], false).total).toBe(23);
      expect(store.numPendingMulti(20, ["a.*", "a.x"], false).total).toBe(6);
      expect(store.numPendingMulti(1, ["a.*", "*.x"], true).total).toBe(3);
      expect(store.numPendingMulti(5, ["c.z", ">"], false).total).toBe(26);
    }));
}

function purgeCases(make: StoreFactory): void {
  test("purge removes everything and keeps the sequence", () =>
    withStore(make, undefined, (store) => {
      fill(store, 10, (i) => `p.${i}`);
      expect(store.purge()).toBe(10);
      expect(store.fastState()).toMatchObject({ msgs: 0, bytes: 0, firstSeq: 11, lastSeq: 10 });
      expect(store.subjectsState(">").size).toBe(0);
      expect(store.storeMsg("p", null, bytes("x")).seq).toBe(11);
    }));

  test("purgeEx by subject, with keep, and below a sequence", () =>
    withStore(make, undefined, (store) => {
      fill(store, 30, (i) => `kv.${i % 3}`);
      expect(store.purgeEx({ subject: "kv.1" })).toBe(10);
      expect(store.filteredState(1, "kv.1").msgs).toBe(0);
      expect(store.purgeEx({ subject: "kv.2", keep: 3 })).toBe(7);
      expect(store.filteredState(1, "kv.2")).toEqual({ msgs: 3, first: 23, last: 29 });
      expect(store.purgeEx({ subject: "kv.0", seq: 10 })).toBe(3);
      expect(store.filteredState(1, "kv.0").first).toBe(12);
      expect(store.purgeEx({ subject: "kv.*", keep: 2 })).toBe(8);
      expect(store.fastState().msgs).toBe(2);
      expect(store.purgeEx({ seq: 1 })).toBe(0);
      expect(store.purgeEx({ subject: "none" })).toBe(0);
    }));

  test("purgeEx of everything below a sequence is a compact", () =>
    withStore(make, undefined, (store) => {
      fill(store, 10, () => "c");
      expect(store.purgeEx({ seq: 5 })).toBe(4);
      expect(store.fastState()).toMatchObject({ msgs: 6, firstSeq: 5 });
      expect(store.purgeEx({ keep: 2 })).toBe(4);
      expect(store.fastState()).toMatchObject({ msgs: 2, firstSeq: 9 });
    }));

  test("compact removes below a sequence, also past the end", () =>
    withStore(make, undefined, (store) => {
      fill(store, 10, () => "c");
      store.removeMsg(4);
      expect(store.compact(6)).toBe(4);
      expect(store.fastState()).toMatchObject({ msgs: 5, firstSeq: 6, lastSeq: 10 });
      expect(store.compact(3)).toBe(0);
      expect(store.compact(100)).toBe(5);
      expect(store.fastState()).toMatchObject({ msgs: 0, firstSeq: 100, lastSeq: 99 });
      expect(store.storeMsg("c", null, bytes("x")).seq).toBe(100);
    }));

  test("truncate removes above a sequence and re-uses the sequences after it", () =>
    withStore(make, undefined, (store) => {
      fill(store, 10, (i) => `t.${i % 2}`);
      store.removeMsg(3);
      store.truncate(6);
      expect(store.fastState()).toMatchObject({ msgs: 5, firstSeq: 1, lastSeq: 6, numDeleted: 1 });
      expect(store.filteredState(1, "t.0")).toEqual({ msgs: 3, first: 2, last: 6 });
      expect(store.storeMsg("t.new", null, bytes("n")).seq).toBe(7);
      expect(store.subjectForSeq(7)).toBe("t.new");
      expectStoreError(() => store.loadMsg(3), "deleted");
      store.truncate(0);
      expect(store.fastState()).toMatchObject({ msgs: 0, firstSeq: 1, lastSeq: 0 });
    }));
}

function limitCases(make: StoreFactory): void {
  test("max_msgs with discard old drops the oldest", () =>
    withStore(make, { maxMsgs: 5 }, (store) => {
      fill(store, 12, (i) => `m.${i % 2}`);
      expect(store.fastState()).toMatchObject({ msgs: 5, firstSeq: 8, lastSeq: 12 });
    }));

  test("max_bytes with discard old drops the oldest", async () => {
    const clock = new FakeClock();
    const probe = await make({ clock });
    const size = probe.msgSize("b", 0, 10);
    await probe.stop();
    await withStore(make, { maxBytes: size * 3 }, (store) => {
      for (let i = 0; i < 7; i++) store.storeMsg("b", null, new Uint8Array(10));
      expect(store.fastState()).toMatchObject({ msgs: 3, bytes: size * 3, firstSeq: 5 });
    });
  });

  test("discard new refuses at max_msgs and max_bytes", async () => {
    await withStore(make, { maxMsgs: 2, discard: "new" }, (store) => {
      fill(store, 2, () => "n");
      expectStoreError(() => store.storeMsg("n", null, bytes("x")), "max_msgs");
      expect(store.fastState().lastSeq).toBe(2);
    });
    await withStore(make, { maxBytes: 100, discard: "new" }, (store) => {
      store.storeMsg("n", null, new Uint8Array(20));
      expectStoreError(() => store.storeMsg("n", null, new Uint8Array(90)), "max_bytes");
      expect(store.fastState().msgs).toBe(1);
    });
  });

}

function subjectLimitCases(make: StoreFactory): void {
  test("max_msgs_per_subject keeps the newest per subject", () =>
    withStore(make, { maxMsgsPerSubject: 2 }, (store) => {
      fill(store, 9, (i) => `kv.${i % 3}`);
      expect(store.fastState().msgs).toBe(6);
      expect(store.filteredState(1, "kv.1")).toEqual({ msgs: 2, first: 4, last: 7 });
      expect(store.fastState().firstSeq).toBe(4);
    }));

  test("discard new per subject refuses at the subject limit, rollups excepted", () =>
    withStore(
      make,
      { maxMsgsPerSubject: 1, discard: "new", discardNewPerSubject: true, maxMsgs: 10 },
      (store) => {
        store.storeMsg("kv.a", null, bytes("1"));
        expectStoreError(() => store.storeMsg("kv.a", null, bytes("2")), "max_msgs_per_subject");
        store.storeMsg("kv.a", null, bytes("3"), { rollup: true });
        expect(store.filteredState(1, "kv.a")).toEqual({ msgs: 1, first: 2, last: 2 });
      },
    ));

  test("discard new at max_msgs still allows replacing a subject at its limit", () =>
    withStore(make, { maxMsgs: 2, maxMsgsPerSubject: 1, discard: "new" }, (store) => {
      store.storeMsg("a", null, bytes("1"));
      store.storeMsg("b", null, bytes("1"));
      expectStoreError(() => store.storeMsg("c", null, bytes("1")), "max_msgs");
      store.storeMsg("a", null, bytes("2"));
      expect(store.fastState()).toMatchObject({ msgs: 2, firstSeq: 2, lastSeq: 3 });
    }));

  test("max_msg_size refuses a message that is too big", () =>
    withStore(make, { maxMsgSize: 8 }, (store) => {
      store.storeMsg("s", bytes("1234"), bytes("5678"));
      expectStoreError(() => store.storeMsg("s", null, bytes("123456789")), "msg_too_big");
      expect(store.fastState().msgs).toBe(1);
    }));

  test("updateLimits applies new limits at once", () =>
    withStore(make, undefined, (store) => {
      fill(store, 10, (i) => `u.${i % 2}`);
      store.updateLimits({ maxMsgsPerSubject: 3 });
      expect(store.fastState().msgs).toBe(6);
      store.updateLimits({ maxMsgs: 2 });
      expect(store.fastState()).toMatchObject({ msgs: 2, firstSeq: 9 });
    }));
}

function expiryCases(make: StoreFactory): void {
  test("max_age removes messages as the clock passes their age, without sleeping", () =>
    withStore(make, { maxAgeNs: 10n * SECOND_NS }, async (store, clock) => {
      store.storeMsg("a", null, bytes("1"));
      clock.advance(4n * SECOND_NS);
      store.storeMsg("a", null, bytes("2"));
      await store.flushed();
      clock.advance(6n * SECOND_NS);
      expect(store.fastState()).toMatchObject({ msgs: 1, firstSeq: 2 });
      clock.advance(4n * SECOND_NS);
      expect(store.fastState()).toMatchObject({ msgs: 0, firstSeq: 3 });
    }));

  test("a TTL of never outlives max_age", () =>
    withStore(make, { maxAgeNs: SECOND_NS }, async (store, clock) => {
      store.storeMsg("a", null, bytes("1"));
      store.storeMsg("a", null, bytes("keep"), { ttl: TTL_NEVER });
      store.storeMsg("a", null, bytes("3"));
      await store.flushed();
      clock.advance(2n * SECOND_NS);
      expect(store.fastState().msgs).toBe(1);
      expect(text(store.loadMsg(2).payload)).toBe("keep");
      expect(store.loadMsg(2).ttl).toBe(TTL_NEVER);
    }));

  test("per-message TTL expires each message at its own time", () =>
    withStore(make, undefined, async (store, clock) => {
      store.storeMsg("t", null, bytes("short"), { ttl: 2 });
      store.storeMsg("t", null, bytes("none"));
      store.storeMsg("t", null, bytes("long"), { ttl: 5 });
      await store.flushed();
      clock.advance(2n * SECOND_NS);
      expect(store.fastState()).toMatchObject({ msgs: 2, firstSeq: 2 });
      clock.advance(2n * SECOND_NS);
      expect(store.fastState().msgs).toBe(2);
      clock.advance(SECOND_NS);
      expect(store.fastState().msgs).toBe(1);
      expect(text(store.loadMsg(2).payload)).toBe("none");
    }));

  test("a message removed before its TTL does not disturb later expiry", () =>
    withStore(make, undefined, async (store, clock) => {
      store.storeMsg("t", null, bytes("a"), { ttl: 1 });
      store.storeMsg("t", null, bytes("b"), { ttl: 3 });
      store.removeMsg(1);
      await store.flushed();
      clock.advance(2n * SECOND_NS);
      expect(store.fastState().msgs).toBe(1);
      clock.advance(SECOND_NS);
      expect(store.fastState().msgs).toBe(0);
    }));
}

function snapshotCases(make: StoreFactory): void {
  test("a snapshot restores into a fresh store with sequences, times, TTLs and gaps", () =>
    withStore(make, undefined, async (store, clock) => {
      store.skipMsgs(1, 3);
      for (let i = 0; i < 50; i++) {
        const hdr = i % 2 ? bytes("hdr") : null;
        store.storeMsg(`snap.${i % 4}`, hdr, bytes(`v${i}`), { ttl: i === 7 ? 99 : 0 });
        clock.advance(1n);
      }
      store.removeMsg(10);
      store.removeMsg(4);
      store.skipMsgs(54, 2);
      const chunks: Uint8Array[] = [];
      for await (const chunk of writeSnapshot(store, 200)) chunks.push(chunk);
      const copy = await make({ clock });
      try {
        expect(await restoreSnapshot(copy, chunks)).toEqual({ msgs: 48, lastSeq: 55 });
        const [a, b] = [store.state(), copy.state()];
        expect(b).toEqual(a);
        for (let s = a.firstSeq; s <= a.lastSeq; s++) {
          if (a.deleted.includes(s)) continue;
          expect(copy.loadMsg(s)).toEqual(store.loadMsg(s));
        }
      } finally {
        await copy.stop();
      }
    }));

  test("a snapshot is the store as it was when taken", () =>
    withStore(make, undefined, async (store) => {
      fill(store, 30, (i) => `c.${i % 3}`);
      const chunks = writeSnapshot(store, 64);
      const first = await chunks.next(); // the snapshot is taken here
      store.purgeEx({ subject: "c.1" });
      store.storeMsg("late", null, bytes("late"));
      store.compact(20);
      await store.flushed();
      const all = [first.value as Uint8Array];
      for await (const chunk of chunks) all.push(chunk);
      const copy = await make({ clock: new FakeClock() });
      try {
        expect((await restoreSnapshot(copy, all)).msgs).toBe(30);
        expect(text(copy.loadMsg(2).payload)).toBe("m2");
        expect(copy.fastState().lastSeq).toBe(30);
      } finally {
        await copy.stop();
      }
    }));

  test("a damaged snapshot is refused", () =>
    withStore(make, undefined, async (store) => {
      fill(store, 5, () => "d");
      const chunks: Uint8Array[] = [];
      for await (const chunk of writeSnapshot(store)) chunks.push(chunk);
      chunks[2] = chunks[2].slice();
      chunks[2][20] ^= 1;
      const copy = await make({ clock: new FakeClock() });
      try {
        let error: unknown;
        await restoreSnapshot(copy, chunks).catch((e) => (error = e));
        expect((error as StoreError).code).toBe("corrupt");
      } finally {
        await copy.stop();
      }
    }));
}
