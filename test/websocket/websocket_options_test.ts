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
