// Runs the shared Sublist cases on native and TypeScript tries, with and without the cache, then
// checks what only the native path has (no native call on a cache hit, growing the output) and
// cross-checks all four configurations against a brute-force matcher on seeded random operations.
import { describe, expect, test } from "bun:test";
import { nativeAddon } from "../native.ts";
import { SeededRandom } from "../util/random.ts";
import { isNativeTrieAvailable } from "./native_trie.ts";
import { subjectMatchesPattern } from "./subject.ts";
import { TRIE_OUTPUT_INTS_INITIAL } from "./subject_trie.ts";
import { Sublist, SUBLIST_CACHE_ENTRIES_MAX } from "./sublist.ts";
import { normalize, runSublistCases, TestSub } from "./sublist_cases.ts";

for (const impl of ["native", "ts"] as const) {
  for (const cacheEnabled of [true, false]) runSublistCases({ impl, cacheEnabled });
}

describe("Sublist defaults", () => {
  test("uses the native trie and a 1024-entry cache (Go's slCacheMax)", () => {
    expect(isNativeTrieAvailable()).toBe(true);
    const s = new Sublist<TestSub>();
    expect(s.impl).toBe("native");
    expect(SUBLIST_CACHE_ENTRIES_MAX).toBe(1024);
    s.insert(new TestSub(">"));
    for (let i = 0; i < 3000; i++) s.match(`s.${i}`);
    expect(s.stats().numCache).toBeLessThanOrEqual(SUBLIST_CACHE_ENTRIES_MAX);
    expect(s.stats().numCache).toBeGreaterThanOrEqual(SUBLIST_CACHE_ENTRIES_MAX / 2);
  });

  test("rejects a cache cap below one entry", () => {
    expect(() => new Sublist<TestSub>({ cacheEntriesMax: 0 })).toThrow(RangeError);
  });
});

describe("Sublist change notifications", () => {
  test("onChange sees every insert and remove, and no duplicate or missing one", () => {
    const sl = new Sublist<TestSub>();
    const seen: string[] = [];
    sl.onChange = (sub) => seen.push(`${sub.subject} ${sub.queue ?? "-"}`);
    const a = new TestSub("a.b", null);
    const q = new TestSub("a.*", "g");
    sl.insert(a);
    sl.insert(a);
    sl.insert(q);
    sl.remove(a);
    sl.remove(a);
    expect(seen).toEqual(["a.b -", "a.* g", "a.b -"]);
  });
});

describe("Sublist native path", () => {
  test("a cache hit for a literal subject makes no native call", () => {
    const prototype = nativeAddon().NativeSublist.prototype;
    const nativeMatch = prototype.match;
    let calls = 0;
    prototype.match = function (this: unknown, ...args: unknown[]) {
      calls++;
      return nativeMatch.apply(this, args);
    };
    try {
      const s = new Sublist<TestSub>({ impl: "native" });
      const sub = new TestSub("hot.subject");
      s.insert(sub);
      expect(s.match("hot.subject").psubs).toEqual([sub]);
      expect(calls).toBe(1);
      for (let i = 0; i < 100; i++) s.match("hot.subject");
      expect(calls).toBe(1);
      s.insert(new TestSub("hot.*"));
      expect(s.match("hot.subject").psubs.length).toBe(2);
      expect(calls).toBe(2);
    } finally {
      prototype.match = nativeMatch;
    }
  });

  test("a result larger than the output array is fetched whole after growing it", () => {
    const s = new Sublist<TestSub>({ impl: "native", cacheEnabled: false });
    const subs = Array.from({ length: TRIE_OUTPUT_INTS_INITIAL * 3 }, () => new TestSub("wide"));
    for (const sub of subs) s.insert(sub);
    expect(s.match("wide").psubs.length).toBe(subs.length);
    expect(s.match("wide").psubs.length).toBe(subs.length);
  });

  test("the binding rejects wrong argument types with TypeError", () => {
    const handle = new (nativeAddon().NativeSublist)();
    expect(() => handle.insert("1", "foo", null)).toThrow(TypeError);
    expect(() => handle.insert(1, 42, null)).toThrow(TypeError);
    expect(() => handle.match("foo", new Uint32Array(8))).toThrow(TypeError);
    expect(handle.insert(1, "ünïcode.subject", "grüppe")).toBe(0);
    const out = new Int32Array(8);
    // [psubCount, groupCount, memberCount, id]
    expect(handle.match("ünïcode.subject", out)).toBe(4);
    expect([...out.subarray(0, 4)]).toEqual([0, 1, 1, 1]);
    expect(handle.match("too.small", new Int32Array(1))).toBe(-2);
  });

  test("a subject longer than the binding's inline buffer is read whole", () => {
    const s = new Sublist<TestSub>({ impl: "native" });
    const long = Array.from({ length: 300 }, (_, i) => `tok${i}é`).join(".");
    const sub = new TestSub(long);
    s.insert(sub);
    expect(s.match(long).psubs).toEqual([sub]);
    expect(s.match(`${long}x`).psubs).toEqual([]);
    expect(s.remove(sub)).toBe(true);
  });
});

describe("Sublist cross-check", () => {
  test("native and ts, cached and not, agree with brute force on seeded random operations", () => {
    const seed = 0x5eed_2026;
    const random = new SeededRandom(seed);
    const sublists = [
      new Sublist<TestSub>({ impl: "native", cacheEnabled: true, cacheEntriesMax: 64 }),
      new Sublist<TestSub>({ impl: "native", cacheEnabled: false }),
      new Sublist<TestSub>({ impl: "ts", cacheEnabled: true, cacheEntriesMax: 64 }),
      new Sublist<TestSub>({ impl: "ts", cacheEnabled: false }),
    ];
    const tokens = ["a", "b", "c", "dd"];
    const randomSubject = (wildcards: boolean): string => {
      const count = 1 + random.int(4);
      const parts: string[] = [];
      for (let i = 0; i < count; i++) {
        const roll = random.int(10);
        if (wildcards && roll === 0) parts.push(i === count - 1 ? ">" : "*");
        else if (wildcards && roll < 3) parts.push("*");
        else parts.push(random.pick(tokens));
      }
      return parts.join(".");
    };
    const pool: TestSub[] = [];
    const live = new Set<TestSub>();
    for (let step = 0; step < 3000; step++) {
      const op = random.int(10);
      if (op < 4 || pool.length === 0) {
        const queue = random.pick([null, null, "q1", "q2"]);
        const sub = new TestSub(randomSubject(true), queue);
        pool.push(sub);
        live.add(sub);
        for (const s of sublists) s.insert(sub);
      } else if (op < 7) {
        const sub = random.pick(pool);
        const expected = live.delete(sub);
        for (const s of sublists) expect(s.remove(sub)).toBe(expected);
      } else {
        const subject = random.int(20) === 0 ? `${randomSubject(false)}..x` : randomSubject(false);
        const expected = bruteForce(live, subject);
        for (const s of sublists) {
          const actual = normalize(s.match(subject));
          if (JSON.stringify(actual) !== JSON.stringify(expected)) {
            throw new Error(`seed ${seed} step ${step}: ${s.impl} mismatch for "${subject}"`);
          }
        }
      }
      for (const s of sublists) expect(s.count()).toBe(live.size);
    }
  });
});

function bruteForce(live: Set<TestSub>, subject: string) {
  const psubs: TestSub[] = [];
  const groups = new Map<string, TestSub[]>();
  if (!subject.split(".").includes("")) {
    for (const sub of live) {
      if (!subjectMatchesPattern(subject, sub.subject)) continue;
      if (sub.queue === null) psubs.push(sub);
      else groups.set(sub.queue, [...(groups.get(sub.queue) ?? []), sub]);
    }
  }
  return normalize({ psubs, qsubs: [...groups.values()] });
}
