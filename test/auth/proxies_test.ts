/**
 * Trusted proxies (nats-server 2.12+): `proxies { trusted: [{key}] }`, CONNECT `proxy_sig`
 * (the proxy's signature of the nonce), users with `proxy_required`, the closed reasons, and a
 * reload that removes a proxy key. natsd only: Go 2.9.10 has no trusted proxies.
 */
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { createAccount, createServer, type KeyPair } from "@nats-io/jwt";
import { RawClient } from "../harness/raw_client.ts";
import { isGoServer, type RunningServer, startServer } from "../harness/server_process.ts";

const AUTH_VIOLATION = "-ERR 'Authorization Violation'\r\n";

function conf(keys: string[]): string {
  return `proxies { trusted: [ ${keys.map((k) => `{key: ${k}}`).join(", ")} ] }
authorization { users: [
  {user: direct, password: p}
  {user: viaproxy, password: p, proxy_required: true}
] }
`;
}

/** Connects raw as `user`, signing the nonce with `proxy` when given. */
async function rawConnect(server: RunningServer, user: string, proxy: KeyPair | null):
  Promise<RawClient> {
  const client = await RawClient.connect(server.port);
  const info = await client.readInfo();
  const proxySig = proxy === null ? undefined : Buffer.from(proxy.sign(
    new TextEncoder().encode(String(info.nonce)))).toString("base64url");
  await client.write(`CONNECT ${JSON.stringify({ verbose: false, user, pass: "p",
    ...(proxySig ? { proxy_sig: proxySig } : {}) })}\r\nPING\r\n`);
  await client.waitFor((t) => t.includes("PONG\r\n") || t.includes("-ERR"));
  return client;
}

async function outcome(server: RunningServer, user: string, proxy: KeyPair | null):
  Promise<string> {
  const client = await rawConnect(server, user, proxy);
  const text = client.buffered.includes("PONG") ? "PONG" : await client.waitClosed();
  client.close();
  return text;
}

async function closedReasons(server: RunningServer): Promise<string[]> {
  const connz = await (await fetch(`${server.monitorUrl}/connz?state=closed`)).json() as {
    connections: { reason: string }[] };
  return connz.connections.map((c) => c.reason);
}

describe("trusted proxies", () => {
  let server: RunningServer | null = null;
  const proxy = createServer();
  const other = createAccount();

  beforeAll(async () => {
    if (isGoServer()) return;
    server = await startServer({ config: conf([proxy.getPublicKey(), other.getPublicKey()]),
      args: ["-m", "-1"] });
  });
  afterAll(async () => await server?.stop());

  test("proxy_required users need a trusted proxy's signature of the nonce", async () => {
    if (server === null) return;
    expect(await outcome(server, "viaproxy", proxy)).toBe("PONG");
    expect(await outcome(server, "viaproxy", null)).toBe(AUTH_VIOLATION);
    expect(await outcome(server, "direct", null)).toBe("PONG");
    expect(await outcome(server, "direct", proxy)).toBe("PONG");
    expect(await outcome(server, "direct", createServer())).toBe(AUTH_VIOLATION);
    const reasons = await closedReasons(server);
    expect(reasons).toContain("Proxy Required");
    expect(reasons).toContain("Proxy Not Trusted");
  });

  test("a reload that drops a proxy key refuses the clients it brought", async () => {
    if (server === null) return;
    const proxied = await rawConnect(server, "viaproxy", proxy);
    const direct = await rawConnect(server, "direct", null);
    writeFileSync(join(server.dir, "server.conf"), conf([other.getPublicKey()]));
    server.signal("SIGHUP");
    const text = await proxied.waitClosed();
    expect(text.endsWith(AUTH_VIOLATION)).toBe(true);
    expect(direct.closed).toBe(false);
    direct.close();
  });
});
