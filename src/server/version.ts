/**
 * Versions natsd reports. Clients gate features on INFO's `version`, so it names the
 * nats-server release whose behaviour natsd implements; natsd's own version is shown beside it
 * in `-v`, the log banner and /varz.
 * @module
 */
import packageJson from "../../package.json" with { type: "json" };

/** The nats-server version whose behaviour natsd implements. */
export const NATS_SERVER_VERSION = "2.14.0";
/** natsd's own release. */
export const NATSD_VERSION: string = packageJson.version;
/** Client protocol version: 1 supports async INFO. */
export const PROTOCOL_VERSION = 1;
/** What INFO's `go` field carries: the runtime natsd runs on. */
export const RUNTIME_VERSION = `bun${typeof Bun !== "undefined" ? Bun.version : "?"}`;
