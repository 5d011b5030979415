import { expect, test } from "bun:test";
import { parseFilter } from "./_filter.ts";

test("parseFilter tells all, literal and wildcard filters apart and matches tokens", () => {
  expect(parseFilter("").all && parseFilter(">").all).toBe(true);
  const literal = parseFilter("a.b*.c");
  expect([literal.all, literal.literal]).toEqual([false, true]);
  expect(literal.matches("a.b*.c")).toBe(true);
  const wild = parseFilter("a.*.c");
  expect(wild.literal).toBe(false);
  expect([wild.matches("a.x.c"), wild.matches("a.x.y.c"), wild.matches("a.c")]).toEqual([
    true,
    false,
    false,
  ]);
  const tail = parseFilter("a.>");
  const tails = [tail.matches("a.b"), tail.matches("a.b.c"), tail.matches("a")];
  expect(tails).toEqual([true, true, false]);
});
