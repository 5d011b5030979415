/**
 * The body of a message published to a `$JS.ACK` subject (nats-server consumer.go processAck):
 * empty, `+ACK` or `+OK` acknowledge; `-NAK` asks for redelivery, optionally after a delay
 * (` {"delay": <ns>}` or ` <Go duration>`); `+WPI` resets the ack timer; `+NXT` acknowledges and
 * asks for more (the rest is a pull request body); `+TERM` stops redelivery, with an optional
 * reason. Any other body is ignored, but an ack-sync reply is still sent.
 * @module
 */
import { parseGoDurationNs } from "./go_duration.ts";

export type AckVerb =
  | { kind: "ack" }
  | { kind: "nak"; delayNs: bigint | null }
  | { kind: "progress" }
  | { kind: "next"; request: Uint8Array }
  | { kind: "term"; reason: string }
  | { kind: "unknown" };

const decoder = new TextDecoder();
const ACK = "+ACK";
const OK = "+OK";
const NAK = "-NAK";
const WPI = "+WPI";
const NXT = "+NXT";
const TERM = "+TERM";

function startsWith(body: Uint8Array, prefix: string): boolean {
  if (body.length < prefix.length) return false;
  for (let i = 0; i < prefix.length; i++) {
    if (body[i] !== prefix.charCodeAt(i)) return false;
  }
  return true;
}

function equals(body: Uint8Array, text: string): boolean {
  return body.length === text.length && startsWith(body, text);
}

/** Go's bytes.TrimSpace over ASCII white space, as a string. */
function trimmed(bytes: Uint8Array): string {
  return decoder.decode(bytes).replace(/^[\t\n\v\f\r ]+|[\t\n\v\f\r ]+$/g, "");
}

/** A NAK delay as nats-server reads it; null means a plain NAK (absent or unreadable delay). */
export function parseNakDelay(arg: string): bigint | null {
  if (arg.length === 0) return null;
  if (arg[0] !== "{") return parseGoDurationNs(arg);
  let parsed: unknown;
  try {
    parsed = JSON.parse(arg);
  } catch {
    return null;
  }
  if (typeof parsed !== "object" || parsed === null || Array.isArray(parsed)) return null;
  const delay = (parsed as Record<string, unknown>).delay;
  if (delay === undefined || delay === null) return 0n;
  // time.Duration decodes from a JSON integer only.
  if (typeof delay !== "number" || !Number.isInteger(delay)) return null;
  return BigInt(delay);
}

/** The verb of an ack body (the payload after any headers). */
export function parseAckBody(body: Uint8Array): AckVerb {
  if (body.length === 0 || equals(body, ACK) || equals(body, OK)) return { kind: "ack" };
  if (startsWith(body, NXT)) return { kind: "next", request: body.subarray(NXT.length) };
  if (startsWith(body, NAK)) {
    return { kind: "nak", delayNs: parseNakDelay(trimmed(body.subarray(NAK.length))) };
  }
  if (equals(body, WPI)) return { kind: "progress" };
  if (startsWith(body, TERM)) return { kind: "term", reason: trimmed(body.subarray(TERM.length)) };
  return { kind: "unknown" };
}
