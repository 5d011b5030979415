import { describe, expect, test } from "bun:test";
import { LogSetupError } from "./errors.ts";
import {
  FACILITY_DAEMON, FACILITY_KERN, formatSyslog, parseRemoteSyslog, type RemoteSyslogTarget,
  rfc3339, stamp, syslogTag,
} from "./syslog_format.ts";

const NOW = new Date(2024, 0, 5, 7, 8, 9).getTime();
const header = { hostname: "vm", tag: "natsd", pid: 42 };

describe("formatSyslog (Go's log/syslog)", () => {
  test("network form: severity-only PRI, RFC 3339 time, hostname, tag[pid]", () => {
    const line = formatSyslog({ ...header, facility: FACILITY_KERN, network: true }, "INF",
      "Server is ready", NOW);
    expect(line).toBe(`<5>${rfc3339(new Date(NOW))} vm natsd[42]: Server is ready\n`);
    expect(rfc3339(new Date(NOW))).toMatch(/^2024-01-05T07:08:09(Z|[+-]\d\d:\d\d)$/);
  });

  test("severities: fatal 2, error 3, warning 4, notice 5 (info and trace), debug 7", () => {
    const h = { ...header, facility: FACILITY_KERN, network: true };
    const pri = (level: Parameters<typeof formatSyslog>[1]) =>
      Number(/^<(\d+)>/.exec(formatSyslog(h, level, "m", NOW))![1]);
    expect([pri("FTL"), pri("ERR"), pri("WRN"), pri("INF"), pri("TRC"), pri("DBG")])
      .toEqual([2, 3, 4, 5, 5, 7]);
  });

  test("local form: daemon facility, Stamp time, no hostname", () => {
    const line = formatSyslog({ ...header, facility: FACILITY_DAEMON, network: false }, "ERR",
      "bad", NOW);
    expect(line).toBe("<27>Jan  5 07:08:09 natsd[42]: bad\n");
    expect(stamp(new Date(2024, 10, 25, 1, 2, 3))).toBe("Nov 25 01:02:03");
  });

  test("the tag is the program's base name", () => {
    expect(syslogTag("/usr/sbin/nats-server")).toBe("nats-server");
    expect(syslogTag("natsd")).toBe("natsd");
  });
});

describe("parseRemoteSyslog (-r)", () => {
  test("udp, tcp and unix URLs", () => {
    const cases: [string, RemoteSyslogTarget][] = [
      ["udp://127.0.0.1:514", { network: "udp", host: "127.0.0.1", port: 514 }],
      ["tcp://logs.example:601", { network: "tcp", host: "logs.example", port: 601 }],
      ["udp://[::1]:514", { network: "udp", host: "::1", port: 514 }],
      ["UDP://h:1", { network: "udp", host: "h", port: 1 }],
      ["unix:///var/run/rsyslog.sock", { network: "unix", path: "/var/run/rsyslog.sock" }],
    ];
    for (const [url, target] of cases) expect(parseRemoteSyslog(url)).toEqual(target);
  });

  test("errors in nats-server's words", () => {
    const message = (url: string) => (parseRemoteSyslog(url) as LogSetupError).message;
    expect(parseRemoteSyslog("foo://x")).toBeInstanceOf(LogSetupError);
    expect(message("foo://x")).toBe('error invalid network type: "foo"');
    expect(message("localhost:514")).toBe('error invalid network type: "localhost"');
    expect(message("127.0.0.1")).toBe('error invalid network type: ""');
    expect(message("udp://127.0.0.1")).toBe(
      'error connecting to syslog: "dial udp: address 127.0.0.1: missing port in address"');
  });
});
