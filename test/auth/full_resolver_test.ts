/**
 * The full directory resolver end to end: `$SYS.REQ.CLAIMS.LIST`, `…CLAIMS.LOOKUP`, claims
 * pushed with `$SYS.REQ.ACCOUNT.<key>.CLAIMS.UPDATE` (new accounts become usable, revocations
 * close live users), refused pushes, and `$SYS.REQ.CLAIMS.DELETE` by the operator.
 * Runs against natsd, or any server named by NATS_SERVER (Go 2.9.10 passes).
 */
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { existsSync } from "node:fs";
import { join } from "node:path";
import { connect, type NatsConnection } from "@nats-io/transport-node";
import { credsAuthenticator } from "@nats-io/nats-core";
import { encodeGeneric } from "@nats-io/jwt";
import { RawClient } from "../harness/raw_client.ts";
import { type RunningServer, startServer } from "../harness/server_process.ts";
import {
  nowSec, rawJwtConnect, type TestAccount, TestOperator, type TestUser, userOf,
} from "./jwt_fixtures.ts";

interface ClaimsReply {
  server?: { id?: string };
  data?: { account?: string; code?: number; message?: string } | string[];
  error?: { account?: string; code?: number; description?: string };
}

async function credsClient(server: RunningServer, user: TestUser): Promise<NatsConnection> {
  return await connect({ servers: server.url, reconnect: false,
    authenticator: credsAuthenticator(user.creds) });
}

async function connects(server: RunningServer, user: TestUser): Promise<boolean> {
  try {
    await (await credsClient(server, user)).close();
    return true;
  } catch {
    return false;
  }
}

describe("the full directory resolver", () => {
  let server: RunningServer;
  let op: TestOperator;
  let a: TestAccount;
  let sys: NatsConnection;

  const ask = async (subject: string, body: string): Promise<ClaimsReply> =>
    (await sys.request(subject, body, { timeout: 5000 })).json<ClaimsReply>();

  beforeAll(async () => {
    op = await TestOperator.create();
    a = await op.account("A");
    server = await startServer({ config: `operator: "${op.jwt}"
resolver { type: full, dir: "./jwt", allow_delete: true }
${op.preload(a)}
` });
    sys = await credsClient(server, await userOf(op.system));
  });
  afterAll(async () => {
    await sys.close();
    await server.stop();
  });

  test("LIST names the stored accounts and LOOKUP returns a stored JWT", async () => {
    const list = await ask("$SYS.REQ.CLAIMS.LIST", "");
    expect(typeof list.server?.id).toBe("string");
    expect([...(list.data as string[])].sort()).toEqual([a.key, op.sys.getPublicKey()].sort());
    const lookup = await sys.request(`$SYS.REQ.ACCOUNT.${a.key}.CLAIMS.LOOKUP`, "",
      { timeout: 5000 });
    expect(lookup.string()).toBe(a.jwt);
    expect(existsSync(join(server.dir, "jwt", `${a.key}.jwt`))).toBe(true);
  });

  test("a pushed account JWT is stored and its users can connect", async () => {
    const c = await op.account("C");
    expect(await connects(server, await userOf(c))).toBe(false);
    const reply = await ask(`$SYS.REQ.ACCOUNT.${c.key}.CLAIMS.UPDATE`, c.jwt);
    expect(reply.data).toEqual({ account: c.key, code: 200, message: "jwt updated" });
    expect(await connects(server, await userOf(c))).toBe(true);
    const d = await op.account("D");
    const generic = await ask("$SYS.REQ.CLAIMS.UPDATE", d.jwt);
    expect(generic.data).toEqual({ account: d.key, code: 200, message: "jwt updated" });
  });

  test("pushes with a mismatched subject or a bad JWT are refused", async () => {
    const c = await op.account("C2");
    const mismatch = await ask(`$SYS.REQ.ACCOUNT.${a.key}.CLAIMS.UPDATE`, c.jwt);
    expect(mismatch.error).toEqual({ account: a.key, code: 500,
      description: "jwt update resulted in error - subject does not match jwt content" });
    const garbage = await ask("$SYS.REQ.CLAIMS.UPDATE", "not a jwt");
    expect(garbage.error?.code).toBe(500);
    expect(garbage.error?.account).toBe("n/a");
  });

  test("a pushed revocation closes the live user with User Authentication Revoked", async () => {
    const user = await userOf(a);
    const client = await RawClient.connect(server.port);
    await rawJwtConnect(client, user);
    await client.waitFor((t) => t.includes("PONG\r\n"));
    const revoking = await op.account("A", { revocations: {
      [user.kp.getPublicKey()]: nowSec() + 1 } }, a.kp, a.signer);
    const reply = await ask(`$SYS.REQ.ACCOUNT.${a.key}.CLAIMS.UPDATE`, revoking.jwt);
    expect(reply.data).toEqual({ account: a.key, code: 200, message: "jwt updated" });
    const text = await client.waitClosed();
    expect(text.endsWith("-ERR 'User Authentication Revoked'\r\n")).toBe(true);
    expect(await connects(server, user)).toBe(false);
    expect(await connects(server, await userOf(a))).toBe(true);
  });

  test("the operator deletes an account: its users are closed and refused", async () => {
    const e = await op.account("E");
    await ask(`$SYS.REQ.ACCOUNT.${e.key}.CLAIMS.UPDATE`, e.jwt);
    const client = await RawClient.connect(server.port);
    await rawJwtConnect(client, await userOf(e));
    await client.waitFor((t) => t.includes("PONG\r\n"));
    const request = await encodeGeneric("delete", op.kp, "generic", { accounts: [e.key] });
    const reply = await ask("$SYS.REQ.CLAIMS.DELETE", request);
    expect(reply.data).toEqual({ code: 200, message: "deleted 1 accounts" });
    const text = await client.waitClosed();
    expect(text.endsWith("-ERR 'Account Authentication Expired'\r\n")).toBe(true);
    expect(await connects(server, await userOf(e))).toBe(false);
    expect(existsSync(join(server.dir, "jwt", `${e.key}.jwt.deleted`))).toBe(true);
    const bySomeone = await encodeGeneric("delete", a.kp, "generic", { accounts: [a.key] });
    const refused = await ask("$SYS.REQ.CLAIMS.DELETE", bySomeone);
    expect(refused.error?.code).toBe(500);
  });
});
