/**
 * Where log lines go. One sink at a time serves a Logger: stderr, a file (with rotation) or
 * syslog (local or remote), chosen with nats-server's precedence.
 * @module
 */
import type { LineFormatter, LogLevel } from "./line_format.ts";

export interface LogSink {
  readonly kind: "stderr" | "file" | "syslog";
  write(level: LogLevel, message: string, nowMs: number): void;
  /** Writes out anything buffered, synchronously. */
  flush(): void;
  /** Flushes and releases the destination; the sink is not used afterwards. */
  close(): void;
}

export class StderrSink implements LogSink {
  readonly kind = "stderr";

  constructor(
    readonly formatter: LineFormatter,
    readonly out: (text: string) => void = (text) => void process.stderr.write(text),
  ) {}

  write(level: LogLevel, message: string, nowMs: number): void {
    this.out(this.formatter.format(level, message, nowMs));
  }

  flush(): void {}
  close(): void {}
}
