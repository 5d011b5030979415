import { describe, expect, test } from "bun:test";
import { RateLimiter } from "./rate_limiter.ts";

describe("RateLimiter", () => {
  test("the first burst goes at once, then sends wait for the refill", () => {
    const limiter = new RateLimiter(1000, 500); // 1000 B/s, 500 B bucket
    expect(limiter.reserve(0n, 500)).toBe(0n);
    // 250 B of debt at 1000 B/s: 250 ms.
    expect(limiter.reserve(0n, 250)).toBe(250_000_000n);
    // 250 ms later the debt is paid; another 100 B needs 100 ms more.
    expect(limiter.reserve(250_000_000n, 100)).toBe(100_000_000n);
  });

  test("idle time refills up to the burst only", () => {
    const limiter = new RateLimiter(100, 200);
    limiter.reserve(0n, 200);
    expect(limiter.reserve(100_000_000_000n, 200)).toBe(0n);
    expect(limiter.reserve(100_000_000_000n, 1)).toBe(10_000_000n);
  });

  test("a send larger than the burst takes the whole bucket instead of blocking forever", () => {
    const limiter = new RateLimiter(10, 10);
    expect(limiter.reserve(0n, 1_000_000)).toBe(0n);
    expect(limiter.reserve(0n, 10)).toBe(1_000_000_000n);
  });

  test("rejects a zero rate", () => {
    expect(() => new RateLimiter(0, 10)).toThrow(RangeError);
  });
});
