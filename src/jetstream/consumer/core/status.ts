/**
 * Status messages a consumer sends: header-only messages whose bytes match nats-server's
 * (consumer.go) exactly, since clients match on code and description.
 * @module
 */
import { formatGoDuration } from "./go_duration.ts";

export const PENDING_MSGS_HEADER = "Nats-Pending-Messages";
export const PENDING_BYTES_HEADER = "Nats-Pending-Bytes";
export const LAST_CONSUMER_HEADER = "Nats-Last-Consumer";
export const LAST_STREAM_HEADER = "Nats-Last-Stream";
export const CONSUMER_STALLED_HEADER = "Nats-Consumer-Stalled";
export const MSG_SIZE_HEADER = "Nats-Msg-Size";
export const PIN_ID_HEADER = "Nats-Pin-Id";

const encoder = new TextEncoder();

/** `NATS/1.0 <code> <description>` with no further headers. */
export function plainStatus(code: number, description: string): Uint8Array {
  return encoder.encode(`NATS/1.0 ${code} ${description}\r\n\r\n`);
}

/** A status carrying what is left of a pull request. */
export function pendingStatus(
  code: number,
  description: string,
  pending: { msgs: number; bytes: number },
): Uint8Array {
  return encoder.encode(
    `NATS/1.0 ${code} ${description}\r\n${PENDING_MSGS_HEADER}: ${pending.msgs}\r\n` +
      `${PENDING_BYTES_HEADER}: ${pending.bytes}\r\n\r\n`,
  );
}

export const STATUS_NO_MESSAGES = plainStatus(404, "No Messages");
export const STATUS_REQUESTS_PENDING = plainStatus(408, "Requests Pending");
export const STATUS_MAX_WAITING = plainStatus(409, "Exceeded MaxWaiting");
export const STATUS_CONSUMER_DELETED = plainStatus(409, "Consumer Deleted");
export const STATUS_PUSH_BASED = plainStatus(409, "Consumer is push based");
export const STATUS_PIN_MISMATCH = plainStatus(423, "Nats-Pin-Id mismatch");
export const STATUS_FLOW_CONTROL = plainStatus(100, "FlowControl Request");

export function requestTimeout(pending: { msgs: number; bytes: number }): Uint8Array {
  return pendingStatus(408, "Request Timeout", pending);
}

/** A pull request through a service import whose requester went away (nextWaiting). */
export function interestExpired(pending: { msgs: number; bytes: number }): Uint8Array {
  return pendingStatus(408, "Interest Expired", pending);
}

export function maxBytesExceeded(pending: { msgs: number; bytes: number }): Uint8Array {
  return pendingStatus(409, "Message Size Exceeds MaxBytes", pending);
}

export function batchCompleted(pending: { msgs: number; bytes: number }): Uint8Array {
  return pendingStatus(409, "Batch Completed", pending);
}

export function wrongPinId(pending: { msgs: number; bytes: number }): Uint8Array {
  return pendingStatus(423, "Nats-Wrong-Pin-Id", pending);
}

export function badRequest(detail: string): Uint8Array {
  return plainStatus(400, `Bad Request - ${detail}`);
}

export function exceededMaxBatch(max: number): Uint8Array {
  return plainStatus(409, `Exceeded MaxRequestBatch of ${max}`);
}

export function exceededMaxExpires(maxNs: bigint): Uint8Array {
  return plainStatus(409, `Exceeded MaxRequestExpires of ${formatGoDuration(maxNs)}`);
}

export function exceededMaxBytes(max: number): Uint8Array {
  return plainStatus(409, `Exceeded MaxRequestMaxBytes of ${max}`);
}

/** `100 Idle Heartbeat` with the last delivered sequences, and the stalled FC subject if any. */
export function idleHeartbeat(
  last: { consumerSeq: number; streamSeq: number },
  stalledFlowControl: string,
): Uint8Array {
  let text = `NATS/1.0 100 Idle Heartbeat\r\n${LAST_CONSUMER_HEADER}: ${last.consumerSeq}\r\n` +
    `${LAST_STREAM_HEADER}: ${last.streamSeq}\r\n`;
  if (stalledFlowControl !== "") text += `${CONSUMER_STALLED_HEADER}: ${stalledFlowControl}\r\n`;
  return encoder.encode(`${text}\r\n`);
}

/** Adds one header to a header block (or creates the block), as Go's genHeader does. */
export function withHeader(hdr: Uint8Array, name: string, value: string): Uint8Array {
  const extra = encoder.encode(`${name}: ${value}\r\n\r\n`);
  if (hdr.length === 0) {
    const line = encoder.encode("NATS/1.0\r\n");
    const out = new Uint8Array(line.length + extra.length);
    out.set(line);
    out.set(extra, line.length);
    return out;
  }
  const keep = hdr.length - 2;
  const out = new Uint8Array(keep + extra.length);
  out.set(hdr.subarray(0, keep));
  out.set(extra, keep);
  return out;
}

/** Adds `Nats-Msg-Size` to a header block for headers_only delivery (convertToHeadersOnly). */
export function headersOnly(hdr: Uint8Array, payloadBytes: number): Uint8Array {
  return withHeader(hdr, MSG_SIZE_HEADER, String(payloadBytes));
}
