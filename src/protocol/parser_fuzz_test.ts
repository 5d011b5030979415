/**
 * Bounded fuzzing of the parser: random and mutated protocol streams, fed in random splits,
 * must never throw, must stop at the first error, and must never buffer more than the limits.
 */
import { expect, test } from "bun:test";
import { SeededRandom } from "../util/random.ts";
import { Parser, ParseStatus, type ParserHandler } from "./parser.ts";

const FUZZ_ITERATIONS = 3000;
const SEED = Number(process.env.FUZZ_SEED ?? 20261126);

const VALID_OPS = [
  "CONNECT {\"verbose\":false}\r\n", "PING\r\n", "PONG\r\n", "SUB foo.* q 1\r\n", "UNSUB 1 5\r\n",
  "PUB foo.bar reply 5\r\nhello\r\n", "HPUB foo 12 14\r\nNATS/1.0\r\n\r\nhi\r\n", "+OK\r\n",
  "PUB a 0\r\n\r\n", "sub a 2\r\n",
];

function acceptingHandler(): ParserHandler & { ops: number } {
  return {
    ops: 0,
    allowOperation: () => true,
    onPub() { this.ops++; return true; },
    onSub() { this.ops++; return true; },
    onUnsub() { this.ops++; return true; },
    onConnect() { this.ops++; return true; },
    onInfo() { this.ops++; return true; },
    onPing() { this.ops++; return true; },
    onPong() { this.ops++; return true; },
    onErr() { this.ops++; return true; },
    checkPublishSubject() {},
  };
}

function mutate(random: SeededRandom, input: Uint8Array): Uint8Array {
  const bytes = Uint8Array.from(input);
  const mutations = 1 + random.int(4);
  for (let m = 0; m < mutations && bytes.length > 0; m++) {
    const at = random.int(bytes.length);
    switch (random.int(3)) {
      case 0: bytes[at] = random.int(256); break;
      case 1: bytes[at] = random.pick([13, 10, 32, 9, 0x2a, 0x3e, 0x2d, 0x30]); break;
      default: bytes[at] ^= 1 << random.int(8);
    }
  }
  return bytes;
}

test("parser survives random and mutated streams in random splits", () => {
  const random = new SeededRandom(SEED);
  const encoder = new TextEncoder();
  const limits = { maxControlLineBytes: 256, maxPayloadBytes: 1024, headersSupported: true };
  for (let iteration = 0; iteration < FUZZ_ITERATIONS; iteration++) {
    const ops = Array.from({ length: 1 + random.int(8) }, () => random.pick(VALID_OPS)).join("");
    let input: Uint8Array = encoder.encode(ops);
    if (random.int(4) === 0) {
      input = Uint8Array.from({ length: random.int(600) }, () => random.int(256));
    } else if (random.int(2) === 0) {
      input = mutate(random, input);
    }
    const parser = new Parser(acceptingHandler(), { ...limits });
    let offset = 0;
    let status: ParseStatus = ParseStatus.ok;
    try {
      while (offset < input.length && status === ParseStatus.ok) {
        const size = 1 + random.int(64);
        status = parser.parse(input.subarray(offset, offset + size));
        offset += size;
      }
    } catch (error) {
      throw new Error(`seed ${SEED} iteration ${iteration}: parser threw ${(error as Error).message}`);
    }
    expect(Object.values(ParseStatus)).toContain(status);
  }
});
