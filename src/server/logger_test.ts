import { afterEach, beforeEach, describe, expect, test } from "bun:test";
import { mkdtempSync, readFileSync, renameSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Logger, type LoggerOptions, LogSetupError, type PreparedLogging } from "./logger.ts";

const BASE: LoggerOptions = {
  debug: false, trace: false, logtime: false, logtimeUtc: false, logFile: "",
};
let dir = "";
let stderr: string[] = [];
const env = () => ({ pid: 5, colors: false, stderr: (t: string) => void stderr.push(t) });

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), "natsd-logger-"));
  stderr = [];
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

const read = (name: string) => readFileSync(join(dir, name), "utf8");

describe("Logger levels", () => {
  test("debug and trace lines only when enabled; configure switches them", () => {
    const log = new Logger(BASE, env());
    log.debug("d1");
    log.trace("t1");
    log.info("i1");
    log.configure({ ...BASE, debug: true, trace: true });
    expect(log.debugEnabled && log.traceEnabled).toBe(true);
    log.debug("d2");
    log.trace("t2");
    expect(stderr).toEqual(["[5] [INF] i1\n", "[5] [DBG] d2\n", "[5] [TRC] t2\n"]);
  });

  test("captured lines replace output (tests)", () => {
    const log = new Logger(BASE, env());
    log.captured = [];
    log.warn("w");
    expect(log.captured).toEqual(["[5] [WRN] w\n"]);
    expect(stderr).toEqual([]);
  });
});

describe("Logger destinations", () => {
  test("logfile: lines go to the file, not stderr; fatal is written at once", () => {
    const log = new Logger({ ...BASE, logFile: join(dir, "a.log") }, env());
    expect(log.destination).toBe("file");
    log.info("to file");
    log.fatal("the end");
    expect(read("a.log")).toBe("[5] [INF] to file\n[5] [FTL] the end\n");
    expect(stderr).toEqual([]);
    log.close();
  });

  test("open gives nats-server's error for a file that cannot be opened", () => {
    const bad = join(dir, "no", "such.log");
    const result = Logger.open({ ...BASE, logFile: bad }, env());
    expect(result).toBeInstanceOf(LogSetupError);
    expect((result as LogSetupError).message)
      .toBe(`error opening file: open ${bad}: no such file or directory`);
    expect(Logger.setupFailureLine(result as LogSetupError))
      .toMatch(/^\d{4}\/\d\d\/\d\d \d\d:\d\d:\d\d error opening file: open .*\n$/);
    expect(() => new Logger({ ...BASE, remoteSyslog: "foo://x" }, env()))
      .toThrow('error invalid network type: "foo"');
  });

  test("prepare opens the new file first; lines before commit go to the old one", () => {
    const log = new Logger({ ...BASE, logFile: join(dir, "old.log") }, env());
    const prepared = log.prepare({ ...BASE, logFile: join(dir, "new.log"), debug: true });
    expect(prepared).not.toBeInstanceOf(LogSetupError);
    log.info("Reloaded: log_file = new.log");
    (prepared as PreparedLogging).commit();
    log.debug("after");
    log.flush();
    expect(read("old.log")).toBe("[5] [INF] Reloaded: log_file = new.log\n");
    expect(read("new.log")).toBe("[5] [DBG] after\n");
    log.close();
  });

  test("a failing prepare changes nothing", () => {
    const log = new Logger({ ...BASE, logFile: join(dir, "keep.log") }, env());
    const prepared = log.prepare({ ...BASE, logFile: join(dir, "no", "x.log"), debug: true });
    expect(prepared).toBeInstanceOf(LogSetupError);
    log.debug("not enabled");
    log.info("still here");
    log.flush();
    expect(read("keep.log")).toBe("[5] [INF] still here\n");
    log.close();
  });

  test("reopen after a rename writes to a fresh file at the path", () => {
    const log = new Logger({ ...BASE, logFile: join(dir, "r.log") }, env());
    log.info("before");
    log.flush();
    renameSync(join(dir, "r.log"), join(dir, "r.log.1"));
    log.info("written after the rename, before the signal");
    expect(log.reopen()).toBe("reopened");
    log.info("after");
    log.flush();
    expect(read("r.log.1"))
      .toBe("[5] [INF] before\n[5] [INF] written after the rename, before the signal\n");
    expect(read("r.log")).toBe("[5] [INF] after\n");
    log.close();
  });

  test("reopen without a log file is refused, as nats-server ignores it", () => {
    const log = new Logger(BASE, env());
    expect(log.reopen()).toBe("notFile");
  });

  test("remote syslog: Go's network form with hostname, tag and pid", async () => {
    let resolve: (text: string) => void = () => {};
    const got = new Promise<string>((r) => (resolve = r));
    const server = await Bun.udpSocket({
      hostname: "127.0.0.1", port: 0,
      socket: { data: (_s, data) => resolve(new TextDecoder().decode(data)) },
    });
    const log = new Logger({ ...BASE, remoteSyslog: `udp://127.0.0.1:${server.port}` },
      { ...env(), hostname: "box", tag: "natsd" });
    expect(log.destination).toBe("syslog");
    log.warn("look");
    const time = /\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(Z|[+-]\d\d:\d\d)/.source;
    expect(await got).toMatch(new RegExp(`^<4>${time} box natsd\\[5\\]: look\\n$`));
    log.close();
    server.close();
  });

  test("logfile wins over syslog, remote syslog over local", () => {
    const log = new Logger({ ...BASE, logFile: join(dir, "w.log"), syslog: true,
      remoteSyslog: "udp://127.0.0.1:9" }, env());
    expect(log.destination).toBe("file");
    log.close();
  });

  test.skipIf(process.platform !== "linux")("-s without a syslog daemon fails as in Go", () => {
    const result = Logger.open({ ...BASE, syslog: true },
      { ...env(), localSyslogPaths: [join(dir, "none")] });
    expect((result as LogSetupError).message)
      .toBe('error connecting to syslog: "Unix syslog delivery error"');
  });
});
