/**
 * `curve_preferences`: only the listed key-exchange groups complete a handshake, on the
 * handshake_first listener (openssl s_client offering one group) and on the usual
 * INFO-then-TLS upgrade (the official client offering one group) and on the wss port;
 * unknown names are refused with nats-server's config error. Runs against natsd, or any server named by NATS_SERVER.
 */
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { rmSync } from "node:fs";
import { connect } from "@nats-io/transport-node";
import { makeTestCerts, type TestCerts } from "../harness/certs.ts";
import { isGoServer, startServer } from "../harness/server_process.ts";

let certs: TestCerts;
beforeAll(() => {
  certs = makeTestCerts();
});
afterAll(() => rmSync(certs.dir, { recursive: true, force: true }));

const tlsBlock = (extra: string) => `tls {\n cert_file: "${certs.serverCert}"\n` +
  ` key_file: "${certs.serverKey}"\n ca_file: "${certs.caCert}"\n${extra}}\n`;

/** openssl s_client offering only `group`: the group the server agreed, or "" on failure. */
async function opensslGroup(port: number, group: string): Promise<string> {
  const proc = Bun.spawn(["openssl", "s_client", "-connect", `127.0.0.1:${port}`,
    "-groups", group, "-CAfile", certs.caCert, "-brief"], {
    stdin: "pipe", stdout: "pipe", stderr: "pipe",
  });
  proc.stdin.end();
  const [out, err] = await Promise.all([new Response(proc.stdout).text(),
    new Response(proc.stderr).text(), proc.exited]);
  const agreed = /(?:Server Temp Key|Peer Temp Key): (?:ECDH, )?([\w-]+)/.exec(out + err);
  return agreed?.[1] ?? "";
}

async function clientConnects(port: number, ecdhCurve: string): Promise<boolean> {
  // Passed through to node:tls, which offers only this group.
  const tls = { caFile: certs.caCert, ecdhCurve };
  try {
    const nc = await connect({ servers: `tls://127.0.0.1:${port}`, reconnect: false,
      timeout: 3000, tls });
    await nc.flush();
    await nc.close();
    return true;
  } catch {
    return false;
  }
}

describe("curve_preferences", () => {
  test("handshake_first: only the listed groups complete the handshake", async () => {
    if (isGoServer()) return; // handshake_first arrived in nats-server 2.10
    const server = await startServer({
      config: tlsBlock(' handshake_first: true\n curve_preferences: ["CurveP384", "X25519"]\n'),
    });
    try {
      expect(await opensslGroup(server.port, "P-384")).toMatch(/P-384|secp384r1/);
      expect(await opensslGroup(server.port, "X25519")).toBe("X25519");
      expect(await opensslGroup(server.port, "P-256")).toBe("");
    } finally {
      await server.stop();
    }
  });

  test("TLS after INFO: a client offering only an unlisted group is refused", async () => {
    const server = await startServer({ config: tlsBlock(' curve_preferences: ["CurveP521"]\n') });
    try {
      expect(await clientConnects(server.port, "P-521")).toBe(true);
      expect(await clientConnects(server.port, "X25519")).toBe(false);
    } finally {
      await server.stop();
    }
  });

  test("websocket tls: only the listed groups complete the wss handshake", async () => {
    const server = await startServer({
      config: `websocket {\n port: -1\n tls { cert_file: "${certs.serverCert}"\n` +
        ` key_file: "${certs.serverKey}"\n curve_preferences: ["CurveP384"] }\n}\n`,
    });
    try {
      const port = Number(new URL(server.websocketUrl!).port);
      expect(await opensslGroup(port, "P-384")).toMatch(/P-384|secp384r1/);
      expect(await opensslGroup(port, "X25519")).toBe("");
    } finally {
      await server.stop();
    }
  });

  test("unknown names and an empty list are config errors", async () => {
    const startError = async (list: string) => {
      try {
        const server = await startServer({ config: tlsBlock(` curve_preferences: ${list}\n`) });
        await server.stop();
        return "";
      } catch (error) {
        return (error as Error).message;
      }
    };
    expect(await startError('["CurveP256", "CurveP999"]'))
      .toContain("unrecognized curve preference CurveP999");
    expect(await startError("[]")).toContain("'curve_preferences' cannot be empty");
  });
});
