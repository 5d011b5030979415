/**
 * The shared `Sublist` case suite, run by `sublist_test.ts` against each trie implementation with
 * and without the result cache (as nats-server runs each sublist test with and without its
 * cache, so that the cache cannot hide a matching bug). Cases follow `server/sublist_test.go`.
 * @module
 */
import { describe, expect, test } from "bun:test";
import {
  InvalidSubjectError,
  Sublist,
  type SublistOptions,
  type SublistResult,
  type SubjectSubscription,
} from "./sublist.ts";

let nextSubNumber = 0;

/** A subscription with a number, so that results compare as sorted numbers. */
export class TestSub implements SubjectSubscription {
  readonly n = nextSubNumber++;
  constructor(readonly subject: string, readonly queue: string | null = null) {}
}

/** A result as sorted numbers: sorted psubs, and sorted groups of sorted members. */
export function normalize(result: SublistResult<TestSub>): { psubs: number[]; qsubs: number[][] } {
  const byNumber = (a: number, b: number) => a - b;
  const psubs = result.psubs.map((sub) => sub.n).sort(byNumber);
  const qsubs = result.qsubs.map((group) => group.map((sub) => sub.n).sort(byNumber));
  qsubs.sort((a, b) => a[0] - b[0]);
  return { psubs, qsubs };
}

const numbers = (subs: TestSub[]) => subs.map((sub) => sub.n).sort((a, b) => a - b);

export interface SublistCaseConfig {
  impl: "native" | "ts";
  cacheEnabled: boolean;
}

export function runSublistCases(config: SublistCaseConfig): void {
  const label = `${config.impl}, ${config.cacheEnabled ? "cache" : "no cache"}`;
  const create = (options: SublistOptions = {}) => new Sublist<TestSub>({ ...config, ...options });
  describe(`Sublist (${label})`, () => {
    literalCases(create);
    wildcardCases(create);
    queueCases(create);
    removalCases(create);
    invalidSubjectCases(create);
    cacheCases(create, config.cacheEnabled);
    fanoutCases(create);
    statsCases(create, config.cacheEnabled);
  });
}

type Create = (options?: SublistOptions) => Sublist<TestSub>;

function literalCases(create: Create): void {
  test("insert counts subscriptions and all() lists them", () => {
    const s = create();
    const subs = [new TestSub("foo"), new TestSub("bar"), new TestSub("foo.bar")];
    for (const sub of subs) s.insert(sub);
    expect(s.count()).toBe(3);
    expect(numbers(s.all())).toEqual(numbers(subs));
  });

  test("match finds a literal subscription, single and multi-token", () => {
    const s = create();
    const foo = new TestSub("foo");
    const deep = new TestSub("foo.bar.baz");
    s.insert(foo);
    s.insert(deep);
    expect(normalize(s.match("foo"))).toEqual({ psubs: [foo.n], qsubs: [] });
    expect(normalize(s.match("foo.bar.baz"))).toEqual({ psubs: [deep.n], qsubs: [] });
    expect(s.match("foo.bar").psubs).toEqual([]);
  });

  test("a two-token publish does not match a one-token subscription (Go bug report #18)", () => {
    const s = create();
    s.insert(new TestSub("foo"));
    expect(s.match("foo.bar").psubs.length).toBe(0);
  });

  test("duplicate subjects: distinct objects are all matched, one object is inserted once", () => {
    const s = create();
    const a = new TestSub("dup.subject");
    const b = new TestSub("dup.subject");
    s.insert(a);
    s.insert(b);
    const genId = s.genId;
    s.insert(a);
    expect(s.genId).toBe(genId);
    expect(s.count()).toBe(2);
    expect(normalize(s.match("dup.subject")).psubs).toEqual(numbers([a, b]));
    expect(s.remove(a)).toBe(true);
    expect(normalize(s.match("dup.subject")).psubs).toEqual([b.n]);
  });

  test("wildcard characters inside a token are literal characters", () => {
    const s = create();
    for (const subject of ["foo.*-", "foo.>-", "*bar", "foo>"]) {
      const sub = new TestSub(subject);
      s.insert(sub);
      expect(s.match("foo.bar").psubs.length).toBe(0);
      expect(s.match(subject).psubs).toEqual([sub]);
    }
  });
}

function wildcardCases(create: Create): void {
  test("* matches exactly one token, in the middle and at the end", () => {
    const s = create();
    const lit = new TestSub("a.b.c");
    const mid = new TestSub("a.*.c");
    const end = new TestSub("a.b.*");
    const both = new TestSub("*.*.*");
    for (const sub of [lit, mid, end, both]) s.insert(sub);
    expect(normalize(s.match("a.b.c")).psubs).toEqual(numbers([lit, mid, end, both]));
    expect(normalize(s.match("a.x.c")).psubs).toEqual(numbers([mid, both]));
    expect(normalize(s.match("a.b.x")).psubs).toEqual(numbers([end, both]));
    expect(s.match("a.b").psubs).toEqual([]);
    expect(s.match("a.b.c.d").psubs).toEqual([]);
  });

  test("> matches one or more trailing tokens", () => {
    const s = create();
    const all = new TestSub(">");
    const under = new TestSub("a.>");
    const deep = new TestSub("a.b.>");
    const mixed = new TestSub("*.b.>");
    for (const sub of [all, under, deep, mixed]) s.insert(sub);
    expect(normalize(s.match("a")).psubs).toEqual([all.n]);
    expect(normalize(s.match("a.b")).psubs).toEqual(numbers([all, under]));
    expect(normalize(s.match("a.b.c")).psubs).toEqual(numbers([all, under, deep, mixed]));
    expect(normalize(s.match("x.b.c.d")).psubs).toEqual(numbers([all, mixed]));
  });

  test("a published * or > token is only matched by wildcard subscriptions", () => {
    const s = create();
    const literal = new TestSub("foo.bar");
    const star = new TestSub("foo.*");
    const rest = new TestSub("foo.>");
    for (const sub of [literal, star, rest]) s.insert(sub);
    expect(normalize(s.match("foo.*")).psubs).toEqual(numbers([star, rest]));
    expect(normalize(s.match("foo.>")).psubs).toEqual(numbers([star, rest]));
  });

  test("subjects with an empty token match nothing, even >", () => {
    const s = create();
    s.insert(new TestSub(">"));
    s.insert(new TestSub(">", "queue"));
    for (const subject of ["", ".foo", "..foo", "foo..", "foo.", "foo..bar", "foo...bar"]) {
      const result = s.match(subject);
      expect([subject, result.psubs.length, result.qsubs.length]).toEqual([subject, 0, 0]);
    }
    expect(s.stats().numCache).toBe(0);
  });
}

function queueCases(create: Create): void {
  test("queue subscriptions come back grouped by queue name (Go's BasicQueueResults)", () => {
    const s = create();
    const plain = new TestSub("foo");
    const bar1 = new TestSub("foo", "bar");
    const bar2 = new TestSub("foo", "bar");
    const baz1 = new TestSub("foo", "baz");
    s.insert(plain);
    expect(normalize(s.match("foo"))).toEqual({ psubs: [plain.n], qsubs: [] });
    s.insert(bar1);
    expect(normalize(s.match("foo"))).toEqual({ psubs: [plain.n], qsubs: [[bar1.n]] });
    s.insert(baz1);
    s.insert(bar2);
    expect(normalize(s.match("foo"))).toEqual({
      psubs: [plain.n], qsubs: [numbers([bar1, bar2]), [baz1.n]],
    });
    s.remove(bar1);
    s.remove(plain);
    expect(normalize(s.match("foo"))).toEqual({ psubs: [], qsubs: [[bar2.n], [baz1.n]] });
    s.remove(bar2);
    s.remove(baz1);
    expect(normalize(s.match("foo"))).toEqual({ psubs: [], qsubs: [] });
  });

  test("groups of the same name through different wildcards merge into one group", () => {
    const s = create();
    const exact = new TestSub("orders.eu", "workers");
    const star = new TestSub("orders.*", "workers");
    const rest = new TestSub("orders.>", "workers");
    const other = new TestSub("*.eu", "auditors");
    for (const sub of [exact, star, rest, other]) s.insert(sub);
    const result = s.match("orders.eu");
    expect(result.qsubs.length).toBe(2);
    expect(normalize(result).qsubs).toEqual([numbers([exact, star, rest]), [other.n]]);
    expect(normalize(s.match("orders.us")).qsubs).toEqual([numbers([star, rest])]);
  });
}

function removalCases(create: Create): void {
  test("remove returns true once and the subscription stops matching", () => {
    const s = create();
    const sub = new TestSub("a.b.c.d");
    s.insert(sub);
    expect(s.match("a.b.c.d").psubs).toEqual([sub]);
    expect(s.remove(sub)).toBe(true);
    expect(s.remove(sub)).toBe(false);
    expect(s.remove(new TestSub("a.b.c.d"))).toBe(false);
    expect(s.count()).toBe(0);
    expect(s.match("a.b.c.d").psubs).toEqual([]);
  });

  test("removing a wildcard subscription keeps the others", () => {
    const s = create();
    const literal = new TestSub("a.b.c.d");
    const star = new TestSub("a.b.*.d");
    const rest = new TestSub("a.b.>");
    for (const sub of [literal, star, rest]) s.insert(sub);
    expect(s.match("a.b.c.d").psubs.length).toBe(3);
    s.remove(star);
    expect(normalize(s.match("a.b.c.d")).psubs).toEqual(numbers([literal, rest]));
    s.remove(rest);
    expect(normalize(s.match("a.b.c.d")).psubs).toEqual([literal.n]);
    s.remove(literal);
    expect(s.match("a.b.c.d").psubs).toEqual([]);
    expect(s.count()).toBe(0);
  });

  test("a subscription can be re-inserted after removal, and ids are reused", () => {
    const s = create();
    const subs = Array.from({ length: 50 }, (_, i) => new TestSub(`r.${i % 5}`));
    for (const sub of subs) s.insert(sub);
    for (const sub of subs.slice(0, 25)) s.remove(sub);
    const again = Array.from({ length: 25 }, () => new TestSub("r.new"));
    for (const sub of again) s.insert(sub);
    s.insert(subs[0]);
    expect(s.count()).toBe(51);
    expect(normalize(s.match("r.new")).psubs).toEqual(numbers(again));
    expect(normalize(s.match("r.0")).psubs)
      .toEqual(numbers(subs.filter((sub, i) => i === 0 || (i >= 25 && i % 5 === 0))));
  });

  test("removing from many subscriptions on one subject (Go's RemoveWithLargeSubs)", () => {
    const s = create();
    const subs = Array.from({ length: 300 }, () => new TestSub("foo"));
    for (const sub of subs) s.insert(sub);
    expect(s.match("foo").psubs.length).toBe(300);
    s.remove(subs[0]);
    s.remove(subs[150]);
    s.remove(subs[299]);
    const left = subs.filter((_, i) => i !== 0 && i !== 150 && i !== 299);
    expect(normalize(s.match("foo")).psubs).toEqual(numbers(left));
  });
}

function invalidSubjectCases(create: Create): void {
  test("insert throws InvalidSubjectError for what Go's Sublist.Insert rejects", () => {
    const s = create();
    const bad = ["", ".foo", "foo.", "foo..bar", "foo.bar..baz", "foo.>.bar", ">.>", "."];
    for (const subject of bad) {
      expect(() => s.insert(new TestSub(subject))).toThrow(InvalidSubjectError);
    }
    expect(() => s.insert(new TestSub("foo", ""))).toThrow(InvalidSubjectError);
    expect(s.count()).toBe(0);
    expect(s.genId).toBe(0);
    expect(s.stats().numInserts).toBe(0);
    // A failed insert leaves the object insertable elsewhere and removal reports it absent.
    const failed = new TestSub("a..b");
    expect(() => s.insert(failed)).toThrow(InvalidSubjectError);
    expect(s.remove(failed)).toBe(false);
  });

  test("insert accepts a form feed inside a token, as Go's Sublist.Insert does", () => {
    const s = create();
    const sub = new TestSub("foo\fbar");
    s.insert(sub);
    expect(s.match("foo\fbar").psubs).toEqual([sub]);
  });
}

function cacheCases(create: Create, cacheEnabled: boolean): void {
  test("wildcard inserts and removes after a match was cached change later matches", () => {
    const s = create();
    const literal = new TestSub("a.b.c");
    s.insert(literal);
    const before = s.match("a.b.c");
    expect(normalize(before).psubs).toEqual([literal.n]);
    const star = new TestSub("a.*.c");
    const rest = new TestSub("a.>");
    const queued = new TestSub("*.b.c", "q");
    s.insert(star);
    s.insert(rest);
    s.insert(queued);
    expect(normalize(s.match("a.b.c"))).toEqual({
      psubs: numbers([literal, star, rest]), qsubs: [[queued.n]],
    });
    // A result handed out earlier is never changed afterwards.
    expect(normalize(before).psubs).toEqual([literal.n]);
    s.remove(rest);
    expect(normalize(s.match("a.b.c")).psubs).toEqual(numbers([literal, star]));
    s.remove(queued);
    s.remove(star);
    expect(normalize(s.match("a.b.c"))).toEqual({ psubs: [literal.n], qsubs: [] });
  });

  test("a literal insert after a cached empty match is seen", () => {
    const s = create();
    expect(s.match("x.y").psubs.length).toBe(0);
    const sub = new TestSub("x.y");
    s.insert(sub);
    expect(s.match("x.y").psubs).toEqual([sub]);
    s.remove(sub);
    expect(s.match("x.y").psubs).toEqual([]);
  });

  test("only the cached subjects matched by the changed subscription are dropped", () => {
    const s = create();
    for (const subject of ["a.b", "a.c", "x.y", "x.z"]) s.match(subject);
    expect(s.stats().numCache).toBe(cacheEnabled ? 4 : 0);
    s.insert(new TestSub("a.*"));
    expect(s.stats().numCache).toBe(cacheEnabled ? 2 : 0);
    s.insert(new TestSub("x.y"));
    expect(s.stats().numCache).toBe(cacheEnabled ? 1 : 0);
    const hitsBefore = s.stats().cacheHitRate * s.stats().numMatches;
    s.match("x.z");
    const hitsAfter = s.stats().cacheHitRate * s.stats().numMatches;
    expect(Math.round(hitsAfter - hitsBefore)).toBe(cacheEnabled ? 1 : 0);
  });

  test("the cache stays within cacheEntriesMax and results stay correct", () => {
    const cacheEntriesMax = 8;
    const s = create({ cacheEntriesMax });
    const wildcard = new TestSub("load.*");
    s.insert(wildcard);
    for (let i = 0; i < 100; i++) {
      expect(s.match(`load.${i}`).psubs).toEqual([wildcard]);
      expect(s.stats().numCache).toBeLessThanOrEqual(cacheEnabled ? cacheEntriesMax : 0);
    }
    expect(s.stats().numCache).toBeGreaterThan(cacheEnabled ? cacheEntriesMax / 2 - 1 : -1);
    const literal = new TestSub("load.3");
    s.insert(literal);
    expect(normalize(s.match("load.3")).psubs).toEqual(numbers([wildcard, literal]));
  });

  test("genId changes on every insert and remove, not on matches or no-ops", () => {
    const s = create();
    const sub = new TestSub("g.1");
    expect(s.genId).toBe(0);
    s.insert(sub);
    expect(s.genId).toBe(1);
    s.match("g.1");
    expect(s.genId).toBe(1);
    expect(s.remove(new TestSub("g.1"))).toBe(false);
    expect(s.genId).toBe(1);
    s.remove(sub);
    expect(s.genId).toBe(2);
  });

  test("empty results are one shared frozen result (Go's emptyResult)", () => {
    const s = create();
    const first = s.match("nothing.here");
    const second = s.match("nor.here");
    expect(first).toBe(second);
    expect(Object.isFrozen(first.psubs) && Object.isFrozen(first.qsubs)).toBe(true);
  });
}

function fanoutCases(create: Create): void {
  test("large fanout: 10k plain, 10 queue groups and wildcards on one subject", () => {
    const s = create();
    const plain = Array.from({ length: 10_000 }, () => new TestSub("big.fanout"));
    const queued = Array.from({ length: 1_000 }, (_, i) => new TestSub("big.fanout", `q${i % 10}`));
    const wild = Array.from({ length: 100 }, () => new TestSub("big.*"));
    for (const sub of [...plain, ...queued, ...wild]) s.insert(sub);
    const result = s.match("big.fanout");
    expect(result.psubs.length).toBe(10_100);
    expect(result.qsubs.length).toBe(10);
    for (const group of result.qsubs) {
      expect(group.length).toBe(100);
      expect(new Set(group.map((sub) => sub.queue)).size).toBe(1);
    }
    for (let i = 0; i < plain.length; i += 2) s.remove(plain[i]);
    expect(s.match("big.fanout").psubs.length).toBe(5_100);
    expect(s.count()).toBe(6_100);
  });
}

function statsCases(create: Create, cacheEnabled: boolean): void {
  test("stats count inserts, removes, matches and cache hits (Go's AddCacheHitRate)", () => {
    const s = create();
    const foo = new TestSub("foo");
    s.insert(foo);
    s.insert(new TestSub("foo", "q"));
    s.insert(new TestSub("bar"));
    s.remove(foo);
    for (let i = 0; i < 4; i++) s.match("bar");
    const stats = s.stats();
    expect(stats.numSubs).toBe(2);
    expect(stats.numInserts).toBe(3);
    expect(stats.numRemoves).toBe(1);
    expect(stats.numMatches).toBe(4);
    expect(stats.cacheHitRate).toBe(cacheEnabled ? 0.75 : 0);
    expect(stats.numCache).toBe(cacheEnabled ? 1 : 0);
  });

  test("fanout stats are taken over cached results, as in Go", () => {
    const s = create();
    for (const subject of ["f", "f", "f", "g"]) s.insert(new TestSub(subject));
    s.insert(new TestSub("f", "q"));
    s.insert(new TestSub("f", "q"));
    s.match("f"); // 3 psubs + 1 group
    s.match("g"); // 1 psub
    const stats = s.stats();
    expect(stats.maxFanout).toBe(cacheEnabled ? 4 : 0);
    expect(stats.avgFanout).toBe(cacheEnabled ? 2.5 : 0);
  });
}
