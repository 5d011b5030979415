/**
 * Setting one header in a NATS header block (`NATS/1.0…\r\n` lines, blank line last), as
 * nats-server's setHeader does for `Nats-Request-Info`: an existing line with the key is
 * replaced by a new line appended at the end.
 * @module
 */

const HEADER_LINE = "NATS/1.0\r\n";
const encoder = new TextEncoder();
const decoder = new TextDecoder();

/**
 * The header block `block` (or none) with `key: value` set. The result ends with the blank
 * line. The key is matched case-sensitively, as Go's removeHeaderIfPresent does.
 */
export function setHeader(block: Uint8Array | null, key: string, value: string): Uint8Array {
  let head = HEADER_LINE;
  if (block !== null && block.length > 2) {
    // Without the final blank line; the status line stays first.
    const text = decoder.decode(block.subarray(0, block.length - 2));
    const lines = text.split("\r\n");
    const kept = lines.filter((line, i) => i === 0 || !line.startsWith(`${key}:`));
    head = kept.join("\r\n");
    if (!head.endsWith("\r\n")) head += "\r\n";
  }
  return encoder.encode(`${head}${key}: ${value}\r\n\r\n`);
}

/** The value of the first `key` header in `block`, or null. */
export function getHeader(block: Uint8Array | null, key: string): string | null {
  if (block === null) return null;
  for (const line of decoder.decode(block).split("\r\n").slice(1)) {
    if (line.startsWith(`${key}:`)) return line.slice(key.length + 1).trim();
  }
  return null;
}
