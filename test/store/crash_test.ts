/**
 * Crash safety with real processes: a child appends to a FileStore as fast as it can and
 * reports each acknowledged (durable) batch; the parent kills it with SIGKILL at a random moment,
 * reopens the store, and checks that every acknowledged message is there, byte for byte, and that
 * every acknowledged removal stuck. Many rounds per configuration, on the same directory, so
 * recovery also recovers from earlier recoveries.
 */
import { afterAll, describe, expect, test } from "bun:test";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { FileStore, type FileStoreOptions } from "../../src/jetstream/store/file_store.ts";
import { StoreError } from "../../src/jetstream/store/errors.ts";
import { crashPayload, isDeletedByWriter } from "./_crash_payload.ts";

const ROUNDS = 25;
const root = mkdtempSync(join(tmpdir(), "natsd-crash-"));
afterAll(() => rmSync(root, { recursive: true, force: true }));
const bun = process.execPath;
const child = join(import.meta.dir, "_crash_child.ts");

type Config = Partial<FileStoreOptions> & { keyByte?: number };

interface Acked {
  msgs: Array<[number, number]>;
  dels: Set<number>;
}

// Seeded so a failing round can be replayed.
function rng(seed: number): () => number {
  let s = seed;
  return () => (s = (s * 1103515245 + 12345) % 2 ** 31) / 2 ** 31;
}

/** Runs the writer until it has acknowledged `killAfter` lines, then SIGKILLs it. */
async function runAndKill(dir: string, config: Config, killAfter: number, acked: Acked) {
  const proc = Bun.spawn([bun, child, dir, JSON.stringify(config)], {
    stdout: "pipe",
    stderr: "pipe",
  });
  const decoder = new TextDecoder();
  let buffered = "";
  let lines = 0;
  for await (const chunk of proc.stdout) {
    buffered += decoder.decode(chunk);
    const parts = buffered.split("\n");
    buffered = parts.pop()!;
    for (const line of parts) {
      const [kind, a, b] = line.split(" ");
      if (kind === "ack") acked.msgs.push([Number(a), Number(b)]);
      if (kind === "del") acked.dels.add(Number(a));
      if (kind !== "ready" && ++lines >= killAfter) proc.kill("SIGKILL");
    }
    if (lines >= killAfter) break;
  }
  await proc.exited;
  if (lines < killAfter) {
    throw new Error(`writer died early: ${await new Response(proc.stderr).text()}`);
  }
}

async function verify(dir: string, config: Config, acked: Acked): Promise<number> {
  const key = config.keyByte === undefined ? undefined : new Uint8Array(32).fill(config.keyByte);
  const store = await FileStore.open({ ...config, dir, key, log: () => {} });
  let checked = 0;
  try {
    for (const [first, last] of acked.msgs) {
      for (let seq = first; seq <= last; seq++) {
        if (acked.dels.has(seq)) {
          let code = "";
          try {
            store.loadMsg(seq);
          } catch (e) {
            code = (e as StoreError).code;
          }
          expect(["deleted", "not_found"]).toContain(code);
          continue;
        }
        if (isDeletedByWriter(seq) && store.loadNextMsg(">", seq)?.seq !== seq) {
          continue; // a removal that was durable but not yet acknowledged: either is right
        }
        const msg = store.loadMsg(seq);
        expect(msg.payload).toEqual(crashPayload(seq));
        checked++;
      }
    }
    const lost = store.state().lost?.msgs ?? [];
    for (const [first, last] of acked.msgs) {
      expect(lost.some((s) => s >= first && s <= last)).toBe(false);
    }
  } finally {
    await store.stop();
  }
  return checked;
}

const configs: Array<[string, Config]> = [
  ["sync always, 16 KiB blocks", { blockSizeBytes: 16384 }],
  ["sync interval, lz4", { blockSizeBytes: 65536, compression: "lz4", sync: { intervalMs: 100 } }],
  ["sync always, ChaCha20-Poly1305", { blockSizeBytes: 32768, cipher: "chacha", keyByte: 9 }],
];

describe("FileStore crash safety (SIGKILL)", () => {
  for (const [name, config] of configs) {
    test(`every acknowledged write survives SIGKILL at random moments: ${name}`, async () => {
      const dir = join(root, name.replace(/\W+/g, "_"));
      const random = rng(name.length * 7919);
      const acked: Acked = { msgs: [], dels: new Set() };
      let checked = 0;
      for (let round = 0; round < ROUNDS; round++) {
        await runAndKill(dir, config, 1 + Math.floor(random() * 40), acked);
        checked = await verify(dir, config, acked);
      }
      expect(acked.msgs.length).toBeGreaterThan(ROUNDS);
      expect(checked).toBeGreaterThan(0);
    }, 60_000);
  }
});
