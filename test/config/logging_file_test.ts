/**
 * The log file of a running server: size rotation with nats-server's backup names and
 * logfile_max_num purging, SIGUSR1 reopening after logrotate's rename, a reload moving the
 * log to a file, and start-up failures. Readiness comes from the ports file (the log is not
 * on stderr); waits follow file-system events.
 * Runs against natsd, or any server named by NATS_SERVER; nats-server 2.9.10 has no
 * logfile_max_num and traps signals at debug level, so those checks are natsd/2.14 only.
 */
import { afterEach, describe, expect, test } from "bun:test";
import { readdirSync, readFileSync, renameSync, statSync } from "node:fs";
import { join } from "node:path";
import { RawClient } from "../harness/raw_client.ts";
import { isGoServer, serverCommand } from "../harness/server_process.ts";
import { type SpawnedServer, spawnServer, waitForFile, waitForFileText } from "./reload_process.ts";

const cleanup: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const step of cleanup.splice(0).reverse()) await step();
});

async function start(config: (dir: string) => string): Promise<SpawnedServer> {
  const s = await spawnServer({ config, args: ["-a", "127.0.0.1", "-p", "-1"] });
  cleanup.push(() => s.stop());
  return s;
}

const readOrNull = (path: string) => {
  try {
    return readFileSync(path, "utf8");
  } catch {
    return null; // renamed by a rotation meanwhile
  }
};

const BACKUP = /^natsd\.log\.\d{4}\.\d\d\.\d\d\.\d\d\.\d\d\.\d\d\.\d{9}$/;
const SIZE_LIMIT_BYTES = 2000;
const MAX_FILES = 3;

describe("logfile_size_limit and logfile_max_num", () => {
  test("rotates with Go's names, starts each file with the backup's name, purges", async () => {
    const maxNum = isGoServer() ? "" : `logfile_max_num: ${MAX_FILES}\n`;
    const s = await start((dir) => `logfile: "${join(dir, "natsd.log")}"\n` +
      `logfile_size_limit: ${SIZE_LIMIT_BYTES}\n${maxNum}trace: true\nping_interval: "1h"\n`);
    const log = join(s.dir, "natsd.log");
    await waitForFileText(log, /Server is ready/);
    const c = await RawClient.connect(s.port);
    cleanup.push(() => c.close());
    await c.readInfo();
    c.send("CONNECT {}\r\n");
    // About 200 bytes of trace per message: 100 messages rotate the file about ten times.
    for (let i = 0; i < 100; i++) c.send(`PUB rotation.test.${i} 8\r\npayload!\r\n`);
    c.send("PUB rotation.end 3\r\nEND\r\n");
    await c.flush();
    // The last trace line is in the active file or in the newest backup.
    await waitForFile(s.dir, (name) => (name.startsWith("natsd.log") &&
      readOrNull(join(s.dir, name))?.includes('MSG_PAYLOAD: ["END"]') ? name : null));

    const backups = readdirSync(s.dir).filter((n) => n.startsWith("natsd.log.")).sort();
    for (const name of backups) {
      expect(name).toMatch(BACKUP);
      // Rotation happens after the line that crossed the limit, so every backup is over it.
      expect(statSync(join(s.dir, name)).size).toBeGreaterThan(SIZE_LIMIT_BYTES);
    }
    const active = readFileSync(log, "utf8");
    const rotated = /^\[\d+\] [\d/:. ]*\[INF\] Rotated log, backup saved as "([^"]+)"\r\n/;
    const first = rotated.exec(active);
    expect(first?.[1]).toBe(join(s.dir, backups[backups.length - 1]));
    if (isGoServer()) {
      expect(backups.length).toBeGreaterThan(5);
      return;
    }
    expect(backups).toHaveLength(MAX_FILES - 1);
    const newest = readFileSync(join(s.dir, backups[backups.length - 1]), "utf8");
    expect(newest).toMatch(/^\[\d+\] [\d/:. ]*\[INF\] Rotated log, backup saved as "[^"]+"\r\n/);
    expect(newest).toMatch(/\[INF\] Purged log file "natsd\.log\.[\d.]+"\r\n/);
  });
});

describe("SIGUSR1", () => {
  test("after an external rename, the log continues in a fresh file", async () => {
    const s = await start((dir) => `logfile: "${join(dir, "natsd.log")}"\n`);
    const log = join(s.dir, "natsd.log");
    await waitForFileText(log, /Server is ready/);
    renameSync(log, `${log}.1`);
    s.signal("SIGUSR1");
    const fresh = await waitForFileText(log, /File log re-opened/);
    const old = readFileSync(`${log}.1`, "utf8");
    expect(old).toContain("Server is ready");
    expect(old).not.toContain("File log re-opened");
    if (!isGoServer()) expect(old).toContain('Trapped "user defined signal 1" signal');
    // What follows goes to the new file too; a clean stop flushes everything.
    await s.stop().then(() => cleanup.pop());
    expect(fresh).toMatch(/^\[\d+\] [\d/:. ]*\[INF\] File log re-opened\n/);
  });

  test("without a log file it is ignored, as in nats-server", async () => {
    const s = await spawnServer({ config: "", args: ["-a", "127.0.0.1", "-p", "-1"] });
    cleanup.push(() => s.stop());
    s.signal("SIGUSR1");
    await s.waitForOutput(/File log re-open ignored, not a file logger/);
  });
});

describe("reload moves the log", () => {
  test("to a file, with logtime off: the lines after the reload are there", async () => {
    const s = await spawnServer({ config: "", args: ["-a", "127.0.0.1", "-p", "-1"] });
    cleanup.push(() => s.stop());
    const path = join(s.dir, "moved.log");
    s.writeConfig(`logfile: "${path}"\nlogtime: false\n`);
    s.signal("SIGHUP");
    await s.waitForOutput(new RegExp(`Reloaded: log_file = ${path}$`));
    const text = await waitForFileText(path, /Reloaded server configuration/);
    expect(text).toMatch(/^\[\d+\] \[INF\] Reloaded server configuration/m);
    expect(s.output()).not.toContain("Reloaded server configuration");
  });
});

describe("start-up failures", () => {
  async function run(args: string[], command = serverCommand()) {
    const proc = Bun.spawn([...command, "-a", "127.0.0.1", "-p", "-1", ...args],
      { stdout: "pipe", stderr: "pipe" });
    const [code, stderr] = await Promise.all([proc.exited, new Response(proc.stderr).text()]);
    // Go's log.Fatalf line: local time, then the message.
    return { code, message: stderr.replace(/^\d{4}\/\d\d\/\d\d \d\d:\d\d:\d\d /gm, "").trim() };
  }

  test("a log file that cannot be opened", async () => {
    expect(await run(["-l", "/nonexistent-natsd-dir/x.log"])).toEqual({
      code: 1,
      message: "error opening file: open /nonexistent-natsd-dir/x.log: no such file or directory",
    });
  });

  test("an unknown remote syslog network", async () => {
    expect(await run(["-r", "foo://x"]))
      .toEqual({ code: 1, message: 'error invalid network type: "foo"' });
  });

  const hasSyslogSocket = ["/dev/log", "/var/run/syslog", "/var/run/log"].some((path) => {
    try {
      return statSync(path).isSocket();
    } catch {
      return false;
    }
  });
  test.skipIf(hasSyslogSocket || process.platform !== "linux")(
    "-s without a syslog daemon (this machine has none)", async () => {
      expect(await run(["-s"]))
        .toEqual({ code: 1, message: 'error connecting to syslog: "Unix syslog delivery error"' });
    });
});
