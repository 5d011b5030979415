import { expect, test } from "bun:test";
import { nativeErrorCode, STORE_ERROR_TEXT, StoreError } from "./errors.ts";

test("StoreError carries the code and nats-server's text", () => {
  const e = new StoreError("max_msgs");
  expect([e.code, e.message, e.name]).toEqual([
    "max_msgs",
    "maximum messages exceeded",
    "StoreError",
  ]);
  expect(new StoreError("io", "disk full").message).toBe("stream store write failed: disk full");
  expect(STORE_ERROR_TEXT.not_found).toBe("no message found");
});

test("nativeErrorCode maps every native code and refuses unknown ones", () => {
  const codes = Array.from({ length: 13 }, (_, i) => nativeErrorCode(-(i + 1)));
  expect(new Set(codes).size).toBe(13);
  expect(nativeErrorCode(-7)).toBe("max_msgs_per_subject");
  expect(() => nativeErrorCode(-99)).toThrow(RangeError);
});
