import { describe, expect, test } from "bun:test";
import { goDuration, goQuote, goUptime, rfc3339 } from "./go_format.ts";

describe("goDuration (Go's time.Duration.String)", () => {
  const cases: [number, string][] = [
    [0, "0s"],
    [1, "1ns"],
    [850, "850ns"],
    [1_500, "1.5µs"],
    [277_000, "277µs"],
    [1_426_891, "1.426891ms"],
    [100_000_000, "100ms"],
    [1_000_000_000, "1s"],
    [2_500_000_000, "2.5s"],
    [60_000_000_000, "1m0s"],
    [61_500_000_000, "1m1.5s"],
    [3_723_004_000_000, "1h2m3.004s"],
    [7_200_000_000_000, "2h0m0s"],
    [-1_500, "-1.5µs"],
  ];
  for (const [ns, text] of cases) {
    test(`${ns}ns -> ${text}`, () => expect(goDuration(ns)).toBe(text));
  }
});

describe("goUptime (nats-server's uptime text)", () => {
  const cases: [number, string][] = [
    [0, "0s"],
    [999, "0s"],
    [59_999, "59s"],
    [60_000, "1m0s"],
    [3_600_000, "1h0m0s"],
    [86_400_000 + 5_000, "1d0h0m5s"],
    [(2 * 365 + 3) * 86_400_000 + 4 * 3_600_000 + 5 * 60_000 + 6_000, "2y3d4h5m6s"],
    [-5, "0s"],
  ];
  for (const [ms, text] of cases) {
    test(`${ms}ms -> ${text}`, () => expect(goUptime(ms)).toBe(text));
  }
});

describe("rfc3339", () => {
  const base = Date.UTC(2026, 10, 26, 18, 42, 23);
  test("whole seconds have no fraction", () => {
    expect(rfc3339(base)).toBe("2026-11-26T18:42:23Z");
  });
  test("trailing zeros are trimmed", () => {
    expect(rfc3339(base + 350)).toBe("2026-11-26T18:42:23.35Z");
  });
  test("sub-millisecond digits are kept to the microsecond", () => {
    expect(rfc3339(base + 351.6234)).toBe("2026-11-26T18:42:23.351623Z");
  });
  test("rounding up to the next millisecond carries", () => {
    expect(rfc3339(base + 0.9999)).toBe("2026-11-26T18:42:23.001Z");
  });
});

describe("goQuote", () => {
  test("plain text is double-quoted", () => expect(goQuote("abc")).toBe('"abc"'));
  test("quotes, backslashes and controls are escaped", () => {
    expect(goQuote('a"b\\c\n\x01')).toBe('"a\\"b\\\\c\\n\\x01"');
  });
});
