import { describe, expect, test } from "bun:test";
import { GO_ZERO_TIME, goJson, parseRfc3339Ns, rfc3339Nano } from "./go_json.ts";

describe("goJson", () => {
  test("keeps field order, drops undefined, writes bigint exactly and bytes as base64", () => {
    const data = new Uint8Array([104, 105]);
    expect(goJson({ b: 1, a: undefined, max_age: 31536000000000000n, data }))
      .toBe('{"b":1,"max_age":31536000000000000,"data":"aGk="}');
  });

  test("escapes like Go and sorts Map keys", () => {
    expect(goJson(["s.>", "a&b<c"])).toBe('["s.\\u003e","a\\u0026b\\u003cc"]');
    expect(goJson(new Map([["z", 1], ["a", 2]]))).toBe('{"a":2,"z":1}');
  });

  test("uses toJSON", () => {
    expect(goJson({ e: { toJSON: () => ({ code: 1 }) } })).toBe('{"e":{"code":1}}');
  });
});

describe("rfc3339Nano", () => {
  test("trims trailing zeros of the fraction and writes Go's zero time for 0", () => {
    expect(rfc3339Nano(1764185121375990034n)).toBe("2025-11-26T19:25:21.375990034Z");
    expect(rfc3339Nano(1764185121500000000n)).toBe("2025-11-26T19:25:21.5Z");
    expect(rfc3339Nano(1764185121000000000n)).toBe("2025-11-26T19:25:21Z");
    expect(rfc3339Nano(0n)).toBe(GO_ZERO_TIME);
  });
});

describe("parseRfc3339Ns", () => {
  test("parses fractions and offsets, refuses other text", () => {
    expect(parseRfc3339Ns("2025-11-26T19:25:21.375990034Z")).toBe(1764185121375990034n);
    expect(parseRfc3339Ns("2025-11-26T20:25:21+01:00")).toBe(1764185121000000000n);
    expect(parseRfc3339Ns(GO_ZERO_TIME)).toBe(0n);
    expect(parseRfc3339Ns("0010-01-01T00:00:00Z")).toBe(-61851600000000000000n);
    expect(parseRfc3339Ns("2025-02-30T00:00:00Z")).toBeNull();
    expect(parseRfc3339Ns("yesterday")).toBeNull();
  });
});
