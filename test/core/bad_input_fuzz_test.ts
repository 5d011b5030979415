/**
 * Bounded fuzzing of a running server: connections send random and mutated protocol streams;
 * the server must keep serving a well-behaved client throughout and never crash.
 */
import { afterAll, beforeAll, expect, test } from "bun:test";
import { SeededRandom } from "../../src/util/random.ts";
import { RawClient } from "../harness/raw_client.ts";
import { type RunningServer, startServer } from "../harness/server_process.ts";

const FUZZ_CONNECTIONS = 60;
const SEED = Number(process.env.FUZZ_SEED ?? 4222);

let server: RunningServer;
beforeAll(async () => {
  server = await startServer();
});
afterAll(async () => {
  await server.stop();
});

const OPS = [
  'CONNECT {"verbose":false,"pedantic":false,"headers":true}\r\n', "PING\r\n", "SUB fz.* 1\r\n",
  "PUB fz.a 5\r\nhello\r\n", "HPUB fz.b 12 14\r\nNATS/1.0\r\n\r\nhi\r\n", "UNSUB 1 3\r\n",
  "PUB fz.c r 0\r\n\r\n", "SUB fz.> q 2\r\n",
];

function fuzzInput(random: SeededRandom): Uint8Array {
  const text = Array.from({ length: 1 + random.int(10) }, () => random.pick(OPS)).join("");
  const bytes = Buffer.from(text, "latin1");
  const kind = random.int(3);
  if (kind === 0) return Uint8Array.from({ length: 1 + random.int(300) }, () => random.int(256));
  if (kind === 1) {
    for (let m = 0; m < 1 + random.int(3); m++) bytes[random.int(bytes.length)] = random.int(256);
  }
  return bytes;
}

test("server keeps serving others while fed random and mutated streams", async () => {
  const random = new SeededRandom(SEED);
  const good = await RawClient.connect(server.port);
  await good.readInfo();
  good.send('CONNECT {"verbose":false,"pedantic":false}\r\nSUB ok 1\r\n');
  await good.flush();
  for (let i = 0; i < FUZZ_CONNECTIONS; i++) {
    const bad = await RawClient.connect(server.port);
    await bad.readInfo();
    bad.send(fuzzInput(random));
    // Not waiting for an answer: a fuzzed stream may leave the server expecting more bytes.
    bad.close();
    good.send(`PUB ok 2\r\n${String(i % 100).padStart(2, "0")}\r\n`);
    expect(await good.flush()).toBe(`MSG ok 1 2\r\n${String(i % 100).padStart(2, "0")}\r\n`);
  }
  good.close();
  expect(server.process.exitCode).toBeNull();
});
