/**
 * Durations as nats-server reads them: Go's time.ParseDuration syntax ("2m", "1.5h",
 * "300ms", "1h2m3s", units ns us µs ms s m h), and Go's Duration.String() for messages.
 * @module
 */

const NS_PER_UNIT: Record<string, bigint> = {
  ns: 1n, us: 1000n, "\u00b5s": 1000n, "\u03bcs": 1000n, ms: 1_000_000n,
  s: 1_000_000_000n, m: 60_000_000_000n, h: 3_600_000_000_000n,
};
const INT64_MAX = (1n << 63n) - 1n;

export class DurationError extends Error {
  override name = "DurationError";
}

/** Nanoseconds of a Go duration string; throws DurationError with Go's wording. */
export function parseDurationNs(text: string): bigint {
  const invalid = () => new DurationError(`time: invalid duration "${text}"`);
  let rest = text;
  let negative = false;
  if (rest.startsWith("-") || rest.startsWith("+")) {
    negative = rest[0] === "-";
    rest = rest.slice(1);
  }
  if (rest === "0") return 0n;
  if (rest === "") throw invalid();
  let total = 0n;
  while (rest !== "") {
    const m = /^([0-9]*)(?:\.([0-9]*))?/.exec(rest)!;
    const whole = m[1];
    const fraction = m[2] ?? "";
    if (whole === "" && fraction === "") throw invalid();
    rest = rest.slice(m[0].length);
    const unitMatch = /^[^0-9.]*/.exec(rest)![0];
    if (unitMatch === "") throw new DurationError(`time: missing unit in duration "${text}"`);
    const scale = NS_PER_UNIT[unitMatch];
    if (scale === undefined) {
      throw new DurationError(`time: unknown unit "${unitMatch}" in duration "${text}"`);
    }
    rest = rest.slice(unitMatch.length);
    // Go truncates the fraction to whole nanoseconds.
    const fractionNs = fraction === "" ? 0n :
      (BigInt(fraction) * scale) / 10n ** BigInt(fraction.length);
    total += BigInt(whole === "" ? "0" : whole) * scale + fractionNs;
    if (total > INT64_MAX + (negative ? 1n : 0n)) throw invalid();
  }
  return negative ? -total : total;
}

/** Milliseconds of a Go duration string (may be fractional, e.g. "1500us" is 1.5). */
export function parseDurationMs(text: string): number {
  return Number(parseDurationNs(text)) / 1e6;
}

/** Go's time.Duration.String() for a number of milliseconds: "2m0s", "1.5s", "300ms". */
export function formatDurationMs(ms: number): string {
  if (ms === 0) return "0s";
  const sign = ms < 0 ? "-" : "";
  let rest = Math.abs(ms);
  if (rest < 1000) return `${sign}${trimNumber(rest)}ms`;
  const hours = Math.floor(rest / 3_600_000);
  rest -= hours * 3_600_000;
  const minutes = Math.floor(rest / 60_000);
  rest -= minutes * 60_000;
  const seconds = `${trimNumber(rest / 1000)}s`;
  if (hours > 0) return `${sign}${hours}h${minutes}m${seconds}`;
  if (minutes > 0) return `${sign}${minutes}m${seconds}`;
  return `${sign}${seconds}`;
}

function trimNumber(n: number): string {
  return String(Math.round(n * 1e6) / 1e6);
}
