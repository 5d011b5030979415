/**
 * Permissions end to end: publish and subscribe allow/deny lists with wildcards, queue
 * group entries, default_permissions, allow_responses (max and expires), the exact
 * `Permissions Violation …` texts, the connection staying open, and the delivery-time check
 * that keeps denied subjects away from wildcard subscriptions.
 * Runs against natsd by default, or any server named by NATS_SERVER (Go 2.9.10 passes too).
 */
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { connect } from "@nats-io/transport-node";
import { errors } from "@nats-io/nats-core";
import { RawClient } from "../harness/raw_client.ts";
import { type RunningServer, startServer } from "../harness/server_process.ts";

let server: RunningServer;

beforeAll(async () => {
  server = await startServer({ config: `
    authorization {
      default_permissions: { publish: "sandbox.>", subscribe: "sandbox.>" }
      users: [
        {user: pub, password: p, permissions: {
          publish: { allow: ["orders.>", "audit.*"], deny: "orders.secret" }
          subscribe: "_INBOX.>"
        }}
        {user: sub, password: p, permissions: {
          publish: { deny: ">" }
          subscribe: { allow: ["events.>", "work v1"], deny: ["events.private", "events.*.hidden"] }
        }}
        {user: svc, password: p, permissions: {
          subscribe: "requests.>"
          allow_responses: { max: 2 }
        }}
        {user: client, password: p, permissions: {
          publish: "requests.>", subscribe: "_INBOX.>"
        }}
        {user: other, password: p}
        {user: admin, password: p, permissions: {}}
      ]
    }` });
});
afterAll(async () => await server.stop());

async function login(user: string): Promise<RawClient> {
  const client = await RawClient.connect(server.port);
  await client.readInfo();
  client.send(`CONNECT {"verbose":false,"pedantic":false,"user":"${user}","pass":"p"}\r\n`);
  expect(await client.flush()).toBe("");
  return client;
}

describe("publish permissions", () => {
  test("allowed subjects pass; others get the violation and the connection stays", async () => {
    const listener = await login("sub");
    listener.send("SUB events.> 1\r\n");
    await listener.flush();
    const client = await login("pub");
    client.send("SUB _INBOX.x 9\r\nPUB orders.new 1\r\na\r\nPUB orders.secret 1\r\nb\r\n" +
      "PUB audit.x 1\r\nc\r\nPUB audit.x.y 1\r\nd\r\nPUB events.a 1\r\ne\r\n");
    expect(await client.flush()).toBe(
      "-ERR 'Permissions Violation for Publish to \"orders.secret\"'\r\n" +
      "-ERR 'Permissions Violation for Publish to \"audit.x.y\"'\r\n" +
      "-ERR 'Permissions Violation for Publish to \"events.a\"'\r\n");
    expect(await listener.flush()).toBe("");
    client.send("PUB orders.secret 1\r\nb\r\nPING\r\n");
    await client.expect("-ERR 'Permissions Violation for Publish to \"orders.secret\"'\r\n" +
      "PONG\r\n");
    client.close();
    listener.close();
  });

  test("default_permissions apply to users without their own", async () => {
    const client = await login("other");
    client.send("SUB sandbox.x 1\r\nPUB sandbox.x 1\r\nq\r\nPUB elsewhere 1\r\nq\r\n" +
      "SUB elsewhere 2\r\n");
    expect(await client.flush()).toBe("MSG sandbox.x 1 1\r\nq\r\n" +
      "-ERR 'Permissions Violation for Publish to \"elsewhere\"'\r\n" +
      "-ERR 'Permissions Violation for Subscription to \"elsewhere\"'\r\n");
    client.close();
  });
});

describe("subscribe permissions", () => {
  test("denied subscriptions get the violation (with the queue when there is one)", async () => {
    const client = await login("sub");
    client.send("SUB orders.x 1\r\nSUB events.private 2\r\nSUB work 3\r\nSUB work v2 4\r\n" +
      "SUB work v1 5\r\nSUB events.x.hidden 6\r\n");
    expect(await client.flush()).toBe(
      "-ERR 'Permissions Violation for Subscription to \"orders.x\"'\r\n" +
      "-ERR 'Permissions Violation for Subscription to \"events.private\"'\r\n" +
      "-ERR 'Permissions Violation for Subscription to \"work\"'\r\n" +
      "-ERR 'Permissions Violation for Subscription to \"work\" using queue \"v2\"'\r\n" +
      "-ERR 'Permissions Violation for Subscription to \"events.x.hidden\"'\r\n");
    client.close();
  });

  test("a wildcard subscription never receives the denied subjects", async () => {
    const client = await login("sub");
    client.send("SUB events.> 1\r\nSUB events.* 2\r\n");
    await client.flush();
    const admin = await login("admin");
    for (const subject of ["events.a", "events.private", "events.b.hidden", "events.b.seen"]) {
      admin.send(`PUB ${subject} 1\r\nx\r\n`);
    }
    await admin.flush();
    expect(await client.flush()).toBe("MSG events.a 1 1\r\nx\r\nMSG events.a 2 1\r\nx\r\n" +
      "MSG events.b.seen 1 1\r\nx\r\n");
    client.close();
    admin.close();
  });
});

describe("allow_responses", () => {
  test("a responder may publish to the reply subject of a request it received, max times",
    async () => {
      const svc = await login("svc");
      svc.send("SUB requests.> 1\r\n");
      await svc.flush();
      const requester = await login("client");
      requester.send("SUB _INBOX.r1 7\r\nPUB requests.a _INBOX.r1 1\r\nq\r\n");
      await requester.flush();
      await svc.waitFor((text) => text.includes("MSG requests.a 1 _INBOX.r1 1\r\nq\r\n"));
      svc.send("PUB _INBOX.r1 2\r\nr1\r\nPUB _INBOX.r1 2\r\nr2\r\nPUB _INBOX.r1 2\r\nr3\r\n" +
        "PUB _INBOX.other 1\r\nz\r\n");
      const errors = await svc.flush();
      expect(errors).toBe("MSG requests.a 1 _INBOX.r1 1\r\nq\r\n" +
        "-ERR 'Permissions Violation for Publish to \"_INBOX.r1\"'\r\n" +
        "-ERR 'Permissions Violation for Publish to \"_INBOX.other\"'\r\n");
      expect(await requester.flush())
        .toBe("MSG _INBOX.r1 7 2\r\nr1\r\nMSG _INBOX.r1 7 2\r\nr2\r\n");
      svc.close();
      requester.close();
    });

  test("request/reply works with the official client under these permissions", async () => {
    const responder = await connect({ servers: server.url, user: "svc", pass: "p" });
    responder.subscribe("requests.echo", { callback: (_err, msg) => void msg.respond(msg.data) });
    await responder.flush();
    const requester = await connect({ servers: server.url, user: "client", pass: "p" });
    const reply = await requester.request("requests.echo", "ping", { timeout: 5000 });
    expect(new TextDecoder().decode(reply.data)).toBe("ping");
    await requester.close();
    await responder.close();
  });
});

describe("the official client sees permission errors", () => {
  test("a denied subscription ends with a PermissionViolationError", async () => {
    const nc = await connect({ servers: server.url, user: "sub", pass: "p" });
    const sub = nc.subscribe("orders.nope");
    let caught: unknown;
    try {
      for await (const _ of sub) break;
    } catch (error) {
      caught = error;
    }
    expect(caught).toBeInstanceOf(errors.PermissionViolationError);
    expect((caught as InstanceType<typeof errors.PermissionViolationError>).subject)
      .toBe("orders.nope");
    await nc.close();
  });
});
