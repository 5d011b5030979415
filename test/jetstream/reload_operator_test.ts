/**
 * Operator mode: JetStream turned on by a config reload gives the loaded accounts the JetStream
 * their JWTs grant, with their limits, as a start with JetStream would. Runs against natsd, or Go
 * nats-server with NATS_SERVER=nats-server.
 */
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { join } from "node:path";
import { connect, type NatsConnection } from "@nats-io/transport-node";
import { credsAuthenticator } from "@nats-io/nats-core";
import { type RunningServer, startServer } from "../harness/server_process.ts";
import { type TestAccount, TestOperator, userOf } from "../auth/jwt_fixtures.ts";

type Json = Record<string, unknown>;
/** Bounds the wait for natsd's asynchronous switch; probes are round trips, not sleeps. */
const SWITCH_WAIT_MS_MAX = 10_000;

let op: TestOperator;
let a: TestAccount;
let server: RunningServer;
let nc: NatsConnection;

function config(jetstream: boolean): string {
  return `operator: "${op.jwt}"
resolver: MEMORY
${op.preload(a)}
max_payload: ${jetstream ? 1000001 : 1000000}
${jetstream ? 'jetstream { store_dir: "./js" }' : ""}
`;
}

beforeAll(async () => {
  op = await TestOperator.create();
  a = await op.account("A", { limits: { mem_storage: -1, disk_storage: -1, streams: 1,
    consumer: -1 } as never });
  server = await startServer({ config: config(false) });
  nc = await connect({ servers: server.url,
    authenticator: credsAuthenticator((await userOf(a)).creds) });
});
afterAll(async () => {
  await nc.close();
  await server.stop();
});

/** $JS.API.INFO's answer, or "off" (no responders, 10039, or no answer). */
async function jsInfo(): Promise<Json | "off"> {
  try {
    const r = (await nc.request("$JS.API.INFO", "", { timeout: 2000 })).json<Json>();
    return (r.error as Json | undefined)?.err_code === 10039 ? "off" : r;
  } catch (error) {
    if (/503|no responders|timeout/i.test(String(error))) return "off";
    throw error;
  }
}

describe("operator mode: JetStream on by reload", () => {
  test("the account gets the JetStream its JWT grants, with its stream limit", async () => {
    expect(await jsInfo()).toBe("off");
    await Bun.write(join(server.dir, "server.conf"), config(true));
    server.signal("SIGHUP");
    await server.waitForLog(/Reloaded: max_payload = 1000001$/);
    let info: Json | "off" = "off";
    const deadline = Date.now() + SWITCH_WAIT_MS_MAX;
    while (info === "off" && Date.now() < deadline) info = await jsInfo();
    expect(info).not.toBe("off");
    expect((info as Json).limits).toMatchObject({ max_streams: 1 });
    const create = async (name: string) => (await nc.request(`$JS.API.STREAM.CREATE.${name}`,
      JSON.stringify({ name, storage: "memory" }), { timeout: 2000 })).json<Json>();
    expect((await create("ONE")).error).toBeUndefined();
    expect(((await create("TWO")).error as Json).err_code).toBe(10027);
  }, 20_000);
});
