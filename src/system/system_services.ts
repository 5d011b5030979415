/**
 * The system account at work: an internal client that answers the `$SYS.REQ.…` services
 * (requests.ts) and publishes the server's events (events.ts) and statsz heartbeats.
 * Everything it publishes goes through a queue flushed after the current delivery (as Go's
 * send queue does), so a message is never published from inside another one's delivery.
 * @module
 */
import { availableParallelism } from "node:os";
import type { Account } from "../accounts/account.ts";
import { getHeader } from "../accounts/headers.ts";
import { originalPublisher, REQUEST_INFO_HEADER } from "../accounts/import_sinks.ts";
import { addServiceExport } from "../accounts/links.ts";
import type { ClientPermissions } from "../auth/permissions.ts";
import type { PermissionsConfig } from "../auth/types.ts";
import { rfc3339 } from "../monitor/go_format.ts";
import { type GoJsonValue, goJson } from "../monitor/go_json.ts";
import type { ProcessUsage } from "../monitor/process_usage.ts";
import type { MonitorSource } from "../monitor/source.ts";
import { totalSubscriptions } from "../monitor/varz.ts";
import type { WallClock } from "../monitor/wall_clock.ts";
import { infoLine } from "../protocol/encoder.ts";
import type { InternalClient } from "../server/internal_client.ts";
import { connectEvent, disconnectEvent, type EventClient, EventSubject } from "./events.ts";
import {
  ACCOUNT_ENDPOINTS, accountStatz, type Answer, answer, type RequestContext, SERVER_ENDPOINTS,
} from "./requests.ts";
import { type ServerIdentity, ServerInfoStamp } from "./server_info.ts";
import {
  cidOf, countSubscribers, expvarzData, kickClient, ldmClient, parseNsubsRequest,
  parseSubscribersQuery, profilezData,
} from "./server_actions.ts";

/** The first statsz heartbeat comes this soon; the interval then doubles up to the max. */
export const STATSZ_INTERVAL_MS_FIRST = 250;
/** Go's statsHBInterval. */
export const STATSZ_INTERVAL_MS_MAX = 10_000;
/** `$SYS.REQ.ACCOUNT.<acc>.<Y>`: the account is token 3 of 5 (Go's accReqAccIndex). */
const ACCOUNT_TOKEN_INDEX = 3;
const ACCOUNT_REQUEST_TOKENS = 5;
const ACCOUNT_CONNECTIONS_TYPE = "io.nats.server.advisory.v1.account_connections";
/** Go's accSubsSubj: subscriber counts for debugging. */
export const SUBSCRIBERS_SUBJECT = "$SYS.DEBUG.SUBSCRIBERS";
/** Go's userDirectInfoSubj: imported into every account. */
export const USER_INFO_SUBJECT = "$SYS.REQ.USER.INFO";

export type SystemServer = Omit<MonitorSource, "accounts"> & ServerIdentity & {
  readonly accounts: ReadonlyMap<string, Account>;
  createInternalClient(account: Account, kind: "System" | "Account"): InternalClient;
  /** SIGHUP's reload (RELOAD); false after logging why it failed. */
  reload(): boolean;
  readonly log: { error(message: string): void };
  /** The INFO JSON for a client, with `extra` fields (LDM's `ldm: true`). */
  infoJson(client: never, extra: Record<string, unknown>): string;
};

export interface SystemDeps {
  readonly clock: WallClock;
  readonly usage: ProcessUsage;
  varz(): GoJsonValue;
  /** Adds a service import from `exporter` into `importer` (account registry). */
  importService(importer: Account, exporter: Account, from: string, to: string,
    options: { share?: boolean; internal?: boolean }): void;
}

interface Outgoing {
  account: Account;
  subject: string;
  payload: string;
}

export class SystemServices {
  readonly #client: InternalClient;
  readonly #stamp: ServerInfoStamp;
  readonly #accountClients = new Map<Account, InternalClient>();
  readonly #queue: Outgoing[] = [];
  #flushScheduled = false;
  #statszTimer: ReturnType<typeof setTimeout> | null = null;
  #statszDelayMs = STATSZ_INTERVAL_MS_FIRST;
  #stopped = false;
  readonly #ctx: RequestContext;

  constructor(readonly server: SystemServer, readonly account: Account,
    readonly deps: SystemDeps) {
    this.#client = server.createInternalClient(account, "System");
    this.#stamp = new ServerInfoStamp(server, deps.clock);
    this.#ctx = {
      source: server, clock: deps.clock, varz: () => deps.varz(),
      statsz: () => this.#statszDocument(), jetStreamEnabled: () => server.jetStreamEnabled(),
    };
  }

  /** Subscribes the request services and starts the statsz heartbeat. */
  start(): void {
    const id = this.server.id;
    const sub = (subject: string, handle: (subject: string, reply: string,
      body: Uint8Array) => void) =>
      this.#client.subscribe(subject, (s, reply, _h, body) => handle(s, reply, body));
    sub("$SYS.REQ.SERVER.PING", (_s, reply, body) => this.#statszRequest(reply, body));
    for (const prefix of [`$SYS.REQ.SERVER.${id}`, "$SYS.REQ.SERVER.PING"]) {
      sub(`${prefix}.STATSZ`, (_s, reply, body) => this.#statszRequest(reply, body));
      sub(`${prefix}.IDZ`, (_s, reply) => this.#idz(reply));
      for (const [name, build] of SERVER_ENDPOINTS) {
        sub(`${prefix}.${name}`, (_s, reply, body) =>
          this.#respond(reply, answer(body, this.#ctx, (o) => build(this.#ctx, o))));
      }
      sub(`${prefix}.PROFILEZ`, (_s, reply, body) =>
        this.#respond(reply, answer(body, this.#ctx, (o) => profilezData(o))));
      sub(`${prefix}.EXPVARZ`, (_s, reply, body) =>
        this.#respond(reply, answer(body, this.#ctx, () => expvarzData())));
    }
    this.#startActions(sub);
    for (const [name, build] of ACCOUNT_ENDPOINTS) {
      sub(`$SYS.REQ.ACCOUNT.*.${name}`, (subject, reply, body) => {
        const account = accountOf(subject);
        this.#respond(reply, answer(body, this.#ctx, (o) => build(this.#ctx, o, account)));
      });
    }
    sub("$SYS.REQ.ACCOUNT.*.CONNS", (subject, reply) => this.#connsRequest(subject, reply));
    this.#client.subscribe("$SYS.REQ.USER.*.INFO", (_s, reply, headers) =>
      this.#userInfo(reply, headers));
    sub("$SYS.REQ.ACCOUNT.PING.STATZ", (_s, reply, body) => this.#respond(reply,
      answer(body, this.#ctx, (o) => {
        const statz = accountStatz(this.#ctx, accountList(o.accounts), o.include_unused === true);
        return statz.count === 0 && o.include_unused !== true ? "skip" : statz.value;
      })));
    this.importIntoAccounts();
    this.#armStatsz();
  }

  /**
   * Go's per-server actions (RELOAD, KICK, LDM) and subscriber counts (NSUBS between servers,
   * `$SYS.DEBUG.SUBSCRIBERS` for people).
   */
  #startActions(sub: (subject: string,
    handle: (subject: string, reply: string, body: Uint8Array) => void) => void): void {
    const prefix = `$SYS.REQ.SERVER.${this.server.id}`;
    // Success has no `data` (Go's nil, left out); failures are 500s with Go's error text.
    const act = (name: string, run: (body: Uint8Array) => void) =>
      sub(`${prefix}.${name}`, (_s, reply, body) => {
        // Go drops a KICK/LDM body it cannot decode without answering.
        if (name !== "RELOAD" && cidOf(body) === null) return;
        this.#respond(reply, answer(body, this.#ctx, () => {
          run(body);
          return undefined;
        }));
      });
    act("RELOAD", () => this.#reload());
    act("KICK", (body) => kickClient(this.server.clients, cidOf(body) ?? 0));
    act("LDM", (body) => ldmClient(this.server.clients, cidOf(body) ?? 0,
      (client) => infoLine(this.server.infoJson(client as never, { ldm: true }))));
    sub("$SYS.REQ.ACCOUNT.NSUBS", (_s, reply, body) => this.#nsubs(reply, body));
    this.#client.subscribe(SUBSCRIBERS_SUBJECT, (_s, reply, headers, body) =>
      this.#debugSubscribers(reply, headers, body));
  }

  /** Go's reloadConfig: null data, or the reload's error as a 500. */
  #reload(): void {
    const log = this.server.log;
    const original = log.error;
    let why = "";
    // Server.reload reports failures only to the log; borrow the line for the error text.
    log.error = (message: string) => {
      why = message.replace(/^Failed to reload server configuration: /, "");
      original.call(log, message);
    };
    try {
      if (!this.server.reload()) throw new Error(why || "reload failed");
    } finally {
      log.error = original;
    }
  }

  /** Go's nsubsRequest: this server's client subscriptions, when the account has clients. */
  #nsubs(reply: string, body: Uint8Array): void {
    const request = parseNsubsRequest(body);
    if (reply === "" || request === null) return;
    const account = this.server.accounts.get(request.account);
    if (account === undefined || account.clientCount === 0) return;
    this.#send(this.account, reply,
      countSubscribers(account.sublist, request.subject, request.queue));
  }

  /** Go's debugSubscribers: counted in the requester's account (from its request info). */
  #debugSubscribers(reply: string, headers: Uint8Array | null, body: Uint8Array): void {
    if (reply === "") return;
    let info: { acc?: string; svc?: string } = {};
    try {
      info = JSON.parse(getHeader(headers, REQUEST_INFO_HEADER) ?? "{}");
    } catch {
      return;
    }
    const name = info.svc || info.acc || "";
    const account = name === "" ? this.account : this.server.accounts.get(name);
    if (account === undefined) return;
    const { subject, queue } = parseSubscribersQuery(body);
    this.#send(this.account, reply, countSubscribers(account.sublist, subject, queue));
  }

  /**
   * Go's addSystemAccountExports and registerSystemImports: every account may ask for its
   * own connections and statistics, and who it is, through the system account. Runs again
   * after a reload rebuilt the accounts' links.
   */
  importIntoAccounts(): void {
    const sys = this.account;
    for (const what of ["CONNZ", "STATZ"]) {
      addServiceExport(sys.links, `$SYS.REQ.ACCOUNT.*.${what}`,
        { responseType: "Streamed", accounts: null, tokenPosition: ACCOUNT_TOKEN_INDEX + 1 });
    }
    addServiceExport(sys.links, "$SYS.REQ.USER.*.INFO",
      { responseType: "Singleton", accounts: null });
    // Public, as Go's: any account may import it to count its own subscribers.
    addServiceExport(sys.links, SUBSCRIBERS_SUBJECT, { responseType: "Singleton", accounts: null });
    const imports = (account: Account): [string, string][] => [
      ["$SYS.REQ.ACCOUNT.PING.CONNZ", `$SYS.REQ.ACCOUNT.${account.name}.CONNZ`],
      ["$SYS.REQ.SERVER.PING.CONNZ", `$SYS.REQ.ACCOUNT.${account.name}.CONNZ`],
      ["$SYS.REQ.ACCOUNT.PING.STATZ", `$SYS.REQ.ACCOUNT.${account.name}.STATZ`],
    ];
    for (const account of this.server.accounts.values()) {
      if (account !== sys) {
        for (const [from, to] of imports(account)) {
          this.deps.importService(account, sys, from, to, { internal: true });
        }
      }
      this.deps.importService(account, sys, USER_INFO_SUBJECT,
        `$SYS.REQ.USER.${account.name}.INFO`, { internal: true, share: true });
    }
  }

  /** Go's userInfoReq: who the requester is (from its request info) and its permissions. */
  #userInfo(reply: string, headers: Uint8Array | null): void {
    if (reply === "") return;
    let info: { user?: string; acc?: string } = {};
    try {
      info = JSON.parse(getHeader(headers, REQUEST_INFO_HEADER) ?? "{}");
    } catch {
      this.#send(this.account, reply, { server: this.#stamp.next(),
        error: { code: 400, description: "bad request info" } });
      return;
    }
    const origin = originalPublisher() as { permissions?: ClientPermissions | null } | null;
    const perms = origin?.permissions?.compiled.toConfig() ?? null;
    this.#send(this.account, reply, { server: this.#stamp.next(), data: {
      user: info.user ?? "", account: info.acc ?? "",
      permissions: perms === null ? undefined : publicPermissions(perms),
    } });
  }

  /** Publishes the shutdown event now (the queue will not be flushed after shutdown). */
  stop(): void {
    if (this.#stopped) return;
    this.#stopped = true;
    if (this.#statszTimer !== null) clearTimeout(this.#statszTimer);
    this.#statszTimer = null;
    const info = this.#stamp.next();
    this.#client.publish(EventSubject.shutdown(this.server.id), "", null, encode(info));
    this.#flush();
  }

  lameDuck(): void {
    this.#send(this.account, EventSubject.lameDuck(this.server.id), this.#stamp.next());
  }

  connected(client: EventClient, account: string): void {
    const subject = EventSubject.connect(account);
    if (!listened(this.account, subject)) return;
    this.#send(this.account, subject,
      connectEvent(client, account, this.deps.clock, this.#stamp.next()));
  }

  disconnected(client: EventClient, account: string, reason: string): void {
    const subject = EventSubject.disconnect(account);
    if (!listened(this.account, subject)) return;
    this.#send(this.account, subject,
      disconnectEvent(client, account, reason, this.deps.clock, this.#stamp.next()));
  }

  /** A refused authentication: for the operator, and for the owner of the client's account. */
  authFailed(client: EventClient, account: Account, reason: string): void {
    const clock = this.deps.clock;
    const subject = EventSubject.authError(this.server.id);
    if (listened(this.account, subject)) {
      this.#send(this.account, subject,
        disconnectEvent(client, account.name, reason, clock, this.#stamp.next()));
    }
    if (listened(account, EventSubject.accountAuthError)) {
      this.#send(account, EventSubject.accountAuthError,
        disconnectEvent(client, account.name, reason, clock, this.#stamp.next()));
    }
  }

  #statszRequest(reply: string, body: Uint8Array): void {
    const result = answer(body, this.#ctx, () => null);
    if (result === "skip") return;
    if ("error" in result) {
      this.#send(this.account, reply, { server: this.#stamp.next(), error: result.error });
      return;
    }
    // No reply: a request for the regular broadcast.
    const subject = reply !== "" ? reply : EventSubject.statsz(this.server.id);
    this.#send(this.account, subject, this.#statszMessage());
  }

  #idz(reply: string): void {
    if (reply === "") return;
    const s = this.server;
    this.#send(this.account, reply, { name: s.name, host: s.options.host, id: s.id });
  }

  #respond(reply: string, result: Answer): void {
    if (reply === "" || result === "skip") return;
    this.#send(this.account, reply, { server: this.#stamp.next(), ...result });
  }

  /** Go's connsRequest: the account's connection counts, when it has local connections. */
  #connsRequest(subject: string, reply: string): void {
    const name = accountOf(subject);
    const account = this.server.accounts.get(name);
    if (reply === "" || account === undefined || account.clientCount === 0) return;
    const statz = accountStatz(this.#ctx, [name], true).value as { account_statz:
      Record<string, GoJsonValue>[] };
    const stat = statz.account_statz[0] ?? {};
    this.#send(this.account, reply, { type: ACCOUNT_CONNECTIONS_TYPE, server: this.#stamp.next(),
      ...stat });
  }

  #statszMessage(): GoJsonValue {
    return { server: this.#stamp.next(), statsz: this.#statszDocument() };
  }

  /** Go's ServerStats for a single server. */
  #statszDocument(): GoJsonValue {
    const s = this.server;
    const t = s.stats;
    const usage = this.deps.usage;
    const msgBytes = (msgs: number, bytes: number) => ({ msgs, bytes });
    const active = [...s.accounts.values()].filter((a) => a.clientCount > 0).length;
    return {
      start: rfc3339(s.startedAt.getTime()),
      mem: usage.rssBytes(),
      cores: availableParallelism(),
      cpu: usage.cpuPercent(),
      connections: s.clients.size,
      total_connections: s.totalConnections,
      active_accounts: active,
      subscriptions: totalSubscriptions(s),
      sent: msgBytes(t.outMsgs, t.outBytes),
      sent_to_clients: msgBytes(t.outMsgs, t.outBytes),
      received: msgBytes(t.inMsgs, t.inBytes),
      received_from_clients: msgBytes(t.inMsgs, t.inBytes),
      slow_consumers: t.slowConsumers,
      slow_consumer_stats: t.slowConsumers > 0
        ? { clients: t.slowConsumers, routes: 0, gateways: 0, leafs: 0 } : undefined,
      stale_connections: t.staleConnections > 0 ? t.staleConnections : undefined,
      stale_connection_stats: t.staleConnections > 0
        ? { clients: t.staleConnections, routes: 0, gateways: 0, leafs: 0 } : undefined,
      active_servers: 1,
      gomaxprocs: 1,
    };
  }

  /** Heartbeats on `$SYS.SERVER.<id>.STATSZ` while anyone listens (Go checks interest too). */
  #armStatsz(): void {
    this.#statszTimer = setTimeout(() => {
      this.#statszTimer = null;
      if (this.#stopped) return;
      const subject = EventSubject.statsz(this.server.id);
      if (listened(this.account, subject)) this.#send(this.account, subject, this.#statszMessage());
      this.#statszDelayMs = Math.min(this.#statszDelayMs * 2, STATSZ_INTERVAL_MS_MAX);
      this.#armStatsz();
    }, this.#statszDelayMs);
    (this.#statszTimer as { unref?: () => void }).unref?.();
  }

  #send(account: Account, subject: string, payload: GoJsonValue): void {
    if (this.#stopped && account === this.account) return;
    this.#queue.push({ account, subject, payload: goJson(payload, "") });
    if (this.#flushScheduled) return;
    this.#flushScheduled = true;
    queueMicrotask(() => this.#flush());
  }

  #flush(): void {
    this.#flushScheduled = false;
    const items = this.#queue.splice(0);
    for (const item of items) {
      this.#clientFor(item.account).publish(item.subject, "", null, encode(item.payload));
    }
  }

  #clientFor(account: Account): InternalClient {
    if (account === this.account) return this.#client;
    let client = this.#accountClients.get(account);
    if (client === undefined) {
      client = this.server.createInternalClient(account, "Account");
      this.#accountClients.set(account, client);
    }
    return client;
  }
}

/**
 * True when a subscription would receive `subject`: events nobody listens to are not even
 * built (nats-server builds them and drops them at delivery; the result is the same).
 */
function listened(account: Account, subject: string): boolean {
  const interest = account.sublist.match(subject);
  return interest.psubs.length + interest.qsubs.length > 0;
}

/** Go's publicPermissions: both directions present, empty lists left out, ttl in ns. */
function publicPermissions(p: PermissionsConfig): GoJsonValue {
  const side = (s: PermissionsConfig["publish"]) => ({
    allow: s?.allow?.length ? [...s.allow] : undefined,
    deny: s?.deny?.length ? [...s.deny] : undefined,
  });
  return {
    publish: side(p.publish),
    subscribe: side(p.subscribe),
    responses: p.response === null ? undefined
      : { max: p.response.maxMsgs, ttl: p.response.expiresMs * 1_000_000 },
  };
}

function accountOf(subject: string): string {
  const tokens = subject.split(".");
  return tokens.length === ACCOUNT_REQUEST_TOKENS ? tokens[ACCOUNT_TOKEN_INDEX] : "";
}

function accountList(value: unknown): string[] {
  return Array.isArray(value) ? value.filter((v): v is string => typeof v === "string") : [];
}

function encode(payload: string | GoJsonValue): Uint8Array {
  return new TextEncoder().encode(typeof payload === "string" ? payload : goJson(payload, ""));
}
