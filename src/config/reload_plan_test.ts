import { describe, expect, test } from "bun:test";
import { defaultOptions, type Options } from "../server/options.ts";
import { planReload, reloadPolicyFields } from "./reload_plan.ts";

const base = (): Options => ({ ...defaultOptions(), port: 4222, configFile: "/etc/n.conf" });
const withChanges = (changes: Partial<Options>, from: Options = base()): Options =>
  ({ ...from, ...changes });

describe("planReload", () => {
  test("every option has a reload policy", () => {
    expect(reloadPolicyFields().map(String).sort()).toEqual(Object.keys(defaultOptions()).sort());
  });

  test("no change, no plan", () => {
    expect(planReload(base(), base())).toEqual({ changes: [], refused: [] });
    expect(planReload(withChanges({ serverTags: ["a"] }), withChanges({ serverTags: ["a"] })))
      .toEqual({ changes: [], refused: [] });
  });

  test("logging, limits, ping, auth and process changes are applied, grouped", () => {
    const next = withChanges({
      debug: true, logFile: "/var/log/n.log", maxPayloadBytes: 2 << 20, maxConnections: 10,
      maxControlLineBytes: 8192, writeDeadlineMs: 5000, pingIntervalMs: 30_000, pingMax: 5,
      username: "u", password: "p", authTimeoutMs: 3000, pidFile: "/run/n.pid",
      serverTags: ["x"], maxTracedMsgLen: 10, connectErrorReports: 5,
    });
    const plan = planReload(base(), next);
    expect(plan.refused).toEqual([]);
    expect(plan.changes.map((c) => [c.option, c.group])).toEqual([
      ["serverTags", "identity"], ["debug", "logging"], ["logFile", "logging"],
      ["maxTracedMsgLen", "logging"], ["connectErrorReports", "reports"],
      ["maxConnections", "limits"], ["maxPayloadBytes", "limits"],
      ["maxControlLineBytes", "limits"], ["writeDeadlineMs", "limits"],
      ["pingIntervalMs", "ping"], ["pingMax", "ping"], ["pidFile", "process"],
      ["username", "auth"], ["password", "auth"], ["authTimeoutMs", "auth"],
    ]);
    expect(plan.changes.find((c) => c.option === "maxPayloadBytes"))
      .toMatchObject({ key: "max_payload", oldValue: 1 << 20, newValue: 2 << 20 });
  });

  test("a port change is refused, with nats-server's message", () => {
    expect(planReload(base(), withChanges({ port: 4333 })).refused).toEqual([{
      option: "port", key: "port", oldValue: 4222, newValue: 4333,
      reason: "config reload not supported for port: old=4222, new=4333" }]);
  });

  test("a random port in the new file keeps the running port", () => {
    expect(planReload(base(), withChanges({ port: -1 }))).toEqual({ changes: [], refused: [] });
  });

  test("options nats-server cannot reload are refused, all listed", () => {
    const plan = planReload(base(), withChanges({
      host: "127.0.0.1", serverName: "x", maxPendingBytes: 1 << 20, maxSubscriptions: 5,
      logSizeLimitBytes: 100, lameDuckDurationMs: 60_000, httpPort: 8222, noHeaderSupport: true,
      debug: true,
    }));
    expect(plan.refused.map((r) => r.key)).toEqual(["server_name", "host", "logfile_size_limit",
      "max_subscriptions", "max_pending", "no_header_support", "lame_duck_duration",
      "http_port"]);
    expect(plan.changes.map((c) => c.option)).toEqual(["debug"]);
  });

  test("store_dir: refused while JetStream runs, unless JetStream is being turned off", () => {
    const running = withChanges({ jetstream: true, storeDir: "/a" });
    expect(planReload(running, withChanges({ storeDir: "/b" }, running)).refused[0].reason)
      .toBe("config reload not supported for jetstream storage directory");
    expect(planReload(running, withChanges({ storeDir: "", jetstream: false }, running)).refused)
      .toEqual([]);
    expect(planReload(base(), withChanges({ storeDir: "/b" })).changes.map((c) => c.option))
      .toEqual(["storeDir"]);
  });

  test("no_auth_user may be removed but not set or changed", () => {
    const running = withChanges({ noAuthUser: "guest" });
    expect(planReload(running, base()).changes.map((c) => c.option)).toEqual(["noAuthUser"]);
    expect(planReload(base(), running).refused.map((r) => r.key)).toEqual(["no_auth_user"]);
  });

  test("client_advertise is validated", () => {
    expect(planReload(base(), withChanges({ clientAdvertise: "nats.example:4222" })).refused)
      .toEqual([]);
    expect(planReload(base(), withChanges({ clientAdvertise: "h:x" })).refused[0].reason)
      .toBe("invalid ClientAdvertise value of h:x");
  });

  test("options the server keeps are neither applied nor refused", () => {
    expect(planReload(base(), withChanges({ disableShortFirstPing: true })))
      .toEqual({ changes: [], refused: [] });
  });
});
