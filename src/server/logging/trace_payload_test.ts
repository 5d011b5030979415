import { describe, expect, test } from "bun:test";
import { tracedPayload } from "./trace_payload.ts";

const text = (s: string) => new TextEncoder().encode(s);

describe("tracedPayload (max_traced_msg_len)", () => {
  test("0 traces the whole payload, Go-quoted", () => {
    expect(tracedPayload(text("hello\r\nworld"), 0)).toBe('["hello\\r\\nworld"]');
    expect(tracedPayload(text("x".repeat(1000)), 0)).toBe(`["${"x".repeat(1000)}"]`);
  });

  test("a limit cuts longer payloads and marks the cut with ...", () => {
    expect(tracedPayload(text("hello world"), 5)).toBe('["hello..."]');
    expect(tracedPayload(text("hello"), 5)).toBe('["hello"]');
    // The cut is in bytes: half a UTF-8 sequence shows as \x, as in Go.
    expect(tracedPayload(text("é!"), 1)).toBe('["\\xc3..."]');
  });

  test("an empty payload gives no trace line", () => {
    expect(tracedPayload(new Uint8Array(0), 0)).toBeNull();
    expect(tracedPayload(new Uint8Array(0), 10)).toBeNull();
  });
});
