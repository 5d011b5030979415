import { afterAll, describe, expect, test } from "bun:test";
import { mkdtempSync, readFileSync, rmSync, writeFileSync, existsSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import {
  EXPLICIT,
  expectStoreError,
  runConsumerStoreCases,
  view,
} from "./consumer_store_cases.ts";
import { ConsumerStoreError } from "./errors.ts";
import { FileConsumerStore, META_FILE, STATE_FILE } from "./file_consumer_store.ts";

const root = mkdtempSync(join(tmpdir(), "natsd-cstore-"));
afterAll(() => rmSync(root, { recursive: true, force: true }));
let counter = 0;
const freshDir = () => join(root, `c${++counter}`);

runConsumerStoreCases("FileConsumerStore", {
  make: (config) => FileConsumerStore.open(freshDir(), config),
  reopen: async (store) => {
    const dir = (store as FileConsumerStore).directory;
    await store.stop();
    return FileConsumerStore.open(dir, null);
  },
});

async function expectCorrupt(dir: string): Promise<void> {
  try {
    await FileConsumerStore.open(dir, null);
  } catch (e) {
    expect(e).toBeInstanceOf(ConsumerStoreError);
    expect((e as ConsumerStoreError).code).toBe("corrupt");
    return;
  }
  throw new Error("expected a corrupt consumer store");
}

async function writtenStore(): Promise<string> {
  const dir = freshDir();
  const s = await FileConsumerStore.open(dir, EXPLICIT);
  const base = 1_700_000_000_000_000_000n;
  for (let i = 1; i <= 5; i++) s.updateDelivered(i, i * 3, 1, base + BigInt(i));
  s.updateDelivered(6, 3, 2, 1_800_000_000_000_000_000n);
  s.updateAcks(2, 6);
  await s.stop();
  return dir;
}

describe("FileConsumerStore files", () => {
  test("every single-byte change of o.dat is detected", async () => {
    const dir = await writtenStore();
    const good = readFileSync(join(dir, STATE_FILE));
    for (let i = 0; i < good.length; i++) {
      const bad = Buffer.from(good);
      bad[i] ^= 0x41;
      writeFileSync(join(dir, STATE_FILE), bad);
      await expectCorrupt(dir);
    }
    writeFileSync(join(dir, STATE_FILE), good);
    const s = await FileConsumerStore.open(dir, null);
    expect(s.state().pending.size).toBe(4);
    await s.stop();
  });

  test("every truncation of o.dat and meta.inf is detected", async () => {
    const dir = await writtenStore();
    for (const file of [STATE_FILE, META_FILE]) {
      const good = readFileSync(join(dir, file));
      for (let n = 0; n < good.length; n++) {
        writeFileSync(join(dir, file), good.subarray(0, n));
        await expectCorrupt(dir);
      }
      writeFileSync(join(dir, file), good);
    }
  });

  test("a record with a valid checksum but impossible state is not trusted", async () => {
    const dir = await writtenStore();
    const { encodeState } = await import("./state_codec.ts");
    const { emptyConsumerState } = await import("./consumer_store.ts");
    const st = emptyConsumerState();
    st.delivered = { consumer: 1, stream: 1 };
    st.ackFloor = { consumer: 2, stream: 1 };
    writeFileSync(join(dir, STATE_FILE), encodeState(st));
    await expectCorrupt(dir);
  });

  test("a directory without meta.inf and no config is refused", async () => {
    await expectCorrupt(freshDir());
  });

  test("a leftover temporary file from a crash is removed and ignored", async () => {
    const dir = await writtenStore();
    writeFileSync(join(dir, STATE_FILE + ".tmp"), "half a write");
    const s = await FileConsumerStore.open(dir, null);
    expect(existsSync(join(dir, STATE_FILE + ".tmp"))).toBe(false);
    expect(s.state().delivered).toEqual({ consumer: 6, stream: 15 });
    await s.stop();
  });

  test("changes in one turn share a write and flushed() covers them all", async () => {
    const dir = freshDir();
    const s = await FileConsumerStore.open(dir, EXPLICIT);
    for (let i = 1; i <= 200; i++) s.updateDelivered(i, i, 1, BigInt(i));
    const flushed = s.flushed();
    for (let i = 1; i <= 100; i++) s.updateAcks(i, i);
    await Promise.all([flushed, s.flushed()]);
    const copy = await FileConsumerStore.open(dir, null);
    expect(view(copy.state())).toEqual(view(s.state()));
    await copy.stop();
    await s.stop();
  });

  test("a given config replaces the stored one", async () => {
    const dir = await writtenStore();
    const s = await FileConsumerStore.open(dir, { ...EXPLICIT, maxDeliver: 9 });
    await s.stop();
    const again = await FileConsumerStore.open(dir, null);
    expect(again.config().maxDeliver).toBe(9);
    await again.stop();
  });

  test("delete removes the directory", async () => {
    const dir = await writtenStore();
    const s = await FileConsumerStore.open(dir, null);
    await s.delete();
    expect(existsSync(dir)).toBe(false);
    expectStoreError(() => s.setStarting(1), "closed");
  });
});
