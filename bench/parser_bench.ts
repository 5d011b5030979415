/**
 * Micro-benchmarks of the client protocol parser and the MSG encoder (mitata).
 *   npm run bench:parser
 */
import { bench, group, run } from "mitata";
import { Parser, type ParserHandler, PubArgs } from "../src/protocol/parser.ts";
import { writeMsg } from "../src/protocol/encoder.ts";
import { Outbound } from "../src/client/outbound.ts";

let sink = 0;
const handler: ParserHandler = {
  allowOperation: () => true,
  onPub: (_args: PubArgs, _payload: Uint8Array, start: number, end: number) => {
    sink += end - start;
    return true;
  },
  onSub: () => true,
  onUnsub: () => true,
  onConnect: () => true,
  onInfo: () => true,
  onPing: () => true,
  onPong: () => true,
  onErr: () => true,
  checkPublishSubject: () => {},
};
const limits = { maxControlLineBytes: 4096, maxPayloadBytes: 1 << 20, headersSupported: true };
const encoder = new TextEncoder();

function pubBatch(count: number, payloadBytes: number): Uint8Array {
  const payload = "x".repeat(payloadBytes);
  return encoder.encode(`PUB bench.subject.foo ${payloadBytes}\r\n${payload}\r\n`.repeat(count));
}

const batch16 = pubBatch(1000, 16);
const batch1k = pubBatch(100, 1024);
const hpub = encoder.encode("HPUB bench.h reply.x 25 41\r\nNATS/1.0\r\nA: 12345678\r\n\r\n0123456789abcdef\r\n"
  .repeat(1000));

group("parse (per batch)", () => {
  const parser = new Parser(handler, { ...limits });
  bench("1000 x PUB 16 B", () => parser.parse(batch16));
  bench("100 x PUB 1 KiB", () => parser.parse(batch1k));
  bench("1000 x HPUB 16 B", () => parser.parse(hpub));
  bench("1000 x PUB 16 B split in 1460-byte segments", () => {
    for (let i = 0; i < batch16.length; i += 1460) parser.parse(batch16.subarray(i, i + 1460));
  });
});

group("encode MSG", () => {
  const captured: PubArgs[] = [];
  const capture = new Parser({ ...handler, onPub: (args) => {
    captured.push(Object.assign(new PubArgs(), args));
    return true;
  } }, { ...limits });
  capture.parse(encoder.encode("PUB bench.subject.foo reply.inbox 16\r\n0123456789abcdef\r\n"));
  const args = captured[0];
  const payload = encoder.encode("0123456789abcdef");
  const sid = encoder.encode(" 12 ");
  const out = new Outbound();
  bench("MSG 16 B x 1000 into one buffer", () => {
    out.head = 0;
    out.tail = 0;
    for (let i = 0; i < 1000; i++) writeMsg(out, args, sid, payload, 0, 16, false);
  });
});

await run();
if (sink < 0) console.log(sink);
