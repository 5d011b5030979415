import { describe, expect, test } from "bun:test";
import { decodeRune, goQuote, goQuoteString } from "./go_quote.ts";

const bytes = (...b: number[]) => new Uint8Array(b);

describe("goQuote (Go's strconv.Quote)", () => {
  test("printable ASCII is kept; quote and backslash are escaped", () => {
    expect(goQuoteString("hello world")).toBe('"hello world"');
    expect(goQuoteString('a"b\\c')).toBe('"a\\"b\\\\c"');
    expect(goQuoteString("/var/log/nats.log.2024.01.02")).toBe('"/var/log/nats.log.2024.01.02"');
  });

  test("control characters use Go's short escapes or \\xNN", () => {
    expect(goQuoteString("a\r\nb\t")).toBe('"a\\r\\nb\\t"');
    expect(goQuoteString("\x07\x08\x0c\x0b")).toBe('"\\a\\b\\f\\v"');
    expect(goQuote(bytes(0, 1, 0x1f, 0x7f))).toBe('"\\x00\\x01\\x1f\\x7f"');
  });

  test("valid UTF-8 stays, unprintable runes become \\u, invalid bytes \\x", () => {
    expect(goQuoteString("héllo ✓ 日本")).toBe('"héllo ✓ 日本"');
    expect(goQuoteString("\u00a0\u200b")).toBe('"\\u00a0\\u200b"');
    expect(goQuote(bytes(0xff, 0x41, 0xc3))).toBe('"\\xffA\\xc3"');
    // Overlong "/" and an encoded surrogate are invalid in Go too.
    expect(goQuote(bytes(0xc0, 0xaf))).toBe('"\\xc0\\xaf"');
    expect(goQuote(bytes(0xed, 0xa0, 0x80))).toBe('"\\xed\\xa0\\x80"');
    expect(goQuoteString("\u{e0001}")).toBe('"\\U000e0001"');
  });

  test("long inputs take the general path with the same result", () => {
    const long = "x".repeat(10_000);
    expect(goQuoteString(long)).toBe(`"${long}"`);
  });
});

describe("decodeRune", () => {
  test("widths and boundaries", () => {
    expect(decodeRune(bytes(0x41), 0)).toEqual({ rune: 0x41, width: 1 });
    expect(decodeRune(bytes(0xc3, 0xa9), 0)).toEqual({ rune: 0xe9, width: 2 });
    expect(decodeRune(bytes(0xe2, 0x9c, 0x93), 0)).toEqual({ rune: 0x2713, width: 3 });
    expect(decodeRune(bytes(0xf0, 0x9f, 0x98, 0x80), 0)).toEqual({ rune: 0x1f600, width: 4 });
    expect(decodeRune(bytes(0xf4, 0x90, 0x80, 0x80), 0).rune).toBe(-1); // > U+10FFFF
    expect(decodeRune(bytes(0xe2, 0x9c), 0).rune).toBe(-1); // truncated
  });
});
