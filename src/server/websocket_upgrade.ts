/**
 * The HTTP side of a WebSocket connection (RFC 6455 §4.2): collects the upgrade request, checks
 * it with nats-server's rules and texts, and builds the 101 answer or the HTTP error. Pure: no
 * sockets and no clocks, so the listener owns the handshake timeout.
 * @module
 */
import { createHash } from "node:crypto";
import { isIP } from "node:net";

/** Go's http.Server default header limit (1 MiB) plus its 4 KiB slack. */
export const WS_UPGRADE_REQUEST_BYTES_MAX = 1024 * 1024 + 4096;

const ACCEPT_GUID = "258EAFA5-E914-47DA-95CA-C5AB0DC85B11";
const HEADER_END = "\r\n\r\n";

/** A request the server answers with an HTTP error and then closes. */
export class WsUpgradeError extends Error {
  override name = "WsUpgradeError";
  constructor(readonly status: number, readonly reason: string) {
    super(`websocket handshake error: ${reason}`);
  }
}

/** What the connection keeps from an accepted upgrade. */
export interface WsUpgrade {
  /** The 101 response, ready to write. */
  response: Uint8Array;
  /** permessage-deflate was configured and offered by the client. */
  compress: boolean;
  /** All Cookie headers, joined as one. */
  cookie: string | null;
  /** A valid IP from X-Forwarded-For, else null (nats-server reports it as the client's IP). */
  forwardedFor: string | null;
  /** The request's Origin (or Sec-WebSocket-Origin), null without one. */
  origin: string | null;
}

export interface WsUpgradePolicy {
  compression: boolean;
  /** True when the origin may connect (same_origin / allowed_origins). */
  originAllowed(origin: string | null, host: string | null): boolean;
}

/** Collects request bytes until the header block ends. */
export class WsRequestReader {
  #text = "";

  /**
   * Adds bytes; returns the header block once complete, null while more is needed. Bytes after
   * the block mean the client did not wait for the 101: nats-server refuses that.
   */
  push(chunk: Uint8Array): string | null {
    this.#text += Buffer.from(chunk.buffer, chunk.byteOffset, chunk.byteLength).toString("latin1");
    const end = this.#text.indexOf(HEADER_END);
    if (end < 0) {
      if (this.#text.length > WS_UPGRADE_REQUEST_BYTES_MAX) {
        throw new WsUpgradeError(431, "request header fields too large");
      }
      return null;
    }
    if (end + HEADER_END.length < this.#text.length) {
      throw new WsUpgradeError(400, "client sent data before handshake is complete");
    }
    return this.#text.slice(0, end);
  }
}

interface ParsedRequest {
  method: string;
  headers: Map<string, string[]>;
}

function parseRequest(head: string): ParsedRequest {
  const lines = head.split("\r\n");
  const requestLine = /^([A-Z]+) (\S+) HTTP\/1\.([01])$/.exec(lines[0]);
  if (requestLine === null) throw new WsUpgradeError(400, "malformed HTTP request");
  const headers = new Map<string, string[]>();
  for (const line of lines.slice(1)) {
    const colon = line.indexOf(":");
    if (colon <= 0 || /[\s]/.test(line.slice(0, colon))) {
      throw new WsUpgradeError(400, "malformed HTTP request header");
    }
    const name = line.slice(0, colon).toLowerCase();
    const values = headers.get(name) ?? [];
    values.push(line.slice(colon + 1).trim());
    headers.set(name, values);
  }
  return { method: requestLine[1], headers };
}

/** True when one of the header's comma-separated tokens is `value` (case-insensitive). */
function headerHasToken(headers: Map<string, string[]>, name: string, value: string): boolean {
  return (headers.get(name) ?? []).some((line) =>
    line.split(",").some((token) => token.trim().toLowerCase() === value));
}

function offersDeflate(headers: Map<string, string[]>): boolean {
  return (headers.get("sec-websocket-extensions") ?? []).some((line) =>
    line.split(",").some((ext) =>
      ext.split(";").some((param) => param.trim().toLowerCase() === "permessage-deflate")));
}

export function acceptKey(key: string): string {
  return createHash("sha1").update(key + ACCEPT_GUID).digest("base64");
}

function validKey(key: string): boolean {
  return /^[A-Za-z0-9+/]{22}==$/.test(key) && Buffer.from(key, "base64").length === 16;
}

/** Checks the request in nats-server's order (RFC 6455 §4.2.1) and builds the 101 answer. */
export function acceptUpgrade(head: string, policy: WsUpgradePolicy): WsUpgrade {
  const { method, headers } = parseRequest(head);
  const first = (name: string) => headers.get(name)?.[0] ?? null;
  if (method !== "GET") throw new WsUpgradeError(405, "request method must be GET");
  if (!first("host")) throw new WsUpgradeError(400, "'Host' missing in request");
  if (!headerHasToken(headers, "upgrade", "websocket")) {
    throw new WsUpgradeError(400, "invalid value for header 'Upgrade'");
  }
  if (!headerHasToken(headers, "connection", "upgrade")) {
    throw new WsUpgradeError(400, "invalid value for header 'Connection'");
  }
  const key = first("sec-websocket-key");
  if (!key) throw new WsUpgradeError(400, "key missing");
  if (!validKey(key)) throw new WsUpgradeError(400, "invalid websocket key");
  if (!headerHasToken(headers, "sec-websocket-version", "13")) {
    throw new WsUpgradeError(400, "invalid version");
  }
  const origin = first("origin") || first("sec-websocket-origin") || null;
  if (!policy.originAllowed(origin, first("host"))) {
    throw new WsUpgradeError(403, "origin not allowed");
  }
  const compress = policy.compression && offersDeflate(headers);
  let response = "HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\n" +
    `Connection: Upgrade\r\nSec-WebSocket-Accept: ${acceptKey(key)}\r\n`;
  if (compress) {
    response += "Sec-WebSocket-Extensions: permessage-deflate; server_no_context_takeover; " +
      "client_no_context_takeover\r\n";
  }
  response += "\r\n";
  const forwarded = first("x-forwarded-for");
  const cookies = headers.get("cookie");
  return {
    response: Buffer.from(response, "latin1"),
    compress,
    cookie: cookies ? cookies.join("; ") : null,
    forwardedFor: forwarded !== null && isIP(forwarded) !== 0 ? forwarded : null,
    origin,
  };
}

const STATUS_TEXT: Record<number, string> = {
  400: "Bad Request", 403: "Forbidden", 405: "Method Not Allowed",
  431: "Request Header Fields Too Large",
};

/** The HTTP error nats-server sends (Go's http.Error: status text as the body). */
export function errorResponse(error: WsUpgradeError): Uint8Array {
  const text = STATUS_TEXT[error.status] ?? "Bad Request";
  const body = `${text}\n`;
  return Buffer.from(`HTTP/1.1 ${error.status} ${text}\r\n` +
    "Content-Type: text/plain; charset=utf-8\r\nSec-Websocket-Version: 13\r\n" +
    `X-Content-Type-Options: nosniff\r\nConnection: close\r\n` +
    `Content-Length: ${body.length}\r\n\r\n${body}`, "latin1");
}
