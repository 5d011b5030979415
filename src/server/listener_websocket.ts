/**
 * The WebSocket listener (nats-server's `websocket {}`): Bun.serve upgrades HTTP requests and
 * each WebSocket carries the ordinary NATS protocol in binary frames. The connection on top is
 * the same ClientConnection as for TCP; this file only moves bytes and checks origins.
 * @module
 */
import type { Server as BunServer, ServerWebSocket } from "bun";
import { readFileSync } from "node:fs";
import type { ClientConnection, ClientSocket } from "../client/connection.ts";
import type { ClientAcceptor, Listener } from "./listener_bun.ts";
import type { Options } from "./options.ts";
import { TlsConfigError } from "./tls_config.ts";
import { type CookieCredentials, cookieCredentials } from "./websocket_auth.ts";

/** Bun buffers at most this much per WebSocket before it reports backpressure. */
export const WS_BACKPRESSURE_BYTES_MAX = 16 * 1024 * 1024;
/** Largest frame natsd accepts: a full max_payload message plus its control line. */
const WS_FRAME_OVERHEAD_BYTES = 64 * 1024;

interface WsData {
  client: ClientConnection | null;
  adapter: WsAdapter | null;
  remoteAddress: string;
  cookieCredentials: CookieCredentials;
}

class WsAdapter implements ClientSocket {
  constructor(readonly ws: ServerWebSocket<WsData>, readonly remoteAddress: string,
    readonly cookieCredentials: CookieCredentials) {}
  /** A frame is all or nothing: sent or queued in Bun counts as taken; dropped is 0. */
  write(data: Uint8Array): number {
    const result = this.ws.sendBinary(data);
    return result === 0 ? 0 : data.length;
  }
  end(): void {
    this.ws.close();
  }
}

/** Validates the options as nats-server does and returns what Bun.serve needs for TLS. */
function websocketTls(o: Options): { cert: string; key: string } | null {
  const hasTls = o.wsTlsCertFile !== "" || o.wsTlsKeyFile !== "";
  if (!hasTls && !o.wsNoTls) {
    throw new TlsConfigError("websocket requires TLS configuration");
  }
  if (!hasTls) return null;
  try {
    return { cert: readFileSync(o.wsTlsCertFile, "utf8"), key: readFileSync(o.wsTlsKeyFile, "utf8") };
  } catch (error) {
    throw new TlsConfigError(`websocket: error parsing TLS: ${(error as Error).message}`);
  }
}

/** nats-server's origin rules: same_origin compares with Host; allowed_origins is a list. */
export function originAllowed(o: Options, origin: string | null, host: string | null): boolean {
  if (origin === null || (!o.wsSameOrigin && o.wsAllowedOrigins.length === 0)) return true;
  let url: URL;
  try {
    url = new URL(origin);
  } catch {
    return false;
  }
  if (o.wsSameOrigin && host !== null && url.host !== host) return false;
  if (o.wsAllowedOrigins.length > 0) {
    return o.wsAllowedOrigins.some((allowed) => {
      try {
        const a = new URL(allowed);
        return a.protocol === url.protocol && a.host === url.host;
      } catch {
        return false;
      }
    });
  }
  return true;
}

export function listenWebsocket(acceptor: ClientAcceptor, o: Options): Listener & { scheme: string } {
  const tls = websocketTls(o);
  const server: BunServer<WsData> = Bun.serve<WsData>({
    hostname: o.wsHost || o.host,
    port: o.wsPort === -1 ? 0 : o.wsPort,
    ...(tls ? { tls } : {}),
    // handshake_timeout bounds the HTTP upgrade request. Bun counts whole seconds and sweeps
    // idle requests coarsely (about every 10 s here), so the bound is approximate.
    idleTimeout: Math.min(Math.max(Math.ceil(o.wsHandshakeTimeoutMs / 1000), 1), 255),
    fetch(request, bun) {
      if (!originAllowed(o, request.headers.get("origin"), request.headers.get("host"))) {
        return new Response("Forbidden: origin not allowed", { status: 403 });
      }
      const remoteAddress = bun.requestIP(request)?.address ?? "";
      const cookies = cookieCredentials(o, request.headers.get("cookie"));
      const data = { client: null, adapter: null, remoteAddress, cookieCredentials: cookies };
      if (bun.upgrade(request, { data })) {
        return undefined as unknown as Response;
      }
      return new Response("Bad Request: expected a WebSocket upgrade", { status: 400 });
    },
    websocket: {
      perMessageDeflate: o.wsCompression,
      maxPayloadLength: o.maxPayloadBytes + WS_FRAME_OVERHEAD_BYTES,
      backpressureLimit: WS_BACKPRESSURE_BYTES_MAX,
      idleTimeout: 0, // NATS pings keep the connection alive
      open(ws) {
        const adapter = new WsAdapter(ws, ws.data.remoteAddress, ws.data.cookieCredentials);
        ws.data.adapter = adapter;
        ws.data.client = acceptor.acceptClient(adapter,
          { start: true, tls: tls !== null, websocket: true });
      },
      message(ws, message) {
        const bytes = typeof message === "string" ? new TextEncoder().encode(message) : message;
        ws.data.client?.onData(bytes);
      },
      drain(ws) {
        ws.data.client?.onDrain();
      },
      close(ws) {
        ws.data.client?.onSocketClosed();
      },
    },
  });
  return { port: server.port ?? 0, scheme: tls ? "wss" : "ws", stop: () => server.stop(true) };
}
