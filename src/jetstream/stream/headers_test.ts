import { describe, expect, test } from "bun:test";
import { appendHeaders, HeaderView, parseDecimal, removeHeader, statusHeaders } from "./headers.ts";

const enc = (s: string) => new TextEncoder().encode(s);
const dec = (b: Uint8Array | null) => (b === null ? null : new TextDecoder().decode(b));

describe("HeaderView", () => {
  const h = new HeaderView(enc("NATS/1.0\r\nX-Nats-Msg-Id: no\r\nNats-Msg-Id:  abc\r\n" +
    "nats-rollup: sub\r\nEmpty:\r\n\r\n"));
  test("matches keys case-sensitively at a line start, skipping leading spaces", () => {
    expect(h.get("Nats-Msg-Id")).toBe("abc");
    expect(h.get("Nats-Rollup")).toBeNull();
    expect(h.get("Msg-Id")).toBeNull();
  });
  test("an empty value counts as absent", () => {
    expect(h.get("Empty")).toBeNull();
  });
});

describe("header blocks", () => {
  test("appendHeaders adds before the closing line, or starts a block", () => {
    expect(dec(appendHeaders(enc("NATS/1.0\r\nA: 1\r\n\r\n"), [["B", "2"]])))
      .toBe("NATS/1.0\r\nA: 1\r\nB: 2\r\n\r\n");
    expect(dec(appendHeaders(null, [["B", "2"]]))).toBe("NATS/1.0\r\nB: 2\r\n\r\n");
  });
  test("statusHeaders writes a status line", () => {
    expect(dec(statusHeaders(404, "Message Not Found"))).toBe(
      "NATS/1.0 404 Message Not Found\r\n\r\n");
  });
  test("removeHeader drops the key and returns null when nothing is left", () => {
    expect(dec(removeHeader(enc("NATS/1.0\r\nA: 1\r\nB: 2\r\n\r\n"), "A")))
      .toBe("NATS/1.0\r\nB: 2\r\n\r\n");
    expect(removeHeader(enc("NATS/1.0\r\nA: 1\r\n\r\n"), "A")).toBeNull();
  });
  test("parseDecimal gives -1 for anything but digits, as Go's parseInt64", () => {
    expect(parseDecimal("42")).toBe(42);
    expect(parseDecimal("-1")).toBe(-1);
    expect(parseDecimal("4x")).toBe(-1);
  });
});
