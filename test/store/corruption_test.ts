/**
 * Corruption: bit flips and truncations at random offsets of real block and index files. The
 * store must open, serve every intact message with its exact bytes, report the damaged ones (in
 * the state's `lost` and through its log), and never return wrong bytes.
 */
import { afterAll, describe, expect, test } from "bun:test";
import {
  cpSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  truncateSync,
  writeFileSync,
} from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { FileStore, type FileStoreOptions } from "../../src/jetstream/store/file_store.ts";
import { crashPayload, crashSubject } from "./_crash_payload.ts";

const MSGS = 400;
const ROUNDS = 60;
const root = mkdtempSync(join(tmpdir(), "natsd-corrupt-"));
afterAll(() => rmSync(root, { recursive: true, force: true }));

function rng(seed: number): () => number {
  let s = seed;
  return () => (s = (s * 1103515245 + 12345) % 2 ** 31) / 2 ** 31;
}

async function buildPristine(name: string, options: Partial<FileStoreOptions>): Promise<string> {
  const dir = join(root, `${name}-pristine`);
  const store = await FileStore.open({ ...options, dir });
  for (let seq = 1; seq <= MSGS; seq++) store.storeMsg(crashSubject(seq), null, crashPayload(seq));
  await store.stop();
  return dir;
}

interface Damage {
  file: string;
  singleRecordFlip: boolean;
}

function damage(dir: string, random: () => number): Damage {
  const msgs = join(dir, "msgs");
  const files = readdirSync(msgs).sort();
  const hits = 1 + Math.floor(random() * 3);
  let last: Damage = { file: "", singleRecordFlip: false };
  for (let i = 0; i < hits; i++) {
    const file = files[Math.floor(random() * files.length)];
    const path = join(msgs, file);
    const data = readFileSync(path);
    if (data.length === 0) continue;
    const at = Math.floor(random() * data.length);
    if (random() < 0.25) {
      truncateSync(path, at);
      last = { file, singleRecordFlip: false };
    } else {
      data[at] ^= 1 << Math.floor(random() * 8);
      writeFileSync(path, data);
      last = { file, singleRecordFlip: hits === 1 && file.endsWith(".blk") && at >= 64 };
    }
  }
  return last;
}

const configs: Array<[string, Partial<FileStoreOptions>]> = [
  ["plain", { blockSizeBytes: 16384 }],
  ["lz4", { blockSizeBytes: 16384, compression: "lz4" }],
  ["aes", { blockSizeBytes: 16384, cipher: "aes", key: new Uint8Array(32).fill(3) }],
];

describe("FileStore corruption", () => {
  for (const [name, options] of configs) {
    test(`random bit flips and truncations never yield wrong bytes: ${name}`, async () => {
      const pristine = await buildPristine(name, options);
      const random = rng(name.charCodeAt(0) * 31 + 7);
      let damagedRounds = 0;
      for (let round = 0; round < ROUNDS; round++) {
        const dir = join(root, `${name}-${round}`);
        cpSync(pristine, dir, { recursive: true });
        const hit = damage(dir, random);
        const logs: string[] = [];
        const store = await FileStore.open({ ...options, dir, log: (m) => logs.push(m) });
        let served = 0;
        for (let seq = 1; seq <= MSGS; seq++) {
          let payload: Uint8Array | null = null;
          try {
            payload = store.loadMsg(seq).payload;
          } catch {
            // damaged or lost: checked below through the state
          }
          if (payload === null) continue;
          expect(payload).toEqual(crashPayload(seq));
          served++;
        }
        for (let m = store.loadNextMsg(">", 1); m !== null; m = store.loadNextMsg(">", m.seq + 1)) {
          expect(m.payload).toEqual(crashPayload(m.seq));
        }
        const state = store.state();
        if (served < MSGS) {
          damagedRounds++;
          expect(logs.length + (state.lost?.msgs.length ?? 0)).toBeGreaterThan(0);
        }
        // One flipped bit inside a record: exactly that message is reported lost.
        if (hit.singleRecordFlip) expect(served + (state.lost?.msgs.length ?? 0)).toBe(MSGS);
        await store.stop();
        rmSync(dir, { recursive: true, force: true });
      }
      expect(damagedRounds).toBeGreaterThan(0);
    }, 60_000);
  }
});
