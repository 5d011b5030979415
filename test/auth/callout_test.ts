/**
 * Auth callout (config mode, nats-server 2.10+) end to end: a service written with the
 * official client answers `$SYS.REQ.USER.AUTH` requests; clients are placed in the account
 * its user JWT names with that JWT's permissions, refused on an error or no answer, and the
 * request can be encrypted with xkeys; in operator mode an account JWT names the service.
 * natsd only: Go 2.9.10 has no auth callout.
 */
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { connect, type NatsConnection } from "@nats-io/transport-node";
import { credsAuthenticator, errors, type Msg } from "@nats-io/nats-core";
import {
  createAccount, createCurve, createUser, decode, encodeAuthorizationResponse, encodeUser,
  type KeyPair,
} from "@nats-io/jwt";
import { type TestAccount, TestOperator, type TestUser, userOf } from "./jwt_fixtures.ts";
import { isGoServer, type RunningServer, startServer } from "../harness/server_process.ts";

interface AuthRequest {
  server_id: { id: string; xkey?: string };
  user_nkey: string;
  client_info: { host?: string; id?: number };
  connect_opts: { user?: string; pass?: string };
}

/** The service: bob/secret goes to APP with app.> rights; anyone else gets an error. */
async function serve(server: RunningServer, issuer: KeyPair, xkp: KeyPair | null,
  seen: AuthRequest[]): Promise<NatsConnection> {
  const nc = await connect({ servers: server.url, user: "auth", pass: "pwd" });
  const answer = async (msg: Msg) => {
    let body = msg.data;
    const serverXkey = msg.headers?.get("Nats-Server-Xkey") ?? "";
    if (xkp !== null) body = xkp.open(body, serverXkey)!;
    const req = decode<AuthRequest>(new TextDecoder().decode(body)).nats as AuthRequest;
    seen.push(req);
    const { user, pass } = req.connect_opts;
    if (user === "silent") return;
    const data = user === "bob" && pass === "secret"
      ? { jwt: await encodeUser("bob", req.user_nkey, issuer, {
        pub: { allow: ["app.>"] }, sub: { allow: ["app.>", "_INBOX.>"] } }, { aud: "APP" }) }
      : { error: "bad credentials" };
    const response = await encodeAuthorizationResponse(req.user_nkey, req.server_id.id,
      issuer, data, {});
    const encoded = new TextEncoder().encode(response);
    msg.respond(xkp !== null ? xkp.seal(encoded, serverXkey) : encoded);
  };
  nc.subscribe("$SYS.REQ.USER.AUTH", { callback: (_e, msg) => void answer(msg) });
  await nc.flush();
  return nc;
}

function config(issuer: KeyPair, xkey = ""): string {
  return `accounts {
  AUTH { users: [ {user: auth, password: pwd} ] }
  APP {}
}
authorization {
  timeout: 1
  auth_callout {
    issuer: ${issuer.getPublicKey()}
    account: AUTH
    auth_users: [ auth ]
    ${xkey ? `xkey: ${xkey}` : ""}
  }
}
`;
}

async function attempt(server: RunningServer, user: string, pass: string): Promise<unknown> {
  try {
    const nc = await connect({ servers: server.url, user, pass, reconnect: false });
    await nc.close();
    return "connected";
  } catch (error) {
    return error;
  }
}

describe("auth callout", () => {
  let server: RunningServer | null = null;
  let service: NatsConnection;
  const issuer = createAccount();
  const seen: AuthRequest[] = [];

  beforeAll(async () => {
    if (isGoServer()) return;
    server = await startServer({ config: config(issuer) });
    service = await serve(server, issuer, null, seen);
  });
  afterAll(async () => {
    await service?.close();
    await server?.stop();
  });

  test("an authorized client lands in the account and permissions its JWT names",
    async () => {
      if (server === null) return;
      const bob = await connect({ servers: server.url, user: "bob", pass: "secret" });
      const other = await connect({ servers: server.url, user: "bob", pass: "secret" });
      const sub = other.subscribe("app.news", { max: 1 });
      await other.flush();
      bob.publish("app.news", "hello");
      for await (const m of sub) expect(m.string()).toBe("hello");
      const denied = new Promise((resolve) => {
        (async () => {
          for await (const s of bob.status()) {
            if (s.type === "error") resolve(s.error);
          }
        })();
      });
      bob.publish("elsewhere", "x");
      expect(await denied).toBeInstanceOf(errors.PermissionViolationError);
      const req = seen.at(-1)!;
      expect(req.server_id.id).toMatch(/^N/);
      expect(req.user_nkey).toMatch(/^U/);
      expect(req.client_info.host).toBe("127.0.0.1");
      await bob.close();
      await other.close();
    });

  test("an error answer or no answer refuses the client", async () => {
    if (server === null) return;
    expect(await attempt(server, "bob", "wrong")).toBeInstanceOf(errors.AuthorizationError);
    expect(await attempt(server, "silent", "x")).toBeInstanceOf(errors.AuthorizationError);
    expect(server.log()).toContain("Auth callout service returned an error: bad credentials");
  });

  test("auth users authenticate normally and may not publish to the service subject",
    async () => {
      if (server === null) return;
      const before = seen.length;
      const auth = await connect({ servers: server.url, user: "auth", pass: "pwd" });
      const violation = new Promise((resolve) => {
        (async () => {
          for await (const s of auth.status()) {
            if (s.type === "error") resolve(s.error);
          }
        })();
      });
      auth.publish("$SYS.REQ.USER.AUTH", "x");
      expect(await violation).toBeInstanceOf(errors.PermissionViolationError);
      expect(seen.length).toBe(before);
      await auth.close();
      expect(await attempt(server, "auth", "nope")).toBeInstanceOf(errors.AuthorizationError);
    });
});

describe("auth callout with xkey encryption", () => {
  let server: RunningServer | null = null;
  let service: NatsConnection;
  const issuer = createAccount();
  const xkp = createCurve();

  beforeAll(async () => {
    if (isGoServer()) return;
    server = await startServer({ config: config(issuer, xkp.getPublicKey()) });
    service = await serve(server, issuer, xkp, []);
  });
  afterAll(async () => {
    await service?.close();
    await server?.stop();
  });

  test("requests are sealed for the service and answers opened by the server", async () => {
    if (server === null) return;
    expect(await attempt(server, "bob", "secret")).toBe("connected");
    expect(await attempt(server, "bob", "wrong")).toBeInstanceOf(errors.AuthorizationError);
  });
});

describe("auth callout in operator mode (account JWT authorization)", () => {
  let server: RunningServer | null = null;
  let service: NatsConnection;
  let app: TestAccount;
  let other: TestAccount;
  let auth: TestAccount;
  let sentinel: TestUser;

  beforeAll(async () => {
    if (isGoServer()) return;
    const op = await TestOperator.create();
    app = await op.account("APP");
    other = await op.account("OTHER");
    const serviceUser = createUser();
    const authKp = createAccount();
    auth = await op.account("AUTH", { authorization: {
      auth_users: [serviceUser.getPublicKey()], allowed_accounts: [app.key] } }, authKp);
    sentinel = await userOf(auth, { bearer_token: true });
    server = await startServer({ config: `operator: "${op.jwt}"
resolver: MEMORY
${op.preload(app, other, auth)}
` });
    const serviceCreds = await userOf(auth, {}, { kp: serviceUser });
    service = await connect({ servers: server.url,
      authenticator: credsAuthenticator(serviceCreds.creds) });
    const answer = async (msg: Msg) => {
      const req = decode<AuthRequest>(msg.string()).nats as AuthRequest;
      const { user } = req.connect_opts;
      const placeIn = user === "elsewhere" ? other : app;
      const jwt = await encodeUser(user ?? "", req.user_nkey, placeIn.kp,
        { pub: { allow: ["app.>"] }, sub: { allow: ["app.>", "_INBOX.>"] } });
      msg.respond(await encodeAuthorizationResponse(req.user_nkey, req.server_id.id, auth.kp,
        { jwt }, {}));
    };
    service.subscribe("$SYS.REQ.USER.AUTH", { callback: (_e, msg) => void answer(msg) });
    await service.flush();
  });
  afterAll(async () => {
    await service?.close();
    await server?.stop();
  });

  test("users of the account go to the service and land where its JWT's issuer says",
    async () => {
      if (server === null) return;
      const member = await connect({ servers: server.url,
        authenticator: credsAuthenticator((await userOf(app)).creds) });
      const sub = member.subscribe("app.x", { max: 1 });
      await member.flush();
      const bob = await connect({ servers: server.url, user: "bob",
        authenticator: credsAuthenticator(sentinel.creds) });
      bob.publish("app.x", "via callout");
      for await (const m of sub) expect(m.string()).toBe("via callout");
      await bob.close();
      await member.close();
      // The service may only place users in APP (allowed_accounts) or AUTH itself.
      const refused = await connect({ servers: server.url, user: "elsewhere",
        reconnect: false, authenticator: credsAuthenticator(sentinel.creds) })
        .catch((e) => e);
      expect(refused).toBeInstanceOf(errors.AuthorizationError);
    });
});
