import { describe, expect, test } from "bun:test";
import { isValidAssetName, subjectsCollide } from "./subjects.ts";

describe("subjectsCollide", () => {
  const cases: [string, string, boolean][] = [
    ["a.b", "a.b", true],
    ["a.b", "a.c", false],
    ["a.*", "a.b", true],
    ["a.*", "*.b", true],
    ["a.*", "b.*", false],
    ["a.*", "a.b.c", false],
    ["a.>", "a.b.c", true],
    ["a.>", "a", false],
    ["a.*.c", "a.>", true],
    ["*.*", "a.b.c", false],
    ["a.*.*", "*.b.>", true],
    ["a.*", "a.*.*", false],
    [">", "anything.at.all", true],
  ];
  for (const [a, b, want] of cases) {
    test(`${a} vs ${b}`, () => {
      expect(subjectsCollide(a, b)).toBe(want);
      expect(subjectsCollide(b, a)).toBe(want);
    });
  }
});

describe("isValidAssetName", () => {
  test("refuses empty names, separators, wildcards and whitespace", () => {
    expect(isValidAssetName("ORDERS_1-x")).toBe(true);
    for (const bad of ["", "a.b", "a*", "a>", "a b", "a\tb", "a/b", "a\\b"]) {
      expect(isValidAssetName(bad)).toBe(false);
    }
  });
});
