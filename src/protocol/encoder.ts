/**
 * Writes server-to-client operations (MSG, HMSG, INFO, PING, PONG, +OK, -ERR) straight into
 * an outbound queue: bytes are copied from the publisher's buffer, never through strings.
 * @module
 */
import type { Outbound } from "../client/outbound.ts";
import type { PubArgs } from "./parser.ts";

const encoder = new TextEncoder();
export const PING_BYTES = encoder.encode("PING\r\n");
export const PONG_BYTES = encoder.encode("PONG\r\n");
export const OK_BYTES = encoder.encode("+OK\r\n");

/** `-ERR '<text>'\r\n` */
export function errLine(text: string): string {
  return `-ERR '${text}'\r\n`;
}

/** `INFO <json> \r\n` (nats-server writes a space before the line end). */
export function infoLine(json: string): string {
  return `INFO ${json} \r\n`;
}

const MSG_PREFIX = encoder.encode("MSG ");
const HMSG_PREFIX = encoder.encode("HMSG ");
/** Longest decimal size written (sizes are bounded by max_payload < 2^31). */
const SIZE_DIGITS_MAX = 10;

/**
 * Appends one message for subscription `sidField` (" <sid> ") to `out`.
 * `payload[start, end)` holds the headers (when `args.headerBytes` > 0) followed by the body;
 * with `stripHeaders` the headers are dropped and a plain MSG is written.
 * Returns the bytes of message data delivered (payload size as counted in stats).
 */
export function writeMsg(
  out: Outbound, args: PubArgs, sidField: Uint8Array,
  payload: Uint8Array, start: number, end: number, stripHeaders: boolean,
): number {
  const hasHeaders = args.headerBytes > 0 && !stripHeaders;
  const bodyStart = args.headerBytes > 0 && stripHeaders ? start + args.headerBytes : start;
  const size = end - bodyStart;
  const subjectLength = args.subjectEnd - args.subjectStart;
  const replyLength = args.replyEnd - args.replyStart;
  const lineMax = 5 + subjectLength + sidField.length + replyLength + 1 + SIZE_DIGITS_MAX * 2 + 3;
  const buf = out.reserve(lineMax + size + 2);
  let pos = out.tail;
  const prefix = hasHeaders ? HMSG_PREFIX : MSG_PREFIX;
  for (let i = 0; i < prefix.length; i++) buf[pos++] = prefix[i];
  pos = copyBytes(buf, pos, args.argBuf, args.subjectStart, args.subjectEnd);
  for (let i = 0; i < sidField.length; i++) buf[pos++] = sidField[i];
  if (replyLength > 0) {
    pos = copyBytes(buf, pos, args.argBuf, args.replyStart, args.replyEnd);
    buf[pos++] = 32;
  }
  if (hasHeaders) {
    pos = writeDecimal(buf, pos, args.headerBytes);
    buf[pos++] = 32;
  }
  pos = writeDecimal(buf, pos, size);
  buf[pos++] = 13;
  buf[pos++] = 10;
  pos = copyBytes(buf, pos, payload, bodyStart, end);
  buf[pos++] = 13;
  buf[pos++] = 10;
  out.tail = pos;
  return size;
}

/** Node's Buffer.copy works on any Uint8Array and, unlike set(subarray()), allocates nothing. */
const bufferCopy = Buffer.prototype.copy as unknown as (
  this: Uint8Array, target: Uint8Array, targetStart: number, sourceStart: number, sourceEnd: number,
) => number;

/** Copies src[start, end) into dst at pos; short runs byte by byte (measured cheaper). */
export function copyBytes(
  dst: Uint8Array, pos: number, src: Uint8Array, start: number, end: number,
): number {
  const length = end - start;
  if (length > 32) {
    bufferCopy.call(src, dst, pos, start, end);
    return pos + length;
  }
  for (let i = start; i < end; i++) dst[pos++] = src[i];
  return pos;
}

export function writeDecimal(buf: Uint8Array, pos: number, value: number): number {
  // Sizes are below 2^31, so `| 0` is an exact integer division here.
  if (value < 10) {
    buf[pos] = 48 + value;
    return pos + 1;
  }
  if (value < 100) {
    buf[pos] = 48 + ((value / 10) | 0);
    buf[pos + 1] = 48 + (value % 10);
    return pos + 2;
  }
  let digits = 3;
  for (let v = (value / 1000) | 0; v > 0; v = (v / 10) | 0) digits++;
  let at = pos + digits - 1;
  for (let v = value; at >= pos; v = (v / 10) | 0) buf[at--] = 48 + (v % 10);
  return pos + digits;
}
