/** The `websocket {}` options natsd maps, read as nats-server reads them. */
import { expect, test } from "bun:test";
import { loadConfigText } from "../../src/config/options_from_config.ts";

const handshakeTimeoutMs = (value: string) =>
  loadConfigText(`websocket { port: -1, no_tls: true, handshake_timeout: ${value} }\n`)
    .options.wsHandshakeTimeoutMs;

test("handshake_timeout: a duration string, or a number of seconds", () => {
  expect(handshakeTimeoutMs('"250ms"')).toBe(250);
  expect(handshakeTimeoutMs("3")).toBe(3000);
});

const wsTls = (inner: string) =>
  loadConfigText(`websocket { port: -1, tls { cert_file: "c", key_file: "k", ${inner} } }\n`);

test("tls: ca_file, verify, cipher_suites and curve_preferences are mapped", () => {
  const { options } = wsTls('ca_file: "ca", verify: true, ' +
    'cipher_suites: ["TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256"], curve_preferences: ["CurveP384"]');
  expect(options.wsTlsCaFile).toBe("ca");
  expect(options.wsTlsVerify).toBe(true);
  expect(options.wsTlsCipherSuites).toEqual(["TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256"]);
  expect(options.wsTlsCurvePreferences).toEqual(["CurveP384"]);
  expect(() => wsTls('curve_preferences: ["CurveP999"]'))
    .toThrow("unrecognized curve preference CurveP999");
  expect(() => wsTls('cipher_suites: ["NOPE"]')).toThrow("unrecognized cipher NOPE");
});
