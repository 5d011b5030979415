/**
 * A log sink that sends each line to syslog in nats-server's form (syslog_format.ts) over a
 * transport (syslog_bun.ts). Syslog lines carry no `[pid] time [INF]` prefix: the syslog
 * header has the time, tag, pid and severity.
 * @module
 */
import type { LogLevel } from "./line_format.ts";
import type { LogSink } from "./sink.ts";
import { formatSyslog, type SyslogHeader } from "./syslog_format.ts";
import type { SyslogTransport } from "./syslog_bun.ts";

export class SyslogSink implements LogSink {
  readonly kind = "syslog";

  constructor(readonly header: SyslogHeader, readonly transport: SyslogTransport) {}

  write(level: LogLevel, message: string, nowMs: number): void {
    this.transport.send(formatSyslog(this.header, level, message, nowMs));
  }

  flush(): void {}

  close(): void {
    this.transport.close();
  }
}
