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

/** TLS settings resolved from the options (certificates loaded). */
export interface ListenerTls {
  options: TLSOptions & { requestCert?: boolean; rejectUnauthorized?: boolean };
  handshakeFirst: boolean;
  timeoutMs: number;
}

interface SocketData {
  client: ClientConnection | null;
  adapter: SocketAdapter | null;
  handshakeTimer: ReturnType<typeof setTimeout> | null;
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
    if (socket.data.adapter?.target === socket) socket.data.client?.onData(chunk);
  },
  drain(socket: Socket<SocketData>) {
    if (socket.data.adapter?.target === socket) socket.data.client?.onDrain();
  },
  close(socket: Socket<SocketData>) {
    clearHandshakeTimer(socket.data);
    socket.data.client?.onSocketClosed();
  },
};

/**
 * `tlsRef.current` is read for every new connection, so a reload can swap certificates. (With
 * handshake_first the TLS context is Bun's listener's own and keeps the start-up certificates.)
 */
export function listenClients(
  acceptor: ClientAcceptor, host: string, port: number, tlsRef: { current: ListenerTls | null },
): Listener {
  const startTls = tlsRef.current;
  const tlsFirst = startTls !== null && startTls.handshakeFirst;
  const server = Bun.listen<SocketData>({
    hostname: host,
    port,
    ...(tlsFirst ? { tls: startTls.options } : {}),
    socket: {
      ...clientHandlers,
      open(socket: Socket<SocketData>) {
        socket.setNoDelay(true);
        const adapter = new SocketAdapter(socket, socket.remoteAddress,
          (socket as unknown as { remotePort?: number }).remotePort);
        socket.data = { client: null, adapter, handshakeTimer: null };
        const tls = tlsRef.current;
        if (tls === null) {
          socket.data.client = acceptor.acceptClient(adapter, { start: true, tls: false });
          return;
        }
        // INFO first (in clear) unless the handshake comes first.
        socket.data.client = acceptor.acceptClient(adapter, { start: !tlsFirst, tls: true });
        if (socket.data.client === null) return;
        armHandshakeTimer(socket.data, tls.timeoutMs, acceptor);
        if (!tlsFirst) upgrade(socket, adapter, tls, acceptor);
      },
      handshake(socket: Socket<SocketData>, success: boolean, error: Error | null) {
        // Only reached for handshake_first listeners.
        onHandshake(socket.data, socket, success, error, acceptor);
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

function armHandshakeTimer(data: SocketData, timeoutMs: number, acceptor: ClientAcceptor): void {
  data.handshakeTimer = setTimeout(() => {
    data.handshakeTimer = null;
    acceptor.log.debug("TLS handshake timeout");
    data.client?.closeAfterTlsFailure();
  }, timeoutMs);
}

function clearHandshakeTimer(data: SocketData | undefined): void {
  if (data?.handshakeTimer) clearTimeout(data.handshakeTimer);
  if (data) data.handshakeTimer = null;
}
