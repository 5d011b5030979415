import { afterAll, describe, expect, test } from "bun:test";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { FakeClock } from "./clock.ts";
import { FileStore } from "./file_store.ts";
import { MemStore } from "./mem_store.ts";
import { restoreSnapshot, writeSnapshot } from "./snapshot.ts";
import type { StreamStore } from "./store.ts";

const root = mkdtempSync(join(tmpdir(), "natsd-snapshot-"));
afterAll(() => rmSync(root, { recursive: true, force: true }));

async function chunksOf(store: StreamStore, chunkBytes: number): Promise<Uint8Array[]> {
  const out: Uint8Array[] = [];
  for await (const chunk of writeSnapshot(store, chunkBytes)) out.push(chunk);
  return out;
}

function concat(chunks: Uint8Array[]): Uint8Array {
  const out = new Uint8Array(chunks.reduce((n, c) => n + c.length, 0));
  let at = 0;
  for (const c of chunks) out.set(c, (at += c.length) - c.length);
  return out;
}

describe("snapshots", () => {
  test("a MemStore snapshot restores into a FileStore and back, identically", async () => {
    const clock = new FakeClock();
    const mem = new MemStore({ clock });
    for (let i = 0; i < 300; i++) mem.storeMsg(`x.${i % 7}`, null, new Uint8Array([i & 0xff, 1]));
    mem.removeMsg(150);
    const file = await FileStore.open({ dir: join(root, "a"), clock, blockSizeBytes: 4096 });
    await restoreSnapshot(file, await chunksOf(mem, 1000));
    // The stores account bytes differently (as nats-server's do); everything else is equal.
    expect({ ...file.state(), bytes: 0 }).toEqual({ ...mem.state(), bytes: 0 });
    const back = new MemStore({ clock });
    await restoreSnapshot(back, await chunksOf(file, 333));
    expect(back.state()).toEqual(mem.state());
    expect(back.loadMsg(299)).toEqual(mem.loadMsg(299));
    await file.stop();
  });

  test("restore accepts the stream split at any byte", async () => {
    const mem = new MemStore({ clock: new FakeClock() });
    for (let i = 0; i < 20; i++) mem.storeMsg("s", null, new Uint8Array([i]));
    const whole = concat(await chunksOf(mem, 64));
    for (const size of [1, 2, 3, 7, 100]) {
      const pieces: Uint8Array[] = [];
      for (let at = 0; at < whole.length; at += size) pieces.push(whole.subarray(at, at + size));
      const copy = new MemStore({ clock: new FakeClock() });
      expect((await restoreSnapshot(copy, pieces)).msgs).toBe(20);
      expect(copy.state()).toEqual(mem.state());
    }
  });

  test("a truncated or foreign stream is refused", async () => {
    const mem = new MemStore({ clock: new FakeClock() });
    mem.storeMsg("s", null, new Uint8Array([1]));
    const whole = concat(await chunksOf(mem, 64));
    const fail = (chunks: Uint8Array[]) =>
      restoreSnapshot(new MemStore(), chunks).then(() => "ok", (e) => e.code);
    expect(await fail([whole.subarray(0, whole.length - 3)])).toBe("corrupt");
    expect(await fail([new TextEncoder().encode("NOTASNAPSHOT")])).toBe("corrupt");
  });
});
