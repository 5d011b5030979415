/**
 * The numbers of a consumer delivery's `$JS.ACK` reply, read from the end of the subject
 * without splitting it: this runs once per sourced message. Accepts the same subjects as
 * consumer/core/ack_subject.ts parseAckReply (v1: 9 tokens, v2: 11 or more) and gives the same
 * numbers; the tests hold the two together.
 * @module
 */
import type { AckReplyInfo } from "../../consumer/core/ack_subject.ts";

const DOT = 46;
const ZERO = 48;
const NINE = 57;
const V1_TOKENS = 9;
const V2_TOKENS_MIN = 11;
/** Decimal digits of a safe integer / an int64 timestamp. */
const NUMBER_DIGITS_MAX = 16;
const TS_DIGITS_MAX = 19;
const INT64_MAX = (1n << 63n) - 1n;

/** The numbers, or null when `reply` is not a `$JS.ACK` reply subject. */
export function parseDeliveryReply(reply: string): AckReplyInfo | null {
  if (!reply.startsWith("$JS.ACK.")) return null;
  let dots = 0;
  for (let i = 0; i < reply.length; i++) if (reply.charCodeAt(i) === DOT) dots++;
  const tokens = dots + 1;
  if (tokens !== V1_TOKENS && tokens < V2_TOKENS_MIN) return null;
  // v2 subjects may carry extra tokens after the pending count.
  const skip = tokens >= V2_TOKENS_MIN ? tokens - V2_TOKENS_MIN : 0;
  let end = reply.length;
  for (let n = 0; n < skip; n++) end = reply.lastIndexOf(".", end - 1);
  const numbers: number[] = [];
  let tsNs = 0n;
  for (let field = 0; field < 5; field++) {
    const start = reply.lastIndexOf(".", end - 1) + 1;
    const digits = end - start;
    if (field === 1) {
      if (digits < 1 || digits > TS_DIGITS_MAX || !allDigits(reply, start, end)) return null;
      tsNs = BigInt(reply.slice(start, end));
      if (tsNs > INT64_MAX) return null;
    } else {
      const value = digits > NUMBER_DIGITS_MAX ? -1 : decimal(reply, start, end);
      if (value < 0) return null;
      numbers.push(value);
    }
    end = start - 1;
  }
  const [pending, consumerSeq, streamSeq, delivered] = numbers;
  return { delivered, streamSeq, consumerSeq, tsNs, pending };
}

function allDigits(s: string, start: number, end: number): boolean {
  for (let i = start; i < end; i++) {
    const c = s.charCodeAt(i);
    if (c < ZERO || c > NINE) return false;
  }
  return true;
}

function decimal(s: string, start: number, end: number): number {
  if (end <= start) return -1;
  let n = 0;
  for (let i = start; i < end; i++) {
    const c = s.charCodeAt(i);
    if (c < ZERO || c > NINE) return -1;
    n = n * 10 + (c - ZERO);
  }
  return Number.isSafeInteger(n) ? n : -1;
}
