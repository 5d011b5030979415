/**
 * The WebSocket listener (nats-server's `websocket {}`): a Bun.listen socket (TLS for wss) reads
 * the HTTP upgrade request itself (websocket_upgrade.ts) within `handshake_timeout`, then
 * carries the ordinary NATS protocol in RFC 6455 binary frames (websocket_frames.ts). The
 * connection on top is the same ClientConnection as for TCP: this file only moves bytes.
 * @module
 */
import type { Socket } from "bun";
import { readFileSync } from "node:fs";
import type { ClientConnection, ClientSocket } from "../client/connection.ts";
import type { ClientAcceptor, Listener } from "./listener_bun.ts";
import type { Options } from "./options.ts";
import { opensslCipherList } from "./tls_ciphers.ts";
import { TlsConfigError } from "./tls_config.ts";
import { ecdhCurveList } from "./tls_curves.ts";
import { type CookieCredentials, cookieCredentials } from "./websocket_auth.ts";
import {
  closePayload, closeStatusFor, encodeFrame, encodeMessage, WsCloseStatus, wsCompressedBytesMax,
  WsFrameDecoder, WsOpcode, WsProtocolError,
} from "./websocket_frames.ts";
import {
  acceptUpgrade, errorResponse, type WsUpgrade, WsUpgradeError, WsRequestReader,
} from "./websocket_upgrade.ts";

interface WsData {
  /** Set until the upgrade completes (or fails). */
  request: WsRequestReader | null;
  handshakeTimer: ReturnType<typeof setTimeout> | null;
  adapter: WsAdapter | null;
  decoder: WsFrameDecoder | null;
  client: ClientConnection | null;
}

/**
 * The connection's socket: each write becomes one binary message. A frame the kernel took only
 * in part is finished on drain; until then writes take nothing, so the connection waits.
 */
class WsAdapter implements ClientSocket {
  #pending: Uint8Array | null = null;
  #closing = false;
  client: ClientConnection | null = null;

  constructor(readonly socket: Socket<WsData>, readonly remoteAddress: string,
    readonly remotePort: number | undefined, readonly compress: boolean,
    readonly cookieCredentials: CookieCredentials) {}

  write(data: Uint8Array): number {
    if (this.#pending !== null || this.#closing) return 0;
    this.#send(encodeMessage(data, this.compress));
    return data.length;
  }

  /** Control frames go out even behind pending data (queued after it). */
  control(opcode: number, payload: Uint8Array): void {
    this.#send(encodeFrame(opcode, payload));
  }

  /** The server closes: a close frame with Go's status for the connection's close reason. */
  end(): void {
    const reason = this.client?.closedReason ?? null;
    if (reason === null) this.closeWith(WsCloseStatus.normal, "");
    else this.closeWith(closeStatusFor(reason), reason);
  }

  closeWith(status: number, reason: string): void {
    if (this.#closing) return;
    this.control(WsOpcode.close, closePayload(status, reason));
    this.#closing = true;
    this.socket.end();
  }

  pause(): void {
    this.socket.pause();
  }
  resume(): void {
    this.socket.resume();
  }

  onDrain(): void {
    const pending = this.#pending;
    if (pending === null) return;
    this.#pending = null;
    this.#send(pending);
    if (this.#pending === null) this.client?.onDrain();
  }

  #send(frame: Uint8Array): void {
    if (this.#pending !== null) {
      this.#pending = Buffer.concat([this.#pending, frame]);
      return;
    }
    const written = Math.max(this.socket.write(frame), 0);
    if (written < frame.length) this.#pending = frame.subarray(written);
  }
}

/** Bun.listen's TLS options for wss. */
interface WsTlsOptions {
  cert: string;
  key: string;
  ca?: string;
  requestCert?: boolean;
  rejectUnauthorized?: boolean;
  ciphers?: string;
  ecdhCurve?: string;
}

/** Validates the options as nats-server does and returns what Bun.listen needs for TLS. */
function websocketTls(o: Options): WsTlsOptions | null {
  const hasTls = o.wsTlsCertFile !== "" || o.wsTlsKeyFile !== "";
  if (!hasTls && !o.wsNoTls) {
    throw new TlsConfigError("websocket requires TLS configuration");
  }
  if (!hasTls) return null;
  let files: { cert: string; key: string; ca?: string };
  try {
    files = {
      cert: readFileSync(o.wsTlsCertFile, "utf8"), key: readFileSync(o.wsTlsKeyFile, "utf8"),
      ...(o.wsTlsCaFile !== "" ? { ca: readFileSync(o.wsTlsCaFile, "utf8") } : {}),
    };
  } catch (error) {
    throw new TlsConfigError(`websocket: error parsing TLS: ${(error as Error).message}`);
  }
  const ciphers = opensslCipherList(o.wsTlsCipherSuites);
  const curves = ecdhCurveList(o.wsTlsCurvePreferences);
  return {
    ...files,
    // verify: a client certificate from the CA is required, as Go's RequireAndVerifyClientCert.
    ...(o.wsTlsVerify ? { requestCert: true, rejectUnauthorized: true } : {}),
    ...(ciphers !== "" ? { ciphers } : {}),
    ...(curves !== "" ? { ecdhCurve: curves } : {}),
  };
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

export function listenWebsocket(
  acceptor: ClientAcceptor, o: Options,
): Listener & { scheme: string } {
  const tls = websocketTls(o);
  const server = Bun.listen<WsData>({
    hostname: o.wsHost || o.host,
    port: o.wsPort === -1 ? 0 : o.wsPort,
    ...(tls ? { tls } : {}),
    socket: {
      open(socket) {
        socket.setNoDelay(true);
        socket.data = {
          request: new WsRequestReader(), handshakeTimer: null, adapter: null, decoder: null,
          client: null,
        };
        // As Go's http.Server ReadTimeout: the TLS handshake and the whole upgrade request
        // must arrive within handshake_timeout, else the socket closes without an answer.
        if (o.wsHandshakeTimeoutMs > 0) {
          socket.data.handshakeTimer = setTimeout(() => {
            socket.data.handshakeTimer = null;
            if (socket.data.request !== null) socket.end();
          }, o.wsHandshakeTimeoutMs);
        }
      },
      // With this handler Bun opens TLS sockets at accept (so the timer covers the TLS
      // handshake too) and a socket can be closed before its handshake completes.
      handshake(socket, success, error) {
        if (success) return;
        acceptor.log.debug(`WebSocket TLS handshake error: ${error?.message ?? "unknown"}`);
        socket.end();
      },
      data(socket, chunk) {
        if (socket.data.request !== null) onRequestBytes(socket, chunk, acceptor, o, tls !== null);
        else if (socket.data.decoder !== null) onFrameBytes(socket, chunk);
      },
      drain(socket) {
        socket.data.adapter?.onDrain();
      },
      close(socket) {
        clearHandshakeTimer(socket.data);
        socket.data.client?.onSocketClosed();
      },
      error(socket, error) {
        acceptor.log.debug(`WebSocket socket error: ${error.message}`);
        clearHandshakeTimer(socket.data);
        socket.data.client?.onSocketClosed();
      },
    },
  });
  return { port: server.port, scheme: tls ? "wss" : "ws", stop: () => server.stop(true) };
}

function clearHandshakeTimer(data: WsData | undefined): void {
  if (data?.handshakeTimer) clearTimeout(data.handshakeTimer);
  if (data) data.handshakeTimer = null;
}

/** Upgrade request bytes: answer 101 and start the NATS connection, or an HTTP error. */
function onRequestBytes(
  socket: Socket<WsData>, chunk: Uint8Array, acceptor: ClientAcceptor, o: Options,
  secure: boolean,
): void {
  const data = socket.data;
  let upgrade: WsUpgrade;
  try {
    const head = data.request!.push(chunk);
    if (head === null) return;
    upgrade = acceptUpgrade(head, {
      compression: o.wsCompression,
      originAllowed: (origin, host) => originAllowed(o, origin, host),
    });
  } catch (error) {
    if (!(error instanceof WsUpgradeError)) throw error;
    data.request = null;
    clearHandshakeTimer(data);
    acceptor.log.error(`${socket.remoteAddress} - ${error.message}`);
    socket.write(errorResponse(error));
    socket.end();
    return;
  }
  data.request = null;
  clearHandshakeTimer(data);
  socket.write(upgrade.response);
  const adapter = new WsAdapter(socket, upgrade.forwardedFor ?? socket.remoteAddress,
    (socket as unknown as { remotePort?: number }).remotePort, upgrade.compress,
    cookieCredentials(o, upgrade.cookie));
  data.adapter = adapter;
  data.decoder = new WsFrameDecoder({
    data: (bytes) => data.client?.onData(bytes),
    ping: (payload) => adapter.control(WsOpcode.pong, payload),
    close: (status, body) => {
      // Echo the peer's status (none for "no status"), then the socket closes.
      adapter.control(WsOpcode.close, status === null ? new Uint8Array(0)
        : closePayload(status, Buffer.from(body).toString("utf8")));
      socket.end();
    },
  }, upgrade.compress, wsCompressedBytesMax(o.maxPayloadBytes));
  data.client = acceptor.acceptClient(adapter, { start: true, tls: secure, websocket: true });
  adapter.client = data.client;
}

function onFrameBytes(socket: Socket<WsData>, chunk: Uint8Array): void {
  const data = socket.data;
  try {
    data.decoder!.push(chunk);
  } catch (error) {
    if (!(error instanceof WsProtocolError)) throw error;
    data.decoder = null;
    data.adapter!.closeWith(error.status, error.reason);
  }
}
