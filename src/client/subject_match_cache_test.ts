import { describe, expect, test } from "bun:test";
import { Sublist } from "../subjects/sublist.ts";
import { SubjectMatchCache } from "./subject_match_cache.ts";
import { Subscription } from "./subscription.ts";

const bytes = (s: string) => new TextEncoder().encode(s);

function setup() {
  const sublist = new Sublist<Subscription>();
  const owner = { cid: 1 } as unknown as ConstructorParameters<typeof Subscription>[0];
  const sub = new Subscription(owner, "orders.*", null, "1");
  sublist.insert(sub);
  const cache = new SubjectMatchCache();
  const subject = bytes("orders.new");
  const result = sublist.match("orders.new");
  cache.store(sublist, subject, 0, subject.length, result);
  return { sublist, sub, cache, subject, result };
}

describe("SubjectMatchCache", () => {
  test("repeats of the same subject in the same generation hit", () => {
    const { sublist, cache, subject, result } = setup();
    expect(cache.lookup(sublist, subject, 0, subject.length)).toBe(result);
    const other = bytes("orders.old");
    expect(cache.lookup(sublist, other, 0, other.length)).toBeNull();
  });

  test("a new generation misses, and the stale result is not handed out again", () => {
    const { sublist, sub, cache, subject } = setup();
    sublist.remove(sub);
    expect(cache.lookup(sublist, subject, 0, subject.length)).toBeNull();
    // Even back at a generation that would match, the released entry stays gone.
    expect(cache.lookup(sublist, subject, 0, subject.length)).toBeNull();
  });

  test("clear forgets the entry (closed connections keep no subscriptions alive)", () => {
    const { sublist, cache, subject } = setup();
    cache.clear();
    expect(cache.lookup(sublist, subject, 0, subject.length)).toBeNull();
  });
});
