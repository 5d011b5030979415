/**
 * JetStream switched on and off by a config reload (SIGHUP), as nats-server does: turning it on
 * serves $JS.API and recovers the store directory, turning it off stops serving and keeps the data
 * for the next start. Runs against natsd, or Go nats-server with NATS_SERVER=nats-server.
 */
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { connect, type NatsConnection } from "@nats-io/transport-node";
import { isGoServer, type RunningServer, startServer } from "../harness/server_process.ts";

type Json = Record<string, unknown>;
/**
 * Bounds the wait for natsd's asynchronous switch (recovering stores takes a moment under load);
 * attempts are request round trips, so the loop polls without sleeping.
 */
const SWITCH_WAIT_MS_MAX = 10_000;
/** Go 2.9.10 leaves requests unanswered while off: each such probe waits for its timeout. */
const SWITCH_TEST_MS_MAX = 20_000;

let server: RunningServer;
let storeDir: string;
let nc: NatsConnection;
let reloads = 0;

beforeAll(async () => {
  storeDir = mkdtempSync(join(tmpdir(), "natsd-js-reload-"));
  server = await startServer({ config: "max_payload: 1000000\n" });
  nc = await connect({ servers: server.url });
});
afterAll(async () => {
  await nc.close();
  await server.stop();
  rmSync(storeDir, { recursive: true, force: true });
});

/** Rewrites the config file, sends SIGHUP and waits for the reload to finish. */
async function reload(jetstream: boolean, limits = ""): Promise<void> {
  reloads++;
  // max_payload changes each time so that each reload has its own log line to wait for.
  const lines = [`max_payload: ${1000000 + reloads}`];
  if (jetstream) lines.push(`jetstream { store_dir: "${storeDir}", ${limits} }`);
  await Bun.write(join(server.dir, "server.conf"), `${lines.join("\n")}\n`);
  server.signal("SIGHUP");
  await server.waitForLog(new RegExp(`Reloaded: max_payload = ${1000000 + reloads}$`));
  await server.waitForLog(/Reloaded: JetStream/);
}

/**
 * $JS.API.INFO's answer, or "off": natsd answers no responders once JetStream is off; Go 2.9.10
 * leaves the request unanswered (its $JS.API import stays, with nobody behind it).
 */
async function jsInfo(): Promise<Json | "off"> {
  try {
    return (await nc.request("$JS.API.INFO", "", { timeout: 3000 })).json<Json>();
  } catch (error) {
    if (/503|no responders/i.test(String(error))) return "off";
    if (isGoServer() && /timeout/i.test(String(error))) return "off";
    throw error;
  }
}

/** natsd switches after the reload's log lines; waits until $JS.API shows the new state. */
async function untilJetStream(on: boolean): Promise<Json | "off"> {
  for (const deadline = Date.now() + SWITCH_WAIT_MS_MAX; Date.now() < deadline;) {
    const info = await jsInfo();
    if ((info !== "off") === on) return info;
  }
  throw new Error(`JetStream never turned ${on ? "on" : "off"}`);
}

describe("JetStream on config reload", () => {
  test("off at start: no $JS.API, no jetstream in INFO", async () => {
    expect(await jsInfo()).toBe("off");
    expect(nc.info?.jetstream).toBeFalsy();
  });

  test("enabled by a reload: the API answers and new clients see jetstream", async () => {
    // The server limits may come with the switch (refused while JetStream runs).
    await reload(true, "max_memory_store: 10000");
    const info = await untilJetStream(true) as Json;
    expect(info.type).toBe("io.nats.jetstream.api.v1.account_info_response");
    const tooBig = (await nc.request("$JS.API.STREAM.CREATE.BIG",
      JSON.stringify({ name: "BIG", storage: "memory", max_bytes: 20000 }),
      { timeout: 3000 })).json<Json>();
    expect((tooBig.error as Json).err_code).toBe(10028);
    const created = (await nc.request("$JS.API.STREAM.CREATE.RL",
      JSON.stringify({ name: "RL", subjects: ["rl.>"], storage: "file" }),
      { timeout: 3000 })).json<Json>();
    expect(created.error).toBeUndefined();
    for (let i = 1; i <= 3; i++) {
      const ack = (await nc.request(`rl.${i}`, `m${i}`, { timeout: 3000 })).json<Json>();
      expect(ack).toMatchObject({ stream: "RL", seq: i });
    }
    const fresh = await connect({ servers: server.url });
    expect(fresh.info?.jetstream).toBe(true);
    await fresh.close();
  });

  test("disabled by a reload: the API stops, the stream's data stays for the next start",
    async () => {
      await reload(false);
      expect(await untilJetStream(false)).toBe("off");
      await server.waitForLog(/JetStream Shutdown$/);
      const fresh = await connect({ servers: server.url });
      expect(fresh.info?.jetstream).toBeFalsy();
      await fresh.close();
      await reload(true);
      await untilJetStream(true);
      await server.waitForLog(/Restarting JetStream$/);
      const info = (await nc.request("$JS.API.STREAM.INFO.RL", "", { timeout: 3000 }))
        .json<Json>();
      // Go 2.9.10 (the live reference) does not recover the store on a reload's restart:
      // the stream comes back only with a process restart. natsd recovers it at once.
      if (isGoServer()) {
        expect((info.error as Json).err_code).toBe(10059);
        return;
      }
      expect((info.state as Json).messages).toBe(3);
      const msg = (await nc.request("$JS.API.STREAM.MSG.GET.RL", JSON.stringify({ seq: 3 }),
        { timeout: 3000 })).json<Json>();
      expect(atob((msg.message as Json).data as string)).toBe("m3");
    }, SWITCH_TEST_MS_MAX);

  test("a shutdown with JetStream on logs nats-server's JetStream lines in order", async () => {
    server.signal("SIGTERM");
    await server.exited;
    const log = server.log().split("\n");
    const from = log.findIndex((line) => line.endsWith("Initiating Shutdown..."));
    expect(from).toBeGreaterThan(0);
    const tail = log.slice(from).map((line) => line.replace(/^.*\[INF\] /, ""))
      .filter((line) => /Shutdown|Exiting/.test(line));
    expect(tail).toEqual(["Initiating Shutdown...", "Initiating JetStream Shutdown...",
      "JetStream Shutdown", "Server Exiting.."]);
  });
});
