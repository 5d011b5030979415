/**
 * A MonitorSource made of plain objects for the monitor's unit tests: real accounts and
 * subscription index, a settable clock, and connections built field by field.
 * @module
 */
import { Account } from "../accounts/account.ts";
import { Subscription } from "../client/subscription.ts";
import { type ClosedClientInfo, ClosedClientRing } from "../server/closed_clients.ts";
import { defaultOptions, type Options } from "../server/options.ts";
import type { MonitoredConnection, MonitorSource } from "./source.ts";

export class FakeClock {
  constructor(public ms = 10_000) {}
  nowMs(): number {
    return this.ms;
  }
}

export interface FakeConnection extends MonitoredConnection {
  subscriptions: Map<string, Subscription<{ cid: number }>>;
  connect: {
    name: string; lang: string; version: string; user: string; nkey: string; jwt: string;
    authToken: string;
  };
  inMsgs: number;
  inBytes: number;
  outMsgs: number;
  outBytes: number;
  lastActivityMs: number;
  rttMs: number;
  outbound: { pendingBytes: number };
  account: Account | null;
}

export class FakeSource implements MonitorSource {
  id = "NFAKESERVERID";
  name = "fake";
  options: Options = { ...defaultOptions(), host: "127.0.0.1", port: -1, httpPort: -1 };
  startedAt = new Date(Date.UTC(2026, 0, 2, 3, 4, 5, 678));
  port = 4222;
  clients = new Map<number, FakeConnection>();
  closedClients = new ClosedClientRing(100);
  stats = { inMsgs: 0, inBytes: 0, outMsgs: 0, outBytes: 0, slowConsumers: 0,
    staleConnections: 0 };
  totalConnections = 0;
  accounts = new Map<string, Account>();
  clock = new FakeClock();
  globalAccount = new Account("$G");
  #authRequired = false;

  constructor() {
    this.accounts.set("$G", this.globalAccount);
  }

  authRequired(): boolean {
    return this.#authRequired;
  }

  requireAuth(): void {
    this.#authRequired = true;
  }

  addAccount(name: string): Account {
    const account = new Account(name);
    this.accounts.set(name, account);
    return account;
  }

  /** Adds an open connection bound to `account` (the global account by default). */
  connect(cid: number, fields: Partial<Omit<FakeConnection, "connect">> & {
    connect?: Partial<FakeConnection["connect"]>;
  } = {}): FakeConnection {
    const account = fields.account === undefined ? this.globalAccount : fields.account;
    const connection: FakeConnection = {
      cid,
      kind: "Client",
      socket: { remoteAddress: "127.0.0.1", remotePort: 50_000 + cid },
      subscriptions: new Map(),
      inMsgs: 0, inBytes: 0, outMsgs: 0, outBytes: 0,
      startedAtMs: this.clock.ms,
      lastActivityMs: this.clock.ms,
      rttMs: 0,
      outbound: { pendingBytes: 0 },
      ...fields,
      account,
      connect: {
        name: "", lang: "", version: "", user: "", nkey: "", jwt: "", authToken: "",
        ...fields.connect,
      },
    };
    if (account) account.clientCount++;
    this.clients.set(cid, connection);
    this.totalConnections++;
    return connection;
  }

  subscribe(connection: FakeConnection, subject: string, sid: string,
    queue: string | null = null): Subscription<{ cid: number }> {
    const sub = new Subscription<{ cid: number }>({ cid: connection.cid }, subject, queue, sid);
    connection.subscriptions.set(sid, sub);
    connection.account?.sublist.insert(sub);
    return sub;
  }

  /** Closes an open connection into the ring, as the server does. */
  close(connection: FakeConnection, reason: ClosedClientInfo["reason"]): void {
    this.clients.delete(connection.cid);
    if (connection.account) connection.account.clientCount--;
    this.closedClients.add({
      cid: connection.cid, ip: connection.socket.remoteAddress,
      port: connection.socket.remotePort ?? 0, startedAtMs: connection.startedAtMs,
      closedAtMs: this.clock.ms, reason, name: connection.connect.name,
      lang: connection.connect.lang, version: connection.connect.version,
      inMsgs: connection.inMsgs, outMsgs: connection.outMsgs, inBytes: connection.inBytes,
      outBytes: connection.outBytes, account: connection.account?.name ?? "",
      lastActivityMs: connection.lastActivityMs, rttMs: connection.rttMs,
      user: connection.connect.user, subscriptions: [...connection.subscriptions.values()],
    });
    for (const sub of connection.subscriptions.values()) connection.account?.sublist.remove(sub);
    connection.subscriptions.clear();
  }
}
