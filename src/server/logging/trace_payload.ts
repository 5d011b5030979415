/**
 * The MSG_PAYLOAD trace line's payload part as nats-server writes it (client.go
 * traceMsgInternal): the payload Go-quoted, cut to `max_traced_msg_len` bytes with "..."
 * when longer (0: whole), and no line at all for an empty payload.
 * @module
 */
import { goQuote } from "./go_quote.ts";

/** `["…"]` for the trace line, or null when nothing is traced. */
export function tracedPayload(payload: Uint8Array, maxTracedBytes: number): string | null {
  if (payload.length === 0) return null;
  if (maxTracedBytes > 0 && payload.length > maxTracedBytes) {
    const quoted = goQuote(payload.subarray(0, maxTracedBytes));
    return `["${quoted.slice(1, -1)}..."]`;
  }
  return `[${goQuote(payload)}]`;
}
