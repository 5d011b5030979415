/**
 * Account and server events published in the system account (nats-server's events.go):
 * client connect and disconnect (`$SYS.ACCOUNT.<acc>.CONNECT|DISCONNECT`) and authentication
 * failures (`$SYS.SERVER.<id>.CLIENT.AUTH.ERR`, and `$SYS.ACCOUNT.CLIENT.AUTH.ERR` in the
 * client's account). Pure builders: a client view and the time in, Go-ordered JSON out.
 * @module
 */
import { randomBytes } from "node:crypto";
import { rfc3339 } from "../monitor/go_format.ts";
import type { GoJsonValue } from "../monitor/go_json.ts";
import type { WallClock } from "../monitor/wall_clock.ts";

export const CONNECT_EVENT_TYPE = "io.nats.server.advisory.v1.client_connect";
export const DISCONNECT_EVENT_TYPE = "io.nats.server.advisory.v1.client_disconnect";

export const EventSubject = {
  connect: (account: string) => `$SYS.ACCOUNT.${account}.CONNECT`,
  disconnect: (account: string) => `$SYS.ACCOUNT.${account}.DISCONNECT`,
  authError: (serverId: string) => `$SYS.SERVER.${serverId}.CLIENT.AUTH.ERR`,
  accountAuthError: "$SYS.ACCOUNT.CLIENT.AUTH.ERR",
  statsz: (serverId: string) => `$SYS.SERVER.${serverId}.STATSZ`,
  shutdown: (serverId: string) => `$SYS.SERVER.${serverId}.SHUTDOWN`,
  lameDuck: (serverId: string) => `$SYS.SERVER.${serverId}.LAMEDUCK`,
} as const;

/** What events need to know about a client connection (ClientConnection fits). */
export interface EventClient {
  readonly cid: number;
  readonly socket: { readonly remoteAddress: string };
  readonly connect: {
    readonly user: string; readonly nkey: string; readonly name: string;
    readonly lang: string; readonly version: string; readonly jwt: string;
    readonly authToken: string;
  };
  readonly websocket: boolean;
  readonly startedAtMs: number;
  readonly rttMs: number;
  readonly inMsgs: number;
  readonly inBytes: number;
  readonly outMsgs: number;
  readonly outBytes: number;
}

const NUID_DIGITS = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";
/** nats-server event ids are NUIDs: 22 base-62 characters. */
const EVENT_ID_CHARS = 22;

export function newEventId(): string {
  const bytes = randomBytes(EVENT_ID_CHARS);
  let id = "";
  for (const b of bytes) id += NUID_DIGITS[b % NUID_DIGITS.length];
  return id;
}

/** Go's getRawAuthUser: the identity a client authenticated as; tokens are redacted. */
function rawUser(c: EventClient["connect"]): string | undefined {
  if (c.nkey !== "") return c.nkey;
  if (c.user !== "") return c.user;
  if (c.authToken !== "") return "[REDACTED]";
  return undefined;
}

const orUndefined = (text: string) => (text === "" ? undefined : text);

/** Go's ClientInfo as events fill it. */
function clientInfo(client: EventClient, account: string, clock: WallClock,
  stop: { stopWall: number } | null): GoJsonValue {
  const c = client.connect;
  const rttNs = Math.round(client.rttMs * 1_000_000);
  return {
    start: rfc3339(clock.wall(client.startedAtMs)),
    host: orUndefined(client.socket.remoteAddress),
    id: client.cid,
    acc: orUndefined(account),
    user: rawUser(c),
    name: orUndefined(c.name),
    lang: orUndefined(c.lang),
    ver: orUndefined(c.version),
    rtt: stop !== null && rttNs > 0 ? rttNs : undefined,
    stop: stop !== null ? rfc3339(stop.stopWall) : undefined,
    jwt: orUndefined(c.jwt),
    name_tag: orUndefined(account),
    kind: "Client",
    client_type: client.websocket ? "websocket" : "nats",
  };
}

function typed(type: string, wall: number): Record<string, GoJsonValue> {
  return { type, id: newEventId(), timestamp: rfc3339(wall) };
}

export function connectEvent(client: EventClient, account: string, clock: WallClock,
  server: GoJsonValue): GoJsonValue {
  const wall = clock.wall(clock.nowMono());
  return { ...typed(CONNECT_EVENT_TYPE, wall), server,
    client: clientInfo(client, account, clock, null) };
}

/** A disconnect, or (for `$SYS…AUTH.ERR`) a refused authentication, in Go's shape. */
export function disconnectEvent(client: EventClient, account: string, reason: string,
  clock: WallClock, server: GoJsonValue): GoJsonValue {
  const wall = clock.wall(clock.nowMono());
  return {
    ...typed(DISCONNECT_EVENT_TYPE, wall), server,
    client: clientInfo(client, account, clock, { stopWall: wall }),
    // Go reports the client's view: what it sent is what the server received.
    sent: { msgs: client.inMsgs, bytes: client.inBytes },
    received: { msgs: client.outMsgs, bytes: client.outBytes },
    reason,
  };
}
