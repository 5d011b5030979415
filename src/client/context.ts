/**
 * What a client connection needs from the server, as an interface so the connection is
 * tested without a listening server.
 * @module
 */
import type { Account } from "../accounts/account.ts";
import type { Options } from "../server/options.ts";
import type { Logger } from "../server/logger.ts";
import type { ClosedReason } from "../protocol/errors.ts";
import type { ConnectOptions } from "./connect_options.ts";
import type { FlushQueue } from "./flush_queue.ts";
import type { ClientConnection } from "./connection.ts";
import type { PubArgs } from "../protocol/parser.ts";

/** Server-wide message and byte counters (/varz). */
export class TrafficStats {
  inMsgs = 0;
  inBytes = 0;
  outMsgs = 0;
  outBytes = 0;
  slowConsumers = 0;
  staleConnections = 0;
}

export interface Clock {
  /** Monotonic milliseconds. */
  nowMs(): number;
}

export interface ClientContext {
  readonly options: Options;
  readonly flushQueue: FlushQueue;
  readonly log: Logger;
  readonly stats: TrafficStats;
  readonly clock: Clock;
  /** The INFO JSON for this connection (without the `INFO ` framing). */
  infoJson(client: ClientConnection, extra?: Record<string, unknown>): string;
  /** True when clients must authenticate in CONNECT before anything else. */
  authRequired(client?: ClientConnection): boolean;
  /** The account the client's credentials bind to, or null when they are refused. */
  authenticate(client: ClientConnection, connect: ConnectOptions): Account | null;
  /** Matches and delivers one message published by `sender` in `account`. */
  routeMessage(
    sender: ClientConnection, account: Account, args: PubArgs,
    payload: Uint8Array, start: number, end: number,
  ): void;
  onClientClosed(client: ClientConnection, reason: ClosedReason): void;
  /** After a TLS handshake: false refuses the peer (e.g. its certificate is not pinned). */
  acceptTlsPeer(client: ClientConnection): boolean;
}
