/**
 * Stream store benchmarks (mitata): append throughput with an fsync per group commit, load by
 * sequence, load-last by subject over 100k subjects, numPending with a wildcard filter, and the
 * time to reopen a store of 1M messages with and without its index files.
 *   bun bench/store_bench.ts            # REOPEN_MSGS=1000000
 * Results are recorded in docs/storage.md.
 */
import { bench, do_not_optimize, group, run } from "mitata";
import { mkdtempSync, readdirSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { FileStore } from "../src/jetstream/store/file_store.ts";
import { MemStore } from "../src/jetstream/store/mem_store.ts";
import type { StreamStore } from "../src/jetstream/store/store.ts";

const REOPEN_MSGS = Number(process.env.REOPEN_MSGS ?? 1_000_000);
const SUBJECTS = 100_000;
const root = mkdtempSync(join(tmpdir(), "natsd-store-bench-"));
let dirs = 0;
const newDir = () => join(root, `b${++dirs}`);

const small = new Uint8Array(16).fill(0x61);
const large = new Uint8Array(1024).fill(0x62);
const BATCH = 1000; // messages per group commit in the append benchmarks

async function appendStore(): Promise<FileStore> {
  return await FileStore.open({ dir: newDir() });
}

const appendStores = new Map<string, FileStore>();
for (const [label] of [["16 B"], ["1 KiB"]]) appendStores.set(label, await appendStore());

group("append, fsync per group commit (1000 messages per commit)", () => {
  bench("FileStore 16 B x 1000 + flushed()", async () => {
    const store = appendStores.get("16 B")!;
    for (let i = 0; i < BATCH; i++) store.storeMsg("bench.append", null, small);
    await store.flushed();
  });
  bench("FileStore 1 KiB x 1000 + flushed()", async () => {
    const store = appendStores.get("1 KiB")!;
    for (let i = 0; i < BATCH; i++) store.storeMsg("bench.append", null, large);
    await store.flushed();
  });
});

const latencyStore = await appendStore();
group("publish-ack latency: one message, then wait until it is durable", () => {
  bench("FileStore 16 B storeMsg + flushed()", async () => {
    latencyStore.storeMsg("bench.latency", null, small);
    await latencyStore.flushed();
  });
});

async function filled(store: StreamStore, count: number, subject: (i: number) => string) {
  for (let i = 0; i < count; i++) store.storeMsg(subject(i), null, small);
  await store.flushed();
  return store;
}

const LOAD_MSGS = 100_000;
const subjectOf = (i: number) => `kv.${i % 1000}.${Math.floor(i / 1000) % 100}`;
const fileLoad = await filled(await FileStore.open({ dir: newDir() }), LOAD_MSGS, subjectOf);
const memLoad = await filled(new MemStore(), LOAD_MSGS, subjectOf);
let cursor = 0;
const nextSeq = () => 1 + ((cursor = (cursor * 1103515245 + 12345) % 2 ** 31) % LOAD_MSGS);

group("loadMsg by random sequence (100k messages)", () => {
  bench("FileStore", () => do_not_optimize(fileLoad.loadMsg(nextSeq())));
  bench("MemStore", () => do_not_optimize(memLoad.loadMsg(nextSeq())));
});

group("loadLastMsg by subject (100k subjects)", () => {
  bench("FileStore", () => do_not_optimize(fileLoad.loadLastMsg(subjectOf(nextSeq() - 1))));
  bench("MemStore", () => do_not_optimize(memLoad.loadLastMsg(subjectOf(nextSeq() - 1))));
});

group("numPending with a wildcard filter (100k messages, 100k subjects)", () => {
  bench("FileStore kv.*.7 from the middle", () =>
    do_not_optimize(fileLoad.numPending(LOAD_MSGS / 2, "kv.*.7", false)));
  bench("MemStore kv.*.7 from the middle", () =>
    do_not_optimize(memLoad.numPending(LOAD_MSGS / 2, "kv.*.7", false)));
  bench("FileStore kv.42.> last per subject", () =>
    do_not_optimize(fileLoad.numPending(1, "kv.42.>", true)));
});

await run();

for (const store of [...appendStores.values(), latencyStore, fileLoad, memLoad]) await store.stop();

// Reopen: one-shot timings, outside mitata (each run needs a freshly closed store).
async function reopenTimings(): Promise<void> {
  const dir = newDir();
  const store = await FileStore.open({ dir });
  const batch = 10_000;
  for (let i = 0; i < REOPEN_MSGS; i += batch) {
    const end = Math.min(i + batch, REOPEN_MSGS);
    for (let j = i; j < end; j++) store.storeMsg(subjectOf(j), null, small);
    await store.flushed();
  }
  await store.stop();
  const time = async () => {
    const start = performance.now();
    const s = await FileStore.open({ dir });
    const ms = performance.now() - start;
    if (s.fastState().msgs !== REOPEN_MSGS) throw new Error("reopen lost messages");
    await s.stop();
    return ms;
  };
  const withIndex = [await time(), await time(), await time()];
  const withoutIndex: number[] = [];
  for (let i = 0; i < 3; i++) {
    for (const f of readdirSync(join(dir, "msgs"))) {
      if (f.endsWith(".idx")) rmSync(join(dir, "msgs", f));
    }
    withoutIndex.push(await time());
  }
  const best = (xs: number[]) => Math.min(...xs).toFixed(0);
  console.log(`\nreopen a store of ${REOPEN_MSGS} messages (16 B payloads, best of 3):`);
  console.log(`  with index files:    ${best(withIndex)} ms`);
  console.log(`  without index files: ${best(withoutIndex)} ms`);
}

await reopenTimings();
rmSync(root, { recursive: true, force: true });
