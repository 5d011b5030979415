import { describe, expect, test } from "bun:test";
import { dateTimeText, LineFormatter, stdLogLine } from "./line_format.ts";

// 2024-03-05 07:08:09.123456 UTC, as milliseconds with a microsecond fraction.
const NOW_MS = Date.UTC(2024, 2, 5, 7, 8, 9) + 123.456;

describe("LineFormatter (nats-server's log line)", () => {
  test("pid, UTC time with microseconds, label, message", () => {
    const f = new LineFormatter({ pid: 42, logtime: true, logtimeUtc: true, colors: false });
    expect(f.format("INF", "Server is ready", NOW_MS))
      .toBe("[42] 2024/03/05 07:08:09.123456 [INF] Server is ready\n");
    expect(f.format("TRC", "x", NOW_MS + 1000)).toBe("[42] 2024/03/05 07:08:10.123456 [TRC] x\n");
  });

  test("logtime false drops the time; a trailing newline is not doubled", () => {
    const f = new LineFormatter({ pid: 7, logtime: false, logtimeUtc: false, colors: false });
    expect(f.format("WRN", "careful\n", NOW_MS)).toBe("[7] [WRN] careful\n");
  });

  test("local time unless logtime_utc", () => {
    const f = new LineFormatter({ pid: 1, logtime: true, logtimeUtc: false, colors: false });
    const local = dateTimeText(new Date(NOW_MS), false);
    expect(f.format("ERR", "e", NOW_MS)).toBe(`[1] ${local}.123456 [ERR] e\n`);
  });

  test("colored labels as nats-server prints them on a terminal", () => {
    const f = new LineFormatter({ pid: 1, logtime: false, logtimeUtc: false, colors: true });
    expect(f.format("INF", "m", NOW_MS)).toBe("[1] [\x1b[32mINF\x1b[0m] m\n");
    expect(f.format("WRN", "m", NOW_MS)).toBe("[1] [\x1b[0;93mWRN\x1b[0m] m\n");
  });

  test("direct lines (rotation messages): local time, plain label, CRLF", () => {
    const f = new LineFormatter({ pid: 3, logtime: true, logtimeUtc: true, colors: true });
    const local = dateTimeText(new Date(NOW_MS), false);
    expect(f.direct("INF", "Rotated log", NOW_MS))
      .toBe(`[3] ${local}.123456 [INF] Rotated log\r\n`);
  });

  test("stdLogLine is Go's log.Fatalf form before the logger exists", () => {
    const local = dateTimeText(new Date(NOW_MS), false);
    expect(stdLogLine("error opening file: x", NOW_MS)).toBe(`${local} error opening file: x\n`);
  });
});
