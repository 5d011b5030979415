/**
 * Go's `%q` (strconv.Quote) for log lines: nats-server quotes traced payloads and file names
 * with it, so natsd's lines read the same. Bytes that are not valid UTF-8 become `\xNN`,
 * control characters their short escapes or `\xNN`, other unprintable runes `\uNNNN`.
 * @module
 */

const SHORT_ESCAPES: ReadonlyMap<number, string> = new Map([
  [0x07, "\\a"], [0x08, "\\b"], [0x0c, "\\f"], [0x0a, "\\n"], [0x0d, "\\r"], [0x09, "\\t"],
  [0x0b, "\\v"], [0x22, '\\"'], [0x5c, "\\\\"],
]);

/** Unicode's printable classes as Go's unicode.IsPrint sees them (plus the ASCII space). */
const PRINTABLE = /^[\p{L}\p{M}\p{N}\p{P}\p{S}]$/u;

const encoder = new TextEncoder();

/** `"…"` with Go's escapes, for a string. */
export function goQuoteString(text: string): string {
  return goQuote(encoder.encode(text));
}

/** `"…"` with Go's escapes, for bytes that need not be valid UTF-8. */
export function goQuote(bytes: Uint8Array): string {
  if (isPlainAscii(bytes)) return `"${String.fromCharCode(...bytes)}"`;
  let out = '"';
  let i = 0;
  while (i < bytes.length) {
    const { rune, width } = decodeRune(bytes, i);
    out += rune < 0 ? hexByte(bytes[i]) : escapeRune(rune);
    i += width;
  }
  return `${out}"`;
}

function isPlainAscii(bytes: Uint8Array): boolean {
  // Spread into fromCharCode is bounded by the argument limit: long inputs take the slow path.
  if (bytes.length > 4096) return false;
  for (const b of bytes) {
    if (b < 0x20 || b > 0x7e || b === 0x22 || b === 0x5c) return false;
  }
  return true;
}

function escapeRune(rune: number): string {
  const short = SHORT_ESCAPES.get(rune);
  if (short !== undefined) return short;
  if (rune < 0x20 || rune === 0x7f) return hexByte(rune);
  const text = String.fromCodePoint(rune);
  if (rune === 0x20 || PRINTABLE.test(text)) return text;
  if (rune < 0x10000) return `\\u${rune.toString(16).padStart(4, "0")}`;
  return `\\U${rune.toString(16).padStart(8, "0")}`;
}

function hexByte(b: number): string {
  return `\\x${b.toString(16).padStart(2, "0")}`;
}

/**
 * One UTF-8 sequence at `i`, with Go's validity rules (no overlong forms, no surrogates,
 * nothing above U+10FFFF); rune -1 with width 1 for an invalid byte.
 */
export function decodeRune(bytes: Uint8Array, i: number): { rune: number; width: number } {
  const b0 = bytes[i];
  if (b0 < 0x80) return { rune: b0, width: 1 };
  const invalid = { rune: -1, width: 1 };
  let width: number;
  let rune: number;
  let min: number;
  if (b0 >= 0xc2 && b0 <= 0xdf) {
    [width, rune, min] = [2, b0 & 0x1f, 0x80];
  } else if (b0 >= 0xe0 && b0 <= 0xef) {
    [width, rune, min] = [3, b0 & 0x0f, 0x800];
  } else if (b0 >= 0xf0 && b0 <= 0xf4) {
    [width, rune, min] = [4, b0 & 0x07, 0x10000];
  } else {
    return invalid;
  }
  if (i + width > bytes.length) return invalid;
  for (let k = 1; k < width; k++) {
    const b = bytes[i + k];
    if ((b & 0xc0) !== 0x80) return invalid;
    rune = (rune << 6) | (b & 0x3f);
  }
  if (rune < min || rune > 0x10ffff || (rune >= 0xd800 && rune <= 0xdfff)) return invalid;
  return { rune, width };
}
