import { describe, expect, test } from "bun:test";
import type { Position } from "./errors.ts";
import { parseConfig } from "./parser.ts";
import {
  bool, dict, dur, enumOf, int, list, map, num, oneOf, type Schema, size, str, validate,
} from "./schema.ts";

/** Validates `value` (config syntax) against `schema`; returns "line:col message" lines. */
function check(value: string, schema: Schema): string[] {
  const entry = parseConfig(`v = ${value}`).entries.get("v")!;
  const out: string[] = [];
  const at = (p: Position) => `${p.line}:${p.column}`;
  validate(entry.value, schema, "v", {
    error: (pos, reason) => out.push(`${at(pos)} ${reason}`),
    unknown: (path, pos) => out.push(`${at(pos)} unknown ${path}`),
  }, 0, entry.keyPos);
  return out;
}

describe("schema validation", () => {
  test("scalar types", () => {
    expect(check("x", str)).toEqual([]);
    expect(check("1", str)).toEqual(["1:1 'v' must be a string, got int 1"]);
    expect(check("yes", bool)).toEqual([]);
    expect(check("1.5", int)).toEqual(["1:1 'v' must be an integer, got float 1.5"]);
    expect(check("1.5", num)).toEqual([]);
    expect(check("1G", size)).toEqual([]);
    expect(check("\"1G\"", size)).toEqual([]);
  });

  test("durations: Go syntax strings, or integers", () => {
    expect(check("\"1m30s\"", dur)).toEqual([]);
    expect(check("30", dur)).toEqual([]);
    expect(check("\"30\"", dur)).toEqual([
      `1:1 error parsing v: time: missing unit in duration "30"`]);
  });

  test("enums match case-insensitively", () => {
    expect(check("Stream", enumOf("stream", "singleton"))).toEqual([]);
    expect(check("chunky", enumOf("stream", "singleton"))).toEqual([
      `1:1 'v' must be one of 'stream', 'singleton', got string "chunky"`]);
  });

  test("maps: known keys (aliases, any case), unknown keys reported at the key", () => {
    const schema = map({ "user|username": str, port: int });
    expect(check("{ USERNAME: a, port: 1 }", schema)).toEqual([]);
    expect(check("{ user: a,\n  colour: red }", schema)).toEqual(["2:3 unknown v.colour"]);
    expect(check("{ port: x }", schema))
      .toEqual([`1:7 'v.port' must be an integer, got string "x"`]);
  });

  test("dicts, lists and oneOf", () => {
    expect(check("{ a: 1, b: 2 }", dict(int))).toEqual([]);
    expect(check("[1, x]", list(int))).toEqual([`1:9 'v[1]' must be an integer, got string "x"`]);
    const either = oneOf(str, list(str), map({ allow: str }));
    expect(check("a", either)).toEqual([]);
    expect(check("[a, b]", either)).toEqual([]);
    expect(check("{ allow: a }", either)).toEqual([]);
    expect(check("{ allow: 1 }", either)).toEqual([
      "1:7 'v.allow' must be a string, got int 1"]);
    expect(check("true", either)).toEqual([
      "1:1 'v' must be a string, an array or a map, got bool true"]);
  });
});
