import { describe, expect, test } from "bun:test";
import { formatDurationMs, parseDurationMs, parseDurationNs } from "./duration.ts";

describe("parseDuration (Go's time.ParseDuration)", () => {
  test("units and combinations", () => {
    expect(parseDurationMs("2m")).toBe(120_000);
    expect(parseDurationMs("10s")).toBe(10_000);
    expect(parseDurationMs("1h2m3s")).toBe(3_723_000);
    expect(parseDurationMs("1.5h")).toBe(5_400_000);
    expect(parseDurationMs("300ms")).toBe(300);
    expect(parseDurationMs("1500us")).toBe(1.5);
    expect(parseDurationNs("7ns")).toBe(7n);
    expect(parseDurationNs("2\u00b5s")).toBe(2000n);
    expect(parseDurationMs("-1m")).toBe(-60_000);
    expect(parseDurationMs("0")).toBe(0);
    expect(parseDurationMs(".5s")).toBe(500);
  });

  test("errors use Go's wording", () => {
    expect(() => parseDurationMs("")).toThrow('time: invalid duration ""');
    expect(() => parseDurationMs("abc")).toThrow('time: invalid duration "abc"');
    expect(() => parseDurationMs("60")).toThrow('time: missing unit in duration "60"');
    expect(() => parseDurationMs("1x")).toThrow('time: unknown unit "x" in duration "1x"');
    expect(() => parseDurationMs("3000000h")).toThrow('time: invalid duration "3000000h"');
  });
});

describe("formatDurationMs (Go's Duration.String)", () => {
  test("formats like Go", () => {
    expect(formatDurationMs(0)).toBe("0s");
    expect(formatDurationMs(10_000)).toBe("10s");
    expect(formatDurationMs(120_000)).toBe("2m0s");
    expect(formatDurationMs(3_723_500)).toBe("1h2m3.5s");
    expect(formatDurationMs(300)).toBe("300ms");
  });
});
