/**
 * Space: a long run of publishing and deleting keeps the disk bounded, because compaction
 * rewrites blocks that are mostly dead and removes blocks that are all dead.
 */
import { afterAll, describe, expect, test } from "bun:test";
import { mkdtempSync, readdirSync, rmSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { FileStore } from "../../src/jetstream/store/file_store.ts";

const BLOCK_BYTES = 128 * 1024;
const PAYLOAD = new Uint8Array(1024).fill(0x61);
const root = mkdtempSync(join(tmpdir(), "natsd-space-"));
afterAll(() => rmSync(root, { recursive: true, force: true }));

// Compaction may still be running in the background: a file can vanish between list and stat.
function diskBytes(dir: string): number {
  const msgs = join(dir, "msgs");
  let total = 0;
  for (const f of readdirSync(msgs)) {
    total += statSync(join(msgs, f), { throwIfNoEntry: false })?.size ?? 0;
  }
  return total;
}

function rng(seed: number): () => number {
  let s = seed;
  return () => (s = (s * 1103515245 + 12345) % 2 ** 31) / 2 ** 31;
}

describe("FileStore disk use", () => {
  test("publish and random deletes stay within a bound of the live data", async () => {
    const dir = join(root, "random");
    const store = await FileStore.open({ dir, blockSizeBytes: BLOCK_BYTES });
    const random = rng(42);
    const live: number[] = [];
    let peakRatio = 0;
    for (let cycle = 0; cycle < 100; cycle++) {
      for (let i = 0; i < 500; i++) live.push(store.storeMsg(`work.${i % 16}`, null, PAYLOAD).seq);
      // Remove 450 random live messages: what remains is scattered over every block.
      for (let i = 0; i < 450; i++) {
        const at = Math.floor(random() * live.length);
        store.removeMsg(live[at]);
        live[at] = live[live.length - 1];
        live.pop();
      }
      await store.flushed();
      const used = diskBytes(dir);
      const liveBytes = store.fastState().bytes;
      peakRatio = Math.max(peakRatio, used / (liveBytes + 8 * BLOCK_BYTES));
    }
    // 50,000 messages (about 50 MiB) written, 5,000 live (about 5 MiB).
    expect(store.fastState().msgs).toBe(5000);
    expect(peakRatio).toBeLessThan(2);
    for (const seq of live) store.removeMsg(seq);
    await store.flushed();
    await store.flushed();
    expect(diskBytes(dir)).toBeLessThan(4 * BLOCK_BYTES);
    await store.stop();
  }, 60_000);

  test("a stream at max_msgs keeps a constant footprint", async () => {
    const dir = join(root, "limits");
    const limits = { maxMsgs: 1000 };
    const store = await FileStore.open({ dir, blockSizeBytes: BLOCK_BYTES, limits });
    let peak = 0;
    for (let cycle = 0; cycle < 60; cycle++) {
      for (let i = 0; i < 1000; i++) store.storeMsg("limited", null, PAYLOAD);
      await store.flushed();
      peak = Math.max(peak, diskBytes(dir));
    }
    expect(store.fastState()).toMatchObject({ msgs: 1000, lastSeq: 60_000 });
    // 1,000 live messages are about 1 MiB; every older block is gone.
    expect(peak).toBeLessThan(1100 * 1024 + 2 * BLOCK_BYTES);
    await store.stop();
  }, 60_000);
});
