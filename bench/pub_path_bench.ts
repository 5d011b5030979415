/**
 * The whole inbound publish path without sockets: a ClientConnection fed 64 KiB reads of
 * PUBs, with no subscribers (pub-only) and with one subscriber (pub -> sub).
 *   bun bench/pub_path_bench.ts
 */
import { bench, group, run } from "mitata";
import { ClientConnection, type ClientSocket } from "../src/client/connection.ts";
import { Logger } from "../src/server/logger.ts";
import { defaultOptions } from "../src/server/options.ts";
import { Server } from "../src/server/server.ts";

const log = new Logger({ debug: false, trace: false, logtime: false, logtimeUtc: false, logFile: "" });
log.captured = [];
const server = new Server(defaultOptions(), log);
const sinkSocket = (): ClientSocket => ({
  write: (data: Uint8Array) => data.length, end: () => {}, remoteAddress: "127.0.0.1", remotePort: 1,
});

const encoder = new TextEncoder();
const MSGS_PER_READ = 2000;
const reads = encoder.encode("PUB bench.subject 16\r\n0123456789abcdef\r\n".repeat(MSGS_PER_READ));

function connection(cid: number): ClientConnection {
  const client = new ClientConnection(cid, sinkSocket(), server);
  client.onData(encoder.encode('CONNECT {"verbose":false,"pedantic":false}\r\n'));
  return client;
}

group(`${MSGS_PER_READ} PUB 16 B per read`, () => {
  const publisher = connection(1);
  bench("no subscribers", () => publisher.onData(reads));
  const subscriber = connection(2);
  subscriber.onData(encoder.encode("SUB other.subject 1\r\n"));
  bench("no matching subscribers, others present", () => publisher.onData(reads));
  const pub2 = connection(3);
  const sub2 = connection(4);
  sub2.onData(encoder.encode("SUB bench.subject 1\r\n"));
  bench("one subscriber (flushed per read)", () => {
    pub2.onData(reads);
    server.flushQueue.flushAll();
  });
});

await run();
