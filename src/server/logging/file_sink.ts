/**
 * The log file (`logfile`/`-l`): one open descriptor (append mode, 0640 like nats-server),
 * lines buffered and written in one write per event-loop turn (at once for errors, or when
 * the buffer fills), with nats-server's size-based rotation and backup purging
 * (`logfile_size_limit`, `logfile_max_num`; see rotation.ts for the names).
 *
 * Rotation follows Go's fileLogger.Write: the line that takes the file past the limit is
 * written first, then the file is renamed to its backup name, a new file is opened and starts
 * with `Rotated log, backup saved as "<backup>"`; then old backups are purged.
 * @module
 */
import {
  closeSync, fstatSync, openSync, readdirSync, renameSync, unlinkSync, writeSync,
} from "node:fs";
import { basename, dirname, join } from "node:path";
import { LogSetupError, openErrorText, systemErrorText } from "./errors.ts";
import { goQuoteString } from "./go_quote.ts";
import type { LineFormatter, LogLevel } from "./line_format.ts";
import { BackupStamps, backupsToPurge } from "./rotation.ts";
import type { LogSink } from "./sink.ts";

/** Buffered log text is written once it reaches this size, without waiting for the turn. */
export const FILE_BUFFER_BYTES_MAX = 64 * 1024;

/** nats-server's defaultLogPerms. */
const LOG_FILE_MODE = 0o640;

export interface FileSinkOptions {
  path: string;
  /** 0: never rotate. */
  sizeLimitBytes: number;
  /** Rotated files kept, counting the active one; 0: keep all. */
  maxFiles: number;
  formatter: LineFormatter;
  /** Where to report a failing file (a full disk, say) rather than lose the reason. */
  stderr?: (text: string) => void;
}

export class FileSink implements LogSink {
  readonly kind = "file";
  readonly path: string;
  readonly #options: FileSinkOptions;
  readonly #stamps = new BackupStamps();
  readonly #stderr: (text: string) => void;
  #fd: number;
  /** Bytes in the file, buffered ones included (Go's `out`). */
  #sizeBytes: number;
  #pending: string[] = [];
  #pendingBytes = 0;
  #flushScheduled = false;
  #closed = false;
  /** The file could not be reopened after a rotation: lines go to stderr. */
  #lost = false;
  #writeFailed = false;

  private constructor(options: FileSinkOptions, fd: number, sizeBytes: number) {
    this.#options = options;
    this.path = options.path;
    this.#fd = fd;
    this.#sizeBytes = sizeBytes;
    this.#stderr = options.stderr ?? ((text) => void process.stderr.write(text));
  }

  /** Opens (or creates) the file for appending; a typed error says why it cannot. */
  static open(options: FileSinkOptions, nowMs: number): FileSink | LogSetupError {
    let fd: number;
    try {
      fd = openSync(options.path, "a", LOG_FILE_MODE);
    } catch (error) {
      return new LogSetupError(`error opening file: ${openErrorText(options.path, error)}`);
    }
    const sink = new FileSink(options, fd, fstatSync(fd).size);
    // Go's setLimit: a file already over the limit is rotated by the next line, this one.
    if (options.sizeLimitBytes > 0 && sink.#sizeBytes > options.sizeLimitBytes) {
      sink.write("INF", "Rotating logfile...", nowMs);
    }
    return sink;
  }

  write(level: LogLevel, message: string, nowMs: number): void {
    if (this.#closed) return;
    const line = this.#options.formatter.format(level, message, nowMs);
    if (this.#lost) {
      this.#stderr(line);
      return;
    }
    const bytes = Buffer.byteLength(line);
    this.#pending.push(line);
    this.#pendingBytes += bytes;
    this.#sizeBytes += bytes;
    const limit = this.#options.sizeLimitBytes;
    if (limit > 0 && this.#sizeBytes > limit) {
      this.#rotate(nowMs);
    } else if (level === "ERR" || level === "FTL" || this.#pendingBytes >= FILE_BUFFER_BYTES_MAX) {
      this.flush();
    } else if (!this.#flushScheduled) {
      this.#flushScheduled = true;
      setImmediate(() => {
        this.#flushScheduled = false;
        this.flush();
      });
    }
  }

  flush(): void {
    if (this.#pending.length === 0 || this.#fd < 0) return;
    const text = this.#pending.length === 1 ? this.#pending[0] : this.#pending.join("");
    this.#pending = [];
    this.#pendingBytes = 0;
    this.#writeRaw(text);
  }

  close(): void {
    if (this.#closed) return;
    this.flush();
    this.#closed = true;
    if (this.#fd >= 0) closeSync(this.#fd);
    this.#fd = -1;
  }

  #writeRaw(text: string): void {
    try {
      writeSync(this.#fd, text);
      this.#writeFailed = false;
    } catch (error) {
      // Report once per failure streak: a full disk must not turn every line into two.
      if (!this.#writeFailed) {
        this.#stderr(`error writing log file ${this.path}: ${systemErrorText(error)}\n`);
      }
      this.#writeFailed = true;
    }
  }

  #rotate(nowMs: number): void {
    this.flush();
    closeSync(this.#fd);
    this.#fd = -1;
    const backup = `${this.path}.${this.#stamps.next(nowMs)}`;
    try {
      renameSync(this.path, backup);
    } catch {
      // As in Go, a failed rename is not fatal: the reopened file simply continues.
    }
    try {
      this.#fd = openSync(this.path, "a", LOG_FILE_MODE);
    } catch (error) {
      // Go panics here; natsd keeps running and says where its log lines went.
      this.#stderr(`Unable to re-open the logfile ${goQuoteString(this.path)} after rotation: ` +
        `${openErrorText(this.path, error)}; logging to stderr\n`);
      this.#lost = true;
      return;
    }
    const line = this.#options.formatter.direct(
      "INF", `Rotated log, backup saved as ${goQuoteString(backup)}`, nowMs);
    this.#writeRaw(line);
    this.#sizeBytes = Buffer.byteLength(line);
    if (this.#options.maxFiles > 0) this.#purge(nowMs);
  }

  /** Go's logPurge; its messages are not counted towards the size, as in Go. */
  #purge(nowMs: number): void {
    const dir = dirname(this.path);
    let names: string[];
    try {
      names = readdirSync(dir, { withFileTypes: true })
        .filter((entry) => !entry.isDirectory()).map((entry) => entry.name);
    } catch (error) {
      this.#direct("ERR", `Unable to read directory ${goQuoteString(dir)} for log purge ` +
        `(${systemErrorText(error)}), will attempt next rotation`, nowMs);
      return;
    }
    for (const name of backupsToPurge(basename(this.path), names, this.#options.maxFiles)) {
      try {
        unlinkSync(join(dir, name));
      } catch (error) {
        this.#direct("ERR", `Unable to remove backup log file ${goQuoteString(name)} ` +
          `(${systemErrorText(error)}), will attempt next rotation`, nowMs);
        return;
      }
      this.#direct("INF", `Purged log file ${goQuoteString(name)}`, nowMs);
    }
  }

  #direct(level: LogLevel, message: string, nowMs: number): void {
    this.#writeRaw(this.#options.formatter.direct(level, message, nowMs));
  }
}
