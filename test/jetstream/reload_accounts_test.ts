/**
 * Per-account `jetstream` settings changed by a config reload (SIGHUP), as nats-server applies
 * them: new limits hold at once, an account turned on gets JetStream (and its stored streams),
 * one turned off loses its API with its data kept. Runs against natsd, or Go nats-server with
 * NATS_SERVER=nats-server.
 */
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { connect, type NatsConnection } from "@nats-io/transport-node";
import { type RunningServer, startServer } from "../harness/server_process.ts";

type Json = Record<string, unknown>;
/**
 * Bounds the wait for natsd's asynchronous switch (recovering stores takes a moment under load);
 * attempts are request round trips, so the loop polls without sleeping.
 */
const SWITCH_WAIT_MS_MAX = 10_000;
/** A probe during a switch may wait for its request timeout. */
const SWITCH_TEST_MS_MAX = 20_000;
const PAYLOAD_BASE = 1000000;

let server: RunningServer;
let storeDir: string;
let a: NatsConnection;
let b: NatsConnection;
let reloads = 0;

function config(aStreams: number, bSetting: string): string {
  return `max_payload: ${PAYLOAD_BASE + reloads}
jetstream { store_dir: "${storeDir}" }
accounts {
  A { jetstream { max_streams: ${aStreams} }, users: [{ user: a, password: a }] }
  B { jetstream: ${bSetting}, users: [{ user: b, password: b }] }
}
`;
}

beforeAll(async () => {
  storeDir = mkdtempSync(join(tmpdir(), "natsd-js-reload-acc-"));
  server = await startServer({ config: config(1, "disabled") });
  [a, b] = await Promise.all(["a", "b"].map((user) =>
    connect({ servers: server.url, user, pass: user })));
});
afterAll(async () => {
  await Promise.all([a, b].map((nc) => nc.close()));
  await server.stop();
  rmSync(storeDir, { recursive: true, force: true });
});

async function reload(aStreams: number, bSetting: string): Promise<void> {
  reloads++;
  await Bun.write(join(server.dir, "server.conf"), config(aStreams, bSetting));
  server.signal("SIGHUP");
  await server.waitForLog(new RegExp(`Reloaded: max_payload = ${PAYLOAD_BASE + reloads}$`));
}

/** A $JS.API answer, or "off" when the account has no JetStream (10039, or nobody answers). */
async function api(nc: NatsConnection, subject: string, body?: unknown): Promise<Json | "off"> {
  const data = body === undefined ? "" : JSON.stringify(body);
  try {
    const r = (await nc.request(subject, data, { timeout: 2000 })).json<Json>();
    return (r.error as Json | undefined)?.err_code === 10039 ? "off" : r;
  } catch (error) {
    if (/503|no responders|timeout/i.test(String(error))) return "off";
    throw error;
  }
}

async function untilJetStream(nc: NatsConnection, on: boolean): Promise<void> {
  for (const deadline = Date.now() + SWITCH_WAIT_MS_MAX; Date.now() < deadline;) {
    if ((await api(nc, "$JS.API.INFO") !== "off") === on) return;
  }
  throw new Error(`JetStream never turned ${on ? "on" : "off"}`);
}

const createStream = (nc: NatsConnection, name: string) =>
  api(nc, `$JS.API.STREAM.CREATE.${name}`, { name, subjects: [name.toLowerCase()] });
const codeOf = (r: Json | "off") =>
  r === "off" ? "off" : (r.error as { err_code: number } | undefined)?.err_code;

describe("per-account JetStream settings on reload", () => {
  test("at start: A limited to one stream, B without JetStream", async () => {
    expect(codeOf(await createStream(a, "A1"))).toBeUndefined();
    expect(codeOf(await createStream(a, "A2"))).toBe(10027);
    expect(await api(b, "$JS.API.INFO")).toBe("off");
  });

  test("raised limits hold at once; an account turned on gets JetStream", async () => {
    await reload(2, "enabled");
    await untilJetStream(b, true);
    expect(codeOf(await createStream(a, "A2"))).toBeUndefined();
    expect(((await api(a, "$JS.API.INFO")) as Json).limits).toMatchObject({ max_streams: 2 });
    expect(codeOf(await createStream(b, "B1"))).toBeUndefined();
    const ack = (await b.request("b1", "kept", { timeout: 2000 })).json<Json>();
    expect(ack).toMatchObject({ stream: "B1", seq: 1 });
  }, SWITCH_TEST_MS_MAX);

  test("an account turned off loses its API; turned on again, its stream is back", async () => {
    await reload(2, "disabled");
    await untilJetStream(b, false);
    expect(codeOf(await api(a, "$JS.API.STREAM.INFO.A1"))).toBeUndefined();
    await reload(2, "enabled");
    await untilJetStream(b, true);
    const info = await api(b, "$JS.API.STREAM.INFO.B1") as Json;
    expect((info.state as Json).messages).toBe(1);
  }, SWITCH_TEST_MS_MAX);
});
