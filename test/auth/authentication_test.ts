/**
 * Authentication end to end, with the official client and byte-exact with a raw client:
 * token, single user, users with plain and bcrypt passwords, nkeys signing the INFO nonce,
 * no_auth_user, the auth timeout, and what failures send, close and log.
 * Runs against natsd by default, or any server named by NATS_SERVER (Go 2.9.10 passes too).
 */
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { connect, type ConnectionOptions, type NatsConnection } from "@nats-io/transport-node";
import { errors, nkeyAuthenticator } from "@nats-io/nats-core";
import { createUser, type KeyPair } from "@nats-io/nkeys";
import { RawClient } from "../harness/raw_client.ts";
import { isGoServer, type RunningServer, startServer } from "../harness/server_process.ts";

const encoder = new TextEncoder();

async function clientOf(server: RunningServer, options: Partial<ConnectionOptions>):
  Promise<NatsConnection> {
  return await connect({ servers: server.url, reconnect: false, ...options });
}

/** Connects, or returns the error the official client raised. */
async function attempt(server: RunningServer, options: Partial<ConnectionOptions>):
  Promise<unknown> {
  try {
    const nc = await clientOf(server, options);
    await nc.flush();
    await nc.close();
    return "connected";
  } catch (error) {
    return error;
  }
}

async function rawInfo(server: RunningServer): Promise<[RawClient, Record<string, unknown>]> {
  const client = await RawClient.connect(server.port);
  return [client, await client.readInfo()];
}

function signNonce(kp: KeyPair, nonce: string): string {
  return Buffer.from(kp.sign(encoder.encode(nonce))).toString("base64url");
}

describe("users with plain and bcrypt passwords, and nkeys", () => {
  let server: RunningServer;
  const nkey = createUser();
  const stranger = createUser();

  beforeAll(async () => {
    const hash = await Bun.password.hash("bobpw", { algorithm: "bcrypt", cost: 4 });
    server = await startServer({ config: `authorization {
      users: [
        {user: alice, password: "alice-secret-pw"}
        {user: bob, password: "${hash}"}
        {nkey: ${nkey.getPublicKey()}}
      ]
    }` });
  });
  afterAll(async () => await server.stop());

  test("the official client connects with user/pass, bcrypt and nkey credentials", async () => {
    expect(await attempt(server, { user: "alice", pass: "alice-secret-pw" })).toBe("connected");
    expect(await attempt(server, { user: "bob", pass: "bobpw" })).toBe("connected");
    expect(await attempt(server, { authenticator: nkeyAuthenticator(nkey.getSeed()) }))
      .toBe("connected");
  });

  test("bad credentials are refused with an AuthorizationError", async () => {
    for (const options of [{ user: "alice", pass: "nope" }, { user: "bob", pass: "bobpw2" },
      { user: "carol", pass: "x" }, {},
      { authenticator: nkeyAuthenticator(stranger.getSeed()) }]) {
      expect(await attempt(server, options)).toBeInstanceOf(errors.AuthorizationError);
    }
  });

  test("INFO announces auth_required and a fresh nonce", async () => {
    const [a, infoA] = await rawInfo(server);
    const [b, infoB] = await rawInfo(server);
    expect(infoA.auth_required).toBe(true);
    expect(infoA.nonce).toMatch(/^[A-Za-z0-9_-]{15}$/);
    expect(infoB.nonce).not.toBe(infoA.nonce);
    a.close();
    b.close();
  });

  test("a wrong password gets -ERR 'Authorization Violation' and a close", async () => {
    const [client] = await rawInfo(server);
    client.send('CONNECT {"verbose":false,"user":"alice","pass":"guess-9911"}\r\nPING\r\n');
    expect(await client.waitClosed()).toBe("-ERR 'Authorization Violation'\r\n");
    // 2.14 names the identity (Go 2.9.10 logs the CONNECT's nkey, here "").
    await server.waitForLog(isGoServer() ? /authentication error/ :
      /authentication error - User "alice"/);
    expect(server.log()).not.toContain("guess-9911");
    expect(server.log()).not.toContain("alice-secret-pw");
  });

  test("an operation before CONNECT is an authorization violation", async () => {
    const [client] = await rawInfo(server);
    client.send("SUB foo 1\r\n");
    expect(await client.waitClosed()).toBe("-ERR 'Authorization Violation'\r\n");
  });

  test("nkey: the signature must cover this connection's nonce", async () => {
    const [good, info] = await rawInfo(server);
    good.send(`CONNECT ${JSON.stringify({ verbose: false, nkey: nkey.getPublicKey(),
      sig: signNonce(nkey, String(info.nonce)) })}\r\n`);
    expect(await good.flush()).toBe("");
    good.close();
    const [replayed, other] = await rawInfo(server);
    replayed.send(`CONNECT ${JSON.stringify({ verbose: false, nkey: nkey.getPublicKey(),
      sig: signNonce(nkey, `${String(other.nonce)}x`) })}\r\nPING\r\n`);
    expect(await replayed.waitClosed()).toBe("-ERR 'Authorization Violation'\r\n");
    const [missing] = await rawInfo(server);
    missing.send(`CONNECT {"nkey":"${nkey.getPublicKey()}"}\r\nPING\r\n`);
    expect(await missing.waitClosed()).toBe("-ERR 'Authorization Violation'\r\n");
  });

  test("CONNECT naming an account is refused", async () => {
    const [client] = await rawInfo(server);
    client.send('CONNECT {"user":"alice","pass":"alice-secret-pw","account":"X"}\r\nPING\r\n');
    expect(await client.waitClosed()).toBe("-ERR 'Authorization Violation'\r\n");
  });
});

describe("token", () => {
  let server: RunningServer;
  let bcryptServer: RunningServer;
  beforeAll(async () => {
    const hash = await Bun.password.hash("t0ken", { algorithm: "bcrypt", cost: 4 });
    [server, bcryptServer] = await Promise.all([
      startServer({ config: 'authorization { token: "s3cr3t-t0ken" }' }),
      startServer({ config: `authorization { token: "${hash}" }` })]);
  });
  afterAll(async () => {
    await server.stop();
    await bcryptServer.stop();
  });

  test("the token must match; a bcrypt token is checked as a hash", async () => {
    expect(await attempt(server, { token: "s3cr3t-t0ken" })).toBe("connected");
    expect(await attempt(server, { token: "nope" })).toBeInstanceOf(errors.AuthorizationError);
    expect(await attempt(bcryptServer, { token: "t0ken" })).toBe("connected");
    expect(await attempt(bcryptServer, { token: "nope" }))
      .toBeInstanceOf(errors.AuthorizationError);
  });

  test("a refused token is logged redacted", async () => {
    const [client, info] = await rawInfo(server);
    expect(info.nonce).toBeUndefined();
    client.send('CONNECT {"auth_token":"leaked-guess"}\r\n');
    expect(await client.waitClosed()).toBe("-ERR 'Authorization Violation'\r\n");
    await server.waitForLog(isGoServer() ? /authentication error/ :
      /authentication error - Token "\[REDACTED\]"/);
    expect(server.log()).not.toContain("leaked-guess");
  });
});

describe("no_auth_user", () => {
  let server: RunningServer;
  beforeAll(async () => {
    server = await startServer({ config: `
      no_auth_user: guest
      authorization {
        users: [
          {user: guest, password: guest, permissions: {publish: "public.>", subscribe: ">"}}
          {user: admin, password: adminpw}
        ]
      }` });
  });
  afterAll(async () => await server.stop());

  test("INFO does not ask for credentials; a client without any becomes the user", async () => {
    const [client, info] = await rawInfo(server);
    expect(info.auth_required).toBeUndefined();
    client.send('CONNECT {"verbose":false}\r\nSUB > 1\r\nPUB public.a 1\r\nx\r\n' +
      "PUB private.a 1\r\ny\r\n");
    expect(await client.flush()).toBe("MSG public.a 1 1\r\nx\r\n" +
      "-ERR 'Permissions Violation for Publish to \"private.a\"'\r\n");
    client.close();
  });

  test("operations before CONNECT run as the no_auth_user", async () => {
    const [client] = await rawInfo(server);
    client.send("SUB public.b 1\r\nPUB public.b 2\r\nhi\r\nPING\r\n");
    await client.waitFor((text) => text.includes("PONG\r\n"));
    expect(client.buffered).toBe("+OK\r\n+OK\r\nMSG public.b 1 2\r\nhi\r\nPONG\r\n");
    client.close();
  });

  test("credentials given are checked, not replaced by the no_auth_user", async () => {
    expect(await attempt(server, { user: "admin", pass: "adminpw" })).toBe("connected");
    expect(await attempt(server, { user: "admin", pass: "wrong" }))
      .toBeInstanceOf(errors.AuthorizationError);
    expect(await attempt(server, {})).toBe("connected");
  });
});

describe("authorization timeout", () => {
  test("a client that sends no CONNECT in time gets 'Authentication Timeout'", async () => {
    const server = await startServer({ config: "authorization { token: t, timeout: 0.3 }" });
    try {
      const [client] = await rawInfo(server);
      expect(await client.waitClosed()).toBe("-ERR 'Authentication Timeout'\r\n");
    } finally {
      await server.stop();
    }
  });
});
