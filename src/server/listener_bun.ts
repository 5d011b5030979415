/**
 * The only place that touches Bun's socket API for client connections: accepts sockets,
 * layers TLS under them when configured, and forwards reads, drains and closes to the
 * connection bound to each socket. The connection itself never knows which transport it has.
 *
 * TLS as nats-server does it: INFO goes out in clear, then the server expects the client's TLS
 * handshake on the same connection (Bun's `upgradeTLS`), or, with `handshake_first`, TLS comes
 * first and INFO follows the handshake.
 * @module
 */
import type { Socket, TLSOptions } from "bun";
import type { ClientConnection, ClientSocket } from "../client/connection.ts";
import { MixedTlsLayer } from "./tls_mixed_layer.ts";

export interface Listener {
  readonly port: number;
  stop(): void;
}

/** What the listener needs from the server. */
export interface ClientAcceptor {
  /** Creates the connection; `start` false defers INFO until startClient (TLS first). */
  acceptClient(socket: ClientSocket, options: AcceptOptions): ClientConnection | null;
  readonly log: { error(message: string): void; debug(message: string): void };
}

export interface AcceptOptions {
  /** False defers INFO until the TLS handshake (handshake_first). */
  start: boolean;
  tls: boolean;
  websocket?: boolean;
}

export type ListenerTlsOptions = TLSOptions & {
  requestCert?: boolean; rejectUnauthorized?: boolean; ecdhCurve?: string;
};

/** TLS settings resolved from the options (certificates loaded). */
export interface ListenerTls {
  options: ListenerTlsOptions;
  handshakeFirst: boolean;
  /**
   * handshake_first auto or a duration: how long the server waits for the client to speak
   * first (TLS first) before it sends INFO and expects the usual upgrade; 0 = always TLS first.
   */
  handshakeFirstFallbackMs: number;
  timeoutMs: number;
  /** allow_non_tls: the client's first bytes decide between TLS and plaintext. */
  allowNonTls: boolean;
}

interface SocketData {
  client: ClientConnection | null;
  adapter: SocketAdapter | null;
  handshakeTimer: ReturnType<typeof setTimeout> | null;
  /** allow_non_tls or handshake_first fallback: what the first bytes decide between. */
  sniff: FirstBytes | null;
  /** handshake_first fallback: fires when the client stayed silent. */
  fallbackTimer: ReturnType<typeof setTimeout> | null;
  mixedTls: MixedTlsLayer | null;
}

/** allow_non_tls: a TLS record means TLS, else plaintext. tlsFirst: any byte means TLS. */
interface FirstBytes {
  tls: ListenerTls;
  mode: "allowNonTls" | "tlsFirst";
}

/** A stable ClientSocket whose target moves from the plain socket to the TLS one. */
class SocketAdapter implements ClientSocket {
  tlsVersion = "";
  tlsCipher = "";
  peerCertificateDer: Uint8Array | null = null;

  constructor(public target: Socket<SocketData>, readonly remoteAddress: string,
    readonly remotePort: number | undefined) {}

  write(data: Uint8Array): number {
    return this.target.write(data);
  }
  end(): void {
    this.target.end();
  }
  pause(): void {
    this.target.pause();
  }
  resume(): void {
    this.target.resume();
  }
}

/**
 * Handlers shared by plain and TLS sockets. After an upgrade Bun still reports the encrypted
 * bytes on the plain socket: only the socket the adapter targets feeds the connection.
 */
const clientHandlers = {
  data(socket: Socket<SocketData>, chunk: Uint8Array) {
    const data = socket.data;
    if (data.mixedTls !== null) {
      data.mixedTls.receive(chunk);
      return;
    }
    if (data.sniff !== null && chunk.length > 0) {
      const sniff = data.sniff;
      data.sniff = null;
      clearFallbackTimer(data);
      if (sniff.mode === "tlsFirst" || chunk[0] === TLS_HANDSHAKE_RECORD) {
        if (sniff.mode === "tlsFirst") armHandshakeTimer(data, sniff.tls.timeoutMs);
        data.mixedTls = mixedTlsLayer(socket, data, sniff.tls);
        data.mixedTls.receive(chunk);
        return;
      }
    }
    if (data.adapter?.target === socket) data.client?.onData(chunk);
  },
  drain(socket: Socket<SocketData>) {
    if (socket.data.mixedTls !== null) socket.data.mixedTls.onRawDrain();
    else if (socket.data.adapter?.target === socket) socket.data.client?.onDrain();
  },
  close(socket: Socket<SocketData>) {
    clearHandshakeTimer(socket.data);
    clearFallbackTimer(socket.data);
    socket.data.client?.onSocketClosed();
  },
};

/**
 * `tlsRef.current` is read for every new connection, so a reload can swap certificates. The
 * listener itself is always plain: even handshake_first upgrades each socket at open (before
 * any byte is read), so its certificates reload too.
 */
export function listenClients(
  acceptor: ClientAcceptor, host: string, port: number, tlsRef: { current: ListenerTls | null },
): Listener {
  const server = Bun.listen<SocketData>({
    hostname: host,
    port,
    socket: {
      ...clientHandlers,
      open(socket: Socket<SocketData>) {
        socket.setNoDelay(true);
        openClient(socket, acceptor, tlsRef.current);
      },
      error(socket: Socket<SocketData>, error: Error) {
        acceptor.log.debug(`Client socket error: ${error.message}`);
        socket.data.client?.onSocketClosed();
      },
    },
  });
  return {
    port: server.port,
    stop: () => server.stop(false),
  };
}

/** Creates the connection for a new socket and sets up what its first bytes must be. */
function openClient(
  socket: Socket<SocketData>, acceptor: ClientAcceptor, tls: ListenerTls | null,
): void {
  const adapter = new SocketAdapter(socket, socket.remoteAddress,
    (socket as unknown as { remotePort?: number }).remotePort);
  const data: SocketData = {
    client: null, adapter, handshakeTimer: null, sniff: null, fallbackTimer: null, mixedTls: null,
  };
  socket.data = data;
  if (tls === null) {
    data.client = acceptor.acceptClient(adapter, { start: true, tls: false });
    return;
  }
  if (tls.allowNonTls && !tls.handshakeFirst) {
    // INFO offers TLS; the client's first byte decides (a TLS record starts with 0x16).
    data.sniff = { tls, mode: "allowNonTls" };
    data.client = acceptor.acceptClient(adapter, { start: true, tls: false });
    return;
  }
  // INFO first (in clear) unless the handshake comes first.
  data.client = acceptor.acceptClient(adapter, { start: !tls.handshakeFirst, tls: true });
  if (data.client === null) return;
  if (tls.handshakeFirst && tls.handshakeFirstFallbackMs > 0) {
    // As nats-server: a client that speaks within the delay does TLS first; silence means
    // an older client waiting for INFO, which then gets the usual INFO-then-TLS upgrade.
    data.sniff = { tls, mode: "tlsFirst" };
    data.fallbackTimer = setTimeout(() => {
      data.fallbackTimer = null;
      data.sniff = null;
      const client = data.client;
      if (client === null) return;
      if (tls.allowNonTls) {
        // As nats-server: INFO offers TLS (tls_available) and the first byte decides.
        client.transportTls = false;
        data.sniff = { tls, mode: "allowNonTls" };
        client.start();
        return;
      }
      client.start();
      armHandshakeTimer(data, tls.timeoutMs);
      upgrade(socket, adapter, tls, acceptor);
    }, tls.handshakeFirstFallbackMs);
  } else {
    // TLS after INFO, or always TLS first (no byte has been read yet: the native upgrade
    // takes the whole handshake).
    armHandshakeTimer(data, tls.timeoutMs);
    upgrade(socket, adapter, tls, acceptor);
  }
}

function upgrade(
  socket: Socket<SocketData>, adapter: SocketAdapter, tls: ListenerTls, acceptor: ClientAcceptor,
): void {
  const data = socket.data;
  const [, tlsSocket] = (socket as unknown as {
    upgradeTLS(options: unknown): [Socket<SocketData>, Socket<SocketData>];
  }).upgradeTLS({
    isServer: true,
    tls: tls.options,
    data,
    socket: {
      ...clientHandlers,
      handshake(tlsSock: Socket<SocketData>, success: boolean, error: Error | null) {
        onHandshake(data, tlsSock, success, error, acceptor);
      },
      error(_tlsSock: Socket<SocketData>, error: Error) {
        acceptor.log.debug(`TLS socket error: ${error.message}`);
        data.client?.onSocketClosed();
      },
    },
  });
  tlsSocket.data = data;
  adapter.target = tlsSocket;
}

function onHandshake(
  data: SocketData, socket: Socket<SocketData>, success: boolean, error: Error | null,
  acceptor: ClientAcceptor,
): void {
  clearHandshakeTimer(data);
  const client = data.client;
  if (client === null) return;
  if (!success) {
    acceptor.log.debug(`TLS handshake error: ${error?.message ?? "unknown"}`);
    client.closeAfterTlsFailure();
    return;
  }
  const adapter = data.adapter!;
  const tlsApi = socket as unknown as {
    getTLSVersion?(): string; getCipher?(): { name?: string } | null;
    getPeerCertificate?(detailed?: boolean): { raw?: Uint8Array } | null;
  };
  adapter.tlsVersion = (tlsApi.getTLSVersion?.() ?? "").replace(/^TLSv/, "");
  adapter.tlsCipher = tlsApi.getCipher?.()?.name ?? "";
  adapter.peerCertificateDer = tlsApi.getPeerCertificate?.(true)?.raw ?? null;
  client.onTlsHandshake();
}

/** The client's connection closes (as a TLS handshake failure) if TLS is not up in time. */
function armHandshakeTimer(data: SocketData, timeoutMs: number): void {
  data.handshakeTimer = setTimeout(() => {
    data.handshakeTimer = null;
    data.client?.closeAfterTlsFailure();
  }, timeoutMs);
}

function clearFallbackTimer(data: SocketData | undefined): void {
  if (data?.fallbackTimer) clearTimeout(data.fallbackTimer);
  if (data) data.fallbackTimer = null;
}

function clearHandshakeTimer(data: SocketData | undefined): void {
  if (data?.handshakeTimer) clearTimeout(data.handshakeTimer);
  if (data) data.handshakeTimer = null;
}

/** The first byte of a TLS handshake record. */
const TLS_HANDSHAKE_RECORD = 0x16;

/**
 * TLS over bytes the plain socket already read (allow_non_tls, handshake_first fallback): the
 * adapter's target becomes the TLS layer, so the connection keeps its one ClientSocket.
 */
function mixedTlsLayer(
  socket: Socket<SocketData>, data: SocketData, listenerTls: ListenerTls,
): MixedTlsLayer {
  const client = data.client;
  const adapter = data.adapter!;
  const layer = new MixedTlsLayer(socket, listenerTls.options, {
    secure(session) {
      clearHandshakeTimer(data);
      adapter.tlsVersion = session.version;
      adapter.tlsCipher = session.cipher;
      adapter.peerCertificateDer = session.peerCertificateDer;
      if (client) client.transportTls = true;
      client?.onTlsHandshake();
    },
    data: (chunk) => client?.onData(chunk),
    drain: () => client?.onDrain(),
    failed: () => client?.closeAfterTlsFailure(),
  });
  adapter.target = {
    write: (bytes: Uint8Array) => layer.write(bytes),
    end: () => layer.end(),
    pause: () => socket.pause(),
    resume: () => socket.resume(),
  } as unknown as Socket<SocketData>;
  return layer;
}
