/**
 * `handshake_first: auto` and `handshake_first: <duration>`: the server waits up to the
 * fallback delay for the client to speak. Any byte means TLS first (INFO after the handshake);
 * silence means an older client, which gets INFO in clear and then the usual TLS upgrade.
 * Runs against natsd by default, or any server named by NATS_SERVER (2.10+ for these keys).
 */
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { rmSync } from "node:fs";
import { join } from "node:path";
import { makeTestCerts, type TestCerts } from "../harness/certs.ts";
import { RawClient } from "../harness/raw_client.ts";
import { roundTrip } from "../harness/tls_client.ts";
import { isGoServer, startServer } from "../harness/server_process.ts";

let certs: TestCerts;
beforeAll(() => {
  certs = makeTestCerts();
});
afterAll(() => {
  rmSync(certs.dir, { recursive: true, force: true });
});


function tlsConfig(handshakeFirst: string, extra = ""): string {
  return `tls {\n cert_file: "${certs.serverCert}"\n key_file: "${certs.serverKey}"\n` +
    ` handshake_first: ${handshakeFirst}\n${extra}}\n`;
}

describe("TLS handshake_first with fallback", () => {
  test("auto: a silent client gets INFO (tls_required) and upgrades as usual", async () => {
    if (isGoServer()) return; // handshake_first arrived in 2.10; 2.9.10 refuses the key
    const server = await startServer({ config: tlsConfig("auto") });
    try {
      const raw = await RawClient.connect(server.port);
      const info = await raw.readInfo();
      expect(info.tls_required).toBe(true);
      raw.close();
      // The official client without handshakeFirst waits for INFO, then upgrades.
      expect(await roundTrip(`tls://127.0.0.1:${server.port}`, { caFile: certs.caCert }))
        .toBe("over tls");
    } finally {
      await server.stop();
    }
  });

  test("a duration: a client speaking TLS first gets INFO after the handshake", async () => {
    if (isGoServer()) return;
    // A delay long enough that the client's ClientHello always comes first.
    const server = await startServer({ config: tlsConfig('"5s"') });
    try {
      expect(await roundTrip(`tls://127.0.0.1:${server.port}`, {
        caFile: certs.caCert, handshakeFirst: true,
      })).toBe("over tls");
      // Any first byte means TLS: a plaintext CONNECT fails the handshake, without INFO.
      const raw = await RawClient.connect(server.port);
      raw.send('CONNECT {"verbose":false}\r\nPING\r\n');
      const received = await raw.waitClosed();
      expect(received).not.toContain("INFO");
      expect(received).not.toContain("PONG");
    } finally {
      await server.stop();
    }
  });

  test("a duration: TLS-first and INFO-first official clients side by side", async () => {
    if (isGoServer()) return;
    const server = await startServer({ config: tlsConfig('"2s"') });
    try {
      const url = `tls://127.0.0.1:${server.port}`;
      const runs = await Promise.all([
        roundTrip(url, { caFile: certs.caCert, handshakeFirst: true }),
        roundTrip(url, { caFile: certs.caCert }),
        roundTrip(url, { caFile: certs.caCert, handshakeFirst: true }),
        roundTrip(url, { caFile: certs.caCert }),
      ]);
      expect(runs).toEqual(["over tls", "over tls", "over tls", "over tls"]);
    } finally {
      await server.stop();
    }
  });

  test("auto with allow_non_tls: a silent client is offered TLS and may stay in clear", async () => {
    if (isGoServer()) return;
    const server = await startServer({ config: `${tlsConfig("auto")}allow_non_tls: true\n` });
    try {
      const raw = await RawClient.connect(server.port);
      const info = await raw.readInfo();
      expect(info.tls_required).toBeUndefined();
      expect(info.tls_available).toBe(true);
      raw.send('CONNECT {"verbose":false}\r\nPING\r\n');
      await raw.expect("PONG\r\n");
      raw.close();
      // A client waiting for INFO can still upgrade; one speaking first does TLS first.
      const url = `tls://127.0.0.1:${server.port}`;
      expect(await roundTrip(url, { caFile: certs.caCert })).toBe("over tls");
    } finally {
      await server.stop();
    }
  });

  test("handshake_first: true: SIGHUP reloads certificates for new connections", async () => {
    if (isGoServer()) return;
    const server = await startServer({ config: tlsConfig("true") });
    try {
      const url = `tls://127.0.0.1:${server.port}`;
      expect(await roundTrip(url, { caFile: certs.caCert, handshakeFirst: true }))
        .toBe("over tls");
      await Bun.write(join(server.dir, "server.conf"), tlsConfig("true")
        .replace(certs.serverCert, certs.otherServerCert)
        .replace(certs.serverKey, certs.otherServerKey));
      server.signal("SIGHUP");
      await server.waitForLog(/Reloaded server configuration/);
      expect(await roundTrip(url, { caFile: certs.otherCaCert, handshakeFirst: true }))
        .toBe("over tls");
    } finally {
      await server.stop();
    }
  });
});
