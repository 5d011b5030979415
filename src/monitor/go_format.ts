/**
 * Text formats that monitoring clients parse out of nats-server's JSON: Go's duration text
 * (`rtt`), the server's coarse uptime text (`uptime`, `idle`), RFC 3339 timestamps with
 * fractional seconds (`now`, `start`), and Go's `%q` quoting used inside error messages.
 * @module
 */

const NS_PER_US = 1_000;
const NS_PER_MS = 1_000_000;
const NS_PER_S = 1_000_000_000;
const DAYS_PER_YEAR = 365;

/** A wall-clock instant: epoch milliseconds, possibly fractional (sub-ms precision). */
export type WallMs = number;

/** Go's zero time.Time as it appears in JSON. */
export const GO_ZERO_TIME = "0001-01-01T00:00:00Z";

/**
 * Go's time.Duration text for a duration in nanoseconds: "0s", "850ns", "1.5µs", "277µs",
 * "1.426891ms", "2.5s", "1m0s", "1h2m3.004s".
 */
export function goDuration(ns: number): string {
  const whole = Math.round(ns);
  if (whole === 0) return "0s";
  const sign = whole < 0 ? "-" : "";
  const abs = Math.abs(whole);
  if (abs < NS_PER_US) return `${sign}${abs}ns`;
  if (abs < NS_PER_MS) return `${sign}${fraction(abs, NS_PER_US)}µs`;
  if (abs < NS_PER_S) return `${sign}${fraction(abs, NS_PER_MS)}ms`;
  const totalSeconds = Math.floor(abs / NS_PER_S);
  const seconds = fraction(abs - (totalSeconds - (totalSeconds % 60)) * NS_PER_S, NS_PER_S);
  const totalMinutes = Math.floor(totalSeconds / 60);
  const hours = Math.floor(totalMinutes / 60);
  const minutes = totalMinutes % 60;
  if (hours > 0) return `${sign}${hours}h${minutes}m${seconds}s`;
  if (totalMinutes > 0) return `${sign}${minutes}m${seconds}s`;
  return `${sign}${seconds}s`;
}

/** `value / unit` in decimal, with the fraction's trailing zeros removed. */
function fraction(value: number, unit: number): string {
  const integer = Math.floor(value / unit);
  const rest = value - integer * unit;
  if (rest === 0) return String(integer);
  const digits = String(unit).length - 1;
  return `${integer}.${String(rest).padStart(digits, "0").replace(/0+$/, "")}`;
}

/**
 * nats-server's uptime text: whole seconds broken into years (365 days), days, hours,
 * minutes and seconds, leading zero units omitted ("0s", "4m2s", "1d0h0m5s", "2y3d4h5m6s").
 */
export function goUptime(ms: number): string {
  const totalSeconds = Math.max(0, Math.floor(ms / 1000));
  const totalMinutes = Math.floor(totalSeconds / 60);
  const totalHours = Math.floor(totalMinutes / 60);
  const totalDays = Math.floor(totalHours / 24);
  const years = Math.floor(totalDays / DAYS_PER_YEAR);
  const s = totalSeconds % 60;
  const m = totalMinutes % 60;
  const h = totalHours % 24;
  if (years > 0) return `${years}y${totalDays % DAYS_PER_YEAR}d${h}h${m}m${s}s`;
  if (totalDays > 0) return `${totalDays}d${h}h${m}m${s}s`;
  if (totalHours > 0) return `${totalHours}h${m}m${s}s`;
  if (totalMinutes > 0) return `${totalMinutes}m${s}s`;
  return `${s}s`;
}

/**
 * RFC 3339 in UTC with up to microsecond precision and no trailing zeros, as Go's
 * RFC3339Nano prints it ("2026-11-26T18:42:23.3514Z", "2026-11-26T18:42:23Z"). Sub-millisecond
 * digits come from the fractional part of `wall`; JavaScript clocks carry no real nanoseconds.
 */
export function rfc3339(wall: WallMs): string {
  const wholeMs = Math.floor(wall);
  let micros = Math.round((wall - wholeMs) * 1000);
  let baseMs = wholeMs;
  if (micros >= 1000) {
    baseMs += 1;
    micros -= 1000;
  }
  const date = new Date(baseMs);
  const iso = date.toISOString(); // YYYY-MM-DDTHH:MM:SS.mmmZ
  const ms = date.getUTCMilliseconds();
  const fractionDigits = `${String(ms).padStart(3, "0")}${String(micros).padStart(3, "0")}`
    .replace(/0+$/, "");
  const base = iso.slice(0, 19);
  return fractionDigits === "" ? `${base}Z` : `${base}.${fractionDigits}Z`;
}

/** Go's `%q` for the ASCII text found in query parameters; other runes are escaped. */
export function goQuote(text: string): string {
  let out = '"';
  for (const ch of text) {
    const code = ch.codePointAt(0) ?? 0;
    if (ch === '"' || ch === "\\") out += `\\${ch}`;
    else if (ch === "\n") out += "\\n";
    else if (ch === "\r") out += "\\r";
    else if (ch === "\t") out += "\\t";
    else if (code < 0x20 || code === 0x7f) out += `\\x${code.toString(16).padStart(2, "0")}`;
    else if (ch === "\ufffd") out += "\\ufffd";
    else out += ch;
  }
  return `${out}"`;
}
