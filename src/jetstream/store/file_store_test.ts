import { afterAll, describe, expect, test } from "bun:test";
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { FakeClock } from "./clock.ts";
import { StoreError } from "./errors.ts";
import { FileStore, type FileStoreOptions, storeKeyFromConfig } from "./file_store.ts";
import { MemStore } from "./mem_store.ts";
import { expectStoreError, runStoreCases } from "./store_cases.ts";
import type { StreamStore } from "./store.ts";

const root = mkdtempSync(join(tmpdir(), "natsd-filestore-"));
let dirs = 0;
const newDir = (): string => join(root, `s${++dirs}`);
afterAll(() => rmSync(root, { recursive: true, force: true }));

const KEY = new Uint8Array(32).fill(7);
const configs: Array<[string, Partial<FileStoreOptions>]> = [
  ["default blocks", {}],
  ["4 KiB blocks", { blockSizeBytes: 4096 }],
  ["4 KiB blocks, lz4", { blockSizeBytes: 4096, compression: "lz4" }],
  ["64 KiB blocks, AES-GCM", { blockSizeBytes: 65536, cipher: "aes", key: KEY }],
  ["4 KiB blocks, ChaCha20-Poly1305, lz4, sync interval", {
    blockSizeBytes: 4096, cipher: "chacha", key: KEY, compression: "lz4", sync: { intervalMs: 50 },
  }],
];
for (const [name, extra] of configs) {
  runStoreCases(`FileStore (${name})`, ({ limits, clock }) =>
    FileStore.open({ dir: newDir(), limits, clock, ...extra }));
}

const enc = new TextEncoder();
const bytes = (s: string) => enc.encode(s);
const text = (b: Uint8Array) => new TextDecoder().decode(b);

function filesIn(dir: string): string[] {
  return readdirSync(join(dir, "msgs")).sort();
}

describe("FileStore", () => {
  test("msgSize uses nats-server's file store accounting", async () => {
    const store = await FileStore.open({ dir: newDir(), clock: new FakeClock() });
    expect(store.msgSize("abc", 0, 10)).toBe(22 + 3 + 10 + 8);
    expect(store.msgSize("abc", 5, 10)).toBe(22 + 3 + 4 + 5 + 10 + 8);
    await store.stop();
  });

  test("reopening restores messages, deletes, subjects and sequences", async () => {
    const dir = newDir();
    const clock = new FakeClock();
    const a = await FileStore.open({ dir, clock, blockSizeBytes: 4096 });
    for (let i = 1; i <= 300; i++) a.storeMsg(`r.${i % 5}`, null, bytes(`v${i}`));
    a.removeMsg(7);
    a.removeMsg(1);
    a.skipMsgs(301, 5);
    const before = a.state();
    await a.stop();
    const b = await FileStore.open({ dir, clock, blockSizeBytes: 4096 });
    expect(b.state()).toEqual(before);
    expect(text(b.loadMsg(300).payload)).toBe("v300");
    expect(b.filteredState(1, "r.2")).toEqual({ msgs: 59, first: 2, last: 297 });
    expect(b.storeMsg("r.x", null, bytes("next")).seq).toBe(306);
    await b.stop();
  });

  test("reopening without index files rebuilds them from the blocks", async () => {
    const dir = newDir();
    const clock = new FakeClock();
    const a = await FileStore.open({ dir, clock, blockSizeBytes: 4096 });
    for (let i = 1; i <= 200; i++) a.storeMsg(`i.${i % 3}`, null, bytes(`v${i}`));
    a.removeMsg(50);
    const before = a.state();
    await a.stop();
    for (const f of filesIn(dir)) if (f.endsWith(".idx")) rmSync(join(dir, "msgs", f));
    const b = await FileStore.open({ dir, clock, blockSizeBytes: 4096 });
    expect(b.state()).toEqual(before);
    await b.stop();
    expect(filesIn(dir).filter((f) => f.endsWith(".idx")).length).toBeGreaterThan(0);
  });

  test("reopening keeps TTLs and max_age running from the stored times", async () => {
    const dir = newDir();
    const clock = new FakeClock();
    const limits = { maxAgeNs: 60_000_000_000n };
    const a = await FileStore.open({ dir, clock, limits });
    a.storeMsg("t", null, bytes("ttl"), { ttl: 5 });
    a.storeMsg("t", null, bytes("age"));
    await a.stop();
    const b = await FileStore.open({ dir, clock, limits });
    clock.advance(5_000_000_000n);
    expect(b.fastState()).toMatchObject({ msgs: 1, firstSeq: 2 });
    clock.advance(55_000_000_000n);
    expect(b.fastState().msgs).toBe(0);
    await b.stop();
  });

  test("writes arriving together share one flush job (group commit)", async () => {
    const store = await FileStore.open({ dir: newDir(), clock: new FakeClock() });
    const before = store.flushCount;
    for (let i = 0; i < 1000; i++) store.storeMsg("g", null, bytes(`${i}`));
    const acks = [store.flushed(), store.flushed()];
    await Promise.all(acks);
    expect(store.flushCount - before).toBe(1);
    store.storeMsg("g", null, bytes("again"));
    await store.flushed();
    expect(store.flushCount - before).toBe(2);
    await store.stop();
  });

  test("writes made while a flush runs are committed by the next one", async () => {
    const store = await FileStore.open({ dir: newDir(), clock: new FakeClock() });
    store.storeMsg("g", null, bytes("first"));
    const first = store.flushed();
    await Promise.resolve(); // the first job starts
    for (let i = 0; i < 10; i++) store.storeMsg("g", null, bytes(`${i}`));
    const second = store.flushed();
    await first;
    await second;
    expect(store.flushCount).toBeLessThanOrEqual(2);
    expect(store.fastState().msgs).toBe(11);
    await store.stop();
  });

  test("encrypted stores keep no payload or subject in clear, and need the key", async () => {
    for (const cipher of ["aes", "chacha"] as const) {
      const dir = newDir();
      const a = await FileStore.open({ dir, cipher, key: KEY, clock: new FakeClock() });
      a.storeMsg("secret.subject.name", null, bytes("PLAINTEXT-PAYLOAD"));
      await a.stop();
      for (const f of filesIn(dir)) {
        const content = readFileSync(join(dir, "msgs", f)).toString("latin1");
        expect(content.includes("PLAINTEXT-PAYLOAD")).toBe(false);
        expect(content.includes("secret.subject.name")).toBe(false);
      }
      let error: unknown;
      await FileStore.open({ dir, cipher, key: new Uint8Array(32) }).catch((e) => (error = e));
      expect((error as StoreError).code).toBe("bad_key");
      await FileStore.open({ dir }).catch((e) => (error = e));
      expect((error as StoreError).code).toBe("bad_key");
      const b = await FileStore.open({ dir, cipher, key: KEY, clock: new FakeClock() });
      expect(text(b.loadMsg(1).payload)).toBe("PLAINTEXT-PAYLOAD");
      await b.stop();
    }
  });

  test("reopening with other compression or cipher keeps old blocks readable", async () => {
    const dir = newDir();
    const clock = new FakeClock();
    const a = await FileStore.open({ dir, clock, blockSizeBytes: 4096 });
    for (let i = 1; i <= 100; i++) a.storeMsg("mix", null, bytes(`plain-${i}`.repeat(10)));
    await a.stop();
    const b = await FileStore.open({ dir, clock, blockSizeBytes: 4096, compression: "lz4",
      cipher: "aes", key: KEY });
    for (let i = 101; i <= 200; i++) b.storeMsg("mix", null, bytes(`sealed-${i}`.repeat(10)));
    await b.stop();
    const c = await FileStore.open({ dir, clock, blockSizeBytes: 4096, cipher: "aes", key: KEY });
    expect(text(c.loadMsg(1).payload)).toBe("plain-1".repeat(10));
    expect(text(c.loadMsg(200).payload)).toBe("sealed-200".repeat(10));
    expect(c.fastState().msgs).toBe(200);
    await c.stop();
  });

  test("lz4 compression shrinks compressible payloads on disk", async () => {
    const sizes: number[] = [];
    for (const compression of ["none", "lz4"] as const) {
      const dir = newDir();
      const store = await FileStore.open({ dir, compression, clock: new FakeClock() });
      const order = { order: "x".repeat(100), items: Array(20).fill("item") };
      const payload = bytes(JSON.stringify(order));
      for (let i = 0; i < 200; i++) store.storeMsg("z", null, payload);
      await store.stop();
      sizes.push(filesIn(dir).reduce((n, f) => n + statSync(join(dir, "msgs", f)).size, 0));
      const again = await FileStore.open({ dir, compression, clock: new FakeClock() });
      expect(again.loadMsg(200).payload).toEqual(payload);
      await again.stop();
    }
    expect(sizes[1] * 2).toBeLessThan(sizes[0]);
  });

  test("damaged records are reported, counted as lost and never served", async () => {
    const dir = newDir();
    const a = await FileStore.open({ dir, clock: new FakeClock() });
    for (let i = 1; i <= 20; i++) {
      a.storeMsg("d", null, bytes(`payload-${String(i).padStart(3, "0")}`));
    }
    await a.stop();
    const path = join(dir, "msgs", "1.blk");
    const data = readFileSync(path);
    const at = data.indexOf("payload-010");
    data[at + 8] ^= 0x01; // one bit of message 10
    await Bun.write(path, data);
    rmSync(join(dir, "msgs", "1.idx"));
    const logs: string[] = [];
    const b = await FileStore.open({ dir, clock: new FakeClock(), log: (m) => logs.push(m) });
    expect(logs.length).toBe(1);
    expect(logs[0]).toContain("block 1");
    expect(logs[0]).toContain("bad checksum");
    const s = b.state();
    expect(s.msgs).toBe(19);
    expect(s.lost?.msgs).toEqual([10]);
    expectStoreError(() => b.loadMsg(10), "deleted");
    expect(text(b.loadMsg(11).payload)).toBe("payload-011");
    await b.stop();
  });

  test("a record damaged after open is caught by the read", async () => {
    const dir = newDir();
    const logs: string[] = [];
    const store = await FileStore.open({ dir, clock: new FakeClock(), log: (m) => logs.push(m) });
    for (let i = 1; i <= 5; i++) store.storeMsg("d", null, bytes(`payload-${i}`));
    await store.flushed();
    const path = join(dir, "msgs", "1.blk");
    const data = readFileSync(path);
    data[data.indexOf("payload-3") + 2] ^= 0x20;
    await Bun.write(path, data);
    expectStoreError(() => store.loadMsg(3), "corrupt");
    expect(logs.length).toBe(1);
    expect(store.state().lost?.msgs).toEqual([3]);
    expect(store.loadNextMsg("d", 3)?.seq).toBe(4);
    await store.stop();
  });

  test("sync interval mode syncs on the clock's interval", async () => {
    const clock = new FakeClock();
    const store = await FileStore.open({ dir: newDir(), clock, sync: { intervalMs: 1000 } });
    store.storeMsg("s", null, bytes("x"));
    await store.flushed();
    const written = store.flushCount;
    clock.advance(1_000_000_000n);
    await store.flushed();
    await store.stop();
    expect(store.flushCount).toBeGreaterThan(written);
  });

  test("writeBacklogBytes counts what is stored but not yet written", async () => {
    const store = await FileStore.open({ dir: newDir(), clock: new FakeClock() });
    for (let i = 0; i < 100; i++) store.storeMsg("w", null, new Uint8Array(1000));
    expect(store.writeBacklogBytes).toBeGreaterThan(100 * 1000);
    await store.flushed();
    expect(store.writeBacklogBytes).toBe(0);
    await store.stop();
  });

  test("a purge of an empty store is durable before flushed() resolves", async () => {
    const dir = newDir();
    const store = await FileStore.open({ dir, clock: new FakeClock() });
    store.skipMsgs(1, 5);
    expect(store.purgeEx({})).toBe(0);
    await store.flushed();
    expect(store.flushCount).toBeGreaterThan(0);
    await store.stop();
    const again = await FileStore.open({ dir, clock: new FakeClock() });
    expect(again.fastState()).toMatchObject({ firstSeq: 6, lastSeq: 5 });
    await again.stop();
  });

  test("storeKeyFromConfig derives a distinct 32-byte key per stream", () => {
    const a = storeKeyFromConfig("s3cr3t", "ACC/ORDERS");
    expect(a.length).toBe(32);
    expect(storeKeyFromConfig("s3cr3t", "ACC/ORDERS")).toEqual(a);
    expect(storeKeyFromConfig("s3cr3t", "ACC/OTHER")).not.toEqual(a);
    expect(() => storeKeyFromConfig("", "x")).toThrow(TypeError);
  });

  test("bad options are refused", async () => {
    let error: unknown;
    await FileStore.open({ dir: newDir(), blockSizeBytes: 100 }).catch((e) => (error = e));
    expect((error as StoreError).code).toBe("invalid");
    await FileStore.open({ dir: newDir(), cipher: "aes" }).catch((e) => (error = e));
    expect((error as StoreError).code).toBe("bad_key");
    await FileStore.open({ dir: newDir(), sync: { intervalMs: 0 } }).catch((e) => (error = e));
    expect((error as StoreError).code).toBe("invalid");
  });
});

describe("FileStore under concurrent flushing", () => {
  test("reads stay exact while flush jobs append, compact and remove blocks", async () => {
    let seed = 99;
    const rand = (n: number) => {
      seed = (seed * 1103515245 + 12345) % 2 ** 31;
      return seed % n;
    };
    const clock = new FakeClock();
    const store = await FileStore.open({ dir: newDir(), clock, blockSizeBytes: 4096 });
    const model = new Map<number, string>();
    type Snap = { source: ReturnType<StreamStore["snapshot"]>; want: Map<number, string> };
    const snapshots: Snap[] = [];
    for (let step = 0; step < 6000; step++) {
      const op = rand(10);
      if (op < 5) {
        const payload = `c${step}-${"x".repeat(rand(200))}`;
        model.set(store.storeMsg(`cc.${rand(5)}`, null, bytes(payload)).seq, payload);
      } else if (op < 8 && model.size > 0) {
        const keys = [...model.keys()];
        const seq = keys[rand(keys.length)];
        expect(store.removeMsg(seq)).toBe(true);
        model.delete(seq);
      } else if (model.size > 0) {
        const keys = [...model.keys()];
        const seq = keys[rand(keys.length)];
        expect(text(store.loadMsg(seq).payload)).toBe(model.get(seq)!);
      }
      if (step % 1500 === 0) snapshots.push({ source: store.snapshot(), want: new Map(model) });
      // Let flush jobs finish (and new ones start) between steps: reads race the worker.
      if (step % 25 === 0) await new Promise((resolve) => setImmediate(resolve));
      if (step % 400 === 0) await store.flushed();
    }
    await store.flushed();
    for (const { source, want } of snapshots) {
      const got = new Map<number, string>();
      for (let batch = source.next(4096); batch !== null; batch = source.next(4096)) {
        for (const m of batch) got.set(m.seq, text(m.payload));
      }
      expect(got).toEqual(want);
    }
    for (const [seq, payload] of model) expect(text(store.loadMsg(seq).payload)).toBe(payload);
    expect(store.flushCount).toBeGreaterThan(10);
    await store.stop();
  }, 60_000);
});

// Differential check: random operations give the same answers from both stores.
describe("FileStore and MemStore agree", () => {
  test("on every query after random operations", async () => {
    let seed = 12345;
    const rand = (n: number) => {
      seed = (seed * 1103515245 + 12345) % 2 ** 31;
      return seed % n;
    };
    const clock = new FakeClock();
    const limits = { maxMsgsPerSubject: 20 };
    const file = await FileStore.open({ dir: newDir(), clock, limits, blockSizeBytes: 4096 });
    const mem = new MemStore({ clock, limits });
    const both: StreamStore[] = [file, mem];
    for (let step = 0; step < 3000; step++) {
      const op = rand(100);
      const subject = `diff.${rand(8)}.${rand(3)}`;
      if (op < 70) {
        const payload = bytes(`p${step}`);
        for (const s of both) s.storeMsg(subject, null, payload);
      } else if (op < 85) {
        const seq = 1 + rand(file.fastState().lastSeq + 1);
        for (const s of both) s.removeMsg(seq);
      } else if (op < 88) {
        const keep = rand(4);
        for (const s of both) s.purgeEx({ subject: `diff.${rand(8)}.*`, keep });
      } else if (op < 89) {
        const seq = file.fastState().firstSeq + rand(30);
        for (const s of both) s.compact(seq);
      } else {
        const start = rand(file.fastState().lastSeq + 2);
        const filter = [">", subject, `diff.*.${rand(3)}`, `diff.${rand(8)}.>`][rand(4)];
        const [f, m] = both.map((s) => ({
          next: s.loadNextMsg(filter, start)?.seq ?? null,
          prev: s.loadPrevMsg(filter, start)?.seq ?? null,
          filtered: s.filteredState(start, filter),
          pending: s.numPending(start, filter, false).total,
          perSubject: s.numPending(start, filter, true).total,
          subjects: [...s.subjectsTotals(filter)].sort(),
        }));
        expect(f).toEqual(m);
      }
      clock.advance(1n);
    }
    const [fs, ms] = [file.state(), mem.state()];
    expect({ ...fs, bytes: 0 }).toEqual({ ...ms, bytes: 0 });
    await file.stop();
    await mem.stop();
  });
});
