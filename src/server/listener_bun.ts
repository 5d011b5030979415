/**
 * The only place that touches Bun's socket API for client connections: accepts sockets and
 * forwards reads, drains and closes to the connection bound to each socket.
 * @module
 */
import type { Socket } from "bun";
import type { ClientConnection, ClientSocket } from "../client/connection.ts";

export interface Listener {
  readonly port: number;
  stop(): void;
}

export interface ClientAcceptor {
  acceptClient(socket: ClientSocket): ClientConnection | null;
  readonly log: { error(message: string): void };
}

interface SocketData {
  client: ClientConnection | null;
}

export function listenClients(acceptor: ClientAcceptor, host: string, port: number): Listener {
  const server = Bun.listen<SocketData>({
    hostname: host,
    port,
    socket: {
      open(socket: Socket<SocketData>) {
        socket.setNoDelay(true);
        socket.data = { client: null };
        socket.data.client = acceptor.acceptClient(adapt(socket));
      },
      data(socket: Socket<SocketData>, chunk: Uint8Array) {
        socket.data.client?.onData(chunk);
      },
      drain(socket: Socket<SocketData>) {
        socket.data.client?.onDrain();
      },
      close(socket: Socket<SocketData>) {
        socket.data.client?.onSocketClosed();
      },
      error(socket: Socket<SocketData>, error: Error) {
        acceptor.log.error(`Client socket error: ${error.message}`);
        socket.data.client?.onSocketClosed();
      },
    },
  });
  return {
    port: server.port,
    stop: () => server.stop(false),
  };
}

function adapt(socket: Socket<SocketData>): ClientSocket {
  const remotePort = (socket as unknown as { remotePort?: number }).remotePort;
  return {
    write: (data: Uint8Array) => socket.write(data),
    end: () => socket.end(),
    pause: () => socket.pause(),
    resume: () => socket.resume(),
    remoteAddress: socket.remoteAddress,
    remotePort,
  };
}
