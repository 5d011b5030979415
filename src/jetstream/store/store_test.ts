import { expect, test } from "bun:test";
import { assertCount, utf8Length } from "./store.ts";

test("assertCount accepts non-negative safe integers only", () => {
  expect(() => assertCount(0, "sequence")).not.toThrow();
  expect(() => assertCount(Number.MAX_SAFE_INTEGER, "sequence")).not.toThrow();
  for (const bad of [-1, 1.5, Number.MAX_SAFE_INTEGER + 1, NaN]) {
    expect(() => assertCount(bad, "sequence")).toThrow(TypeError);
  }
});

test("utf8Length counts UTF-8 bytes without encoding", () => {
  for (const s of ["", "abc", "ü", "€", "😀", "a.ü.€.😀"]) {
    expect(utf8Length(s)).toBe(new TextEncoder().encode(s).length);
  }
});
