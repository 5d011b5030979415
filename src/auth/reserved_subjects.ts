/**
 * Subjects and names clients may not use because the server gives them meaning
 * (nats-server's isReservedReply and sysGroup): reply subjects of cross-account service
 * responses (`_R_.`), JetStream acks (`$JS.ACK.`) and gateway replies (`_GR_.`), and the
 * queue group of system services (`_sys_`). Checks work on the publisher's bytes, without
 * decoding, because they run on every message that has a reply subject.
 * @module
 */

/** Prefix of the reply subjects the server makes for service imports. */
export const SERVICE_REPLY_PREFIX = "_R_.";
export const JS_ACK_PREFIX = "$JS.ACK.";
export const GATEWAY_REPLY_PREFIX = "_GR_.";
/** Go's sysGroup: clients may not join this queue group. */
export const SYSTEM_QUEUE_GROUP = "_sys_";

const RESERVED_REPLY_PREFIXES = [SERVICE_REPLY_PREFIX, JS_ACK_PREFIX, GATEWAY_REPLY_PREFIX]
  .map((prefix) => new TextEncoder().encode(prefix));

function startsWith(buf: Uint8Array, start: number, end: number, prefix: Uint8Array): boolean {
  // Go checks len(reply) > len(prefix) for _R_. and $JS.ACK.; _GR_. as well.
  if (end - start <= prefix.length) return false;
  for (let i = 0; i < prefix.length; i++) if (buf[start + i] !== prefix[i]) return false;
  return true;
}

/** True when `buf[start, end)` is a reply subject clients may not set. */
export function isReservedReply(buf: Uint8Array, start: number, end: number): boolean {
  const first = buf[start];
  // '_' or '$' start every reserved prefix: other replies cost one comparison.
  if (first !== 0x5f && first !== 0x24) return false;
  for (const prefix of RESERVED_REPLY_PREFIXES) {
    if (startsWith(buf, start, end, prefix)) return true;
  }
  return false;
}
