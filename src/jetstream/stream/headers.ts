/**
 * Reading and extending NATS header blocks (`NATS/1.0\r\nKey: value\r\n\r\n`) the way
 * nats-server does on the JetStream paths: a key matches only case-sensitively at the start of a
 * line and must be followed by `:`; leading spaces of the value are skipped; added headers go
 * before the closing blank line.
 * @module
 */

/** Headers the publish path and direct get read or write (nats-server's JS* header names). */
export const HDR = {
  msgId: "Nats-Msg-Id",
  expectedStream: "Nats-Expected-Stream",
  expectedLastSeq: "Nats-Expected-Last-Sequence",
  expectedLastSubjSeq: "Nats-Expected-Last-Subject-Sequence",
  expectedLastSubjSeqSubj: "Nats-Expected-Last-Subject-Sequence-Subject",
  expectedLastMsgId: "Nats-Expected-Last-Msg-Id",
  rollup: "Nats-Rollup",
  ttl: "Nats-TTL",
  incr: "Nats-Incr",
  batchId: "Nats-Batch-Id",
  schedule: "Nats-Schedule",
  scheduleNext: "Nats-Schedule-Next",
  scheduler: "Nats-Scheduler",
  streamSource: "Nats-Stream-Source",
  requiredApiLevel: "Nats-Required-Api-Level",
  stream: "Nats-Stream",
  subject: "Nats-Subject",
  sequence: "Nats-Sequence",
  timeStamp: "Nats-Time-Stamp",
  lastSequence: "Nats-Last-Sequence",
  msgSize: "Nats-Msg-Size",
  numPending: "Nats-Num-Pending",
  upToSequence: "Nats-UpTo-Sequence",
  markerReason: "Nats-Marker-Reason",
} as const;

const decoder = new TextDecoder();
const encoder = new TextEncoder();
const HEADER_LINE = "NATS/1.0\r\n";

/** A header block opened for lookups; decoding happens once. */
export class HeaderView {
  readonly text: string;

  constructor(hdr: Uint8Array) {
    this.text = decoder.decode(hdr);
  }

  /** The value of `key` (first occurrence), or null when absent. Empty values count as absent. */
  get(key: string): string | null {
    const text = this.text;
    let from = 0;
    for (;;) {
      const index = text.indexOf(key, from);
      if (index < 2) return null;
      const end = index + key.length;
      if (text[index - 1] !== "\n" || text[index - 2] !== "\r" || text[end] !== ":") {
        from = end;
        continue;
      }
      let start = end + 1;
      while (text[start] === " ") start++;
      let stop = text.indexOf("\r\n", start);
      if (stop < 0) stop = text.length;
      const value = text.slice(start, stop);
      return value === "" ? null : value;
    }
  }

  has(key: string): boolean {
    return this.get(key) !== null;
  }
}

/** Go's parseInt64: the value of a string of decimal digits, -1 for anything else. */
export function parseDecimal(text: string): number {
  if (!/^\d+$/.test(text)) return -1;
  const value = Number(text);
  return Number.isSafeInteger(value) ? value : -1;
}

/**
 * The header block `hdr` (or a new one when empty) with `pairs` appended before its final blank
 * line, as nats-server's genHeader does.
 */
export function appendHeaders(hdr: Uint8Array | null, pairs: readonly [string, string][]):
  Uint8Array {
  let head = HEADER_LINE;
  if (hdr !== null && hdr.length > 2) head = decoder.decode(hdr.subarray(0, hdr.length - 2));
  let out = head;
  for (const [key, value] of pairs) out += `${key}: ${value}\r\n`;
  return encoder.encode(`${out}\r\n`);
}

/** A status-only header block: `NATS/1.0 <code> <description>` and optional headers. */
export function statusHeaders(code: number, description: string,
  pairs: readonly [string, string][] = []): Uint8Array {
  let out = `NATS/1.0 ${code} ${description}\r\n`;
  for (const [key, value] of pairs) out += `${key}: ${value}\r\n`;
  return encoder.encode(`${out}\r\n`);
}

/** The header block without the `key` lines. Null when nothing but the version line is left. */
export function removeHeader(hdr: Uint8Array, key: string): Uint8Array | null {
  const lines = decoder.decode(hdr).split("\r\n");
  const kept = lines.filter((line, i) => i === 0 || !line.startsWith(`${key}:`));
  if (kept.length === lines.length) return hdr;
  const text = kept.join("\r\n");
  return text.length <= HEADER_LINE.length + 2 ? null : encoder.encode(text);
}
