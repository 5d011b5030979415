/**
 * The subject index facade used by the server: subscription objects in, match results out, over
 * an id-based trie (native by default, TypeScript as reference and fallback) with a result cache
 * keyed by subject in front of it.
 *
 * The cache follows nats-server's `Sublist`: capped at `cacheEntriesMax` (Go's `slCacheMax`,
 * 1024) and swept to half when full (Go's `slCacheSweep`, 512). An insert or remove invalidates
 * only the cached subjects the changed subscription matches: one map delete for a literal
 * subject, a scan of the cached subjects for a wildcard. A cache hit touches no native code.
 * @module
 */
import { isLiteralSubject, subjectMatchesPattern } from "./subject.ts";
import { TRIE_RESULT_HEADER_INTS, type SubjectTrie, TrieInsertStatus } from "./subject_trie.ts";
import { TsSubjectTrie } from "./sublist_ts.ts";
import { createNativeTrie, isNativeTrieAvailable } from "./native_trie.ts";

export interface SublistResult<T> {
  readonly psubs: T[];
  /** One array per queue group. */
  readonly qsubs: T[][];
}

export interface SubjectSubscription {
  readonly subject: string;
  readonly queue: string | null;
}

/** Thrown by `Sublist.insert` for a subject Go's `Sublist.Insert` rejects, or an empty queue. */
export class InvalidSubjectError extends Error {
  override name = "InvalidSubjectError";
  constructor(readonly subject: string, readonly queue: string | null) {
    super(queue === null
      ? `Cannot subscribe to "${subject}": invalid subject`
      : `Cannot subscribe to "${subject}" in queue "${queue}": invalid subject or queue`);
  }
}

/** Go's `slCacheMax`. */
export const SUBLIST_CACHE_ENTRIES_MAX = 1024;

export interface SublistOptions {
  /** "native" (the default when the addon is built) or "ts". */
  impl?: "native" | "ts";
  cacheEnabled?: boolean;
  cacheEntriesMax?: number;
}

export interface SublistStats {
  numSubs: number;
  numCache: number;
  numInserts: number;
  numRemoves: number;
  numMatches: number;
  cacheHitRate: number;
  maxFanout: number;
  avgFanout: number;
}

/** The shared empty result (Go's `emptyResult`); frozen so that a mutating caller fails loudly. */
const EMPTY_RESULT: SublistResult<never> = Object.freeze({
  psubs: Object.freeze([]) as unknown as never[],
  qsubs: Object.freeze([]) as unknown as never[][],
});

function createTrie(impl: "native" | "ts" | undefined): SubjectTrie {
  if (impl === "ts") return new TsSubjectTrie();
  if (impl === "native") return createNativeTrie();
  return isNativeTrieAvailable() ? createNativeTrie() : new TsSubjectTrie();
}

export class Sublist<T extends SubjectSubscription> {
  #trie: SubjectTrie;
  /** Subscription object to trie id, and back (`#subs[id]`); freed ids are reused. */
  #ids = new Map<T, number>();
  #subs: (T | undefined)[] = [];
  #freeIds: number[] = [];
  #cache: Map<string, SublistResult<T>> | null;
  #cacheEntriesMax: number;
  #genId = 0;
  /**
   * Called after every insert and remove with the subscription (nats-server's sublist interest
   * notifications: push consumers react to subscribers on their deliver subject coming and going).
   */
  onChange: ((sub: T) => void) | null = null;
  #inserts = 0;
  #removes = 0;
  #matches = 0;
  #cacheHits = 0;

  constructor(options: SublistOptions = {}) {
    const cacheEntriesMax = options.cacheEntriesMax ?? SUBLIST_CACHE_ENTRIES_MAX;
    if (!Number.isInteger(cacheEntriesMax) || cacheEntriesMax < 1) {
      throw new RangeError(`Cannot create a sublist: cacheEntriesMax ${cacheEntriesMax} < 1`);
    }
    this.#trie = createTrie(options.impl);
    this.#cache = options.cacheEnabled === false ? null : new Map();
    this.#cacheEntriesMax = cacheEntriesMax;
  }

  /** The trie implementation in use. */
  get impl(): "native" | "ts" {
    return this.#trie.impl;
  }

  /** Bumped on every insert and remove: per-connection caches compare it. */
  get genId(): number {
    return this.#genId;
  }

  /** Adds `sub`; inserting an object that is already present does nothing. */
  insert(sub: T): void {
    if (this.#ids.has(sub)) return;
    const id = this.#freeIds.pop() ?? this.#subs.length;
    const status = this.#trie.insert(id, sub.subject, sub.queue);
    if (status !== TrieInsertStatus.ok) {
      this.#freeIds.push(id);
      if (status === TrieInsertStatus.invalidSubject) {
        throw new InvalidSubjectError(sub.subject, sub.queue);
      }
      throw new Error(`Sublist id ${id} was already in the trie`);
    }
    this.#ids.set(sub, id);
    this.#subs[id] = sub;
    this.#inserts++;
    this.#genId++;
    this.#invalidate(sub.subject);
    this.onChange?.(sub);
  }

  /** Removes `sub`; false when it is not present. */
  remove(sub: T): boolean {
    const id = this.#ids.get(sub);
    if (id === undefined) return false;
    if (!this.#trie.remove(id)) throw new Error(`Sublist id ${id} was missing from the trie`);
    this.#ids.delete(sub);
    this.#subs[id] = undefined;
    this.#freeIds.push(id);
    this.#removes++;
    this.#genId++;
    this.#invalidate(sub.subject);
    this.onChange?.(sub);
    return true;
  }

  /** The subscriptions a message published to `subject` reaches. Never mutate the result. */
  match(subject: string): SublistResult<T> {
    this.#matches++;
    const cache = this.#cache;
    if (cache !== null) {
      const cached = cache.get(subject);
      if (cached !== undefined) {
        this.#cacheHits++;
        return cached;
      }
    }
    const length = this.#trie.match(subject);
    // An empty token matches nothing and is not cached (Go returns before caching too).
    if (length === 0) return EMPTY_RESULT;
    const result = this.#unpack(this.#trie.output, length);
    if (cache !== null) {
      if (cache.size >= this.#cacheEntriesMax) this.#sweepCache(cache);
      cache.set(subject, result);
    }
    return result;
  }

  count(): number {
    return this.#ids.size;
  }

  /** Every subscription, in insertion order. */
  all(): T[] {
    return [...this.#ids.keys()];
  }

  /** Go's `SublistStats`; like Go, the fanout figures are taken over the cached results. */
  stats(): SublistStats {
    let fanoutMax = 0;
    let fanoutTotal = 0;
    const cache = this.#cache;
    if (cache !== null) {
      for (const result of cache.values()) {
        const fanout = result.psubs.length + result.qsubs.length;
        fanoutTotal += fanout;
        if (fanout > fanoutMax) fanoutMax = fanout;
      }
    }
    const numCache = cache?.size ?? 0;
    return {
      numSubs: this.#ids.size,
      numCache,
      numInserts: this.#inserts,
      numRemoves: this.#removes,
      numMatches: this.#matches,
      cacheHitRate: this.#matches > 0 ? this.#cacheHits / this.#matches : 0,
      maxFanout: fanoutMax,
      avgFanout: numCache > 0 ? fanoutTotal / numCache : 0,
    };
  }

  #unpack(packed: Int32Array, length: number): SublistResult<T> {
    const psubCount = packed[0];
    const groupCount = packed[1];
    if (psubCount === 0 && groupCount === 0) return EMPTY_RESULT;
    const subs = this.#subs;
    const psubs = new Array<T>(psubCount);
    let at = TRIE_RESULT_HEADER_INTS;
    for (let i = 0; i < psubCount; i++) psubs[i] = subs[packed[at++]]!;
    const qsubs = new Array<T[]>(groupCount);
    for (let g = 0; g < groupCount; g++) {
      const memberCount = packed[at++];
      const members = new Array<T>(memberCount);
      for (let i = 0; i < memberCount; i++) members[i] = subs[packed[at++]]!;
      qsubs[g] = members;
    }
    if (at !== length) throw new Error(`Sublist match result unpacked ${at} of ${length} ints`);
    return { psubs, qsubs };
  }

  #invalidate(subject: string): void {
    const cache = this.#cache;
    if (cache === null || cache.size === 0) return;
    if (isLiteralSubject(subject)) {
      cache.delete(subject);
      return;
    }
    for (const cached of cache.keys()) {
      if (subjectMatchesPattern(cached, subject)) cache.delete(cached);
    }
  }

  /** Drops the oldest entries (Map order is insertion order) down to half the cap. */
  #sweepCache(cache: Map<string, SublistResult<T>>): void {
    const target = this.#cacheEntriesMax >> 1;
    for (const key of cache.keys()) {
      if (cache.size <= target) break;
      cache.delete(key);
    }
  }
}
