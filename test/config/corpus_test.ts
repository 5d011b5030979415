/**
 * Realistic config files (test/config/corpus/, in the style of the nats-server documentation)
 * parse to the expected option values, report the features natsd does not have yet, keep
 * those blocks in the raw tree, and pass the `-t` check (no warnings).
 */
import { describe, expect, test } from "bun:test";
import { join } from "node:path";
import type { Options } from "../../src/server/options.ts";
import { type LoadedConfig, loadConfigFile } from "../../src/config/options_from_config.ts";
import { type ConfigSource, systemSource } from "../../src/config/parser.ts";
import { type MapNode, toPlain } from "../../src/config/values.ts";
import { CORPUS, CORPUS_ENV } from "./corpus.ts";

const source: ConfigSource = { readFile: systemSource.readFile, env: (n) => CORPUS_ENV[n] };

function load(file: string): LoadedConfig {
  return loadConfigFile(join(CORPUS, file), { checkMode: true, source });
}

/** Plain value of a "/"-separated path in the raw tree (array indexes as numbers). */
function rawAt(raw: MapNode, path: string): unknown {
  let value: unknown = toPlain(raw);
  for (const part of path.split("/")) value = (value as Record<string, unknown>)[part];
  return value;
}

/** A `users` entry as config/auth_options.ts maps it. */
function user(username: string, password: string, extra: Record<string, unknown> = {}) {
  return { username, password, permissions: null, defaultPermissions: false, account: "",
    allowedConnectionTypes: [], ...extra };
}

const allow = (...subjects: string[]) => ({ allow: subjects, deny: null });

/** An account entry as config/auth_options.ts maps it. */
function account(name: string, extra: Record<string, unknown> = {}) {
  return { name, nkey: "", streamExports: [], serviceExports: [], streamImports: [],
    serviceImports: [], mappings: [],
    limits: { maxConnections: -1, maxSubscriptions: -1, maxPayload: -1, maxLeafnodes: -1 },
    ...extra };
}

interface Expectation {
  options: Partial<Options>;
  unsupported: string[];
  raw?: Record<string, unknown>;
}

const EXPECTED: Record<string, Expectation> = {
  "simple.conf": {
    options: { serverName: "nats-1", host: "127.0.0.1", port: 4222, httpPort: 8222,
      maxConnections: 1000, maxPayloadBytes: 2 * 1024 ** 2, maxPendingBytes: 64 * 1024 ** 2 },
    unsupported: [],
  },
  "logging.conf": {
    options: { port: 4222, debug: false, trace: false, logtime: true, logtimeUtc: true,
      logFile: "/var/log/nats/nats-server.log", logSizeLimitBytes: 100 * 1024 ** 2,
      logMaxFiles: 10, maxTracedMsgLen: 256, pidFile: "/var/run/nats/nats-server.pid",
      portsFileDir: "/var/run/nats" },
    unsupported: [],
  },
  "limits.conf": {
    options: { port: 4222, maxConnections: 64_000, maxSubscriptions: 1000, maxSubTokens: 32,
      maxControlLineBytes: 8192, maxPayloadBytes: 8 * 1024 ** 2, maxPendingBytes: 128 * 1024 ** 2,
      maxClosedClients: 5000, pingIntervalMs: 20_000, pingMax: 3, writeDeadlineMs: 5000,
      lameDuckDurationMs: 120_000, lameDuckGracePeriodMs: 20_000, noHeaderSupport: false,
      noSublistCache: false },
    unsupported: [],
  },
  "auth_simple.conf": {
    options: { port: 4222, username: "derek", password: "T0pS3cr3t", authTimeoutMs: 2000 },
    unsupported: [],
  },
  "auth_token.conf": {
    options: { host: "0.0.0.0", port: 4222, authTimeoutMs: 3000,
      authToken: "$2a$11$PWIFAL8RsWyGI3jVZtO9Nu8.6jOxzxfZo7c/W0eLk017hjgUKWrhy" },
    unsupported: [],
  },
  "auth_users.conf": {
    options: { port: 4222, nkeys: [], users: [
      user("admin", CORPUS_ENV.ADMIN_PASS_HASH, { permissions:
        { publish: allow(">"), subscribe: allow(">"), response: null } }),
      user("client", "secret", { permissions:
        { publish: allow("req.a", "req.b"), subscribe: allow("_INBOX.>"), response: null } }),
      user("service", "secret", { permissions: { publish: allow("_INBOX.>"),
        subscribe: allow("req.a", "req.b"), response: { maxMsgs: 1, expiresMs: 60_000 } } }),
      user("other", "secret", { defaultPermissions: true, permissions: { publish:
        allow("SANDBOX.*"), subscribe: allow("PUBLIC.>", "_INBOX.>"), response: null } }),
      user("guest", "guest", { permissions: { publish: { allow: null, deny: [">"] },
        subscribe: { allow: ["public.>"], deny: ["public.secret"] }, response: null } }),
    ] },
    unsupported: [],
    raw: {
      "authorization/users/0": { user: "admin", password: CORPUS_ENV.ADMIN_PASS_HASH,
        permissions: { publish: ">", subscribe: ">" } },
      "authorization/users/2/permissions/allow_responses": { max: 1, expires: "1m" },
      "authorization/users/4/permissions/subscribe":
        { allow: "public.>", deny: "public.secret" },
      "authorization/default_permissions/subscribe": ["PUBLIC.>", "_INBOX.>"],
    },
  },
  "accounts.conf": {
    options: { port: 4222, noAuthUser: "a", systemAccount: "SYS", nkeys: [],
      users: [user("a", "a", { account: "A" }), user("b", "b", { account: "B" }),
        user("sys", "sys", { account: "SYS" })],
      accounts: [
        account("A", {
          streamExports: [{ subject: "puba.>", accounts: null, accountTokenPosition: 0 },
            { subject: "b.>", accounts: ["B"], accountTokenPosition: 0 }],
          serviceExports: [{ subject: "pubq.>", accounts: null, accountTokenPosition: 0,
            responseType: "Singleton", responseThresholdMs: 0 }, { subject: "q.b",
            accounts: ["B"], accountTokenPosition: 0, responseType: "Streamed",
            responseThresholdMs: 0 }] }),
        account("B", {
          streamImports: [{ account: "A", subject: "b.>", prefix: "from_a", to: "" }],
          serviceImports: [{ account: "A", subject: "q.b", to: "q.b.local", share: false }],
          limits: { maxConnections: 100, maxSubscriptions: 1000, maxPayload: -1,
            maxLeafnodes: -1 } }),
        account("SYS"),
      ] },
    unsupported: [],
    raw: {
      "accounts/A/exports/3": { service: "q.b", accounts: ["B"], response_type: "stream" },
      "accounts/B/imports/0": { stream: { account: "A", subject: "b.>" }, prefix: "from_a" },
      "accounts/B/limits": { max_connections: 100, max_subscriptions: 1000 },
      system_account: "SYS",
    },
  },
  "cluster.conf": {
    options: { serverName: "n1-c1", clusterName: "c1", port: 4222, httpPort: 8222 },
    unsupported: ["cluster"],
    raw: {
      "cluster/routes": ["nats-route://route_user:T0pS3cr3tT00!@n2.example.net:6222",
        "nats-route://route_user:T0pS3cr3tT00!@n3.example.net:6222"],
      "cluster/authorization/timeout": 0.5,
      "cluster/listen": "0.0.0.0:6222",
    },
  },
  "jetstream.conf": {
    options: { serverName: "js-1", port: 4222, jetstream: true, storeDir: "/data/nats/jetstream",
      jetstreamMaxMemoryBytes: 1024 ** 3, jetstreamMaxStoreBytes: 100 * 1024 ** 3,
      jetstreamDomain: "hub" },
    unsupported: [],
    raw: { "jetstream/max_memory_store": 1024 ** 3, "jetstream/max_file_store": 100 * 1024 ** 3,
      "jetstream/domain": "hub" },
  },
  "tls.conf": {
    options: { port: 4443, tls: true, tlsCertFile: "./certs/server-cert.pem",
      tlsKeyFile: "./certs/server-key.pem", tlsCaFile: "./certs/ca.pem", tlsVerify: true,
      tlsTimeoutMs: 2000, allowNonTls: false,
      tlsCipherSuites: ["TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256",
        "TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256"], tlsCurvePreferences: ["CurveP256", "CurveP384"] },
    unsupported: [],
    raw: { "tls/verify": true, "tls/curve_preferences": ["CurveP256", "CurveP384"],
      allow_non_tls: false },
  },
  "leafnodes.conf": {
    options: { port: 4222 },
    unsupported: ["leafnodes"],
    raw: { "leafnodes/remotes/0/credentials": "/etc/nats/leaf.creds",
      "leafnodes/remotes/1/urls": ["nats-leaf://a.example.net:7422",
        "nats-leaf://b.example.net:7422"] },
  },
  "gateway.conf": {
    options: { serverName: "gw-a1", clusterName: "A", port: 4222 },
    unsupported: ["cluster", "gateway"],
    raw: { "gateway/gateways/1/name": "B", "gateway/listen": "0.0.0.0:7222" },
  },
  "websocket.conf": {
    options: { port: 4222, wsPort: 8080, wsNoTls: true, wsSameOrigin: false,
      wsAllowedOrigins: ["https://app.example.net"], wsCompression: true,
      wsHandshakeTimeoutMs: 5000 },
    unsupported: [],
    raw: { websocket: { port: 8080, no_tls: true, same_origin: false,
      allowed_origins: ["https://app.example.net"], compression: true,
      handshake_timeout: "5s" } },
  },
  "mqtt.conf": {
    options: { serverName: "mqtt-1", port: 4222, jetstream: true },
    unsupported: ["mqtt"],
    raw: { mqtt: { port: 1883, ack_wait: "1m", max_ack_pending: 100 } },
  },
  "variables.conf": {
    options: { port: 4333, maxPayloadBytes: 1024 ** 2, serverName: "corpus-1",
      clusterName: "vars" },
    unsupported: ["cluster"],
    raw: { "cluster/connect_retries": 5 },
  },
  "json.conf": {
    options: { serverName: "json-1", clusterName: "json", port: 4227, httpPort: 8227,
      writeDeadlineMs: 3_600_000, debug: false },
    unsupported: ["cluster"],
    raw: { "cluster/routes": ["nats://127.0.0.1:4222", "nats://127.0.0.1:4223"] },
  },
  "mappings.conf": {
    options: { port: 4222, mappings: [
      { source: "foo", destinations: [{ subject: "bar", weight: 100, cluster: "" }] },
      { source: "orders.*", destinations: [
        { subject: "orders.{{wildcard(1)}}.processed", weight: 100, cluster: "" }] },
      { source: "canary.>", destinations: [{ subject: "canary.v1.>", weight: 90, cluster: "" },
        { subject: "canary.v2.>", weight: 10, cluster: "" }] },
    ] },
    unsupported: [],
    raw: { "mappings/orders.*": "orders.{{wildcard(1)}}.processed",
      "mappings/canary.>": [{ destination: "canary.v1.>", weight: "90%" },
        { destination: "canary.v2.>", weight: "10%" }] },
  },
  "includes/main.conf": {
    options: { host: "127.0.0.1", port: 4222, maxPayloadBytes: 512 * 1024,
      pingIntervalMs: 60_000, authTimeoutMs: 500, nkeys: [], users: [
        user("alice", "$2a$10$UHR6GhotWhpLsKtVP0/i6.Nh9.fuY73cWjLoJjb2sKT8KISBcUW5q"),
        user("bob", "$2a$11$dZM98SpGeI7dCFFGSpt.JObQcix8YHml4TBUZoge9R1uxnMIln5ly")] },
    unsupported: [],
    raw: { "authorization/users/1/password":
      "$2a$11$dZM98SpGeI7dCFFGSpt.JObQcix8YHml4TBUZoge9R1uxnMIln5ly" },
  },
  "full.conf": {
    options: { serverName: "corpus-1", clusterName: "prod", host: "0.0.0.0", port: 4222,
      httpHost: "0.0.0.0",
      httpPort: 8222, serverTags: ["region:eu-west", "az:1"], logFile: "/var/log/nats.log",
      logSizeLimitBytes: 1024 ** 3, maxPayloadBytes: 4 * 1024 ** 2, pingIntervalMs: 30_000,
      writeDeadlineMs: 10_000, lameDuckDurationMs: 90_000, jetstream: true,
      storeDir: "/var/lib/nats", jetstreamMaxMemoryBytes: 4_000_000_000,
      jetstreamMaxStoreBytes: 500_000_000_000,
      accounts: [account("$SYS"), account("APP")], nkeys: [],
      users: [user("admin", "changeit", { account: "$SYS" }),
        user("app", "apppass", { account: "APP" })],
      jetstreamAccounts: { APP: { enabled: true, limits: { max_memory: -1, max_storage: -1,
        max_streams: -1, max_consumers: -1, max_ack_pending: -1, memory_max_stream_bytes: -1,
        storage_max_stream_bytes: -1, max_bytes_required: false } } } },
    unsupported: ["cluster"],
    raw: { "accounts/$SYS/users/0/user": "admin", "accounts/APP/jetstream": "enabled" },
  },
};

describe("config corpus", () => {
  for (const [file, expected] of Object.entries(EXPECTED)) {
    test(`${file} parses to the expected options`, () => {
      const loaded = load(file);
      expect(loaded.options).toEqual(expected.options);
      expect(loaded.unsupported.map((u) => u.key)).toEqual(expected.unsupported);
      expect(loaded.warnings).toEqual([]);
      for (const [path, value] of Object.entries(expected.raw ?? {})) {
        expect({ path, value: rawAt(loaded.raw, path) }).toEqual({ path, value });
      }
    });
  }

  test("options set by an included file point at the key in that file", () => {
    const loaded = load("includes/main.conf");
    expect(loaded.positions.maxPayloadBytes)
      .toEqual({ file: join(CORPUS, "includes/limits.conf"), line: 1, column: 1 });
  });

  test("the digest ignores formatting but not values", () => {
    const a = load("simple.conf").digest;
    expect(load("simple.conf").digest).toBe(a);
    expect(load("limits.conf").digest).not.toBe(a);
  });
});
