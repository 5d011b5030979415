/**
 * JSON as nats-server's Go encoding/json writes it, for JetStream API responses: objects keep the
 * order they were built in (Go's struct field order), `undefined` fields are left out
 * (omitempty), `bigint` is written as an exact integer (nanosecond durations and int64 limits),
 * `Uint8Array` as base64, `Map` with sorted keys, and strings escape `<`, `>`, `&`, U+2028 and
 * U+2029 as Go does. Times are RFC 3339 with trimmed nanoseconds (time.RFC3339Nano).
 * @module
 */

/** What the encoder accepts. */
export type JsonValue =
  | null
  | undefined
  | boolean
  | number
  | bigint
  | string
  | Uint8Array
  | JsonValue[]
  | Map<string, JsonValue>
  | { readonly [key: string]: JsonValue }
  | { toJSON(): JsonValue };

const GO_ESCAPES: Readonly<Record<string, string>> = {
  "<": "\\u003c",
  ">": "\\u003e",
  "&": "\\u0026",
  "\u2028": "\\u2028",
  "\u2029": "\\u2029",
};

/** A JSON string literal with Go's HTML-safe escapes. */
export function goString(text: string): string {
  return JSON.stringify(text).replace(/[<>&\u2028\u2029]/g, (ch) => GO_ESCAPES[ch]);
}

/** Compact JSON text of `value`, as json.Marshal writes it. */
export function goJson(value: JsonValue): string {
  if (value === null || value === undefined) return "null";
  switch (typeof value) {
    case "boolean":
      return value ? "true" : "false";
    case "number":
      return Number.isFinite(value) && !Object.is(value, -0) ? String(value) : "0";
    case "bigint":
      return value.toString();
    case "string":
      return goString(value);
  }
  if (value instanceof Uint8Array) return `"${Buffer.from(value).toString("base64")}"`;
  if (Array.isArray(value)) return `[${value.map(goJson).join(",")}]`;
  if (value instanceof Map) {
    const keys = [...value.keys()].sort();
    return `{${keys.map((k) => `${goString(k)}:${goJson(value.get(k))}`).join(",")}}`;
  }
  if (typeof (value as { toJSON?: unknown }).toJSON === "function") {
    return goJson((value as { toJSON(): JsonValue }).toJSON());
  }
  const parts: string[] = [];
  for (const [key, item] of Object.entries(value)) {
    if (item !== undefined) parts.push(`${goString(key)}:${goJson(item as JsonValue)}`);
  }
  return `{${parts.join(",")}}`;
}

/** Go's zero time.Time in JSON. */
export const GO_ZERO_TIME = "0001-01-01T00:00:00Z";
const NS_PER_SECOND = 1_000_000_000n;

/**
 * RFC 3339 with nanoseconds, trailing zeros trimmed, in UTC (Go's time.RFC3339Nano after .UTC()).
 * 0n is Go's zero time, as nats-server reports an empty stream's first_ts.
 */
export function rfc3339Nano(unixNs: bigint): string {
  if (unixNs === 0n) return GO_ZERO_TIME;
  let seconds = unixNs / NS_PER_SECOND;
  let nanos = unixNs % NS_PER_SECOND;
  if (nanos < 0n) {
    nanos += NS_PER_SECOND;
    seconds -= 1n;
  }
  const base = new Date(Number(seconds) * 1000).toISOString().slice(0, 19);
  if (nanos === 0n) return `${base}Z`;
  const fraction = nanos.toString().padStart(9, "0").replace(/0+$/, "");
  return `${base}.${fraction}Z`;
}

const RFC3339 = new RegExp("^(\\d{4})-(\\d{2})-(\\d{2})[Tt](\\d{2}):(\\d{2}):(\\d{2})" +
  "(?:\\.(\\d{1,9})\\d*)?(?:([Zz])|([+-])(\\d{2}):(\\d{2}))$");

/**
 * Unix nanoseconds of an RFC 3339 time (any offset, up to nanosecond fraction), or null when the
 * text is not one. Go's zero time parses to 0n.
 */
export function parseRfc3339Ns(text: string): bigint | null {
  const m = RFC3339.exec(text);
  if (m === null) return null;
  const [year, month, day, hour, minute, second] = m.slice(1, 7).map(Number);
  if (month < 1 || month > 12 || day < 1 || day > 31 || hour > 23 || minute > 59 || second > 59) {
    return null;
  }
  if (year === 1 && month === 1 && day === 1 && hour === 0 && minute === 0 && second === 0 &&
    m[7] === undefined && m[8] !== undefined) {
    return 0n;
  }
  // setUTCFullYear, unlike Date.UTC, does not map years 0-99 to 1900-1999.
  const date = new Date(0);
  date.setUTCFullYear(year, month - 1, day);
  date.setUTCHours(hour, minute, second, 0);
  const ms = date.getTime();
  if (Number.isNaN(ms) || date.getUTCDate() !== day) return null;
  let ns = BigInt(ms) * 1_000_000n;
  if (m[7] !== undefined) ns += BigInt(m[7].padEnd(9, "0"));
  if (m[9] !== undefined) {
    const offsetMinutes = Number(m[10]) * 60 + Number(m[11]);
    const offsetNs = BigInt(offsetMinutes) * 60n * NS_PER_SECOND;
    ns += m[9] === "+" ? -offsetNs : offsetNs;
  }
  return ns;
}
