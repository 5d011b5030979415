import { describe, expect, test } from "bun:test";
import {
  HEALTH_CHECK_NS, HEARTBEAT_NS, RETRY_BACKOFF_NS_MAX, RETRY_JITTER_NS_BASE,
  RETRY_JITTER_NS_SPAN, RETRY_THRESHOLD_NS, retryBackoffNs, retryDelayNs,
} from "./retry.ts";

const S = 1_000_000_000n;

describe("retry", () => {
  test("limits relate as nats-server's", () => {
    expect(RETRY_THRESHOLD_NS).toBe(2n * S);
    expect(HEARTBEAT_NS < HEALTH_CHECK_NS).toBe(true);
    expect(RETRY_JITTER_NS_BASE + RETRY_JITTER_NS_SPAN < RETRY_THRESHOLD_NS).toBe(true);
  });

  test("back-off grows by 10 s per failure up to 2 minutes", () => {
    expect(retryBackoffNs(0)).toBe(0n);
    expect(retryBackoffNs(1)).toBe(10n * S);
    expect(retryBackoffNs(3)).toBe(30n * S);
    expect(retryBackoffNs(100)).toBe(RETRY_BACKOFF_NS_MAX);
  });

  test("the first request waits only the jitter", () => {
    expect(retryDelayNs({ nowNs: 0n, lastRequestNs: null, fails: 5, random: 0 }))
      .toBe(RETRY_JITTER_NS_BASE);
    expect(retryDelayNs({ nowNs: 0n, lastRequestNs: null, fails: 0, random: 0.5 }))
      .toBe(RETRY_JITTER_NS_BASE + RETRY_JITTER_NS_SPAN / 2n);
  });

  test("later requests keep the 2 s threshold and add the back-off", () => {
    const at = 100n * S;
    expect(retryDelayNs({ nowNs: at, lastRequestNs: at - S / 2n, fails: 0, random: 0 }))
      .toBe(RETRY_THRESHOLD_NS - S / 2n + RETRY_JITTER_NS_BASE);
    expect(retryDelayNs({ nowNs: at, lastRequestNs: at - 5n * S, fails: 2, random: 0 }))
      .toBe(20n * S + RETRY_JITTER_NS_BASE);
  });
});
