/**
 * Logging in nats-server's line format: `[pid] 2006/01/02 15:04:05.000000 [INF] message`.
 * Debug (-D) and trace (-V) lines are written only when enabled. Output goes to stderr or to
 * the log file (`-l`); `reopen()` serves SIGUSR1 log rotation.
 * @module
 */
import { appendFileSync } from "node:fs";

export interface LoggerOptions {
  debug: boolean;
  trace: boolean;
  logtime: boolean;
  logtimeUtc: boolean;
  /** Empty: stderr. */
  logFile: string;
}

export type LogLevel = "INF" | "DBG" | "TRC" | "WRN" | "ERR" | "FTL";

export class Logger {
  #options: LoggerOptions;
  readonly #pidPrefix = `[${process.pid}] `;
  /** Lines captured instead of written (tests); null writes normally. */
  captured: string[] | null = null;

  constructor(options: LoggerOptions) {
    this.#options = { ...options };
  }

  get debugEnabled(): boolean {
    return this.#options.debug;
  }
  get traceEnabled(): boolean {
    return this.#options.trace;
  }

  configure(options: Partial<LoggerOptions>): void {
    this.#options = { ...this.#options, ...options };
  }

  /** Called on SIGUSR1: files are opened per write, so a rotated file is picked up as is. */
  reopen(): void {}

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
  }
  debug(message: string): void {
    if (this.#options.debug) this.#write("DBG", message);
  }
  trace(message: string): void {
    if (this.#options.trace) this.#write("TRC", message);
  }

  #write(level: LogLevel, message: string): void {
    const line = `${this.#pidPrefix}${this.#timestamp()}[${level}] ${message}\n`;
    if (this.captured) {
      this.captured.push(line);
      return;
    }
    if (this.#options.logFile) {
      try {
        appendFileSync(this.#options.logFile, line);
        return;
      } catch {
        // Fall through to stderr: losing log lines silently would hide the problem.
      }
    }
    process.stderr.write(line);
  }

  #timestamp(): string {
    if (!this.#options.logtime) return "";
    const now = new Date();
    const utc = this.#options.logtimeUtc;
    const pad = (n: number, width = 2) => String(n).padStart(width, "0");
    const year = utc ? now.getUTCFullYear() : now.getFullYear();
    const month = (utc ? now.getUTCMonth() : now.getMonth()) + 1;
    const day = utc ? now.getUTCDate() : now.getDate();
    const hours = utc ? now.getUTCHours() : now.getHours();
    const minutes = utc ? now.getUTCMinutes() : now.getMinutes();
    const seconds = utc ? now.getUTCSeconds() : now.getSeconds();
    const micros = now.getMilliseconds() * 1000;
    return `${year}/${pad(month)}/${pad(day)} ${pad(hours)}:${pad(minutes)}:${pad(seconds)}` +
      `.${pad(micros, 6)} `;
  }
}
