/** Longest size field accepted, in digits (999,999,999 bytes), as nats-server's parseSize. */
export const SIZE_DIGITS_MAX = 9;

/**
 * Parses a decimal size from `buf[start, end)`: digits only, at most SIZE_DIGITS_MAX of them.
 * Returns -1 for anything else, which callers treat as a protocol violation.
 */
export function parseSize(buf: Uint8Array, start: number, end: number): number {
  const length = end - start;
  if (length <= 0 || length > SIZE_DIGITS_MAX) return -1;
  let n = 0;
  for (let i = start; i < end; i++) {
    const digit = buf[i] - 48;
    if (digit < 0 || digit > 9) return -1;
    n = n * 10 + digit;
  }
  return n;
}
