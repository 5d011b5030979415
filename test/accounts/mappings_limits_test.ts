/**
 * Subject mappings (top-level for the global account, and per account) and account limits
 * (max_connections, max_subscriptions, max_payload) with nats-server's errors.
 * Runs against natsd by default, or any server named by NATS_SERVER (Go 2.9.10 passes too).
 */
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { RawClient } from "../harness/raw_client.ts";
import { type RunningServer, startServer } from "../harness/server_process.ts";

let server: RunningServer;

beforeAll(async () => {
  server = await startServer({ config: `
    mappings = {
      foo: bar
      "orders.*": "orders.{{wildcard(1)}}.processed"
      "canary.>": [ {destination: "canary.v2.>", weight: 100%} ]
      "part.*": "part.{{partition(10,1)}}.$1"
      "lossy": [ {destination: "lossy", weight: 0%}, {destination: "lossy.kept", weight: 0%} ]
    }
    authorization { users: [{user: g, password: g}] }
    accounts {
      M: {
        users: [{user: m, password: m}]
        mappings: { "in.*.*": "out.$2.$1" }
      }
      L: {
        users: [{user: l1, password: p}, {user: l2, password: p}]
        limits: { max_connections: 1, max_subscriptions: 2, max_payload: 8 }
      }
    }` });
});
afterAll(async () => await server.stop());

async function raw(user: string, pass = user): Promise<RawClient> {
  const c = await RawClient.connect(server.port);
  await c.readInfo();
  c.send(`CONNECT {"verbose":false,"user":"${user}","pass":"${pass}"}\r\n`);
  return c;
}

describe("mappings", () => {
  test("the global account's mappings rewrite published subjects", async () => {
    const c = await raw("g");
    c.send("SUB > 1\r\nPUB foo 1\r\na\r\nPUB orders.9 1\r\nb\r\nPUB canary.x.y 1\r\nc\r\n" +
      "PUB part.foo 1\r\nd\r\nPUB unmapped 1\r\ne\r\nPUB lossy 1\r\nf\r\n");
    expect(await c.flush()).toBe("MSG bar 1 1\r\na\r\nMSG orders.9.processed 1 1\r\nb\r\n" +
      "MSG canary.v2.x.y 1 1\r\nc\r\nMSG part.3.foo 1 1\r\nd\r\nMSG unmapped 1 1\r\ne\r\n");
    c.close();
  });

  test("an account's mappings apply to its own publishers only", async () => {
    const m = await raw("m");
    m.send("SUB > 1\r\nPUB in.a.b 1\r\nx\r\nPUB foo 1\r\ny\r\n");
    expect(await m.flush()).toBe("MSG out.b.a 1 1\r\nx\r\nMSG foo 1 1\r\ny\r\n");
    m.close();
  });
});

describe("account limits", () => {
  test("max_connections refuses the account's next client with nats-server's error", async () => {
    const first = await raw("l1", "p");
    expect(await first.flush()).toBe("");
    const second = await raw("l2", "p");
    expect(await second.waitClosed())
      .toBe("-ERR 'maximum account active connections exceeded'\r\n");
    first.close();
  });

  test("max_subscriptions refuses the SUB and max_payload closes on a larger message",
    async () => {
      const c = await raw("l1", "p");
      c.send("SUB a 1\r\nSUB b 2\r\nSUB c 3\r\nPUB a 8\r\n12345678\r\n");
      expect(await c.flush()).toBe("-ERR 'maximum subscriptions exceeded'\r\n" +
        "MSG a 1 8\r\n12345678\r\n");
      c.send("PUB a 9\r\n123456789\r\n");
      expect(await c.waitClosed()).toBe("-ERR 'Maximum Payload Violation'\r\n");
    });
});
