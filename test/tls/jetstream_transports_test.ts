/**
 * JetStream over the other transports: a stream written and read with @nats-io/jetstream over
 * TLS and over WebSocket (wss with compression), the connection code being the same as TCP's.
 * Runs against natsd by default, or any server named by NATS_SERVER.
 */
import { afterAll, beforeAll, expect, test } from "bun:test";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { connect } from "@nats-io/transport-node";
import { type NatsConnection, wsconnect } from "@nats-io/nats-core";
import { jetstream, jetstreamManager } from "@nats-io/jetstream";
import { makeTestCerts, type TestCerts } from "../harness/certs.ts";
import { type RunningServer, startServer } from "../harness/server_process.ts";

let certs: TestCerts;
let server: RunningServer;
let storeDir: string;

beforeAll(async () => {
  certs = makeTestCerts();
  storeDir = mkdtempSync(join(tmpdir(), "natsd-js-transports-"));
  server = await startServer({
    config: `jetstream { store_dir: "${storeDir}" }\n` +
      `tls { cert_file: "${certs.serverCert}"\n key_file: "${certs.serverKey}" }\n` +
      `websocket { port: -1, compression: true\n tls { cert_file: "${certs.serverCert}"\n` +
      ` key_file: "${certs.serverKey}" } }\n`,
  });
});

afterAll(async () => {
  await server.stop();
  rmSync(storeDir, { recursive: true, force: true });
  rmSync(certs.dir, { recursive: true, force: true });
});

async function streamRoundTrip(nc: NatsConnection, name: string): Promise<string[]> {
  const jsm = await jetstreamManager(nc);
  await jsm.streams.add({ name, subjects: [`${name}.>`] });
  const js = jetstream(nc);
  for (const word of ["alpha", "beta", "gamma"]) {
    const ack = await js.publish(`${name}.words`, word);
    expect(ack.stream).toBe(name);
  }
  const consumer = await js.consumers.get(name);
  const got: string[] = [];
  const messages = await consumer.fetch({ max_messages: 3, expires: 5000 });
  for await (const m of messages) {
    got.push(m.string());
    m.ack();
  }
  return got;
}

test("JetStream publish and fetch over TLS", async () => {
  const nc = await connect({ servers: `tls://127.0.0.1:${server.port}`, tls: { caFile: certs.caCert } });
  try {
    expect(await streamRoundTrip(nc, "OVER_TLS")).toEqual(["alpha", "beta", "gamma"]);
  } finally {
    await nc.close();
  }
});

test("JetStream publish and fetch over WebSocket (wss, compressed)", async () => {
  const ca = readFileSync(certs.caCert, "utf8");
  const original = globalThis.WebSocket;
  globalThis.WebSocket = class extends original {
    constructor(url: string | URL, protocols?: string | string[]) {
      super(url, { protocols, tls: { ca } } as never);
    }
  } as typeof WebSocket;
  try {
    const nc = await wsconnect({ servers: server.websocketUrl! });
    try {
      expect(await streamRoundTrip(nc, "OVER_WS")).toEqual(["alpha", "beta", "gamma"]);
    } finally {
      await nc.close();
    }
  } finally {
    globalThis.WebSocket = original;
  }
});
