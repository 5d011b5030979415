import { expect, test } from "bun:test";
import { withSourceHeader } from "./source_headers_edit.ts";

const enc = (s: string) => new TextEncoder().encode(s);
const dec = (b: Uint8Array) => new TextDecoder().decode(b);

test("withSourceHeader drops the previous hop, Nats-Expected-* and Nats-Batch-*", () => {
  const hdr = enc("NATS/1.0\r\nA: 1\r\nNats-Stream-Source: X 1 > > x\r\n" +
    "Nats-Expected-Stream: O\r\nNats-Batch-Id: b\r\nB: 2\r\n\r\n");
  expect(dec(withSourceHeader(hdr, "O 5 > > o.1")))
    .toBe("NATS/1.0\r\nA: 1\r\nB: 2\r\nNats-Stream-Source: O 5 > > o.1\r\n\r\n");
  expect(dec(withSourceHeader(null, "O 1 > > o")))
    .toBe("NATS/1.0\r\nNats-Stream-Source: O 1 > > o\r\n\r\n");
});
