/**
 * The command line against a running server: `--signal <command>=<pidfile|pid>` sends the
 * signal and the server acts on it (reload, reopen, quit), and `-t` checks a config file
 * (exit 0 and "is valid", or exit 1 with the error's position).
 * Runs against natsd, or any server named by NATS_SERVER; the -t cases also run against Go
 * nats-server when it is installed (the program name in the messages differs).
 */
import { afterAll, afterEach, describe, expect, test } from "bun:test";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { serverCommand } from "../harness/server_process.ts";
import { spawnServer } from "./reload_process.ts";

const cleanup: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const step of cleanup.splice(0).reverse()) await step();
});

async function run(args: string[], command = serverCommand()) {
  const proc = Bun.spawn([...command, ...args], { stdout: "pipe", stderr: "pipe" });
  const [code, stdout, stderr] = await Promise.all([
    proc.exited, new Response(proc.stdout).text(), new Response(proc.stderr).text(),
  ]);
  return { code, output: (stdout + stderr).trim() };
}

async function serverWithPidFile(config = "") {
  const s = await spawnServer({
    config: (dir) => `pidfile: "${join(dir, "server.pid")}"\n${config}`,
    args: ["-a", "127.0.0.1", "-p", "-1"],
  });
  cleanup.push(() => s.stop());
  return { s, pidFile: join(s.dir, "server.pid") };
}

describe("--signal", () => {
  test("reload=<pidfile> reloads the running server", async () => {
    const { s, pidFile } = await serverWithPidFile();
    s.writeConfig(`pidfile: "${pidFile}"\nmax_payload: 4321\n`);
    expect(await run(["--signal", `reload=${pidFile}`])).toEqual({ code: 0, output: "" });
    await s.waitForOutput(/Reloaded: max_payload = 4321$/);
    await s.waitForOutput(/Reloaded server configuration/);
  });

  test("reopen=<pid> reaches the server's SIGUSR1 handler", async () => {
    const { s } = await serverWithPidFile();
    expect((await run(["--signal", `reopen=${s.pid}`])).code).toBe(0);
    await s.waitForOutput(/File log re-open ignored, not a file logger/);
  });

  test("quit=<pidfile> shuts the server down cleanly", async () => {
    const { s, pidFile } = await serverWithPidFile();
    expect((await run(["--signal", `quit=${pidFile}`])).code).toBe(0);
    expect(await s.exited).toBe(0);
    expect(s.output()).toContain("Server Exiting..");
  });

  test("a pid that is not running is an error (\"no such process\")", async () => {
    const result = await run(["--signal", "reload=2147483646"]);
    expect(result.code).toBe(1);
    expect(result.output).toMatch(/no such process/);
  });
});

describe("-t", () => {
  const dir = mkdtempSync(join(tmpdir(), "natsd-check-"));
  const file = (name: string, text: string) => {
    writeFileSync(join(dir, name), text);
    return join(dir, name);
  };
  const good = file("good.conf", "port: 4222\nmax_payload: 2KB\n");
  const bad = file("bad.conf", "port: 4222\nfoo {\n");
  const unknown = file("unknown.conf", "port: 4222\nno_such_option: 1\n");
  const servers: [string, string[]][] = [["natsd", serverCommand()]];
  if (Bun.which("nats-server")) servers.push(["nats-server", ["nats-server"]]);
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  for (const [name, command] of servers) {
    test(`${name}: a valid file exits 0 and says so`, async () => {
      const result = await run(["-t", "-c", good], command);
      expect(result.code).toBe(0);
      expect(result.output).toMatch(new RegExp(`configuration file ${good} is valid`));
    });

    test(`${name}: a syntax error exits 1 with its line`, async () => {
      const result = await run(["-t", "-c", bad], command);
      expect(result.code).toBe(1);
      expect(result.output).toMatch(/line 3|bad\.conf:3:/);
    });

    test(`${name}: an unknown key exits 1 with its position`, async () => {
      const result = await run(["-t", "-c", unknown], command);
      expect(result.code).toBe(1);
      expect(result.output).toMatch(/unknown\.conf:2:\d+: unknown field "no_such_option"/);
    });

    test(`${name}: without -c exits 1`, async () => {
      const result = await run(["-t"], command);
      expect(result.code).toBe(1);
      expect(result.output).toMatch(
        /must specify \[-c, --config\] option to check configuration file syntax/);
    });
  }
});
