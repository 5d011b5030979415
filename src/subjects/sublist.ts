/**
 * The subject index facade: a token trie with a capped result cache keyed by subject.
 * @module
 */
import { isValidQueueName, isValidSubject, subjectMatchesPattern } from "./subject.ts";

export interface SublistResult<T> {
  readonly psubs: T[];
  readonly qsubs: T[][];
}
export interface SubjectSubscription {
  readonly subject: string;
  readonly queue: string | null;
}

export class InvalidSubjectError extends Error {
  override name = "InvalidSubjectError";
}

/** Go's slCacheMax. */
export const SUBLIST_CACHE_ENTRIES_MAX = 1024;

interface Level<T> {
  nodes: Map<string, Node<T>>;
  pwc: Node<T> | null;
  fwc: Node<T> | null;
}
interface Node<T> {
  next: Level<T> | null;
  psubs: Set<T>;
  qsubs: Map<string, Set<T>>;
}

const newLevel = <T>(): Level<T> => ({ nodes: new Map(), pwc: null, fwc: null });
const newNode = <T>(): Node<T> => ({ next: null, psubs: new Set(), qsubs: new Map() });

export class Sublist<T extends SubjectSubscription> {
  #root: Level<T> = newLevel();
  #cache = new Map<string, SublistResult<T>>();
  #cacheEnabled: boolean;
  #cacheMax: number;
  #count = 0;
  #genId = 0;
  #inserts = 0;
  #removes = 0;
  #matches = 0;
  #cacheHits = 0;
  #maxFanout = 0;
  #fanoutTotal = 0;
  #fanoutSamples = 0;
  #all = new Set<T>();

  constructor(options: { impl?: "native" | "ts"; cacheEnabled?: boolean; cacheEntriesMax?: number } = {}) {
    this.#cacheEnabled = options.cacheEnabled ?? true;
    this.#cacheMax = options.cacheEntriesMax ?? SUBLIST_CACHE_ENTRIES_MAX;
  }

  get genId(): number {
    return this.#genId;
  }

  insert(sub: T): void {
    if (!isValidSubject(sub.subject) || (sub.queue !== null && !isValidQueueName(sub.queue))) {
      throw new InvalidSubjectError(`Invalid subject "${sub.subject}"`);
    }
    if (this.#all.has(sub)) return;
    let level = this.#root;
    let node: Node<T> | null = null;
    for (const token of sub.subject.split(".")) {
      if (token === "*") node = level.pwc ??= newNode();
      else if (token === ">") node = level.fwc ??= newNode();
      else {
        node = level.nodes.get(token) ?? null;
        if (!node) level.nodes.set(token, (node = newNode()));
      }
      level = node.next ??= newLevel();
    }
    if (sub.queue === null) node!.psubs.add(sub);
    else {
      let group = node!.qsubs.get(sub.queue);
      if (!group) node!.qsubs.set(sub.queue, (group = new Set()));
      group.add(sub);
    }
    this.#all.add(sub);
    this.#count++;
    this.#inserts++;
    this.#genId++;
    this.#invalidate(sub.subject);
  }

  remove(sub: T): boolean {
    if (!this.#all.delete(sub)) return false;
    const path: [Level<T>, string, Node<T>][] = [];
    let level = this.#root;
    let node: Node<T> | null = null;
    for (const token of sub.subject.split(".")) {
      node = token === "*" ? level.pwc : token === ">" ? level.fwc : level.nodes.get(token) ?? null;
      if (!node) return false;
      path.push([level, token, node]);
      if (!node.next) break;
      level = node.next;
    }
    if (sub.queue === null) node!.psubs.delete(sub);
    else {
      const group = node!.qsubs.get(sub.queue);
      group?.delete(sub);
      if (group && group.size === 0) node!.qsubs.delete(sub.queue);
    }
    // Prune empty nodes from the leaf up.
    for (let i = path.length - 1; i >= 0; i--) {
      const [parent, token, child] = path[i];
      const childEmpty = child.psubs.size === 0 && child.qsubs.size === 0 &&
        (!child.next || (child.next.nodes.size === 0 && !child.next.pwc && !child.next.fwc));
      if (!childEmpty) break;
      if (token === "*") parent.pwc = null;
      else if (token === ">") parent.fwc = null;
      else parent.nodes.delete(token);
    }
    this.#count--;
    this.#removes++;
    this.#genId++;
    this.#invalidate(sub.subject);
    return true;
  }

  match(subject: string): SublistResult<T> {
    this.#matches++;
    if (this.#cacheEnabled) {
      const cached = this.#cache.get(subject);
      if (cached) {
        this.#cacheHits++;
        return cached;
      }
    }
    const psubs: T[] = [];
    const groups = new Map<string, T[]>();
    const tokens = subject.split(".");
    // Explicit stack instead of recursion: depth is bounded by the token count.
    const stack: [Level<T>, number][] = [[this.#root, 0]];
    while (stack.length > 0) {
      const [level, index] = stack.pop()!;
      if (level.fwc) collect(level.fwc, psubs, groups);
      if (index === tokens.length) continue;
      const last = index === tokens.length - 1;
      for (const node of [level.nodes.get(tokens[index]), level.pwc]) {
        if (!node) continue;
        if (last) collect(node, psubs, groups);
        else if (node.next) stack.push([node.next, index + 1]);
      }
    }
    const result: SublistResult<T> = { psubs, qsubs: [...groups.values()] };
    const fanout = psubs.length + result.qsubs.length;
    this.#maxFanout = Math.max(this.#maxFanout, fanout);
    this.#fanoutTotal += fanout;
    this.#fanoutSamples++;
    if (this.#cacheEnabled) {
      if (this.#cache.size >= this.#cacheMax) this.#sweepCache();
      this.#cache.set(subject, result);
    }
    return result;
  }

  count(): number {
    return this.#count;
  }

  all(): T[] {
    return [...this.#all];
  }

  stats() {
    return {
      numSubs: this.#count,
      numCache: this.#cache.size,
      numInserts: this.#inserts,
      numRemoves: this.#removes,
      numMatches: this.#matches,
      cacheHitRate: this.#matches > 0 ? this.#cacheHits / this.#matches : 0,
      maxFanout: this.#maxFanout,
      avgFanout: this.#fanoutSamples > 0 ? this.#fanoutTotal / this.#fanoutSamples : 0,
    };
  }

  #invalidate(pattern: string): void {
    for (const subject of this.#cache.keys()) {
      if (subjectMatchesPattern(subject, pattern)) this.#cache.delete(subject);
    }
  }

  #sweepCache(): void {
    // Drop the oldest quarter (Map iteration order is insertion order).
    let toDrop = Math.max(1, this.#cacheMax >> 2);
    for (const key of this.#cache.keys()) {
      this.#cache.delete(key);
      if (--toDrop === 0) break;
    }
  }
}

function collect<T>(node: Node<T>, psubs: T[], groups: Map<string, T[]>): void {
  for (const sub of node.psubs) psubs.push(sub);
  for (const [queue, members] of node.qsubs) {
    let group = groups.get(queue);
    if (!group) groups.set(queue, (group = []));
    for (const sub of members) group.push(sub);
  }
}
