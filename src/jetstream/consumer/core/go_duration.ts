/**
 * Go's time.Duration text forms on bigint nanoseconds: ParseDuration for `-NAK 5s` delays and
 * String() for the `Exceeded MaxRequestExpires of 1m0s` status text.
 * @module
 */

const NS_PER_UNIT: Readonly<Record<string, bigint>> = {
  ns: 1n,
  us: 1_000n,
  "\u00b5s": 1_000n,
  "\u03bcs": 1_000n,
  ms: 1_000_000n,
  s: 1_000_000_000n,
  m: 60_000_000_000n,
  h: 3_600_000_000_000n,
};
const INT64_MAX = (1n << 63n) - 1n;

/** Nanoseconds of a Go duration ("1.5s", "300ms", "1h2m"), or null where Go reports an error. */
export function parseGoDurationNs(text: string): bigint | null {
  let rest = text;
  let negative = false;
  if (rest.startsWith("-") || rest.startsWith("+")) {
    negative = rest[0] === "-";
    rest = rest.slice(1);
  }
  if (rest === "0") return 0n;
  if (rest === "") return null;
  let total = 0n;
  while (rest !== "") {
    const m = /^([0-9]*)(?:\.([0-9]*))?/.exec(rest)!;
    const whole = m[1];
    const fraction = m[2] ?? "";
    if (whole === "" && fraction === "") return null;
    rest = rest.slice(m[0].length);
    const unit = /^[^0-9.]*/.exec(rest)![0];
    const scale = NS_PER_UNIT[unit];
    if (scale === undefined) return null;
    rest = rest.slice(unit.length);
    const fractionNs = fraction === ""
      ? 0n
      : (BigInt(fraction) * scale) / 10n ** BigInt(fraction.length);
    total += BigInt(whole === "" ? "0" : whole) * scale + fractionNs;
    if (total > INT64_MAX + (negative ? 1n : 0n)) return null;
  }
  return negative ? -total : total;
}

function fractionDigits(value: bigint, digits: number): string {
  // Go prints the fraction without trailing zeros.
  const text = value.toString().padStart(digits, "0").replace(/0+$/, "");
  return text === "" ? "" : `.${text}`;
}

/** Go's Duration.String(): "0s", "1.5s", "2m0s", "1h0m0s", "300ms", "1µs", "10ns". */
export function formatGoDuration(ns: bigint): string {
  if (ns === 0n) return "0s";
  const sign = ns < 0n ? "-" : "";
  const u = ns < 0n ? -ns : ns;
  if (u < 1_000n) return `${sign}${u}ns`;
  if (u < 1_000_000n) return `${sign}${u / 1_000n}${fractionDigits(u % 1_000n, 3)}\u00b5s`;
  if (u < 1_000_000_000n) {
    return `${sign}${u / 1_000_000n}${fractionDigits(u % 1_000_000n, 6)}ms`;
  }
  const seconds = u / 1_000_000_000n;
  const secondsText = `${seconds % 60n}${fractionDigits(u % 1_000_000_000n, 9)}s`;
  if (seconds < 60n) return `${sign}${secondsText}`;
  const minutes = seconds / 60n;
  if (minutes < 60n) return `${sign}${minutes}m${secondsText}`;
  return `${sign}${minutes / 60n}h${minutes % 60n}m${secondsText}`;
}
