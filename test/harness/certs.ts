/**
 * Test certificates made with openssl at test time (no private keys are checked in): a CA,
 * a server certificate for 127.0.0.1/localhost, a client certificate, an expired client
 * certificate, and an unrelated CA.
 * @module
 */
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

export interface TestCerts {
  dir: string;
  caCert: string;
  serverCert: string;
  serverKey: string;
  clientCert: string;
  clientKey: string;
  expiredClientCert: string;
  expiredClientKey: string;
  otherCaCert: string;
  /** A server certificate for 127.0.0.1 signed by the unrelated CA (for reload tests). */
  otherServerCert: string;
  otherServerKey: string;
}

function openssl(dir: string, args: string[]): void {
  const result = Bun.spawnSync(["openssl", ...args], { cwd: dir, stderr: "pipe" });
  if (result.exitCode !== 0) {
    throw new Error(`openssl ${args.join(" ")} failed: ${result.stderr.toString()}`);
  }
}

const CA_CONFIG = `
[ ca ]
default_ca = test_ca
[ test_ca ]
dir = .
database = index.txt
new_certs_dir = .
serial = serial
default_md = sha256
policy = any
copy_extensions = copy
[ any ]
commonName = supplied
`;

export function makeTestCerts(): TestCerts {
  const dir = mkdtempSync(join(tmpdir(), "natsd-certs-"));
  const days = "2";
  openssl(dir, ["req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", "ca.key",
    "-out", "ca.pem", "-days", days, "-subj", "/CN=natsd test CA"]);
  openssl(dir, ["req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", "other-ca.key",
    "-out", "other-ca.pem", "-days", days, "-subj", "/CN=unrelated CA"]);
  const leaf = (name: string, subject: string, extra: string[]) => {
    openssl(dir, ["req", "-newkey", "rsa:2048", "-nodes", "-keyout", `${name}.key`,
      "-out", `${name}.csr`, "-subj", subject, ...extra]);
  };
  leaf("server", "/CN=localhost", ["-addext", "subjectAltName=IP:127.0.0.1,DNS:localhost"]);
  openssl(dir, ["x509", "-req", "-in", "server.csr", "-CA", "ca.pem", "-CAkey", "ca.key",
    "-CAcreateserial", "-out", "server.pem", "-days", days, "-copy_extensions", "copy"]);
  leaf("other-server", "/CN=localhost", ["-addext", "subjectAltName=IP:127.0.0.1,DNS:localhost"]);
  openssl(dir, ["x509", "-req", "-in", "other-server.csr", "-CA", "other-ca.pem", "-CAkey",
    "other-ca.key", "-CAcreateserial", "-out", "other-server.pem", "-days", days,
    "-copy_extensions", "copy"]);
  leaf("client", "/CN=alice", ["-addext", "extendedKeyUsage=clientAuth"]);
  openssl(dir, ["x509", "-req", "-in", "client.csr", "-CA", "ca.pem", "-CAkey", "ca.key",
    "-CAcreateserial", "-out", "client.pem", "-days", days, "-copy_extensions", "copy"]);
  // An expired certificate needs explicit dates, which only `openssl ca` can set here.
  writeFileSync(join(dir, "ca.cnf"), CA_CONFIG);
  writeFileSync(join(dir, "index.txt"), "");
  writeFileSync(join(dir, "serial"), "1000\n");
  leaf("expired", "/CN=expired", []);
  openssl(dir, ["ca", "-batch", "-config", "ca.cnf", "-cert", "ca.pem", "-keyfile", "ca.key",
    "-in", "expired.csr", "-out", "expired.pem", "-startdate", "20200101000000Z",
    "-enddate", "20200102000000Z", "-notext"]);
  return {
    dir,
    caCert: join(dir, "ca.pem"),
    serverCert: join(dir, "server.pem"),
    serverKey: join(dir, "server.key"),
    clientCert: join(dir, "client.pem"),
    clientKey: join(dir, "client.key"),
    expiredClientCert: join(dir, "expired.pem"),
    expiredClientKey: join(dir, "expired.key"),
    otherCaCert: join(dir, "other-ca.pem"),
    otherServerCert: join(dir, "other-server.pem"),
    otherServerKey: join(dir, "other-server.key"),
  };
}
