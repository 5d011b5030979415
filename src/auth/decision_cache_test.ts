import { describe, expect, test } from "bun:test";
import {
  DecisionCache, DECISIONS_PRUNE_COUNT, DELIVERY_DECISIONS_MAX, PUBLISH_DECISIONS_MAX,
} from "./decision_cache.ts";

describe("DecisionCache", () => {
  test("limits relate as in nats-server", () => {
    expect(PUBLISH_DECISIONS_MAX).toBe(128);
    expect(DELIVERY_DECISIONS_MAX).toBe(256);
    expect(DECISIONS_PRUNE_COUNT).toBeLessThan(PUBLISH_DECISIONS_MAX);
  });

  test("keeps at most entriesMax decisions, dropping the oldest pruneCount at once", () => {
    const cache = new DecisionCache(8, 3);
    for (let i = 0; i < 8; i++) cache.set(`s${i}`, i % 2 === 0);
    expect(cache.size).toBe(8);
    expect(cache.get("s2")).toBe(true);
    cache.set("s8", true);
    expect(cache.size).toBe(6);
    expect(cache.get("s0")).toBeUndefined();
    expect(cache.get("s2")).toBeUndefined();
    expect(cache.get("s3")).toBe(false);
    for (let i = 0; i < 1000; i++) cache.set(`t${i}`, true);
    expect(cache.size).toBeLessThanOrEqual(8);
    cache.clear();
    expect(cache.size).toBe(0);
  });

  test("refuses nonsensical bounds", () => {
    expect(() => new DecisionCache(0)).toThrow(RangeError);
    expect(() => new DecisionCache(4, 5)).toThrow(RangeError);
  });
});
