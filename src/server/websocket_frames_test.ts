import { describe, expect, test } from "bun:test";
import { constants, deflateRawSync } from "node:zlib";
import { ClosedReason } from "../protocol/errors.ts";
import {
  closePayload, closeStatusFor, encodeFrame, encodeMessage, WsCloseStatus, WsFrameDecoder, WsOpcode,
  WsProtocolError,
} from "./websocket_frames.ts";

const MASK = [0x11, 0x22, 0x33, 0x44];

/** A client frame: masked, with the given first byte and payload. */
function clientFrame(b0: number, payload: Uint8Array): Uint8Array {
  const len = payload.length;
  const ext = len < 126 ? [len | 0x80] : len < 65536 ? [126 | 0x80, len >> 8, len & 0xff]
    : [127 | 0x80, 0, 0, 0, 0, (len >>> 24) & 0xff, (len >> 16) & 0xff, (len >> 8) & 0xff,
      len & 0xff];
  const masked = payload.map((b, i) => b ^ MASK[i & 3]);
  return Uint8Array.from([b0, ...ext, ...MASK, ...masked]);
}

function decoder(compression = false, max = 1 << 20) {
  const seen: string[] = [];
  const bytes: Uint8Array[] = [];
  const d = new WsFrameDecoder({
    data: (b) => bytes.push(b.slice()),
    ping: (p) => seen.push(`ping:${Buffer.from(p).toString()}`),
    close: (status, body) => seen.push(`close:${status}:${Buffer.from(body).toString()}`),
  }, compression, max);
  const text = () => Buffer.concat(bytes).toString();
  return { d, seen, text };
}

const enc = (s: string) => new TextEncoder().encode(s);

function refusal(push: () => void): string {
  try {
    push();
  } catch (error) {
    if (error instanceof WsProtocolError) return `${error.status} ${error.reason}`;
    throw error;
  }
  return "accepted";
}

describe("WsFrameDecoder", () => {
  test("binary and text frames, split at every byte, unmask to the payload", () => {
    const wire = Buffer.concat([clientFrame(0x82, enc("PING\r\n")),
      clientFrame(0x81, enc("PUB a 1\r\nx\r\n")), clientFrame(0x82, new Uint8Array(300).fill(65))]);
    const { d, text } = decoder();
    for (const byte of wire) d.push(Uint8Array.of(byte));
    expect(text()).toBe(`PING\r\nPUB a 1\r\nx\r\n${"A".repeat(300)}`);
  });

  test("large payloads unmask word-wise at any alignment and split point", () => {
    const payload = Uint8Array.from({ length: 1001 }, (_, i) => (i * 7) & 0xff);
    const frame = clientFrame(0x82, payload);
    for (const [offset, split] of [[0, 0], [1, 9], [2, 13], [3, 500]]) {
      const wire = new Uint8Array(frame.length + offset);
      wire.set(frame, offset);
      const got: Uint8Array[] = [];
      const d = new WsFrameDecoder({ data: (b) => got.push(b.slice()), ping() {}, close() {} },
        false, 1 << 20);
      d.push(wire.subarray(offset, offset + split));
      d.push(wire.subarray(offset + split));
      expect([offset, [...Buffer.concat(got)]]).toEqual([offset, [...payload]]);
    }
  });

  test("fragments with a ping between them; close ends decoding", () => {
    const { d, seen, text } = decoder();
    d.push(Buffer.concat([clientFrame(0x02, enc("PI")), clientFrame(0x89, enc("hey")),
      clientFrame(0x80, enc("NG\r\n")), clientFrame(0x88, Uint8Array.of(0x03, 0xe8, 0x62, 0x79)),
      clientFrame(0x82, enc("ignored"))]));
    expect(text()).toBe("PING\r\n");
    expect(seen).toEqual(["ping:hey", "close:1000:by"]);
  });

  test("a compressed message is inflated as a whole", () => {
    const raw = deflateRawSync(enc("PUB big 5\r\nhello\r\n".repeat(20)),
      { finishFlush: constants.Z_SYNC_FLUSH });
    const { d, text } = decoder(true);
    d.push(clientFrame(0xc2, raw.subarray(0, raw.length - 4)));
    expect(text()).toBe("PUB big 5\r\nhello\r\n".repeat(20));
  });

  test("a compressed message inflating past the limit is refused as too big", () => {
    const raw = deflateRawSync(new Uint8Array(200_000), { finishFlush: constants.Z_SYNC_FLUSH });
    const { d } = decoder(true, 100_000);
    expect(refusal(() => d.push(clientFrame(0xc2, raw.subarray(0, raw.length - 4)))))
      .toBe("1009 maximum payload exceeded");
  });

  test("refusals carry nats-server's reasons", () => {
    const cases: [Uint8Array, string][] = [
      [Uint8Array.of(0x82, 0x01, 0x41), "1002 mask bit missing"],
      [Uint8Array.of(0x83), "1002 unknown opcode 3"],
      [Uint8Array.of(0xa2), "1002 RSV2 and RSV3 must be clear"],
      [Uint8Array.of(0xc2), "1002 compressed frame received without negotiated permessage-deflate"],
      [Uint8Array.of(0x09), "1002 control frame does not have final bit set"],
      [Uint8Array.of(0x80), "1002 invalid continuation frame"],
      [Uint8Array.of(0x82, 0xff, 0x80, 0, 0, 0, 0, 0, 0, 0, ...MASK),
        "1002 invalid 64-bit payload length"],
      [Uint8Array.of(0x82, 0xff, 0x7f, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, ...MASK),
        "1009 frame length too large"],
      [clientFrame(0x89, new Uint8Array(126)),
        "1002 control frame length bigger than maximum allowed of 125 bytes"],
      [clientFrame(0x88, Uint8Array.of(3)), "1002 close frame payload cannot be 1 byte"],
      [clientFrame(0x88, Uint8Array.of(0x03, 0xed)), "1002 invalid close status code 1005"],
      [Buffer.concat([clientFrame(0x02, enc("a")), clientFrame(0x82, enc("b"))]),
        "1002 new message started before final frame for previous message was received"],
    ];
    for (const [wire, expected] of cases) {
      const { d } = decoder();
      expect([wire, refusal(() => d.push(wire))]).toEqual([wire, expected]);
    }
  });

  test("fuzz: random bytes never throw anything but WsProtocolError", () => {
    let seed = 12345;
    const rand = () => (seed = (seed * 1103515245 + 12345) & 0x7fffffff) / 0x7fffffff;
    for (let run = 0; run < 3000; run++) {
      const { d } = decoder(run % 2 === 0, 4096);
      const bytes = Uint8Array.from({ length: 1 + Math.floor(rand() * 64) },
        () => Math.floor(rand() * 256));
      refusal(() => d.push(bytes));
    }
  });
});

describe("server frames", () => {
  test("lengths use the 7-bit, 16-bit and 64-bit forms, unmasked", () => {
    expect([...encodeFrame(WsOpcode.binary, enc("hi"))]).toEqual([0x82, 2, 0x68, 0x69]);
    const mid = encodeFrame(WsOpcode.binary, new Uint8Array(300));
    expect([...mid.subarray(0, 4)]).toEqual([0x82, 126, 1, 44]);
    const big = encodeFrame(WsOpcode.binary, new Uint8Array(70_000));
    expect([...big.subarray(0, 10)]).toEqual([0x82, 127, 0, 0, 0, 0, 0, 1, 0x11, 0x70]);
  });

  test("compressed messages round-trip through the decoder; small ones stay plain", () => {
    const payload = enc("MSG subject 1 24\r\n0123456789abcdef01234567\r\n".repeat(10));
    const frame = encodeMessage(payload, true);
    expect(frame[0]).toBe(0xc2);
    // Re-mask the server frame as a client's to decode it.
    const body = frame.subarray(frame[1] === 126 ? 4 : 2);
    const { d, text } = decoder(true);
    d.push(clientFrame(0xc2, body));
    expect(text()).toBe(Buffer.from(payload).toString());
    expect(encodeMessage(enc("PONG\r\n"), true)[0]).toBe(0x82);
  });

  test("close payloads are cut to fit a control frame", () => {
    expect([...closePayload(WsCloseStatus.protocolError, "x")]).toEqual([0x03, 0xea, 0x78]);
    const long = closePayload(WsCloseStatus.normal, "y".repeat(300));
    expect(long.length).toBe(125);
    expect(Buffer.from(long.subarray(long.length - 3)).toString()).toBe("...");
  });
});

test("server-side close statuses follow nats-server's mapping from the close reason", () => {
  expect([ClosedReason.clientClosed, ClosedReason.authenticationFailure,
    ClosedReason.protocolViolation, ClosedReason.maxPayloadExceeded,
    ClosedReason.serverShutdown, ClosedReason.tlsHandshakeFailure,
    ClosedReason.noRespondersRequiresHeaders].map(closeStatusFor))
    .toEqual([1000, 1008, 1002, 1009, 1001, 1015, 1011]);
});
