/**
 * The system account's actions and debug services with the official client: KICK and LDM by
 * client id, RELOAD, PROFILEZ and EXPVARZ, `$SYS.DEBUG.SUBSCRIBERS` (imported by an account)
 * and `$SYS.REQ.ACCOUNT.NSUBS`. The subscriber counts also run against Go 2.9.10
 * (NATS_SERVER=nats-server); the 2.10+ services are natsd-only there.
 */
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { join } from "node:path";
import { connect, type NatsConnection } from "@nats-io/transport-node";
import { isGoServer, type RunningServer, startServer } from "../harness/server_process.ts";
import { getJson } from "../monitor/monitor_http.ts";

// The replies are checked field by field.
// deno-lint-ignore no-explicit-any
type Json = any;

const CONFIG = `
accounts {
  SYS: {
    users: [{user: sys, password: sys}]
    exports: [{service: "$SYS.DEBUG.SUBSCRIBERS"}]
  }
  APP: {
    users: [{user: app, password: app}]
    imports: [{service: {account: SYS, subject: "$SYS.DEBUG.SUBSCRIBERS"}}]
  }
}
system_account: SYS
`;

let server: RunningServer;
let sys: NatsConnection;
let serverId: string;
const open: NatsConnection[] = [];

beforeAll(async () => {
  server = await startServer({ args: ["-m", "-1"], config: CONFIG });
  sys = await connect({ servers: server.url, user: "sys", pass: "sys" });
  serverId = sys.info!.server_id;
});
afterAll(async () => {
  for (const nc of open) await nc.close().catch(() => {});
  await sys.close();
  await server.stop();
});

async function app(): Promise<NatsConnection> {
  // A kicked client would come straight back; these stay closed.
  const nc = await connect({ servers: server.url, user: "app", pass: "app", reconnect: false });
  open.push(nc);
  return nc;
}

async function ask(subject: string, body: unknown = ""): Promise<Json> {
  const payload = typeof body === "string" ? body : JSON.stringify(body);
  return (await sys.request(subject, payload, { timeout: 5000 })).json();
}

describe("subscriber counts", () => {
  test("$SYS.DEBUG.SUBSCRIBERS counts the importing account's client subscriptions", async () => {
    const nc = await app();
    nc.subscribe("foo");
    nc.subscribe("foo", { queue: "q1" });
    nc.subscribe("bar.*");
    await nc.flush();
    const count = async (body: string) =>
      (await nc.request("$SYS.DEBUG.SUBSCRIBERS", body, { timeout: 5000 })).json<number>();
    expect(await count("foo")).toBe(2);
    expect(await count("foo q1")).toBe(1);
    expect(await count("foo q2")).toBe(0);
    expect(await count("bar.x")).toBe(1);
    expect(await count("bar.*")).toBe(1);
    expect(await count("nothing")).toBe(0);
    // From the system account itself, its own (client) subscriptions count.
    expect(await ask("$SYS.DEBUG.SUBSCRIBERS", "foo")).toBe(0);
  });

  test("$SYS.REQ.ACCOUNT.NSUBS answers for an account with local clients", async () => {
    const nc = await app();
    nc.subscribe("nsubs.a", { queue: "qq" });
    nc.subscribe("nsubs.a");
    await nc.flush();
    expect(await ask("$SYS.REQ.ACCOUNT.NSUBS", { acc: "APP", subject: "nsubs.a" })).toBe(2);
    const queue = Buffer.from("qq").toString("base64");
    expect(await ask("$SYS.REQ.ACCOUNT.NSUBS", { acc: "APP", subject: "nsubs.*", queue }))
      .toBe(1);
  });
});

describe.skipIf(isGoServer())("2.10+ server actions", () => {
  test("KICK closes the client with reason Kicked; an unknown cid is an error", async () => {
    const nc = await app();
    const cid = nc.info!.client_id;
    const closed = nc.closed();
    const reply = await ask(`$SYS.REQ.SERVER.${serverId}.KICK`, { cid });
    expect(reply.server.id).toBe(serverId);
    expect(reply.data).toBeUndefined();
    expect(reply.error).toBeUndefined();
    await closed;
    const connz = await getJson(server, `/connz?state=closed&cid=${cid}`);
    expect(connz.connections[0].reason).toBe("Kicked");
    const missing = await ask(`$SYS.REQ.SERVER.${serverId}.KICK`, { cid: 999_999 });
    expect(missing.error).toEqual({ code: 500, description: "no such client or leafnode id" });
  });

  test("LDM sends one client the lame duck INFO; an unknown cid is an error", async () => {
    const nc = await app();
    const statuses = nc.status();
    const reply = await ask(`$SYS.REQ.SERVER.${serverId}.LDM`, { cid: nc.info!.client_id });
    expect(reply.error).toBeUndefined();
    for await (const status of statuses) {
      if (status.type === "ldm") break;
    }
    expect(nc.isClosed()).toBe(false);
    const missing = await ask(`$SYS.REQ.SERVER.${serverId}.LDM`, { cid: 999_999 });
    expect(missing.error).toEqual({ code: 500, description: "no such client id" });
  });

  test("RELOAD reloads the config file, and answers a failed reload's error", async () => {
    const before = (await getJson(server, "/varz")).config_load_time;
    const ok = await ask(`$SYS.REQ.SERVER.${serverId}.RELOAD`);
    expect(ok.error).toBeUndefined();
    expect((await getJson(server, "/varz")).config_load_time).not.toBe(before);
    const path = join(server.dir, "server.conf");
    await Bun.write(path, `${CONFIG}\nport: "not a port\n`);
    try {
      const failed = await ask(`$SYS.REQ.SERVER.${serverId}.RELOAD`);
      expect(failed.error.code).toBe(500);
      expect(failed.error.description.length).toBeGreaterThan(0);
    } finally {
      await Bun.write(path, CONFIG);
    }
  });

  test("PROFILEZ answers Go's error shapes; EXPVARZ carries memstats and cmdline", async () => {
    const profile = async (body: unknown) =>
      (await ask("$SYS.REQ.SERVER.PING.PROFILEZ", body)).data;
    expect(await profile({})).toEqual({ profile: null, error: "Profile name not specified" });
    expect((await profile({ name: "cpu", duration: 0 })).error)
      .toBe("Duration 0s should be between 0s and 15s");
    expect((await profile({ name: "nope" })).error).toBe(`Profile "nope" not found`);
    expect((await profile({ name: "heap" })).error).toStartWith(`Profile "heap" error: `);
    const vars = (await ask(`$SYS.REQ.SERVER.${serverId}.EXPVARZ`)).data;
    expect(Object.keys(vars)).toEqual(["memstats", "cmdline"]);
    expect(vars.memstats.HeapAlloc).toBeGreaterThan(0);
    expect(Array.isArray(vars.cmdline)).toBe(true);
  });
});
