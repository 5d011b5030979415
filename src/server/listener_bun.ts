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
import { Duplex } from "node:stream";
import { TLSSocket } from "node:tls";
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
  /** allow_non_tls: the client's first bytes decide between TLS and plaintext. */
  allowNonTls: boolean;
}

interface SocketData {
  client: ClientConnection | null;
  adapter: SocketAdapter | null;
  handshakeTimer: ReturnType<typeof setTimeout> | null;
  /** allow_non_tls: the TLS options until the first bytes decide, then the chosen layer. */
  sniff: ListenerTls | null;
  mixedTls: MixedTlsLayer | null;
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
    if (data.sniff !== null) {
      const tls = data.sniff;
      data.sniff = null;
      if (chunk.length > 0 && chunk[0] === TLS_HANDSHAKE_RECORD) {
        data.mixedTls = new MixedTlsLayer(socket, data, tls);
        data.mixedTls.receive(chunk);
        return;
      }
    }
    if (data.adapter?.target === socket) data.client?.onData(chunk);
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
        socket.data = { client: null, adapter, handshakeTimer: null, sniff: null, mixedTls: null };
        const tls = tlsRef.current;
        if (tls === null) {
          socket.data.client = acceptor.acceptClient(adapter, { start: true, tls: false });
          return;
        }
        if (tls.allowNonTls && !tlsFirst) {
          // INFO offers TLS; the client's first byte decides (a TLS record starts with 0x16).
          socket.data.sniff = tls;
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

/** The first byte of a TLS handshake record. */
const TLS_HANDSHAKE_RECORD = 0x16;

/**
 * allow_non_tls with a client that chose TLS: Bun cannot hand bytes it already delivered to
 * `upgradeTLS`, so node:tls runs over a Duplex fed from the plain socket. Slower than the
 * native upgrade, and used only for this mixed mode.
 */
class MixedTlsLayer {
  readonly #duplex: Duplex;
  readonly #tls: TLSSocket;

  constructor(socket: Socket<SocketData>, data: SocketData, listenerTls: ListenerTls) {
    this.#duplex = new Duplex({
      read() {},
      write(chunk: Uint8Array, _encoding, done) {
        socket.write(chunk);
        done();
      },
    });
    const o = listenerTls.options;
    this.#tls = new TLSSocket(this.#duplex, {
      isServer: true, key: o.key as string, cert: o.cert as string,
      ...(o.ca ? { ca: o.ca as string } : {}),
      requestCert: o.requestCert, rejectUnauthorized: o.rejectUnauthorized,
      ...(o.ciphers ? { ciphers: o.ciphers as string } : {}),
    });
    const client = data.client;
    const adapter = data.adapter!;
    const tlsSocket = this.#tls;
    adapter.target = {
      write: (bytes: Uint8Array) => {
        tlsSocket.write(bytes);
        return bytes.length;
      },
      end: () => tlsSocket.end(),
      pause: () => socket.pause(),
      resume: () => socket.resume(),
    } as unknown as Socket<SocketData>;
    tlsSocket.on("secure", () => {
      clearHandshakeTimer(data);
      adapter.tlsVersion = (tlsSocket.getProtocol() ?? "").replace(/^TLSv/, "");
      adapter.tlsCipher = tlsSocket.getCipher()?.name ?? "";
      adapter.peerCertificateDer = tlsSocket.getPeerCertificate(true)?.raw ?? null;
      if (client) client.transportTls = true;
      client?.onTlsHandshake();
    });
    tlsSocket.on("data", (chunk: Uint8Array) => client?.onData(chunk));
    tlsSocket.on("error", () => client?.closeAfterTlsFailure());
    tlsSocket.on("close", () => socket.end());
  }

  receive(chunk: Uint8Array): void {
    this.#duplex.push(Buffer.from(chunk));
  }
}
