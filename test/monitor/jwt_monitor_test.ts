/**
 * JWT identities in monitoring: connz `authorized_user`, `jwt`, `issuer_key`, `tags` for
 * operator-mode users (a bearer JWT redacted), and varz `trusted_operators_jwt`/`_claim`.
 * Runs on natsd (or NATS_SERVER) and, when installed, on Go nats-server 2.9.10 alike.
 */
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { createUser } from "@nats-io/nkeys";
import { connect, nkeyAuthenticator } from "@nats-io/transport-node";
import { RawClient } from "../harness/raw_client.ts";
import { type RunningServer, serverCommand, startServer } from "../harness/server_process.ts";
import { type TestAccount, TestOperator, type TestUser, userOf, rawJwtConnect }
  from "../auth/jwt_fixtures.ts";
import { getJson, getJsonWhen, type Json } from "./monitor_http.ts";

const GO_BINARY = Bun.which("nats-server") ?? Bun.which("nats-server", { PATH: "/usr/sbin" });
const WITH_GO = GO_BINARY !== null && !process.env.NATS_SERVER;

let op: TestOperator;
let account: TestAccount;
let tagged: TestUser;
let bearer: TestUser;
const servers: RunningServer[] = [];
const clients: RawClient[] = [];

async function connectUser(server: RunningServer, user: TestUser): Promise<void> {
  const raw = await RawClient.connect(server.port);
  clients.push(raw);
  await rawJwtConnect(raw, user);
  await raw.waitFor((text) => text.includes("PONG"));
}

beforeAll(async () => {
  op = await TestOperator.create();
  account = await op.account("A");
  tagged = await userOf(account, { tags: ["blue", "team:red"] }, { viaSigner: true });
  bearer = await userOf(account, { bearer_token: true });
  const config = `operator: "${op.jwt}"\nresolver: MEMORY\n${op.preload(account)}\n`;
  const commands = [serverCommand(), ...(WITH_GO ? [[GO_BINARY!]] : [])];
  for (const command of commands) {
    const server = await startServer({ args: ["-m", "-1"], config, command });
    servers.push(server);
    await connectUser(server, tagged);
    await connectUser(server, bearer);
  }
});

afterAll(async () => {
  for (const client of clients) client.close();
  for (const server of servers) await server.stop();
});

function byUser(connz: Json, user: TestUser): Json {
  const key = user.kp.getPublicKey();
  const found = (connz.connections as Json[]).find((c) => c.authorized_user === key);
  if (found === undefined) throw new Error(`no connection of ${key}`);
  return found;
}

describe("JWT details in monitoring", () => {
  test("connz auth=1 shows the user key, JWT, issuer and tags", async () => {
    for (const server of servers) {
      const connz = await getJson(server, "/connz?auth=1");
      const c = byUser(connz, tagged);
      expect(c.account).toBe(account.key);
      expect(c.jwt).toBe(tagged.jwt);
      expect(c.issuer_key).toBe(account.signer.getPublicKey());
      expect(c.tags).toEqual(["blue", "team:red"]);
      const b = byUser(connz, bearer);
      // Bearer JWTs are redacted since 2.10 (redactBearerJWT); 2.9.10 still shows them.
      const version = (await getJson(server, "/varz")).version as string;
      expect(b.jwt).toBe(version.startsWith("2.9.") ? bearer.jwt : undefined);
      expect(b.issuer_key).toBe(account.key);
    }
  });

  test("closed connections keep the JWT identity, shown even without auth", async () => {
    for (const server of servers) {
      const user = await userOf(account, { tags: ["gone"] });
      const raw = await RawClient.connect(server.port);
      await rawJwtConnect(raw, user);
      await raw.waitFor((text) => text.includes("PONG"));
      raw.close();
      const closed = await getJsonWhen(server, "/connz?state=closed&auth=1", (doc) =>
        (doc.connections ?? []).some((c: Json) => c.jwt === user.jwt));
      const c = (closed.connections as Json[]).find((x) => x.jwt === user.jwt)!;
      const version = (await getJson(server, "/varz")).version as string;
      // 2.9.10 kept only the user name of a closed connection; 2.10+ the JWT user's key.
      if (!version.startsWith("2.9.")) expect(c.authorized_user).toBe(user.kp.getPublicKey());
      expect(c.issuer_key).toBe(account.key);
      expect(c.tags).toEqual(["gone"]);
      const plain = await getJson(server, "/connz?state=closed");
      const p = (plain.connections as Json[]).find((x) => x.cid === c.cid)!;
      expect(p.authorized_user).toBeUndefined();
      expect(p.jwt).toBe(user.jwt);
      expect(p.name_tag).toBe("user");
    }
  });

  test("connz without auth leaves the identity out", async () => {
    for (const server of servers) {
      const connz = await getJson(server, "/connz");
      for (const c of connz.connections as Json[]) {
        expect(c.authorized_user).toBeUndefined();
        expect(c.jwt).toBeUndefined();
        expect(c.issuer_key).toBeUndefined();
        expect(c.tags).toBeUndefined();
      }
    }
  });

  test("varz lists the trusted operators' JWTs and claims", async () => {
    for (const server of servers) {
      const varz = await getJson(server, "/varz");
      expect(varz.trusted_operators_jwt).toEqual([op.jwt]);
      const claim = varz.trusted_operators_claim[0];
      expect(claim.sub).toBe(op.kp.getPublicKey());
      expect(claim.name).toBe("test-operator");
      expect(claim.nats.system_account).toBe(op.sys.getPublicKey());
    }
  });
});

describe("nkey users in connz", () => {
  test("issuer_key is the user's account", async () => {
    const kp = createUser();
    const commands = [serverCommand(), ...(WITH_GO ? [[GO_BINARY!]] : [])];
    for (const command of commands) {
      const server = await startServer({ args: ["-m", "-1"], command,
        config: `accounts { A { users: [{ nkey: ${kp.getPublicKey()} }] } }` });
      const nc = await connect({ servers: server.url,
        authenticator: nkeyAuthenticator(kp.getSeed()) });
      try {
        const connz = await getJson(server, "/connz?auth=1");
        const c = (connz.connections as Json[])[0];
        expect(c.authorized_user).toBe(kp.getPublicKey());
        expect(c.account).toBe("A");
        expect(c.issuer_key).toBe("A");
        expect(c.jwt).toBeUndefined();
      } finally {
        await nc.close();
        await server.stop();
      }
    }
  });
});
