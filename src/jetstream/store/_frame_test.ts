import { describe, expect, test } from "bun:test";
import { decodeFrame, decodeFrames, FRAME_HEADER_BYTES, FrameWriter } from "./_frame.ts";

describe("FrameWriter and decodeFrame", () => {
  test("round-trip subjects, headers, payloads, large sequences, times and TTLs", () => {
    const w = new FrameWriter();
    const big = new Uint8Array(200_000).map((_, i) => i % 251);
    w.add("a.b", new Uint8Array([1, 2]), new Uint8Array([3]), 1, 5n, 0);
    w.add("ünï.cödé", new Uint8Array(0), big, 2 ** 40 + 3, -7n, -1);
    w.add("x".repeat(100), new Uint8Array(0), new Uint8Array(0), Number.MAX_SAFE_INTEGER, 0n, 3600);
    expect(w.count).toBe(3);
    const msgs = decodeFrames(w.bytes());
    expect(msgs.map((m) => [m.subject.length, m.seq, m.ts, m.ttl])).toEqual([
      [3, 1, 5n, 0],
      [8, 2 ** 40 + 3, -7n, -1],
      [100, Number.MAX_SAFE_INTEGER, 0n, 3600],
    ]);
    expect(msgs[1].subject).toBe("ünï.cödé");
    expect(msgs[0].hdr).toEqual(new Uint8Array([1, 2]));
    expect(msgs[1].payload).toEqual(big);
    w.reset();
    expect(w.bytes().length).toBe(0);
  });

  test("decoded arrays are copies, not views of the frame buffer", () => {
    const w = new FrameWriter();
    w.add("s", new Uint8Array([9]), new Uint8Array([8]), 1, 1n, 0);
    const buf = w.bytes();
    const { msg, next } = decodeFrame(buf, 0);
    buf.fill(0);
    expect([msg.hdr[0], msg.payload[0], next]).toEqual([9, 8, FRAME_HEADER_BYTES + 3]);
  });

  test("a truncated frame is refused", () => {
    const w = new FrameWriter();
    w.add("s", new Uint8Array(0), new Uint8Array(10), 1, 1n, 0);
    expect(() => decodeFrame(w.bytes().subarray(0, FRAME_HEADER_BYTES + 5), 0)).toThrow(RangeError);
  });
});
