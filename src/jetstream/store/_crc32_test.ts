import { expect, test } from "bun:test";
import { crc32 } from "./_crc32.ts";

test("crc32 matches zlib's CRC-32 and continues across chunks", () => {
  const data = new TextEncoder().encode("123456789");
  expect(crc32(data)).toBe(0xcbf43926);
  expect(crc32(data.subarray(4), crc32(data.subarray(0, 4)))).toBe(0xcbf43926);
  expect(crc32(new Uint8Array(0))).toBe(0);
});
