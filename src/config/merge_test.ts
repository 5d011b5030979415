import { describe, expect, test } from "bun:test";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { defaultOptions } from "../server/options.ts";
import { parseCommandLine } from "./cli.ts";
import { buildOptions, mergeOptions, type Resolution, resolveOptions } from "./merge.ts";
import { USAGE } from "./usage.ts";

const dir = mkdtempSync(join(tmpdir(), "natsd-merge-"));
let fileCount = 0;
function configFile(text: string): string {
  const path = join(dir, `c${fileCount++}.conf`);
  writeFileSync(path, text);
  return path;
}

function runOptions(argv: string[], env: Record<string, string> = {}) {
  const r = resolveOptions(argv, env);
  if (r.kind !== "run") throw new Error(`expected run, got ${JSON.stringify(r)}`);
  return r;
}

describe("resolveOptions: precedence", () => {
  test("no flags and no file: the defaults", () => {
    expect(runOptions([]).options).toEqual(defaultOptions());
  });

  test("the config file overrides the defaults", () => {
    const path = configFile("port: 4333\ndebug: true\nmax_payload: 2MB");
    const o = runOptions(["-c", path]).options;
    expect([o.port, o.debug, o.maxPayloadBytes, o.configFile]).toEqual([4333, true, 2097152, path]);
    expect(o.pingMax).toBe(defaultOptions().pingMax);
  });

  test("explicit flags override the config file, in either order", () => {
    const path = configFile("port: 4333\ndebug: true\nlogtime: true\nserver_name: file");
    for (const argv of [["-c", path, "-p", "5000", "-D=false", "-T=false"],
      ["-p", "5000", "-D=false", "-T=false", "-c", path]]) {
      const o = runOptions(argv).options;
      expect([o.port, o.debug, o.logtime, o.serverName]).toEqual([5000, false, false, "file"]);
    }
  });

  test("flags not given leave the file's values alone", () => {
    const path = configFile("trace: true");
    expect(runOptions(["-c", path, "-D"]).options).toMatchObject({ trace: true, debug: true });
  });

  test("the environment feeds $VARIABLES in the file", () => {
    const path = configFile("port: $NATSD_TEST_PORT");
    expect(runOptions(["-c", path], { NATSD_TEST_PORT: "4999" }).options.port).toBe(4999);
  });

  test("the monitoring host is only set by `http`/`https` (empty means the client host)", () => {
    expect(runOptions(["-a", "127.0.0.1"]).options.httpHost).toBe("");
    const path = configFile(`http: "10.0.0.1:8222"`);
    expect(runOptions(["-c", path, "-a", "127.0.0.1"]).options.httpHost).toBe("10.0.0.1");
  });

  test("mergeOptions applies exactly the explicit flags", () => {
    const cli = parseCommandLine(["-p", "7000"]);
    const merged = mergeOptions({ port: 1, host: "h" }, cli);
    expect([merged.port, merged.host]).toEqual([7000, "h"]);
  });
});

describe("resolveOptions: actions and errors", () => {
  test("help, TLS help, version and signal", () => {
    expect(resolveOptions(["-h"])).toEqual({ kind: "help", text: USAGE });
    expect(resolveOptions(["--help_tls"]).kind).toBe("helpTls");
    expect(resolveOptions(["-v"])).toEqual({ kind: "version" });
    expect(resolveOptions(["-sl", "reload=1"])).toEqual({ kind: "signal", spec: "reload=1" });
  });

  test("a bad command line is an error shown with the usage", () => {
    expect(resolveOptions(["--bogus"])).toEqual({ kind: "error", showUsage: true,
      message: "flag provided but not defined: -bogus" });
  });

  test("-t checks the file and reports its digest", () => {
    const path = configFile("port: 4333");
    const r = resolveOptions(["-t", "-c", path]) as Extract<Resolution, { kind: "checkConfig" }>;
    expect(r.kind).toBe("checkConfig");
    expect(r.message).toBe(`natsd: configuration file ${path} is valid (${r.digest})`);
    expect(r.digest).toMatch(/^sha256:[0-9a-f]{64}$/);
  });

  test("-t fails on errors and on warnings, listing them with positions", () => {
    const path = configFile("port: 4333\nping_interval: 60\nbogus: 1\nmax_payload: 3GB");
    const r = resolveOptions(["-t", "-c", path]);
    expect(r).toEqual({ kind: "error", showUsage: false, message: [
      `${path}:3:1: unknown field "bogus"`,
      `${path}:4:1: max_payload value is too big (maximum 2147483647)`,
      `${path}:2:1: invalid use of field "ping_interval": ping_interval should be converted ` +
      `to a duration, e.g. "60s"`,
    ].join("\n") });
  });

  test("-t without -c is an error", () => {
    expect(resolveOptions(["-t"])).toEqual({ kind: "error", showUsage: false,
      message: "must specify [-c, --config] option to check configuration file syntax" });
  });

  test("an unknown field refuses to start, as nats-server does", () => {
    const path = configFile("port: 4333\nbogus: 1");
    expect(resolveOptions(["-c", path])).toEqual({ kind: "error", showUsage: false,
      message: `${path}:2:1: unknown field "bogus"` });
  });

  test("a missing or broken file is an error", () => {
    expect(resolveOptions(["-c", join(dir, "none.conf")])).toMatchObject({ kind: "error",
      message: expect.stringMatching(/none\.conf: error opening config file/) });
    const path = configFile("port: [");
    expect(resolveOptions(["-c", path])).toMatchObject({ kind: "error",
      message: expect.stringMatching(/:1:8: unexpected end of file in an array/) });
  });

  test("checks across options see the flags too", () => {
    const path = configFile("max_pending: 1MB");
    expect(runOptions(["-c", path]).options.maxPendingBytes).toBe(1048576);
    const bad = configFile("max_payload: 1MB\nmax_pending: 512KB");
    expect(resolveOptions(["-c", bad]).kind).toBe("error");
  });

  test("--routes without a cluster is an error, as in nats-server", () => {
    expect(resolveOptions(["--routes", "nats://a:6222"])).toMatchObject({ kind: "error",
      message: "solicited routes require cluster capabilities, e.g. --cluster" });
  });

  test("features not available yet become one notice each", () => {
    const path = configFile("cluster { name: c }\ntls { cert_file: a }\nprof_port: 6060");
    const r = runOptions(["-c", path, "--tlscert", "x.pem", "-js"]);
    expect(r.notices).toEqual([
      `clustering (routes) is not available in natsd yet; ignoring 'cluster' at ${path}:1:1`,
      `profiling is not available in natsd yet; ignoring 'prof_port' at ${path}:3:1`,
    ]);
  });
});

describe("buildOptions (used again on reload)", () => {
  test("re-reads the file and keeps the flags on top", () => {
    const path = join(dir, "reload.conf");
    writeFileSync(path, "debug: false\nmax_connections: 10");
    const cli = parseCommandLine(["-c", path, "-D"]);
    const first = buildOptions(cli);
    writeFileSync(path, "debug: false\nmax_connections: 20");
    const second = buildOptions(cli);
    expect(first.ok && second.ok).toBe(true);
    if (!first.ok || !second.ok) return;
    expect([first.options.maxConnections, second.options.maxConnections]).toEqual([10, 20]);
    expect(second.options.debug).toBe(true);
  });

  test("a broken file gives errors and no options (a reload changes nothing)", () => {
    const path = configFile("max_connections: x");
    const built = buildOptions(parseCommandLine(["-c", path]));
    expect(built.ok).toBe(false);
    if (!built.ok) expect(built.errors.errors).toHaveLength(1);
  });
});
