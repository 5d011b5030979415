/**
 * Reloading users, permissions and accounts (SIGHUP) applies to connected clients as
 * nats-server does:
 * a removed user is disconnected, a user whose credentials no longer match gets
 * `Authorization Violation`, and a client whose permissions shrank loses the subscriptions
 * they no longer allow (with an -ERR naming the sid) but stays connected.
 * Runs against natsd by default, or any server named by NATS_SERVER (Go 2.9.10 passes too).
 */
import { describe, expect, test } from "bun:test";
import { join } from "node:path";
import { RawClient } from "../harness/raw_client.ts";
import { isGoServer, type RunningServer, startServer } from "../harness/server_process.ts";

async function login(server: RunningServer, user: string, pass: string): Promise<RawClient> {
  const client = await RawClient.connect(server.port);
  await client.readInfo();
  client.send(`CONNECT {"verbose":false,"user":"${user}","pass":"${pass}"}\r\n`);
  expect(await client.flush()).toBe("");
  return client;
}

/** Rewrites the config and reloads it (once per server: the log line marks completion). */
async function reload(server: RunningServer, config: string): Promise<void> {
  await Bun.write(join(server.dir, "server.conf"), config);
  server.signal("SIGHUP");
  await server.waitForLog(/Reloaded server configuration/);
}

describe("reload of users and permissions", () => {
  test("live clients follow the new users and permissions", async () => {
    const server = await startServer({ config: `authorization { users: [
      {user: alice, password: a, permissions: {subscribe: ">"}}
      {user: bob, password: b}
      {user: dave, password: d}
    ] }` });
    try {
      const alice = await login(server, "alice", "a");
      alice.send("SUB x.1 1\r\nSUB a.1 2\r\n");
      await alice.flush();
      const bob = await login(server, "bob", "b");
      const dave = await login(server, "dave", "d");
      await reload(server, `authorization { users: [
        {user: alice, password: a, permissions: {subscribe: "a.>"}}
        {user: dave, password: changed}
        {user: carol, password: c}
      ] }`);
      await alice.waitFor((t) => t.includes("\r\n"));
      expect(await alice.flush())
        .toBe("-ERR 'Permissions Violation for Subscription to \"x.1\" (sid \"1\")'\r\n");
      expect(await bob.waitClosed()).toBe("");
      expect(await dave.waitClosed()).toBe("-ERR 'Authorization Violation'\r\n");
      const carol = await login(server, "carol", "c");
      carol.send("PUB a.1 2\r\nhi\r\nPUB x.1 2\r\nno\r\n");
      await carol.flush();
      expect(await alice.flush()).toBe("MSG a.1 2 2\r\nhi\r\n");
      carol.close();
      alice.close();
    } finally {
      await server.stop();
    }
  });
});

describe("reload of accounts", () => {
  test("exports, imports, mappings and accounts change under connected clients", async () => {
    const server = await startServer({ config: `accounts {
      A: { users: [{user: a, password: a}], exports: [{stream: "s.>"}] }
      B: { users: [{user: b, password: b}],
           imports: [{stream: {account: A, subject: "s.>"}, prefix: "from_a"}] }
      D: { users: [{user: d, password: d}] }
    }` });
    try {
      const a = await login(server, "a", "a");
      const b = await login(server, "b", "b");
      const d = await login(server, "d", "d");
      b.send("SUB from_a.> 1\r\nSUB n 2\r\n");
      await b.flush();
      a.send("SUB n 1\r\nPUB s.1 1\r\nx\r\n");
      await a.flush();
      expect(await b.flush()).toBe("MSG from_a.s.1 1 1\r\nx\r\n");
      await reload(server, `accounts {
        A: { users: [{user: a, password: a}], mappings: { m: n } }
        B: { users: [{user: b, password: b}] }
        C: { users: [{user: c, password: c}] }
      }`);
      expect(await d.waitClosed()).toBe("");
      const a2 = await login(server, "a", "a");
      a2.send("PUB s.2 1\r\ny\r\nPUB m 1\r\nz\r\n");
      await a2.flush();
      expect(await a.flush()).toBe("MSG n 1 1\r\nz\r\n");
      expect(await b.flush()).toBe("");
      if (!isGoServer()) {
        // 2.14 applies reloaded mappings to connected clients too (2.9.10: new ones only).
        a.send("PUB m 1\r\nw\r\n");
        expect(await a.flush()).toBe("MSG n 1 1\r\nw\r\n");
      }
      a2.close();
      const c = await login(server, "c", "c");
      c.close();
      a.close();
      b.close();
    } finally {
      await server.stop();
    }
  });
});
