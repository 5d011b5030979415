import { describe, expect, test } from "bun:test";
import { getHeader, setHeader } from "./headers.ts";

const text = (b: Uint8Array) => new TextDecoder().decode(b);
const block = (s: string) => new TextEncoder().encode(s);

describe("setHeader", () => {
  test("creates a block when there is none", () => {
    expect(text(setHeader(null, "Nats-Request-Info", "{}")))
      .toBe("NATS/1.0\r\nNats-Request-Info: {}\r\n\r\n");
  });

  test("keeps other headers and the status line, replacing the key", () => {
    const before = block("NATS/1.0 503\r\nA: 1\r\nNats-Request-Info: old\r\nB: 2\r\n\r\n");
    const after = setHeader(before, "Nats-Request-Info", "new");
    expect(text(after)).toBe("NATS/1.0 503\r\nA: 1\r\nB: 2\r\nNats-Request-Info: new\r\n\r\n");
    expect(getHeader(after, "Nats-Request-Info")).toBe("new");
    expect(getHeader(after, "C")).toBeNull();
  });
});
