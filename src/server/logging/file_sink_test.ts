import { afterEach, beforeEach, describe, expect, test } from "bun:test";
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { LogSetupError } from "./errors.ts";
import { FILE_BUFFER_BYTES_MAX, FileSink, type FileSinkOptions } from "./file_sink.ts";
import { LineFormatter } from "./line_format.ts";

const formatter = new LineFormatter({ pid: 9, logtime: false, logtimeUtc: false, colors: false });
const NOW = new Date(2024, 0, 2, 3, 4, 5).getTime();
let dir = "";

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), "natsd-filesink-"));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

function open(options: Partial<FileSinkOptions> = {}): FileSink {
  const sink = FileSink.open({
    path: join(dir, "nats.log"), sizeLimitBytes: 0, maxFiles: 0, formatter, ...options,
  }, NOW);
  if (sink instanceof LogSetupError) throw sink;
  return sink;
}

const read = (name = "nats.log") => readFileSync(join(dir, name), "utf8");
const backups = () => readdirSync(dir).filter((n) => n.startsWith("nats.log.")).sort();

describe("FileSink", () => {
  test("appends to an existing file with mode 0640; lines are buffered until flush", () => {
    writeFileSync(join(dir, "nats.log"), "before\n");
    const sink = open();
    sink.write("INF", "one", NOW);
    sink.write("DBG", "two", NOW);
    expect(read()).toBe("before\n");
    sink.flush();
    expect(read()).toBe("before\n[9] [INF] one\n[9] [DBG] two\n");
    sink.close();
  });

  test("a new file is created with mode 0640", () => {
    const sink = open();
    sink.close();
    expect(statSync(join(dir, "nats.log")).mode & 0o777).toBe(0o640 & ~process.umask());
  });

  test("errors are written at once; a full buffer is written without waiting", () => {
    const sink = open();
    sink.write("ERR", "failed", NOW);
    expect(read()).toBe("[9] [ERR] failed\n");
    const line = "x".repeat(1000);
    for (let written = 0; written < FILE_BUFFER_BYTES_MAX; written += line.length) {
      sink.write("INF", line, NOW);
    }
    expect(read().length).toBeGreaterThanOrEqual(FILE_BUFFER_BYTES_MAX);
    sink.close();
  });

  test("buffered lines reach the file on the next event-loop turn", async () => {
    const sink = open();
    sink.write("INF", "soon", NOW);
    await new Promise((resolve) => setImmediate(resolve));
    expect(read()).toBe("[9] [INF] soon\n");
    sink.close();
  });

  test("an unopenable path gives Go's error text", () => {
    const result = FileSink.open({
      path: join(dir, "missing", "x.log"), sizeLimitBytes: 0, maxFiles: 0, formatter,
    }, NOW);
    expect(result).toBeInstanceOf(LogSetupError);
    expect((result as LogSetupError).message).toBe(
      `error opening file: open ${join(dir, "missing", "x.log")}: no such file or directory`);
  });
});

describe("FileSink rotation (logfile_size_limit)", () => {
  test("the line crossing the limit stays in the backup; the new file says where it went", () => {
    const first = "f".repeat(260);
    const sink = open({ sizeLimitBytes: 300 });
    sink.write("INF", first, NOW); // 272 bytes
    expect(backups()).toEqual([]);
    sink.write("INF", "second line of text", NOW); // crosses 300
    sink.flush();
    const [backup] = backups();
    expect(backup).toMatch(/^nats\.log\.2024\.01\.02\.03\.04\.05\.\d{9}$/);
    expect(read(backup)).toBe(`[9] [INF] ${first}\n[9] [INF] second line of text\n`);
    expect(read()).toBe(`[9] [INF] Rotated log, backup saved as "${join(dir, backup)}"\r\n`);
    sink.write("INF", "third", NOW);
    sink.flush();
    expect(read()).toEndWith("\r\n[9] [INF] third\n");
    sink.close();
  });

  test("the rotation line counts towards the next limit, as in Go", () => {
    const sink = open({ sizeLimitBytes: 200 });
    sink.write("INF", "x".repeat(200), NOW);
    const rotatedBytes = read().length;
    sink.write("INF", "y".repeat(200 - rotatedBytes - 12), NOW); // exactly at the limit
    expect(backups()).toHaveLength(1);
    sink.write("INF", "z", NOW);
    expect(backups()).toHaveLength(2);
    sink.close();
  });

  test("a file already over the limit is rotated at open", () => {
    writeFileSync(join(dir, "nats.log"), "x".repeat(100));
    const sink = open({ sizeLimitBytes: 50 });
    sink.flush();
    expect(backups()).toHaveLength(1);
    expect(read(backups()[0])).toBe(`${"x".repeat(100)}[9] [INF] Rotating logfile...\n`);
    sink.close();
  });

  test("logfile_max_num keeps max-1 backups and logs each purge", () => {
    writeFileSync(join(dir, "nats.log.notabackup"), "keep me");
    const sink = open({ sizeLimitBytes: 30, maxFiles: 3 });
    for (let i = 0; i < 6; i++) sink.write("INF", `message number ${i}`, NOW + i);
    sink.flush();
    const left = backups().filter((n) => n !== "nats.log.notabackup");
    expect(left).toHaveLength(2);
    expect(read(left[1])).toContain("message number 5");
    expect(read(left[0])).toContain("message number 4");
    const purged = /Purged log file "nats\.log\.2024\.01\.02\.03\.04\.05\.\d{9}"/.source;
    const rotated = /\[9\] \[INF\] Rotated log, backup saved as ".*"/.source;
    expect(read()).toMatch(new RegExp(`^${rotated}\r\n\\[9\\] \\[INF\\] ${purged}\r\n$`));
    expect(read("nats.log.notabackup")).toBe("keep me");
    sink.close();
  });
});
