import { describe, expect, test } from "bun:test";
import { FakeClock, SystemClock } from "./clock.ts";

describe("FakeClock", () => {
  test("runs due timers in time order inside advance, and no others", () => {
    const clock = new FakeClock(100n);
    const fired: string[] = [];
    clock.setTimer(130n, () => fired.push(`b@${clock.nowNs()}`));
    clock.setTimer(110n, () => fired.push(`a@${clock.nowNs()}`));
    const cancelled = clock.setTimer(120n, () => fired.push("cancelled"));
    clock.setTimer(500n, () => fired.push("later"));
    clock.clearTimer(cancelled);
    clock.advance(50n);
    expect(fired).toEqual(["a@110", "b@130"]);
    expect(clock.nowNs()).toBe(150n);
    expect(clock.pendingTimers).toBe(1);
  });

  test("fires timers that timers set when they fall due in the same advance", () => {
    const clock = new FakeClock(0n);
    const fired: bigint[] = [];
    clock.setTimer(10n, () => {
      fired.push(clock.nowNs());
      clock.setTimer(20n, () => fired.push(clock.nowNs()));
    });
    clock.set(25n);
    expect(fired).toEqual([10n, 20n]);
  });

  test("refuses to go back in time", () => {
    const clock = new FakeClock(10n);
    expect(() => clock.set(5n)).toThrow(RangeError);
  });
});

describe("SystemClock", () => {
  test("reads unix nanoseconds close to Date.now()", () => {
    const clock = new SystemClock();
    const nowMs = BigInt(Date.now());
    const ns = clock.nowNs();
    expect(ns / 1_000_000n - nowMs < 1000n && nowMs - ns / 1_000_000n < 1000n).toBe(true);
    expect(clock.nowNs() >= ns).toBe(true);
  });

  test("a timer set in the past fires, a cleared one does not", async () => {
    const clock = new SystemClock();
    const fired: string[] = [];
    const done = new Promise<void>((resolve) =>
      clock.setTimer(clock.nowNs() - 1n, () => {
        fired.push("past");
        resolve();
      })
    );
    const id = clock.setTimer(clock.nowNs() - 1n, () => fired.push("cleared"));
    clock.clearTimer(id);
    await done;
    expect(fired).toEqual(["past"]);
  });
});
