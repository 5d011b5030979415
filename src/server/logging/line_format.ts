/**
 * nats-server's log line: `[pid] 2006/01/02 15:04:05.000000 [INF] message`, as Go's `log`
 * package writes it with LstdFlags|Lmicroseconds (local time, or UTC with logtime_utc), and
 * the labels nats-server uses (colored on a terminal). Also the "direct" form Go's file logger
 * uses for its own rotation messages: always local time, ending in CRLF.
 * @module
 */

export type LogLevel = "INF" | "DBG" | "TRC" | "WRN" | "ERR" | "FTL";

const PLAIN_LABELS: Readonly<Record<LogLevel, string>> = {
  INF: "[INF] ", DBG: "[DBG] ", TRC: "[TRC] ", WRN: "[WRN] ", ERR: "[ERR] ", FTL: "[FTL] ",
};

const color = (code: string, level: LogLevel) => `[\x1b[${code}m${level}\x1b[0m] `;

/** nats-server's ANSI colors (logger/log.go setColoredLabelFormats). */
const COLOR_LABELS: Readonly<Record<LogLevel, string>> = {
  INF: color("32", "INF"), DBG: color("36", "DBG"), TRC: color("33", "TRC"),
  WRN: color("0;93", "WRN"), ERR: color("31", "ERR"), FTL: color("31", "FTL"),
};

export interface LineFormatOptions {
  pid: number;
  logtime: boolean;
  logtimeUtc: boolean;
  /** Colored labels: nats-server uses them when stderr is a terminal. */
  colors: boolean;
}

export class LineFormatter {
  readonly #pidPrefix: string;
  readonly #logtime: boolean;
  readonly #utc: boolean;
  readonly #labels: Readonly<Record<LogLevel, string>>;
  /** The formatted "YYYY/MM/DD HH:MM:SS" of #cachedSecond (one Date per second, not per line). */
  #cachedSecond = Number.NaN;
  #cachedPrefix = "";
  #cachedLocalSecond = Number.NaN;
  #cachedLocalPrefix = "";

  constructor(options: LineFormatOptions) {
    this.#pidPrefix = `[${options.pid}] `;
    this.#logtime = options.logtime;
    this.#utc = options.logtimeUtc;
    this.#labels = options.colors ? COLOR_LABELS : PLAIN_LABELS;
  }

  /** A complete line, newline included. */
  format(level: LogLevel, message: string, nowMs: number): string {
    const time = this.#logtime ? this.#timestamp(nowMs) : "";
    const end = message.endsWith("\n") ? "" : "\n";
    return `${this.#pidPrefix}${time}${this.#labels[level]}${message}${end}`;
  }

  /** Go's fileLogger.logDirect: local time whatever logtime_utc says, plain label, CRLF. */
  direct(level: LogLevel, message: string, nowMs: number): string {
    const time = this.#logtime ? this.#localTimestamp(nowMs) : "";
    return `${this.#pidPrefix}${time}${PLAIN_LABELS[level]}${message}\r\n`;
  }

  #timestamp(nowMs: number): string {
    const second = Math.floor(nowMs / 1000);
    if (second !== this.#cachedSecond) {
      this.#cachedSecond = second;
      this.#cachedPrefix = dateTimeText(new Date(second * 1000), this.#utc);
    }
    return `${this.#cachedPrefix}.${microsText(nowMs)} `;
  }

  #localTimestamp(nowMs: number): string {
    const second = Math.floor(nowMs / 1000);
    if (second !== this.#cachedLocalSecond) {
      this.#cachedLocalSecond = second;
      this.#cachedLocalPrefix = dateTimeText(new Date(second * 1000), false);
    }
    return `${this.#cachedLocalPrefix}.${microsText(nowMs)} `;
  }
}

/** "2006/01/02 15:04:05" */
export function dateTimeText(date: Date, utc: boolean): string {
  const f = dateFields(date, utc);
  return `${f.year}/${pad2(f.month)}/${pad2(f.day)} ${pad2(f.hour)}:${pad2(f.minute)}:` +
    pad2(f.second);
}

/** The line Go's standard `log` package writes for log.Fatalf before the logger exists. */
export function stdLogLine(message: string, nowMs: number): string {
  return `${dateTimeText(new Date(nowMs), false)} ${message}\n`;
}

export interface DateFields {
  year: number;
  month: number;
  day: number;
  hour: number;
  minute: number;
  second: number;
}

export function dateFields(date: Date, utc: boolean): DateFields {
  if (utc) {
    return {
      year: date.getUTCFullYear(), month: date.getUTCMonth() + 1, day: date.getUTCDate(),
      hour: date.getUTCHours(), minute: date.getUTCMinutes(), second: date.getUTCSeconds(),
    };
  }
  return {
    year: date.getFullYear(), month: date.getMonth() + 1, day: date.getDate(),
    hour: date.getHours(), minute: date.getMinutes(), second: date.getSeconds(),
  };
}

export const pad2 = (n: number): string => (n < 10 ? `0${n}` : String(n));

/** Microseconds within the second; the clock gives milliseconds with a fraction at best. */
function microsText(nowMs: number): string {
  const micros = Math.floor((nowMs % 1000) * 1000);
  return String(micros).padStart(6, "0");
}
