import { describe, expect, test } from "bun:test";
import { formatGoDuration, parseGoDurationNs } from "./go_duration.ts";

describe("formatGoDuration", () => {
  const cases: Array<[bigint, string]> = [
    [0n, "0s"],
    [1n, "1ns"],
    [999n, "999ns"],
    [1_000n, "1µs"],
    [1_500n, "1.5µs"],
    [1_000_000n, "1ms"],
    [1_234_567n, "1.234567ms"],
    [1_000_000_000n, "1s"],
    [1_500_000_000n, "1.5s"],
    [60_000_000_000n, "1m0s"],
    [90_000_000_000n, "1m30s"],
    [3_600_000_000_000n, "1h0m0s"],
    [3_723_000_000_001n, "1h2m3.000000001s"],
    [-1_500_000_000n, "-1.5s"],
  ];
  for (const [ns, expected] of cases) {
    test(`${ns}ns is ${expected}`, () => expect(formatGoDuration(ns)).toBe(expected));
  }
});

describe("parseGoDurationNs", () => {
  const cases: Array<[string, bigint | null]> = [
    ["0", 0n],
    ["5s", 5_000_000_000n],
    ["1.5s", 1_500_000_000n],
    ["1h2m3s", 3_723_000_000_000n],
    ["300ms", 300_000_000n],
    ["10us", 10_000n],
    ["10µs", 10_000n],
    ["-2m", -120_000_000_000n],
    [".5s", 500_000_000n],
    ["", null],
    ["5", null],
    ["s", null],
    ["5x", null],
    ["1.2.3s", null],
    ["9999999999h", null],
  ];
  for (const [textIn, expected] of cases) {
    test(`${JSON.stringify(textIn)}`, () => expect(parseGoDurationNs(textIn)).toBe(expected));
  }

  test("formats back what it parses", () => {
    for (const ns of [1n, 1_001n, 2_500_000n, 61_000_000_000n, 7_322_500_000_000n]) {
      expect(parseGoDurationNs(formatGoDuration(ns))).toBe(ns);
    }
  });
});
