/**
 * Chooses and opens the log destination with nats-server's precedence (server/log.go
 * ConfigureLogger): `logfile` wins, then `remote_syslog`, then `syslog`, then stderr.
 * @module
 */
import { LogSetupError } from "./errors.ts";
import { FileSink } from "./file_sink.ts";
import { LineFormatter } from "./line_format.ts";
import { type LogSink, StderrSink } from "./sink.ts";
import {
  LOCAL_SYSLOG_PATHS, LocalSyslogUnavailable, openLocalSyslog, openRemoteSyslog,
} from "./syslog_bun.ts";
import { FACILITY_DAEMON, FACILITY_KERN, parseRemoteSyslog } from "./syslog_format.ts";
import { SyslogSink } from "./syslog_sink.ts";

/** The options that decide the destination and the line format. */
export interface SinkSettings {
  logtime: boolean;
  logtimeUtc: boolean;
  logFile: string;
  logSizeLimitBytes: number;
  logMaxFiles: number;
  syslog: boolean;
  remoteSyslog: string;
}

export interface SinkEnvironment {
  pid: number;
  /** Colored labels on stderr (nats-server: when stderr is a terminal). */
  colors: boolean;
  hostname: string;
  /** The syslog tag: the program's name. */
  tag: string;
  stderr: (text: string) => void;
  /** A syslog connection failing after start-up (the sink was already in use). */
  onAsyncError: (message: string) => void;
  localSyslogPaths?: readonly string[];
}

export interface OpenedSink {
  sink: LogSink;
  /** Said once at warning level through the new sink (e.g. local syslog unavailable). */
  notice?: string;
}

export function sameSinkSettings(a: SinkSettings, b: SinkSettings): boolean {
  return a.logtime === b.logtime && a.logtimeUtc === b.logtimeUtc && a.logFile === b.logFile &&
    a.logSizeLimitBytes === b.logSizeLimitBytes && a.logMaxFiles === b.logMaxFiles &&
    a.syslog === b.syslog && a.remoteSyslog === b.remoteSyslog;
}

export function openSink(
  settings: SinkSettings, env: SinkEnvironment, nowMs: number,
): OpenedSink | LogSetupError {
  const formatter = (colors: boolean) => new LineFormatter({
    pid: env.pid, logtime: settings.logtime, logtimeUtc: settings.logtimeUtc, colors,
  });
  if (settings.logFile !== "") {
    const sink = FileSink.open({
      path: settings.logFile, sizeLimitBytes: Math.max(settings.logSizeLimitBytes, 0),
      maxFiles: Math.max(settings.logMaxFiles, 0), formatter: formatter(false), stderr: env.stderr,
    }, nowMs);
    return sink instanceof LogSetupError ? sink : { sink };
  }
  const header = { hostname: env.hostname, tag: env.tag, pid: env.pid };
  if (settings.remoteSyslog !== "") {
    const target = parseRemoteSyslog(settings.remoteSyslog);
    if (target instanceof LogSetupError) return target;
    const transport = openRemoteSyslog(target, env.onAsyncError);
    // Go dials with LOG_DEBUG as the priority, so the facility stays 0; unix:// sockets get
    // the local form.
    const network = target.network !== "unix";
    return { sink: new SyslogSink({ ...header, facility: FACILITY_KERN, network }, transport) };
  }
  if (settings.syslog) {
    const transport = openLocalSyslog(env.localSyslogPaths ?? LOCAL_SYSLOG_PATHS);
    if (transport instanceof LogSetupError) return transport;
    if (transport instanceof LocalSyslogUnavailable) {
      return {
        sink: new StderrSink(formatter(env.colors), env.stderr),
        notice: `Local syslog is not available: ${transport.reason}; logging to stderr`,
      };
    }
    return { sink: new SyslogSink({ ...header, facility: FACILITY_DAEMON, network: false },
      transport) };
  }
  return { sink: new StderrSink(formatter(env.colors), env.stderr) };
}
