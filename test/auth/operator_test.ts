/**
 * Operator mode end to end with the MEMORY resolver: a trusted operator (inline JWT), account
 * JWTs preloaded, users with creds files through the official client, and byte-exact refusals
 * through a raw client (bad signatures, expired, revoked, untrusted, bearer, source network),
 * permissions and limits from the claims, activation-token imports, and JWT expiry closing
 * the connection. Runs against natsd, or any server named by NATS_SERVER (Go 2.9.10 passes).
 */
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { connect, type NatsConnection } from "@nats-io/transport-node";
import { credsAuthenticator, errors } from "@nats-io/nats-core";
import { createAccount, createOperator, encodeAccount } from "@nats-io/jwt";
import { RawClient } from "../harness/raw_client.ts";
import { isGoServer, type RunningServer, startServer } from "../harness/server_process.ts";
import {
  activation, nowSec, rawJwtConnect, type TestAccount, TestOperator, type TestUser, userOf,
} from "./jwt_fixtures.ts";

const AUTH_VIOLATION = "-ERR 'Authorization Violation'\r\n";

/** Connects raw with the user's JWT; returns what arrived before PONG or the close. */
async function rawOutcome(server: RunningServer, user: TestUser,
  options: { nonce?: string; sig?: string } = {}): Promise<string> {
  const client = await RawClient.connect(server.port);
  await rawJwtConnect(client, user, options);
  const text = await client.waitFor((t) => t.includes("PONG\r\n") || t.includes("-ERR"));
  if (text.includes("-ERR")) await client.waitClosed();
  client.close();
  return text.includes("PONG\r\n") ? "PONG" : client.buffered;
}

async function credsClient(server: RunningServer, user: TestUser): Promise<NatsConnection> {
  return await connect({ servers: server.url, reconnect: false,
    authenticator: credsAuthenticator(user.creds) });
}

describe("operator mode with the MEMORY resolver", () => {
  let server: RunningServer;
  let op: TestOperator;
  let a: TestAccount;
  let b: TestAccount;
  let limited: TestAccount;
  let expiring: TestAccount;
  const revokedUser = createAccount(); // placeholder key pair replaced below

  beforeAll(async () => {
    op = await TestOperator.create();
    b = await op.account("B", { exports: [
      { name: "public", subject: "b.public.>", type: "stream" },
      { name: "private", subject: "b.private.>", type: "stream", token_req: true },
      { name: "echo", subject: "b.echo", type: "service" },
    ] });
    const aKp = createAccount();
    a = { kp: aKp, signer: createAccount(), jwt: "", key: aKp.getPublicKey() };
    const token = await activation(b, a, "b.private.>", "stream");
    const revoked = await userOf(a);
    Object.assign(revokedUser, revoked.kp);
    a = await op.account("A", {
      imports: [
        { name: "pub", subject: "b.public.>", account: b.key, type: "stream" },
        { name: "priv", subject: "b.private.>", account: b.key, type: "stream", token },
        { name: "echo", subject: "b.echo", account: b.key, type: "service",
          local_subject: "echo" },
      ],
      revocations: { [revoked.kp.getPublicKey()]: nowSec() + 5 },
    }, a.kp, a.signer);
    (revokedUser as unknown as { user: TestUser }).user = revoked;
    limited = await op.account("L", { limits: { conn: 1 } });
    expiring = await op.account("E", {}, undefined, undefined, nowSec() + 2);
    server = await startServer({ config: `operator: "${op.jwt}"
resolver: MEMORY
${op.preload(a, b, limited, expiring)}
` });
  });
  afterAll(async () => await server.stop());

  test("INFO asks for auth and carries a nonce", async () => {
    const client = await RawClient.connect(server.port);
    const info = await client.readInfo();
    client.close();
    expect(info.auth_required).toBe(true);
    expect(typeof info.nonce).toBe("string");
    expect(server.log()).toContain('Operator: "test-operator"');
    expect(server.log()).toContain("Expires : Never");
  });

  test("creds users signed by the account or its signing key connect and message", async () => {
    const byAccount = await credsClient(server, await userOf(a));
    const bySigner = await credsClient(server, await userOf(a, {}, { viaSigner: true }));
    const sub = bySigner.subscribe("greet", { max: 1 });
    await bySigner.flush();
    byAccount.publish("greet", "hi");
    for await (const m of sub) expect(m.string()).toBe("hi");
    await byAccount.close();
    await bySigner.close();
  });

  test("accounts are isolated; imports cross only with an export and, if needed, a token",
    async () => {
      const inA = await credsClient(server, await userOf(a));
      const inB = await credsClient(server, await userOf(b));
      const got: string[] = [];
      const sub = inA.subscribe(">", { callback: (_e, m) => void got.push(m.subject) });
      await inA.flush();
      for (const subject of ["b.public.x", "b.private.y", "b.other", "greet"]) {
        inB.publish(subject, "m");
      }
      await inB.flush();
      inA.publish("done", "");
      await inA.flush();
      sub.unsubscribe();
      expect(got.sort()).toEqual(["b.private.y", "b.public.x", "done"]);
      await inA.close();
      await inB.close();
    });

  test("a service import carries requests to the exporting account and replies back",
    async () => {
      const inA = await credsClient(server, await userOf(a));
      const inB = await credsClient(server, await userOf(b));
      inB.subscribe("b.echo", { callback: (_e, m) => void m.respond(`echo:${m.string()}`) });
      await inB.flush();
      expect((await inA.request("echo", "hi", { timeout: 5000 })).string()).toBe("echo:hi");
      await inA.close();
      await inB.close();
    });

  test("a signature over the wrong nonce or a missing one is an Authorization Violation",
    async () => {
      const user = await userOf(a);
      const wrong = Buffer.from(user.kp.sign(new TextEncoder().encode("not-the-nonce")))
        .toString("base64url");
      expect(await rawOutcome(server, user, { sig: wrong })).toBe(AUTH_VIOLATION);
      expect(await rawOutcome(server, user, { sig: "" })).toBe(AUTH_VIOLATION);
      expect(await rawOutcome(server, user)).toBe("PONG");
    });

  test("expired, revoked, untrusted and unknown-account users are refused", async () => {
    const expired = await userOf(a, {}, { exp: nowSec() - 10 });
    expect(await rawOutcome(server, expired)).toBe(AUTH_VIOLATION);
    const revoked = (revokedUser as unknown as { user: TestUser }).user;
    expect(await rawOutcome(server, revoked)).toBe(AUTH_VIOLATION);
    // An account not in the resolver, and one signed by an operator nobody trusts.
    const stranger = await op.account("X");
    expect(await rawOutcome(server, await userOf(stranger))).toBe(AUTH_VIOLATION);
    const rogueOp = createOperator();
    const rogue = { ...a, jwt: await encodeAccount("A", a.kp, {}, { signer: rogueOp }) };
    expect(await rawOutcome(server, await userOf(rogue, {}, { viaSigner: true })))
      .toBe("PONG"); // the resolver still holds the trusted JWT for A
    const unsigned = await userOf({ ...a, signer: createAccount() }, {}, { viaSigner: true });
    expect(await rawOutcome(server, unsigned)).toBe(AUTH_VIOLATION);
  });

  test("a bearer token needs no signature; src networks restrict where users connect from",
    async () => {
      const bearer = await userOf(a, { bearer_token: true });
      expect(await rawOutcome(server, bearer, { sig: "" })).toBe("PONG");
      const elsewhere = await userOf(a, { src: ["10.0.0.0/8"] });
      expect(await rawOutcome(server, elsewhere)).toBe(AUTH_VIOLATION);
      const local = await userOf(a, { src: ["127.0.0.0/8"] });
      expect(await rawOutcome(server, local)).toBe("PONG");
    });

  test("permissions and subscription limits come from the user claims", async () => {
    const user = await userOf(a, { pub: { allow: ["ok.>"] }, sub: { deny: ["secret"] },
      subs: 2 });
    const client = await RawClient.connect(server.port);
    await rawJwtConnect(client, user);
    await client.waitFor((t) => t.includes("PONG\r\n"));
    client.send("PUB nope 0\r\n\r\nSUB secret 1\r\nSUB a 2\r\nSUB b 3\r\nSUB c 4\r\n");
    await client.flush(); // the CONNECT's PONG
    // 2.12+ servers follow the first PONG with an INFO naming the account.
    const text = (await client.flush()).replace(/^INFO .*\r\n/m, "");
    client.close();
    expect(text).toBe("-ERR 'Permissions Violation for Publish to \"nope\"'\r\n" +
      "-ERR 'Permissions Violation for Subscription to \"secret\"'\r\n" +
      "-ERR 'maximum subscriptions exceeded'\r\n");
  });

  test("the account connection limit refuses one connection too many", async () => {
    const first = await credsClient(server, await userOf(limited));
    const client = await RawClient.connect(server.port);
    await rawJwtConnect(client, await userOf(limited));
    const text = await client.waitClosed();
    expect(text).toContain("-ERR 'maximum account active connections exceeded'\r\n");
    await first.close();
  });

  test("user and account JWTs expiring while connected close the connection", async () => {
    const user = await userOf(a, {}, { exp: nowSec() + 2 });
    const client = await RawClient.connect(server.port);
    await rawJwtConnect(client, user);
    const accountUser = await userOf(expiring);
    const other = await RawClient.connect(server.port);
    await rawJwtConnect(other, accountUser);
    const [text, otherText] = await Promise.all([client.waitClosed(), other.waitClosed()]);
    expect(text).toContain("PONG\r\n");
    expect(text.endsWith("-ERR 'User Authentication Expired'\r\n")).toBe(true);
    expect(otherText).toContain("PONG\r\n");
    expect(otherText.endsWith("-ERR 'Account Authentication Expired'\r\n")).toBe(true);
    expect(await rawOutcome(server, accountUser)).toBe(AUTH_VIOLATION);
  });

  test("the official client reports refusals as an AuthorizationError", async () => {
    const expired = await userOf(a, {}, { exp: nowSec() - 10 });
    const error = await credsClient(server, expired).catch((e) => e);
    expect(error).toBeInstanceOf(errors.AuthorizationError);
  });
});

describe("default_sentinel and resolver_pinned_accounts (2.10+/2.11+)", () => {
  let server: RunningServer | null = null;
  let a: TestAccount;
  let b: TestAccount;

  beforeAll(async () => {
    if (isGoServer()) return; // Go 2.9.10 has neither option
    const op = await TestOperator.create();
    a = await op.account("A");
    b = await op.account("B");
    const sentinel = await userOf(a, { bearer_token: true, pub: { allow: ["open.>"] },
      sub: { allow: ["open.>", "_INBOX.>"] } });
    server = await startServer({ config: `operator: "${op.jwt}"
resolver: MEMORY
${op.preload(a, b)}
default_sentinel: "${sentinel.jwt}"
resolver_pinned_accounts: [${a.key}]
` });
  });
  afterAll(async () => await server?.stop());

  test("clients without a JWT become the sentinel; unpinned accounts are refused", async () => {
    if (server === null) return;
    const anonymous = await connect({ servers: server.url, reconnect: false });
    const member = await credsClient(server, await userOf(a));
    const sub = member.subscribe("open.x", { max: 1 });
    await member.flush();
    anonymous.publish("open.x", "from the sentinel");
    for await (const m of sub) expect(m.string()).toBe("from the sentinel");
    await anonymous.close();
    await member.close();
    expect(await rawOutcome(server, await userOf(b))).toBe(AUTH_VIOLATION);
  });
});
