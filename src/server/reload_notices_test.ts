import { describe, expect, test } from "bun:test";
import { planReload } from "../config/mod.ts";
import { defaultOptions, type Options } from "./options.ts";
import { goValue, reloadNotices, reloadRefusal } from "./reload_notices.ts";

const running = () => ({ ...defaultOptions(), configFile: "s.conf", port: 4222 });
const plan = (change: Partial<Options>) => planReload(running(), { ...running(), ...change });

describe("reloadNotices (Go's 'Reloaded:' lines)", () => {
  test("values printed as Go prints them, in Go's field order", () => {
    const { changes, refused } = plan({
      writeDeadlineMs: 3000, maxPayloadBytes: 2048, debug: true, pingIntervalMs: 90_000,
      authTimeoutMs: 1500, maxConnections: 10, logtime: false, maxControlLineBytes: 2048,
    });
    expect(refused).toEqual([]);
    // The order and texts of nats-server 2.9.10 for the same change (see the test's config).
    expect(reloadNotices(changes)).toEqual([
      "Reloaded: debug = true",
      "Reloaded: logtime = false",
      "Reloaded: max_connections = 10",
      "Reloaded: ping_interval = 1m30s",
      "Reloaded: authorization timeout = 1.5",
      "Reloaded: max_control_line = 2048",
      "Reloaded: max_payload = 2048",
      "Reloaded: write_deadline = 3s",
    ]);
  });

  test("secrets are not printed; special wordings", () => {
    const { changes } = plan({
      username: "a", password: "secret", authToken: "", clientAdvertise: "foo:5222",
      serverTags: ["x"], maxTracedMsgLen: 10, logFile: "x.log", noFastProducerStall: true,
      trace: true, tlsPinnedCerts: ["ab", "cd"],
    });
    const lines = reloadNotices(changes);
    expect(lines).toEqual([
      "Reload: client_advertise = foo:5222",
      "Reloaded: trace = true",
      "Reloaded: authorization username",
      "Reloaded: authorization password",
      "Reloaded: fast producers will not be stalled",
      "Reloaded: log_file = x.log",
      "Reloaded: 2 pinned_certs",
      "Reloaded: max_traced_msg_len = 10",
      "Reloaded: tags",
    ]);
    expect(lines.join("\n")).not.toContain("secret");
  });

  test("certificate changes say 'tls = enabled' once; an emptied pidfile says nothing", () => {
    const start = { ...running(), tls: true, pidFile: "x.pid" };
    const { changes } = planReload(start,
      { ...start, tlsCertFile: "b.pem", tlsKeyFile: "b.key", pidFile: "" });
    expect(reloadNotices(changes)).toEqual(["Reloaded: tls = enabled"]);
  });
});

describe("reloadRefusal (Go's error text)", () => {
  test("Go's field name and %v values", () => {
    expect(reloadRefusal(plan({ port: 4333 }).refused))
      .toBe("config reload not supported for Port: old=4222, new=4333");
    expect(reloadRefusal(plan({ lameDuckDurationMs: 30_000 }).refused))
      .toBe("config reload not supported for LameDuckDuration: old=2m0s, new=30s");
  });

  test("the first refused field in Go's order is reported", () => {
    // nats-server 2.9.10 reports MaxPending for this pair, not LogSizeLimit.
    expect(reloadRefusal(plan({ logSizeLimitBytes: 1000, maxPendingBytes: 1000 }).refused))
      .toBe("config reload not supported for MaxPending: old=67108864, new=1000");
  });

  test("special reasons are kept as the plan words them", () => {
    expect(reloadRefusal(plan({ clientAdvertise: "host:notaport" }).refused))
      .toStartWith("invalid ClientAdvertise value of host:notaport");
  });

  test("goValue: lists and maps as Go's fmt prints them", () => {
    expect(goValue("serverTags", ["a", "b"])).toBe("[a b]");
    expect(goValue("serverMetadata", { z: "1", a: "2" })).toBe("map[a:2 z:1]");
    expect(goValue("authTimeoutMs", 2000)).toBe("2");
  });
});
