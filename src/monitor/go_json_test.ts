import { describe, expect, test } from "bun:test";
import { goJson, goString } from "./go_json.ts";

describe("goJson", () => {
  test("indented output matches json.MarshalIndent with two spaces", () => {
    const value = { a: 1, b: [1, "x"], c: {}, d: [], e: { f: null, g: true } };
    expect(goJson(value)).toBe(JSON.stringify(value, null, 2));
  });

  test("compact output has no spaces", () => {
    expect(goJson({ status: "ok", errors: [{ type: "X" }] }, "")).toBe(
      '{"status":"ok","errors":[{"type":"X"}]}',
    );
  });

  test("object fields keep build order, undefined fields are omitted", () => {
    expect(goJson({ z: 1, a: undefined, m: 2 }, "")).toBe('{"z":1,"m":2}');
  });

  test("Maps are written with sorted keys, like Go maps", () => {
    const map = new Map([["/varz", 2], ["/connz", 1], ["/", 3]]);
    expect(goJson(map, "")).toBe('{"/":3,"/connz":1,"/varz":2}');
  });

  test("Maps keep numeric-looking keys in byte order", () => {
    expect(goJson(new Map([["10", 1], ["9", 2]]), "")).toBe('{"10":1,"9":2}');
  });

  test("HTML characters and line separators are escaped as Go does", () => {
    expect(goString("<a&b>\u2028")).toBe('"\\u003ca\\u0026b\\u003e\\u2028"');
  });

  test("floats print in shortest form", () => {
    expect(goJson([0.1, 1e21, 1e-7, -0, 0.8], "")).toBe("[0.1,1e+21,1e-7,0,0.8]");
  });

  test("a custom indent is honoured (ipqueuesz uses three spaces)", () => {
    expect(goJson({ a: { b: 1 } }, "   ")).toBe('{\n   "a": {\n      "b": 1\n   }\n}');
  });
});
