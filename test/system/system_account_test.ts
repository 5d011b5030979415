/**
 * The system account end to end with the official client: connect, disconnect and auth error
 * events, statsz heartbeats, and the `$SYS.REQ.SERVER…` / `$SYS.REQ.ACCOUNT…` services
 * answering with the monitoring documents.
 * Runs against natsd by default, or any server named by NATS_SERVER (Go 2.9.10 passes too).
 */
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { connect, type Msg, type NatsConnection } from "@nats-io/transport-node";
import { errors } from "@nats-io/nats-core";
import { isGoServer, type RunningServer, startServer } from "../harness/server_process.ts";
import { getJson } from "../monitor/monitor_http.ts";

// The documents are checked field by field.
// deno-lint-ignore no-explicit-any
type Json = any;

let server: RunningServer;
let sys: NatsConnection;
let serverId: string;
const open: NatsConnection[] = [];

beforeAll(async () => {
  server = await startServer({ args: ["-m", "-1"], config: `
    accounts {
      SYS: { users: [{user: sys, password: sys}] }
      APP: { users: [{user: app, password: app}, {user: limited, password: l,
        permissions: {publish: {allow: ["$SYS.REQ.USER.INFO", "x.>"]}, subscribe: "_INBOX.>"}}] }
    }
    system_account: SYS` });
  sys = await connect({ servers: server.url, user: "sys", pass: "sys" });
  serverId = sys.info!.server_id;
});
afterAll(async () => {
  for (const nc of open) await nc.close().catch(() => {});
  await sys.close();
  await server.stop();
});

async function app(name: string): Promise<NatsConnection> {
  const nc = await connect({ servers: server.url, user: "app", pass: "app", name });
  open.push(nc);
  return nc;
}

const json = (m: Msg): Json => m.json();

async function ask(subject: string, body = ""): Promise<Json> {
  return json(await sys.request(subject, body, { timeout: 5000 }));
}

/** The next message on `subject` (subscribed before `trigger` runs). */
async function next(subject: string, trigger: () => Promise<unknown>): Promise<Json> {
  const sub = sys.subscribe(subject, { max: 1 });
  await sys.flush();
  await trigger();
  for await (const m of sub) return json(m);
  throw new Error(`no message on ${subject}`);
}

describe("events", () => {
  test("connect and disconnect events describe the client and its traffic", async () => {
    let client!: NatsConnection;
    const connected = await next("$SYS.ACCOUNT.APP.CONNECT", async () => {
      client = await app("evt-client");
    });
    expect(connected).toMatchObject({ type: "io.nats.server.advisory.v1.client_connect",
      server: { id: serverId },
      client: { acc: "APP", user: "app", name: "evt-client", lang: "nats.js" } });
    expect(connected.id).toMatch(/^[0-9A-Za-z]{22}$/);
    const gone = await next("$SYS.ACCOUNT.APP.DISCONNECT", async () => {
      client.publish("x", "12345");
      await client.flush();
      await client.close();
    });
    expect(gone).toMatchObject({ type: "io.nats.server.advisory.v1.client_disconnect",
      client: { acc: "APP", name: "evt-client" }, sent: { msgs: 1, bytes: 5 },
      reason: "Client Closed" });
  });

  test("a refused login is reported on the server's auth error subject", async () => {
    const event = await next(`$SYS.SERVER.${serverId}.CLIENT.AUTH.ERR`, async () => {
      await connect({ servers: server.url, user: "app", pass: "wrong", reconnect: false })
        .catch(() => {});
    });
    expect(event).toMatchObject({ type: "io.nats.server.advisory.v1.client_disconnect",
      client: { user: "app" }, reason: "Authentication Failure" });
  });

  test("statsz heartbeats flow while someone listens", async () => {
    const beat = await next(`$SYS.SERVER.${serverId}.STATSZ`, async () => {});
    expect(beat.server.id).toBe(serverId);
    expect(typeof beat.statsz.connections).toBe("number");
  });

  test("other accounts cannot see the system account's subjects", async () => {
    const nc = await app("snoop");
    const sub = nc.subscribe("$SYS.>", { max: 1 });
    await nc.flush();
    await ask("$SYS.REQ.SERVER.PING");
    await nc.flush();
    expect(sub.getReceived()).toBe(0);
  });
});

describe("request services", () => {
  test("PING answers with statsz; IDZ with the server's identity", async () => {
    const statsz = await ask("$SYS.REQ.SERVER.PING");
    expect(statsz.server).toMatchObject({ id: serverId, ver: expect.any(String) });
    expect(statsz.statsz).toMatchObject({ connections: expect.any(Number),
      sent: { msgs: expect.any(Number) }, received: { bytes: expect.any(Number) } });
    expect((await ask(`$SYS.REQ.SERVER.${serverId}.STATSZ`)).statsz).toBeDefined();
    if (isGoServer()) return; // IDZ arrived in 2.10
    expect(await ask("$SYS.REQ.SERVER.PING.IDZ")).toEqual({ name: statsz.server.name,
      host: "127.0.0.1", id: serverId });
  });

  test("VARZ, CONNZ and SUBSZ carry the monitoring documents in the envelope", async () => {
    await app("listed");
    const varz = await ask("$SYS.REQ.SERVER.PING.VARZ");
    expect(varz.server.id).toBe(serverId);
    expect(varz.data).toMatchObject({ server_id: serverId,
      max_payload: (await getJson(server, "/varz")).max_payload });
    const connz = await ask(`$SYS.REQ.SERVER.${serverId}.CONNZ`, '{"acc":"APP"}');
    expect(connz.data.connections.map((c: Json) => c.name)).toContain("listed");
    const subsz = await ask("$SYS.REQ.SERVER.PING.SUBSZ");
    expect(subsz.data.num_subscriptions).toBeGreaterThan(0);
  });

  test("account services are scoped to the account in the subject", async () => {
    const nc = await app("scoped");
    nc.subscribe("app.only");
    await nc.flush();
    const connz = await ask("$SYS.REQ.ACCOUNT.APP.CONNZ");
    const names = connz.data.connections.map((c: Json) => c.name);
    expect(names).toContain("scoped");
    expect(connz.data.connections.every((c: Json) => c.account === "APP" ||
      c.account === undefined)).toBe(true);
    const subsz = await ask("$SYS.REQ.ACCOUNT.APP.SUBSZ");
    expect(subsz.data.subscriptions_list.map((s: Json) => s.subject)).toContain("app.only");
  });

  test("a server filter that excludes this server gets no answer", async () => {
    let caught: unknown;
    try {
      await sys.request("$SYS.REQ.SERVER.PING.VARZ", '{"server_name":"not-this-one"}',
        { timeout: 300 });
    } catch (error) {
      caught = error;
    }
    expect(caught).toBeInstanceOf(Error);
    expect(caught).not.toBeInstanceOf(errors.PermissionViolationError);
    const statz = await ask("$SYS.REQ.SERVER.PING.VARZ",
      JSON.stringify({ server_name: (await getJson(server, "/varz")).server_name }));
    expect(statz.data.server_id).toBe(serverId);
  });
});

describe("services imported into every account", () => {
  test("a user learns who it is and what it may do from $SYS.REQ.USER.INFO", async () => {
    if (isGoServer()) return; // USER.INFO arrived in 2.10
    const nc = await connect({ servers: server.url, user: "limited", pass: "l" });
    open.push(nc);
    const info = json(await nc.request("$SYS.REQ.USER.INFO", "", { timeout: 5000 }));
    expect(info.data).toMatchObject({ user: "limited", account: "APP",
      permissions: { publish: { allow: ["$SYS.REQ.USER.INFO", "x.>"] },
        subscribe: { allow: ["_INBOX.>"] } } });
    const plain = await app("whoami");
    const mine = json(await plain.request("$SYS.REQ.USER.INFO", "", { timeout: 5000 }));
    expect(mine.data).toEqual({ user: "app", account: "APP" });
  });

  test("an account's own CONNZ and STATZ through the PING subjects", async () => {
    const nc = await app("own-connz");
    for (const subject of ["$SYS.REQ.ACCOUNT.PING.CONNZ", "$SYS.REQ.SERVER.PING.CONNZ"]) {
      const connz = json(await nc.request(subject, "", { timeout: 5000 }));
      const names = connz.data.connections.map((c: Json) => c.name);
      expect(names).toContain("own-connz");
      expect(connz.data.connections.some((c: Json) => c.account === "SYS")).toBe(false);
    }
    const statz = json(await nc.request("$SYS.REQ.ACCOUNT.PING.STATZ", "", { timeout: 5000 }));
    expect(statz.data.account_statz.map((s: Json) => s.acc)).toEqual(["APP"]);
  });
});
