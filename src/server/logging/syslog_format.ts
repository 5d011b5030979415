/**
 * Syslog messages as nats-server sends them through Go's log/syslog (RFC 3164 style):
 *   network (udp, tcp):  `<PRI>2006-01-02T15:04:05-07:00 hostname tag[pid]: message\n`
 *   local (unix socket): `<PRI>Jan _2 15:04:05 tag[pid]: message\n`
 * Local syslog (`-s`) uses facility daemon; remote syslog (`-r`) is dialled with priority
 * LOG_DEBUG, which leaves the facility at 0 (kern), so PRI is the severity alone.
 * Also the `-r` URL rules (udp://, tcp://, unix://). Pure.
 * @module
 */
import { dateFields, pad2, type LogLevel } from "./line_format.ts";
import { LogSetupError } from "./errors.ts";

/** Go's syslog severities for nats-server's levels (trace goes out as notice). */
export const SEVERITY: Readonly<Record<LogLevel, number>> = {
  FTL: 2, ERR: 3, WRN: 4, INF: 5, TRC: 5, DBG: 7,
};

export const FACILITY_KERN = 0;
export const FACILITY_DAEMON = 3 << 3;

export interface SyslogHeader {
  facility: number;
  /** Network form (with hostname and RFC 3339 time) or local form. */
  network: boolean;
  hostname: string;
  tag: string;
  pid: number;
}

export function formatSyslog(
  header: SyslogHeader, level: LogLevel, message: string, nowMs: number,
): string {
  const pri = header.facility | SEVERITY[level];
  const date = new Date(nowMs);
  const end = message.endsWith("\n") ? "" : "\n";
  if (header.network) {
    return `<${pri}>${rfc3339(date)} ${header.hostname} ${header.tag}[${header.pid}]: ` +
      `${message}${end}`;
  }
  return `<${pri}>${stamp(date)} ${header.tag}[${header.pid}]: ${message}${end}`;
}

/** Go's time.RFC3339 in local time: "2006-01-02T15:04:05Z07:00". */
export function rfc3339(date: Date): string {
  const f = dateFields(date, false);
  const offsetMinutes = -date.getTimezoneOffset();
  let zone = "Z";
  if (offsetMinutes !== 0) {
    const abs = Math.abs(offsetMinutes);
    zone = `${offsetMinutes < 0 ? "-" : "+"}${pad2(Math.floor(abs / 60))}:${pad2(abs % 60)}`;
  }
  return `${f.year}-${pad2(f.month)}-${pad2(f.day)}T${pad2(f.hour)}:${pad2(f.minute)}:` +
    `${pad2(f.second)}${zone}`;
}

const MONTHS = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov",
  "Dec"];

/** Go's time.Stamp in local time: "Jan _2 15:04:05". */
export function stamp(date: Date): string {
  const f = dateFields(date, false);
  const day = f.day < 10 ? ` ${f.day}` : String(f.day);
  return `${MONTHS[f.month - 1]} ${day} ${pad2(f.hour)}:${pad2(f.minute)}:${pad2(f.second)}`;
}

export type RemoteSyslogTarget =
  | { network: "udp" | "tcp"; host: string; port: number }
  | { network: "unix"; path: string };

/** Parses `-r`/`remote_syslog` as nats-server does: the URL scheme names the network. */
export function parseRemoteSyslog(url: string): RemoteSyslogTarget | LogSetupError {
  const scheme = /^([A-Za-z][A-Za-z0-9+.-]*):/.exec(url);
  const network = scheme ? scheme[1].toLowerCase() : "";
  if (network === "unix") {
    const path = url.slice(scheme![0].length).replace(/^\/\/[^/]*/, "");
    return { network, path };
  }
  if (network !== "udp" && network !== "tcp") {
    return new LogSetupError(`error invalid network type: "${network}"`);
  }
  const authority = /^\/\/([^/?#]*)/.exec(url.slice(scheme![0].length))?.[1] ?? "";
  const hostPort = /^(\[[^\]]*\]|[^:]*)(?::(\d*))?$/.exec(authority);
  const dialError = (why: string) =>
    new LogSetupError(`error connecting to syslog: "dial ${network}: ${why}"`);
  if (!hostPort || hostPort[2] === undefined) {
    return dialError(`address ${authority}: missing port in address`);
  }
  const port = Number(hostPort[2]);
  if (hostPort[2] === "" || port > 65535) return dialError(`address ${authority}: invalid port`);
  const host = hostPort[1].replace(/^\[(.*)\]$/, "$1") || "localhost";
  return { network, host, port };
}

/** Go's GetSysLoggerTag: the program's base name. */
export function syslogTag(programPath: string): string {
  const parts = programPath.split("/").filter((p) => p !== "");
  return parts.length > 0 ? parts[parts.length - 1] : programPath;
}
