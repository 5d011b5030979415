/**
 * JSON text byte-compatible with Go's encoding/json as nats-server uses it: objects keep the
 * field order they were built in (Go's struct order), `Map`s are written with sorted keys (Go
 * sorts map keys), strings escape `<`, `>`, `&`, U+2028 and U+2029 as Go does, and
 * indentation matches json.MarshalIndent(v, "", indent).
 * @module
 */

/** Values the encoder accepts. `undefined` fields are left out (Go's omitempty). */
export type GoJsonValue =
  | null
  | undefined
  | boolean
  | number
  | bigint
  | string
  | GoJsonValue[]
  | Map<string, GoJsonValue>
  | { [key: string]: GoJsonValue };

const GO_ESCAPES: Record<string, string> = {
  "<": "\\u003c",
  ">": "\\u003e",
  "&": "\\u0026",
  "\u2028": "\\u2028",
  "\u2029": "\\u2029",
};

export function goString(text: string): string {
  return JSON.stringify(text).replace(/[<>&\u2028\u2029]/g, (ch) => GO_ESCAPES[ch]);
}

function goNumber(value: number): string {
  // Go refuses NaN and infinities; nats-server never produces them, so write 0 defensively.
  if (!Number.isFinite(value)) return "0";
  return Object.is(value, -0) ? "0" : JSON.stringify(value);
}

/** Encodes `value`; `indent` "" gives compact output (json.Marshal). */
export function goJson(value: GoJsonValue, indent = "  "): string {
  return encode(value, indent, "");
}

function encode(value: GoJsonValue, indent: string, prefix: string): string {
  if (value === null || value === undefined) return "null";
  switch (typeof value) {
    case "boolean":
      return value ? "true" : "false";
    case "number":
      return goNumber(value);
    case "bigint":
      // JetStream details carry nanosecond durations and int64 limits beyond 2^53.
      return value.toString();
    case "string":
      return goString(value);
  }
  if (Array.isArray(value)) {
    return encodeEntries(value.map((item) => [null, item]), "[", "]", indent, prefix);
  }
  if (value instanceof Map) {
    const keys = [...value.keys()].sort(compareBytes);
    return encodeEntries(keys.map((key) => [key, value.get(key)]), "{", "}", indent, prefix);
  }
  const entries = Object.entries(value).filter(([, item]) => item !== undefined);
  return encodeEntries(entries, "{", "}", indent, prefix);
}

function encodeEntries(
  entries: [string | null, GoJsonValue][], open: string, close: string,
  indent: string, prefix: string,
): string {
  if (entries.length === 0) return open + close;
  const inner = prefix + indent;
  const parts = entries.map(([key, item]) => {
    const head = key === null ? "" : `${goString(key)}:${indent ? " " : ""}`;
    return head + encode(item, indent, inner);
  });
  if (!indent) return open + parts.join(",") + close;
  return `${open}\n${inner}${parts.join(`,\n${inner}`)}\n${prefix}${close}`;
}

/** Go sorts map keys by their UTF-8 bytes; for the ASCII keys used here this is code order. */
function compareBytes(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
