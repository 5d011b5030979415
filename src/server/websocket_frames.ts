/**
 * RFC 6455 frames as nats-server reads and writes them: a byte-level decoder whose state
 * survives across reads (client frames must be masked; control frames are small, final and
 * uncompressed; RSV2/RSV3 must be clear) and the server's unmasked frame encoder, with
 * permessage-deflate without context takeover (each message compressed on its own).
 * Pure: the listener does the I/O.
 * @module
 */
import { constants, deflateRawSync, inflateRawSync } from "node:zlib";
import { ClosedReason } from "../protocol/errors.ts";

export const WsOpcode = {
  continuation: 0, text: 1, binary: 2, close: 8, ping: 9, pong: 10,
} as const;

export const WsCloseStatus = {
  normal: 1000, goingAway: 1001, protocolError: 1002, noStatus: 1005, invalidPayload: 1007,
  policyViolation: 1008, messageTooBig: 1009, internalError: 1011, tlsHandshake: 1015,
} as const;

const POLICY_REASONS = new Set<string>([ClosedReason.authenticationTimeout,
  ClosedReason.authenticationFailure, ClosedReason.slowConsumerPendingBytes,
  ClosedReason.slowConsumerWriteDeadline, ClosedReason.maxAccountConnectionsExceeded,
  ClosedReason.maxConnectionsExceeded, ClosedReason.maxControlLineExceeded,
  ClosedReason.maxSubscriptionsExceeded, ClosedReason.authenticationExpired,
  ClosedReason.revocation]);
const PROTOCOL_REASONS = new Set<string>([ClosedReason.parseError,
  ClosedReason.protocolViolation, ClosedReason.badClientProtocolVersion]);
const GOING_AWAY_REASONS = new Set<string>([ClosedReason.writeError, ClosedReason.readError,
  ClosedReason.staleConnection, ClosedReason.serverShutdown]);

/** The close status nats-server sends when it closes a connection for `reason`. */
export function closeStatusFor(reason: string): number {
  if (reason === ClosedReason.clientClosed) return WsCloseStatus.normal;
  if (POLICY_REASONS.has(reason)) return WsCloseStatus.policyViolation;
  if (PROTOCOL_REASONS.has(reason)) return WsCloseStatus.protocolError;
  if (GOING_AWAY_REASONS.has(reason)) return WsCloseStatus.goingAway;
  if (reason === ClosedReason.maxPayloadExceeded) return WsCloseStatus.messageTooBig;
  if (reason === ClosedReason.tlsHandshakeFailure) return WsCloseStatus.tlsHandshake;
  return WsCloseStatus.internalError;
}

/** Control frame payloads are at most this long (RFC 6455 §5.5). */
export const WS_CONTROL_PAYLOAD_BYTES_MAX = 125;
/** Messages shorter than this go out uncompressed, as in nats-server. */
export const WS_COMPRESS_THRESHOLD_BYTES = 64;
/** nats-server's cap on a compressed message (natsd's on any frame): 8 max payloads, ≤ 64 MiB. */
const WS_COMPRESSED_MULTIPLE = 8;
const WS_COMPRESSED_BYTES_LIMIT = 64 * 1024 * 1024;

const FIN = 0x80;
const RSV1 = 0x40;
const RSV23 = 0x30;
const MASK = 0x80;
const DEFLATE_TAIL = Uint8Array.of(0x00, 0x00, 0xff, 0xff);

/** A frame the server refuses; the connection answers with a close frame and ends. */
export class WsProtocolError extends Error {
  override name = "WsProtocolError";
  constructor(readonly status: number, readonly reason: string) {
    super(reason);
  }
}

export interface WsFrameEvents {
  /** Application bytes in order (already unmasked and inflated). */
  data(bytes: Uint8Array): void;
  ping(payload: Uint8Array): void;
  /** The peer's close: `status` null when the frame carried none. */
  close(status: number | null, body: Uint8Array): void;
}

export function wsCompressedBytesMax(maxPayloadBytes: number): number {
  return Math.min(maxPayloadBytes * WS_COMPRESSED_MULTIPLE, WS_COMPRESSED_BYTES_LIMIT);
}

function validCloseStatus(code: number): boolean {
  if (code === 1004 || code === 1005 || code === 1006 || code === 1015) return false;
  if (code < 1000 || code >= 5000) return false;
  return code < 1016 || code > 2999;
}

const protocolError = (reason: string) => new WsProtocolError(WsCloseStatus.protocolError, reason);

export class WsFrameDecoder {
  /** Bytes of the current frame header (at most 14). */
  #header = new Uint8Array(14);
  #headerLength = 0;
  #inPayload = false;
  #remaining = 0;
  #opcode = 0;
  #mask = new Uint8Array(4);
  #maskPos = 0;
  /** True between a data frame without FIN and the final continuation. */
  #fragmented = false;
  #messageCompressed = false;
  #compressed: Uint8Array[] = [];
  #compressedBytes = 0;
  #control: Uint8Array[] = [];
  #closed = false;

  /** `frameBytesMax` bounds one frame and one compressed message (wsCompressedBytesMax). */
  constructor(readonly events: WsFrameEvents, readonly compression: boolean,
    readonly frameBytesMax: number) {}

  /** Feeds bytes from the socket; throws WsProtocolError for a frame the server refuses. */
  push(chunk: Uint8Array): void {
    let pos = 0;
    while (pos < chunk.length && !this.#closed) {
      if (!this.#inPayload) {
        pos = this.#readHeader(chunk, pos);
        continue;
      }
      const n = Math.min(this.#remaining, chunk.length - pos);
      const part = chunk.subarray(pos, pos + n);
      pos += n;
      this.#remaining -= n;
      this.#unmask(part);
      this.#payload(part);
      if (this.#remaining === 0) this.#frameDone();
    }
  }

  #readHeader(chunk: Uint8Array, start: number): number {
    let pos = start;
    while (pos < chunk.length) {
      this.#header[this.#headerLength++] = chunk[pos++];
      const needed = this.#headerNeeds();
      if (needed !== 0 && this.#headerLength < needed) continue;
      if (needed !== 0) {
        this.#startFrame();
        return pos;
      }
    }
    return pos;
  }

  /** The full header length once known (after byte 2), 0 before; checks byte 1 early. */
  #headerNeeds(): number {
    if (this.#headerLength === 1) {
      this.#checkFirstByte(this.#header[0]);
      return 0;
    }
    const b1 = this.#header[1];
    if (this.#headerLength === 2 && (b1 & MASK) === 0) throw protocolError("mask bit missing");
    const len7 = b1 & 0x7f;
    return 2 + (len7 === 126 ? 2 : len7 === 127 ? 8 : 0) + 4;
  }

  #checkFirstByte(b0: number): void {
    const opcode = b0 & 0x0f;
    const final = (b0 & FIN) !== 0;
    const compressed = (b0 & RSV1) !== 0;
    if ((b0 & RSV23) !== 0) throw protocolError("RSV2 and RSV3 must be clear");
    if (compressed && !this.compression) {
      throw protocolError("compressed frame received without negotiated permessage-deflate");
    }
    if (opcode >= WsOpcode.close && opcode <= WsOpcode.pong) {
      if (!final) throw protocolError("control frame does not have final bit set");
      if (compressed) throw protocolError("control frame must not be compressed");
    } else if (opcode === WsOpcode.text || opcode === WsOpcode.binary) {
      if (this.#fragmented) {
        throw protocolError("new message started before final frame for previous message " +
          "was received");
      }
      this.#messageCompressed = compressed;
    } else if (opcode === WsOpcode.continuation) {
      if (!this.#fragmented || compressed) throw protocolError("invalid continuation frame");
    } else {
      throw protocolError(`unknown opcode ${opcode}`);
    }
  }

  #startFrame(): void {
    const h = this.#header;
    const view = new DataView(h.buffer);
    const len7 = h[1] & 0x7f;
    let length = len7;
    let maskAt = 2;
    if (len7 === 126) {
      length = view.getUint16(2);
      maskAt = 4;
    } else if (len7 === 127) {
      if ((h[2] & 0x80) !== 0) throw protocolError("invalid 64-bit payload length");
      length = Number(view.getBigUint64(2));
      maskAt = 10;
    }
    this.#opcode = h[0] & 0x0f;
    // Go would wait for any announced length; natsd refuses a frame no message could need.
    if (length > this.frameBytesMax) {
      throw new WsProtocolError(WsCloseStatus.messageTooBig, "frame length too large");
    }
    if (this.#opcode >= WsOpcode.close && length > WS_CONTROL_PAYLOAD_BYTES_MAX) {
      throw protocolError("control frame length bigger than maximum allowed of " +
        `${WS_CONTROL_PAYLOAD_BYTES_MAX} bytes`);
    }
    if (this.#opcode < WsOpcode.close) this.#fragmented = (h[0] & FIN) === 0;
    this.#mask.set(h.subarray(maskAt, maskAt + 4));
    this.#maskPos = 0;
    this.#headerLength = 0;
    this.#remaining = length;
    this.#inPayload = true;
    if (length === 0) this.#frameDone();
  }

  #unmask(part: Uint8Array): void {
    const mask = this.#mask;
    let m = this.#maskPos;
    let i = 0;
    // Bytes up to a 4-byte boundary, then whole words (the hot path for large publishes).
    while (i < part.length && ((part.byteOffset + i) & 3) !== 0) {
      part[i++] ^= mask[m];
      m = (m + 1) & 3;
    }
    const words = (part.length - i) >>> 2;
    if (words > 0) {
      const rotated = Uint8Array.of(mask[m], mask[(m + 1) & 3], mask[(m + 2) & 3],
        mask[(m + 3) & 3]);
      const key = new Uint32Array(rotated.buffer)[0];
      const view = new Uint32Array(part.buffer, part.byteOffset + i, words);
      for (let w = 0; w < words; w++) view[w] ^= key;
      i += words * 4;
    }
    for (; i < part.length; i++) {
      part[i] ^= mask[m];
      m = (m + 1) & 3;
    }
    this.#maskPos = m;
  }

  #payload(part: Uint8Array): void {
    if (part.length === 0) return;
    if (this.#opcode >= WsOpcode.close) {
      this.#control.push(part.slice());
    } else if (this.#messageCompressed) {
      this.#compressedBytes += part.length;
      if (this.#compressedBytes + DEFLATE_TAIL.length > this.frameBytesMax) {
        throw new WsProtocolError(WsCloseStatus.messageTooBig, "maximum payload exceeded");
      }
      this.#compressed.push(part.slice());
    } else {
      this.events.data(part);
    }
  }

  #frameDone(): void {
    this.#inPayload = false;
    if (this.#opcode >= WsOpcode.close) {
      const payload = Buffer.concat(this.#control);
      this.#control = [];
      this.#controlFrame(payload);
    } else if (this.#messageCompressed && !this.#fragmented) {
      this.#inflateMessage();
    }
  }

  #inflateMessage(): void {
    const input = Buffer.concat([...this.#compressed, DEFLATE_TAIL]);
    this.#compressed = [];
    this.#compressedBytes = 0;
    this.#messageCompressed = false;
    let out: Buffer;
    try {
      out = inflateRawSync(input, {
        finishFlush: constants.Z_SYNC_FLUSH, maxOutputLength: this.frameBytesMax,
      });
    } catch (error) {
      if (error instanceof RangeError) {
        throw new WsProtocolError(WsCloseStatus.messageTooBig, "maximum payload exceeded");
      }
      throw new WsProtocolError(WsCloseStatus.invalidPayload, "invalid compressed data");
    }
    if (out.length > 0) this.events.data(out);
  }

  #controlFrame(payload: Uint8Array): void {
    if (this.#opcode === WsOpcode.ping) {
      this.events.ping(payload);
    } else if (this.#opcode === WsOpcode.close) {
      this.#closed = true;
      if (payload.length === 1) throw protocolError("close frame payload cannot be 1 byte");
      if (payload.length === 0) {
        this.events.close(null, payload);
        return;
      }
      const status = (payload[0] << 8) | payload[1];
      if (!validCloseStatus(status)) throw protocolError(`invalid close status code ${status}`);
      this.events.close(status, payload.subarray(2));
    }
  }
}

/** One unmasked server frame around `payload`. */
export function encodeFrame(opcode: number, payload: Uint8Array, compressed = false): Uint8Array {
  const length = payload.length;
  const headerLength = length < 126 ? 2 : length < 65536 ? 4 : 10;
  const frame = new Uint8Array(headerLength + length);
  frame[0] = FIN | (compressed ? RSV1 : 0) | opcode;
  if (length < 126) {
    frame[1] = length;
  } else if (length < 65536) {
    frame[1] = 126;
    new DataView(frame.buffer).setUint16(2, length);
  } else {
    frame[1] = 127;
    new DataView(frame.buffer).setBigUint64(2, BigInt(length));
  }
  frame.set(payload, headerLength);
  return frame;
}

/** A binary message, deflated when negotiated and worth it. */
export function encodeMessage(payload: Uint8Array, compress: boolean): Uint8Array {
  if (!compress || payload.length < WS_COMPRESS_THRESHOLD_BYTES) {
    return encodeFrame(WsOpcode.binary, payload);
  }
  const deflated = deflateRawSync(payload, {
    level: constants.Z_BEST_SPEED, finishFlush: constants.Z_SYNC_FLUSH,
  });
  // A sync flush ends with the empty stored block the receiver adds back (RFC 7692 §7.2.1).
  return encodeFrame(WsOpcode.binary, deflated.subarray(0, deflated.length - 4), true);
}

/** A close frame payload: status, then a reason cut to fit a control frame. */
export function closePayload(status: number, reason: string): Uint8Array {
  let body = Buffer.from(reason, "utf8");
  if (body.length > WS_CONTROL_PAYLOAD_BYTES_MAX - 2) {
    body = Buffer.concat([body.subarray(0, WS_CONTROL_PAYLOAD_BYTES_MAX - 5), Buffer.from("...")]);
  }
  const out = new Uint8Array(2 + body.length);
  out[0] = status >> 8;
  out[1] = status & 0xff;
  out.set(body, 2);
  return out;
}
