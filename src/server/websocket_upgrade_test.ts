import { describe, expect, test } from "bun:test";
import {
  acceptKey, acceptUpgrade, errorResponse, WS_UPGRADE_REQUEST_BYTES_MAX, WsRequestReader,
  WsUpgradeError,
} from "./websocket_upgrade.ts";

const KEY = "dGhlIHNhbXBsZSBub25jZQ==";
const GOOD = ["GET / HTTP/1.1", "Host: example:8080", "Upgrade: websocket",
  "Connection: keep-alive, Upgrade", `Sec-WebSocket-Key: ${KEY}`, "Sec-WebSocket-Version: 13"];
const open = { compression: false, originAllowed: () => true };

function status(lines: string[], policy = open): string {
  try {
    acceptUpgrade(lines.join("\r\n"), policy);
    return "101";
  } catch (error) {
    if (error instanceof WsUpgradeError) return `${error.status} ${error.reason}`;
    throw error;
  }
}

describe("WebSocket upgrade request", () => {
  test("the RFC 6455 example key gives the RFC's accept value", () => {
    expect(acceptKey(KEY)).toBe("s3pPLMBiTxaQ9kYGzzhZRbK+xOo=");
    const up = acceptUpgrade(GOOD.join("\r\n"), open);
    expect(Buffer.from(up.response).toString()).toBe("HTTP/1.1 101 Switching Protocols\r\n" +
      "Upgrade: websocket\r\nConnection: Upgrade\r\n" +
      "Sec-WebSocket-Accept: s3pPLMBiTxaQ9kYGzzhZRbK+xOo=\r\n\r\n");
    expect(up.compress).toBe(false);
  });

  test("requests are refused in nats-server's order with its reasons", () => {
    const without = (prefix: string) => GOOD.filter((l) => !l.startsWith(prefix));
    expect(status(["POST / HTTP/1.1", ...GOOD.slice(1)])).toBe("405 request method must be GET");
    expect(status(without("Host"))).toBe("400 'Host' missing in request");
    expect(status(without("Upgrade"))).toBe("400 invalid value for header 'Upgrade'");
    expect(status(without("Connection"))).toBe("400 invalid value for header 'Connection'");
    expect(status(without("Sec-WebSocket-Key"))).toBe("400 key missing");
    expect(status([...without("Sec-WebSocket-Key"), "Sec-WebSocket-Key: c2hvcnQ="]))
      .toBe("400 invalid websocket key");
    expect(status(without("Sec-WebSocket-Version"))).toBe("400 invalid version");
    expect(status([...GOOD, "Origin: https://evil.example"],
      { compression: false, originAllowed: () => false })).toBe("403 origin not allowed");
    expect(status(["garbage"])).toBe("400 malformed HTTP request");
    expect(status([...GOOD, "no colon here"])).toBe("400 malformed HTTP request header");
  });

  test("compression only when configured and offered; cookies and X-Forwarded-For kept", () => {
    const offer = "Sec-WebSocket-Extensions: permessage-deflate; client_max_window_bits";
    const lines = [...GOOD, offer, "Cookie: a=1", "Cookie: b=2", "X-Forwarded-For: 10.1.2.3"];
    const up = acceptUpgrade(lines.join("\r\n"), { ...open, compression: true });
    expect(up.compress).toBe(true);
    expect(Buffer.from(up.response).toString()).toContain(
      "Sec-WebSocket-Extensions: permessage-deflate; server_no_context_takeover; " +
      "client_no_context_takeover\r\n");
    expect(up.cookie).toBe("a=1; b=2");
    expect(up.forwardedFor).toBe("10.1.2.3");
    expect(acceptUpgrade(lines.join("\r\n"), open).compress).toBe(false);
    expect(acceptUpgrade([...GOOD, "X-Forwarded-For: nope"].join("\r\n"), open).forwardedFor)
      .toBeNull();
  });

  test("the reader waits for the blank line, refuses early data and oversize headers", () => {
    const reader = new WsRequestReader();
    const text = `${GOOD.join("\r\n")}\r\n\r\n`;
    expect(reader.push(Buffer.from(text.slice(0, 20)))).toBeNull();
    expect(reader.push(Buffer.from(text.slice(20)))).toBe(GOOD.join("\r\n"));
    const early = new WsRequestReader();
    expect(() => early.push(Buffer.from(`${text}\x82`))).toThrow(
      "client sent data before handshake is complete");
    const huge = new WsRequestReader();
    expect(() => huge.push(new Uint8Array(WS_UPGRADE_REQUEST_BYTES_MAX + 1).fill(65)))
      .toThrow("request header fields too large");
  });

  test("errors are HTTP answers with the status text as body", () => {
    const text = Buffer.from(errorResponse(new WsUpgradeError(403, "origin not allowed")))
      .toString();
    expect(text.startsWith("HTTP/1.1 403 Forbidden\r\n")).toBe(true);
    expect(text.endsWith("\r\n\r\nForbidden\n")).toBe(true);
  });
});
