import { describe, expect, test } from "bun:test";
import { Harness, MS, msgs, pullConfig, pushConfig, SECOND } from "./_test_harness.ts";
import type { ConsumerOutput } from "./types.ts";

const inactive = (out: readonly ConsumerOutput[]) => out.some((o) => o.kind === "inactive");

describe("inactive threshold", () => {
  test("an idle ephemeral pull consumer goes after 5 s plus jitter (0.1 to 1 s)", () => {
    const h = new Harness({ config: pullConfig({ durable: false }) });
    expect(inactive(h.advance(5100n * MS - 1n))).toBe(false);
    expect(inactive(h.advance(900n * MS + 1n))).toBe(true);
  });

  test("a durable without a threshold never goes", () => {
    const h = new Harness({ config: pullConfig() });
    expect(inactive(h.advance(3600n * SECOND))).toBe(false);
    // The only timer left is the periodic ack floor check.
    expect(h.core.nextDeadline()! - h.now).toBeLessThanOrEqual(60n * SECOND);
  });

  test("pull requests keep it alive; it goes a threshold after the last one", () => {
    const h = new Harness({ config: pullConfig({ inactiveThresholdNs: 2n * SECOND }) });
    h.advance(1500n * MS);
    h.pull("r", { batch: 1, expires: 500_000_000 });
    expect(inactive(h.advance(2000n * MS))).toBe(false);
    expect(inactive(h.advance(2000n * MS))).toBe(true);
  });

  test("a waiting request keeps it alive", () => {
    const h = new Harness({ config: pullConfig({ inactiveThresholdNs: SECOND }) });
    h.pull("r", { batch: 1, expires: 60_000_000_000 });
    expect(inactive(h.advance(30n * SECOND))).toBe(false);
    h.interest.delete("r");
    expect(inactive(h.advance(5n * SECOND))).toBe(true);
  });

  test("unacked deliveries keep it alive until their ack wait plus the threshold", () => {
    const h = new Harness({
      config: pullConfig({ inactiveThresholdNs: SECOND, ackWaitNs: 10n * SECOND }),
      preload: ["a"],
    });
    const [m] = msgs(h.pull("r", { batch: 1, expires: 100_000_000 }));
    h.interest.delete("r");
    expect(inactive(h.advance(10n * SECOND))).toBe(false);
    h.ack(m);
    expect(inactive(h.advance(5n * SECOND))).toBe(true);
  });

  test("push: the countdown starts when interest goes and stops when it returns", () => {
    const h = new Harness({ config: pushConfig({ inactiveThresholdNs: 2n * SECOND }) });
    expect(inactive(h.advance(10n * SECOND))).toBe(false);
    h.core.setInterest(false, h.now);
    h.advance(1500n * MS);
    h.core.setInterest(true, h.now);
    expect(inactive(h.advance(10n * SECOND))).toBe(false);
    h.core.setInterest(false, h.now);
    expect(inactive(h.advance(2n * SECOND))).toBe(true);
  });

  test("acks push the countdown back", () => {
    const h = new Harness({
      config: pushConfig({ inactiveThresholdNs: 2n * SECOND, ackWaitNs: 3600n * SECOND }),
      preload: ["a", "b"],
    });
    const [a, b] = msgs(h.log);
    h.core.setInterest(false, h.now);
    h.advance(1500n * MS);
    h.ack(a);
    expect(inactive(h.advance(1900n * MS))).toBe(false);
    h.ack(b);
    expect(inactive(h.advance(2100n * MS))).toBe(true);
  });
});
