import { describe, expect, test } from "bun:test";
import { DuplicateWindow } from "./dedupe.ts";

describe("DuplicateWindow", () => {
  test("finds an id inside the window and forgets it after", () => {
    const w = new DuplicateWindow(100n);
    w.add("a", 1, 1000n);
    expect(w.check("a", 1050n)).toBe(1);
    expect(w.check("a", 1100n)).toBeNull();
    expect(w.size).toBe(0);
  });

  test("an id stored again keeps the newer entry when the old one expires", () => {
    const w = new DuplicateWindow(100n);
    w.add("a", 1, 1000n);
    w.add("a", 5, 1080n);
    expect(w.check("a", 1150n)).toBe(5);
  });

  test("a window of zero remembers nothing", () => {
    const w = new DuplicateWindow(0n);
    w.add("a", 1, 1000n);
    expect(w.check("a", 1000n)).toBeNull();
  });

  test("shrinking the window prunes at once; memory stays bounded under churn", () => {
    const w = new DuplicateWindow(1_000n);
    for (let i = 0; i < 10_000; i++) w.add(`id${i}`, i, BigInt(i));
    w.setWindow(10n, 10_000n);
    expect(w.size).toBe(9);
    expect(w.check("id9995", 10_000n)).toBe(9995);
  });
});
