/**
 * Logging as nats-server does it: `[pid] 2006/01/02 15:04:05.000000 [INF] message` lines on
 * stderr or in the log file (`-l`, with size rotation and purging), or syslog messages
 * (`-s` local, `-r` remote). Debug (-D) and trace (-V) lines are written only when enabled.
 * A reload prepares the new destination before anything changes (`prepare`), and SIGUSR1
 * reopens the file (`reopen`) so that logrotate's rename-then-signal works.
 * The destinations live in ./logging/.
 * @module
 */
import { hostname } from "node:os";
import { LogSetupError } from "./logging/errors.ts";
import { LineFormatter, type LogLevel } from "./logging/line_format.ts";
import {
  type OpenedSink, openSink, sameSinkSettings, type SinkEnvironment, type SinkSettings,
} from "./logging/open_sink.ts";
import type { LogSink } from "./logging/sink.ts";
import { stdLogLine } from "./logging/line_format.ts";
import { syslogTag } from "./logging/syslog_format.ts";

export { LogSetupError } from "./logging/errors.ts";
export type { LogLevel } from "./logging/line_format.ts";

export interface LoggerOptions {
  debug: boolean;
  trace: boolean;
  logtime: boolean;
  logtimeUtc: boolean;
  /** Empty: not a file. */
  logFile: string;
  logSizeLimitBytes?: number;
  logMaxFiles?: number;
  syslog?: boolean;
  remoteSyslog?: string;
}

/** What a Logger reads from its surroundings; tests replace parts of it. */
export interface LoggerEnvironment extends Partial<SinkEnvironment> {
  nowMs?: () => number;
}

/** A reload's logging, opened but not in use until `commit`. */
export interface PreparedLogging {
  commit(): void;
  discard(): void;
}

export type ReopenResult = "reopened" | "notFile" | LogSetupError;

/** Wall-clock milliseconds with microsecond digits (Date.now has only milliseconds). */
const wallClockMs = () => performance.timeOrigin + performance.now();

export class Logger {
  /** Lines captured instead of written (tests); null writes normally. */
  captured: string[] | null = null;
  #debug: boolean;
  #trace: boolean;
  #settings: SinkSettings;
  #sink: LogSink;
  readonly #env: SinkEnvironment;
  readonly #nowMs: () => number;
  readonly #captureFormat: LineFormatter;
  #exitHook: (() => void) | null = null;

  /** Throws LogSetupError when the destination cannot be opened; see Logger.open. */
  constructor(options: LoggerOptions, env: LoggerEnvironment = {}) {
    this.#nowMs = env.nowMs ?? wallClockMs;
    this.#env = environment(env);
    this.#debug = options.debug;
    this.#trace = options.trace;
    this.#settings = sinkSettings(options);
    this.#captureFormat = new LineFormatter({
      pid: this.#env.pid, logtime: options.logtime, logtimeUtc: options.logtimeUtc, colors: false,
    });
    const opened = openSink(this.#settings, this.#env, this.#nowMs());
    if (opened instanceof LogSetupError) throw opened;
    this.#sink = opened.sink;
    this.#afterSwap(opened);
  }

  /** A logger, or nats-server's reason why its destination cannot be opened. */
  static open(options: LoggerOptions, env: LoggerEnvironment = {}): Logger | LogSetupError {
    try {
      return new Logger(options, env);
    } catch (error) {
      if (error instanceof LogSetupError) return error;
      throw error;
    }
  }

  /** The line Go's `log.Fatalf` prints when the logger cannot be set up. */
  static setupFailureLine(error: LogSetupError, nowMs = Date.now()): string {
    return stdLogLine(error.message, nowMs);
  }

  get debugEnabled(): boolean {
    return this.#debug;
  }
  get traceEnabled(): boolean {
    return this.#trace;
  }
  get destination(): LogSink["kind"] {
    return this.#sink.kind;
  }

  /**
   * Opens what `options` ask for without using it yet: a reload logs its "Reloaded:" lines to
   * the running destination, then commits. Levels alone need nothing opened.
   */
  prepare(options: LoggerOptions): PreparedLogging | LogSetupError {
    const settings = sinkSettings(options);
    const levels = () => {
      this.#debug = options.debug;
      this.#trace = options.trace;
    };
    if (sameSinkSettings(settings, this.#settings)) return { commit: levels, discard() {} };
    this.#sink.flush(); // the new file may be this one: keep the lines in order
    const opened = openSink(settings, this.#env, this.#nowMs());
    if (opened instanceof LogSetupError) return opened;
    return {
      commit: () => {
        this.#swap(opened, settings);
        levels();
      },
      discard: () => opened.sink.close(),
    };
  }

  /** prepare + commit; throws LogSetupError (nothing changes then). */
  configure(options: LoggerOptions): void {
    const prepared = this.prepare(options);
    if (prepared instanceof LogSetupError) throw prepared;
    prepared.commit();
  }

  /** SIGUSR1: a new descriptor for the log file's path (after logrotate renamed the old). */
  reopen(): ReopenResult {
    if (this.#sink.kind !== "file") return "notFile";
    this.#sink.flush();
    const opened = openSink(this.#settings, this.#env, this.#nowMs());
    if (opened instanceof LogSetupError) return opened;
    this.#swap(opened, this.#settings);
    return "reopened";
  }

  info(message: string): void {
    this.#write("INF", message);
  }
  warn(message: string): void {
    this.#write("WRN", message);
  }
  error(message: string): void {
    this.#write("ERR", message);
  }
  fatal(message: string): void {
    this.#write("FTL", message);
    this.flush();
  }
  debug(message: string): void {
    if (this.#debug) this.#write("DBG", message);
  }
  trace(message: string): void {
    if (this.#trace) this.#write("TRC", message);
  }

  flush(): void {
    this.#sink.flush();
  }

  close(): void {
    this.#sink.close();
    this.#setExitHook(false);
  }

  #write(level: LogLevel, message: string): void {
    const nowMs = this.#nowMs();
    if (this.captured) {
      this.captured.push(this.#captureFormat.format(level, message, nowMs));
      return;
    }
    this.#sink.write(level, message, nowMs);
  }

  #swap(opened: OpenedSink, settings: SinkSettings): void {
    this.#sink.close();
    this.#sink = opened.sink;
    this.#settings = settings;
    this.#afterSwap(opened);
  }

  #afterSwap(opened: OpenedSink): void {
    // Buffered file lines must reach the disk however the process ends (process.exit too).
    this.#setExitHook(opened.sink.kind === "file");
    if (opened.notice) this.warn(opened.notice);
  }

  #setExitHook(on: boolean): void {
    if (on && !this.#exitHook) {
      this.#exitHook = () => this.#sink.flush();
      process.on("exit", this.#exitHook);
    } else if (!on && this.#exitHook) {
      process.off("exit", this.#exitHook);
      this.#exitHook = null;
    }
  }
}

function sinkSettings(options: LoggerOptions): SinkSettings {
  return {
    logtime: options.logtime, logtimeUtc: options.logtimeUtc, logFile: options.logFile,
    logSizeLimitBytes: options.logSizeLimitBytes ?? 0, logMaxFiles: options.logMaxFiles ?? 0,
    syslog: options.syslog ?? false, remoteSyslog: options.remoteSyslog ?? "",
  };
}

function environment(env: LoggerEnvironment): SinkEnvironment {
  const stderr = env.stderr ?? ((text: string) => void process.stderr.write(text));
  return {
    pid: env.pid ?? process.pid,
    colors: env.colors ?? process.stderr.isTTY === true,
    hostname: env.hostname ?? hostname(),
    tag: env.tag ?? syslogTag(process.env.NATSD_EXE_NAME || "natsd"),
    stderr,
    onAsyncError: env.onAsyncError ?? ((message) => stderr(stdLogLine(message, Date.now()))),
    localSyslogPaths: env.localSyslogPaths,
  };
}
