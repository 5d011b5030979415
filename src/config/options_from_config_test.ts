import { describe, expect, test } from "bun:test";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { ConfigErrors } from "./errors.ts";
import { type LoadedConfig, loadConfigFile, loadConfigText } from "./options_from_config.ts";

function load(text: string, checkMode = false): LoadedConfig {
  return loadConfigText(text, { file: "t.conf", checkMode });
}

/** The messages of the errors a config gives. */
function errorsOf(text: string, checkMode = false): string[] {
  try {
    load(text, checkMode);
  } catch (error) {
    if (!(error instanceof ConfigErrors)) throw error;
    return error.errors.map((e) => e.message);
  }
  throw new Error(`no error for ${JSON.stringify(text)}`);
}

describe("options from config: listen and identity", () => {
  test("listen takes a port or host:port (IPv6 in brackets)", () => {
    expect(load("listen: 4333").options).toEqual({ port: 4333 });
    expect(load("listen: 127.0.0.1:4333").options).toEqual({ host: "127.0.0.1", port: 4333 });
    expect(load(`listen: "[::1]:4333"`).options).toEqual({ host: "::1", port: 4333 });
    expect(load("listen: 0.0.0.0:-1").options).toEqual({ host: "0.0.0.0", port: -1 });
    expect(errorsOf(`listen: "localhost"`))
      .toEqual([`t.conf:1:1: could not parse address string "localhost"`]);
    expect(errorsOf(`listen: "h:x"`)).toEqual([`t.conf:1:1: could not parse port "x"`]);
  });

  test("port, host/net, client_advertise, server_name", () => {
    expect(load("port: 4223\nnet: 10.0.0.1\nclient_advertise: \"nats.example:4222\"\n" +
      "server_name: n1").options).toEqual({
      port: 4223, host: "10.0.0.1", clientAdvertise: "nats.example:4222", serverName: "n1",
    });
    expect(load("host: h").options).toEqual({ host: "h" });
  });

  test("port 0 means the default, as in nats-server; out of range is an error", () => {
    expect(load("port: 0").options).toEqual({});
    expect(errorsOf("port: 70000")).toEqual(["t.conf:1:1: port value is too big (maximum 65535)"]);
  });

  test("a server name with spaces is an error", () => {
    expect(errorsOf(`server_name: "a b"`))
      .toEqual(["t.conf:1:1: server name cannot contain spaces"]);
  });

  test("server_tags, server_metadata and feature_flags", () => {
    expect(load("server_tags: [a, b, a]\nserver_metadata { zone: z1 }\n" +
      "feature_flags { js_ack_fc_v2: true }").options).toEqual({
      serverTags: ["a", "b"], serverMetadata: { zone: "z1" }, featureFlags: { js_ack_fc_v2: true },
    });
    expect(load("server_tags: single").options).toEqual({ serverTags: ["single"] });
    expect(errorsOf("feature_flags { x: 1 }"))
      .toEqual(["t.conf:1:17: 'feature_flags.x' must be a boolean, got int 1"]);
  });

  test("a wrong type names the key, the expected and the actual type", () => {
    expect(errorsOf(`port: "abc"`))
      .toEqual([`t.conf:1:1: 'port' must be an integer, got string "abc"`]);
    expect(errorsOf("debug: 1")).toEqual(["t.conf:1:1: 'debug' must be a boolean, got int 1"]);
    expect(errorsOf("m {\n  x: 1\n}\nhost: [a]"))
      .toEqual(expect.arrayContaining(["t.conf:4:1: 'host' must be a string, got an array of 1"]));
  });
});

describe("options from config: logging", () => {
  test("all logging keys and their aliases", () => {
    expect(load("debug: true\ntrace: true\nlogtime: false\nlogtime_utc: true\n" +
      "log_file: /var/log/n.log\nlog_size_limit: 10MB\nlog_max_num: 5\nsyslog: true\n" +
      "remote_syslog: \"udp://localhost:514\"\nmax_traced_msg_len: 128\n" +
      "connect_error_reports: 10\nreconnect_error_reports: 3").options).toEqual({
      debug: true, trace: true, logtime: false, logtimeUtc: true, logFile: "/var/log/n.log",
      logSizeLimitBytes: 10 * 1024 * 1024, logMaxFiles: 5, syslog: true,
      remoteSyslog: "udp://localhost:514", maxTracedMsgLen: 128, connectErrorReports: 10,
      reconnectErrorReports: 3,
    });
    expect(load("logfile: a.log\nlogfile_size_limit: 1k\nlogfile_max_num: 2").options)
      .toEqual({ logFile: "a.log", logSizeLimitBytes: 1000, logMaxFiles: 2 });
  });

  test("trace_verbose and trace_headers also turn trace on", () => {
    expect(load("trace_verbose: true").options).toEqual({ traceVerbose: true, trace: true });
    expect(load("trace_headers: true").options).toEqual({ traceHeaders: true, trace: true });
  });
});

describe("options from config: limits", () => {
  test("limits with sizes, durations and aliases", () => {
    expect(load("max_conn: 100\nmax_subs: 50\nmax_sub_tokens: 16\nmax_payload: 2MB\n" +
      "max_control_line: 2KB\nmax_pending: 128MB\nmax_closed_clients: 5\n" +
      `ping_interval: "30s"\nping_max: 3\nwrite_deadline: "2s"\nwrite_timeout: close\n` +
      "no_fast_producer_stall: true").options).toEqual({
      maxConnections: 100, maxSubscriptions: 50, maxSubTokens: 16,
      maxPayloadBytes: 2 * 1024 * 1024, maxControlLineBytes: 2048,
      maxPendingBytes: 128 * 1024 * 1024, maxClosedClients: 5, pingIntervalMs: 30_000,
      pingMax: 3, writeDeadlineMs: 2000, writeTimeoutPolicy: "close", noFastProducerStall: true,
    });
  });

  test("max_connections 0 refuses every connection, as in nats-server", () => {
    expect(load("max_connections: 0").options).toEqual({ maxConnections: -1 });
  });

  test("an integer duration counts as seconds, with a warning (an error with -t)", () => {
    const loaded = load("ping_interval: 60");
    expect(loaded.options).toEqual({ pingIntervalMs: 60_000 });
    expect(loaded.warnings.map((w) => w.reason)).toEqual([
      `invalid use of field "ping_interval": ping_interval should be converted to a ` +
      `duration, e.g. "60s"`]);
    expect(errorsOf("ping_interval: 60", true)).toEqual([`t.conf:1:1: invalid use of field ` +
      `"ping_interval": ping_interval should be converted to a duration, e.g. "60s"`]);
  });

  test("bad durations and out-of-range limits are errors", () => {
    expect(errorsOf(`write_deadline: "10"`)).toEqual([
      `t.conf:1:1: error parsing write_deadline: time: missing unit in duration "10"`]);
    expect(errorsOf("max_payload: 3GB")).toEqual([
      "t.conf:1:1: max_payload value is too big (maximum 2147483647)"]);
    expect(errorsOf("max_control_line: 4GB")).toEqual([
      "t.conf:1:1: max_control_line value is too big (maximum 2147483647)"]);
    expect(errorsOf("max_sub_tokens: 300"))
      .toEqual(["t.conf:1:1: max_sub_tokens value is too big"]);
    expect(errorsOf("max_sub_tokens: 0")).toEqual([
      "t.conf:1:1: max_sub_tokens value can not be negative"]);
    expect(errorsOf("write_timeout: later")).toEqual([
      "t.conf:1:1: write_timeout must be 'default', 'close' or 'retry'"]);
  });

  test("max_payload may not exceed max_pending (the default one either)", () => {
    expect(errorsOf("max_pending: 1MB\nmax_payload: 2MB")).toEqual([
      "t.conf:2:1: max_payload (2097152) cannot be higher than max_pending (1048576)"]);
    expect(errorsOf("max_payload: 100MB")).toEqual([
      "t.conf:1:1: max_payload (104857600) cannot be higher than max_pending (67108864)"]);
  });
});

describe("options from config: process, monitoring, profiling", () => {
  test("process keys", () => {
    expect(load(`pid_file: /run/n.pid\nports_file_dir: /tmp\nlame_duck_duration: "60s"\n` +
      `lame_duck_grace_period: "5s"\nno_sublist_cache: true\nno_header_support: true`)
      .options).toEqual({
      pidFile: "/run/n.pid", portsFileDir: "/tmp", lameDuckDurationMs: 60_000,
      lameDuckGracePeriodMs: 5000, noSublistCache: true, noHeaderSupport: true,
    });
  });

  test("lame duck durations: strings only, minimum 30s, grace below duration", () => {
    expect(errorsOf(`lame_duck_duration: "10s"`)).toEqual([
      "t.conf:1:1: invalid lame_duck_duration of 10s, minimum is 30 seconds"]);
    expect(errorsOf("lame_duck_duration: 60")).toEqual([
      "t.conf:1:1: 'lame_duck_duration' must be a string, got int 60"]);
    expect(errorsOf(`lame_duck_grace_period: "-1s"`)).toEqual([
      "t.conf:1:1: invalid lame_duck_grace_period, needs to be positive"]);
    expect(errorsOf(`lame_duck_duration: "30s"\nlame_duck_grace_period: "40s"`)).toEqual([
      "t.conf:2:1: lame duck grace period (40s) should be strictly lower than lame duck " +
      "duration (30s)"]);
  });

  test("monitoring keys map (natsd serves them: not reported)", () => {
    const loaded = load(`http: "127.0.0.1:8222"\nhttps_port: 8443\nhttp_base_path: /nats`);
    expect(loaded.options).toEqual({
      httpHost: "127.0.0.1", httpPort: 8222, httpsPort: 8443, httpBasePath: "/nats",
    });
    expect(loaded.unsupported).toEqual([]);
    expect(load("monitor_port: 8222").options).toEqual({ httpPort: 8222 });
    expect(load("https: 8443").options).toEqual({ httpsPort: 8443 });
  });

  test("profiling keys map, and are reported until natsd serves them", () => {
    const loaded = load("prof_port: 6060\nprof_block_rate: 5");
    expect(loaded.options).toEqual({ profPort: 6060, profBlockRate: 5 });
    expect(loaded.unsupported.map((u) => u.key)).toEqual(["prof_port", "prof_block_rate"]);
  });
});

describe("options from config: unknown keys", () => {
  test("an unknown key is an error with its position, as in nats-server", () => {
    expect(errorsOf("port: 4222\nfoo_bar: 1")).toEqual([`t.conf:2:1: unknown field "foo_bar"`]);
    expect(errorsOf("port: 4222\nfoo_bar: 1", true))
      .toEqual([`t.conf:2:1: unknown field "foo_bar"`]);
  });

  test("keys used as variables are not unknown", () => {
    expect(load("P = 4333\nport: $P").warnings).toEqual([]);
  });

  test("keys match case-insensitively, as in nats-server", () => {
    expect(load("PORT: 4333\nDebug: true").options).toEqual({ port: 4333, debug: true });
  });

  test("an empty config is a warning", () => {
    expect(load("").warnings.map((w) => w.reason)).toEqual(["config has no values or is empty"]);
  });
});

describe("options from config: features natsd does not have yet", () => {
  test("simple authorization maps (users: config/auth_options_test.ts)", () => {
    const loaded = load(`authorization {\n  user: a\n  password: b\n  timeout: 2.5\n}`);
    expect(loaded.options).toEqual({ username: "a", password: "b", authTimeoutMs: 2500 });
    expect(loaded.unsupported).toEqual([]);
    expect(load(`authorization { token: "s3cr3t", timeout: "3s" }`).options)
      .toEqual({ authToken: "s3cr3t", authTimeoutMs: 3000 });
  });

  test("authorization errors: token with user, wrong types, long timeouts", () => {
    expect(errorsOf("authorization { user: a, token: b }")).toEqual([
      "t.conf:1:1: Cannot have a user/pass and token"]);
    expect(errorsOf("authorization { users: [{user: 1}] }")).toEqual([
      "t.conf:1:26: 'authorization.users[0].user' must be a string, got int 1"]);
    expect(load("authorization { timeout: 120 }").warnings[0].reason)
      .toMatch(/^timeout of 120 seconds is high/);
  });

  test("no_auth_user maps and must name a configured user", () => {
    const loaded = load("no_auth_user: guest\nauthorization { users: [{user: guest}] }");
    expect(loaded.options.noAuthUser).toBe("guest");
    expect(loaded.unsupported).toEqual([]);
    expect(errorsOf("no_auth_user: guest")).toEqual([
      't.conf:1:1: no_auth_user: "guest" present, but users/nkeys are not defined']);
  });

  test("jetstream: bool, 'enabled' or a map; store_dir maps; duplicates are errors", () => {
    expect(load("jetstream: enabled").options).toEqual({ jetstream: true });
    expect(load("jetstream: false").options).toEqual({ jetstream: false });
    expect(load("jetstream: false").unsupported).toEqual([]);
    const js = load("jetstream {\n  store_dir: /data/js\n  max_mem: 1G\n  max_file: 10G\n}");
    expect(js.options).toEqual({ jetstream: true, storeDir: "/data/js",
      jetstreamMaxMemoryBytes: 1e9, jetstreamMaxStoreBytes: 1e10 });
    expect(js.unsupported).toEqual([]);
    expect(load("jetstream { enabled: false }").options).toEqual({ jetstream: false });
    expect(load("store_dir: /x").options).toEqual({ storeDir: "/x" });
    expect(errorsOf("jetstream { store_dir: /a }\nstore_dir: /b")).toEqual([
      "t.conf:2:1: Duplicate 'store_dir' configuration"]);
    expect(errorsOf("jetstream: maybe")).toEqual([`t.conf:1:1: 'jetstream' must be one of ` +
      `'enabled', 'enable', 'disabled', 'disable', got string "maybe"`]);
  });

  test("feature blocks are type-checked and reported, and kept in the raw tree", () => {
    const loaded = load("cluster {\n  name: c1\n  listen: 0.0.0.0:6222\n" +
      "  routes: [nats://a:6222, nats://b:6222]\n}\ntls { cert_file: a.pem, key_file: b.pem }\n" +
      "leafnodes { remotes: [{ url: \"nats://hub:7422\", credentials: x.creds }] }");
    expect(loaded.unsupported.map((u) => [u.key, u.feature])).toEqual([
      ["cluster", "clustering (routes)"], ["leafnodes", "leaf nodes"]]);
    const cluster = loaded.raw.entries.get("cluster")!.value;
    expect(cluster.kind === "map" && [...cluster.entries.keys()])
      .toEqual(["name", "listen", "routes"]);
  });

  test("wrong types inside feature blocks are errors with positions", () => {
    expect(errorsOf("cluster {\n  port: \"x\"\n}")).toEqual([
      `t.conf:2:3: 'cluster.port' must be an integer, got string "x"`]);
    expect(errorsOf("accounts { A: { users: [{user: a, permissions: {publish: 5}}] } }"))
      .toEqual(["t.conf:1:49: 'accounts.A.users[0].permissions.publish' must be a string, " +
        "an array or a map, got int 5"]);
    expect(errorsOf(`gateway { write_deadline: "soon" }`)).toEqual([
      `t.conf:1:11: error parsing gateway.write_deadline: time: invalid duration "soon"`]);
  });

  test("unknown keys inside feature blocks are errors with their dotted path", () => {
    expect(errorsOf("cluster { bogus: 1 }")).toEqual([`t.conf:1:11: unknown field "cluster.bogus"`]);
  });
});

describe("loadConfigFile", () => {
  test("returns options, raw tree, digest; errors name the file", () => {
    const dir = mkdtempSync(join(tmpdir(), "natsd-load-"));
    const path = join(dir, "n.conf");
    writeFileSync(path, "port: 4333\n");
    const loaded = loadConfigFile(path);
    expect(loaded.options).toEqual({ port: 4333 });
    expect(loaded.digest).toMatch(/^sha256:[0-9a-f]{64}$/);
    writeFileSync(path, "port: 4333\nmax_payload: [1]\ndebug: 2\n");
    let caught: unknown;
    try {
      loadConfigFile(path);
    } catch (error) {
      caught = error;
    }
    expect(caught).toBeInstanceOf(ConfigErrors);
    expect((caught as ConfigErrors).errors.map((e) => [e.file, e.line, e.column])).toEqual([
      [path, 2, 1], [path, 3, 1]]);
  });

  test("a syntax error is a ConfigErrors with one ConfigError", () => {
    expect(() => loadConfigText("a = [", { file: "x.conf" })).toThrow(ConfigErrors);
  });
});
