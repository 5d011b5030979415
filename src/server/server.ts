/**
 * The server: owns the options, accounts, client connections and listeners, and the lifecycle
 * (start, lame duck, shutdown). Socket code lives in listener_bun.ts; protocol handling in
 * client/; message routing in delivery.ts.
 * @module
 */
import { unlinkSync, writeFileSync } from "node:fs";
import { basename, join } from "node:path";
import { hostname as osHostname, networkInterfaces } from "node:os";
import { Account, GLOBAL_ACCOUNT_NAME, SYSTEM_ACCOUNT_NAME } from "../accounts/account.ts";
import { AccountRegistry } from "../accounts/registry.ts";
import { Authenticator } from "../auth/authenticator.ts";
import { certificateIdentities } from "../auth/certificate_identities.ts";
import { type CookieCredentials, websocketAuthenticator } from "./websocket_auth.ts";
import {
  authenticateClient, type ClientAuthDeps, reauthorizeClients,
} from "../auth/client_auth.ts";
import { newNonce } from "../auth/nkeys.ts";
import { OperatorMode, operatorModeOn } from "../auth/jwt/operator_mode.ts";
import { enforceJwtAccount, forgetJwtClient } from "../auth/jwt/client_jwt.ts";
import { startClaimsServices } from "../auth/jwt/claims_services.ts";
import { applyJwtJetStream, jetStreamLimitsOf } from "../auth/jwt/jetstream_limits.ts";
import { operatorStartupNotes } from "../auth/jwt/startup_notes.ts";
import { ServerInfoStamp } from "../system/server_info.ts";
import { ClientConnection, type ClientSocket } from "../client/connection.ts";
import type { ConnectOptions } from "../client/connect_options.ts";
import { type ClientContext, type Clock, TrafficStats } from "../client/context.ts";
import { FlushQueue } from "../client/flush_queue.ts";
import { ClosedReason, ERR } from "../protocol/errors.ts";
import { errLine, infoLine } from "../protocol/encoder.ts";
import type { PubArgs } from "../protocol/parser.ts";
import { createServer as createServerKeys } from "@nats-io/jwt";
import { AuthCallout } from "../auth/callout/callout.ts";
import { routeMessage } from "./delivery.ts";
import { InternalClient, type InternalKind } from "./internal_client.ts";
import {
  type AcceptOptions, listenClients, type Listener, type ListenerTls,
} from "./listener_bun.ts";
import { listenWebsocket } from "./listener_websocket.ts";
import { peerCertificatePinned, resolveListenerTls, tlsVersionAllowed } from "./tls_config.ts";
import { Logger, LogSetupError, type PreparedLogging } from "./logger.ts";
import { systemErrorText } from "./logging/errors.ts";
import { inGoOrder, reloadNotice, reloadRefusal } from "./reload_notices.ts";
import type { Options } from "./options.ts";
import { type Built, planReload, type ReloadPlan } from "../config/mod.ts";
import { NATS_SERVER_VERSION, NATSD_VERSION, PROTOCOL_VERSION, RUNTIME_VERSION } from "./version.ts";
import { ClosedClientRing, type ClosedClientInfo } from "./closed_clients.ts";
import { Monitor } from "../monitor/monitor.ts";
import { SystemServices } from "../system/system_services.ts";
import { JS_API_LEVEL, type JetStream, startJetStream } from "../jetstream/mod.ts";
import { reloadJetStream, stopJetStream } from "../jetstream/server_jetstream.ts";
import { rawAuthUser } from "../monitor/conn_info.ts";
import { identityDetails } from "../monitor/jwt_details.ts";

/** Reloaded options that start, stop or re-enable JetStream (for its accounts). */
const JETSTREAM_RELOAD = new Set(["jetstream", "accounts", "jetstreamAccounts"]);

/** A reload's resources, opened before anything changes. */
interface PreparedReload {
  logging: PreparedLogging;
  /** New certificates for new handshakes; absent when TLS settings did not change. */
  tls?: ListenerTls | null;
}

/** Lame duck mode closes clients at most this far apart. */
const LAME_DUCK_CLOSE_INTERVAL_MS_MAX = 1000;

const monotonicClock: Clock = { nowMs: () => performance.now() };

export class Server implements ClientContext {
  /** The server's nkey pair: its public key is the server id; it signs callout requests. */
  readonly #keys = createServerKeys();
  readonly id = this.#keys.getPublicKey();
  readonly name: string;
  readonly flushQueue = new FlushQueue();
  readonly stats = new TrafficStats();
  readonly clock: Clock = monotonicClock;
  readonly globalAccount: Account;
  /** Accounts with their links, mappings and response routing. */
  readonly registry: AccountRegistry;
  readonly accounts = new Map<string, Account>();
  readonly internalClients = new Set<InternalClient>();
  readonly clients = new Map<number, ClientConnection>();
  readonly closedClients: ClosedClientRing;
  readonly startedAt = new Date();
  totalConnections = 0;
  lameDuck = false;
  #nextCid = 1;
  #listener: Listener | null = null;
  #websocket: (Listener & { scheme: string }) | null = null;
  /** The client TLS settings; replaced on reload so new handshakes use new certificates. */
  readonly #tls: { current: ListenerTls | null } = { current: null };
  #shutdownPromise: Promise<void> | null = null;
  #portsFile = "";
  #monitor: Monitor | null = null;
  /** The system account (`$SYS` unless `system_account` says); null with no_system_account. */
  readonly systemAccount: Account | null = null;
  /** The loaded config file's digest ("sha256:…"; "" without a file), for /varz. */
  configDigest = "";
  /** When the configuration was last loaded (start or reload), for /varz. */
  configLoadedAt = new Date();
  /** Events and `$SYS.REQ` services, once started. */
  system: SystemServices | null = null;
  /** JetStream, when enabled (-js or a `jetstream {}` block). */
  jetstream: JetStream | null = null;

  readonly #rebuildOptions: (() => Built) | null;
  #authenticator: Authenticator;
  /** websocket { authorization } replaces the server's for WebSocket clients, as in Go. */
  #wsAuthenticator: Authenticator | null = null;
  /** Operator mode: trusted operators, the account resolver and the JWT accounts. */
  #operator: OperatorMode | null = null;
  /** `authorization { auth_callout }`: the service that decides on clients. */
  #callout: AuthCallout | null = null;

  constructor(
    public options: Options, readonly log: Logger, hooks: { rebuildOptions?: () => Built } = {},
  ) {
    this.#rebuildOptions = hooks.rebuildOptions ?? null;
    this.name = options.serverName || this.id;
    this.globalAccount = new Account(GLOBAL_ACCOUNT_NAME);
    this.accounts.set(this.globalAccount.name, this.globalAccount);
    this.registry = new AccountRegistry(this.globalAccount, options, {
      nowMs: () => this.clock.nowMs(), warn: (message) => log.warn(message),
    });
    for (const [name, account] of this.registry.accounts) this.accounts.set(name, account);
    this.#authenticator = new Authenticator(options);
    this.#wsAuthenticator = websocketAuthenticator(options);
    if (operatorModeOn(options)) this.#operator = this.#startOperatorMode();
    // Operator mode: any account JWT may name a callout service.
    if (options.authCallout !== null || this.#operator !== null) {
      this.#callout = this.#newCallout(options.authCallout);
    }
    if (!options.noSystemAccount) {
      const name = options.systemAccount || this.#operator?.operatorSystemAccount ||
        SYSTEM_ACCOUNT_NAME;
      this.#loadJwtSystemAccount(name);
      // Config validation refuses a system_account that names no account, except $SYS.
      const configured = this.accounts.get(name);
      this.systemAccount = configured ?? new Account(name);
      if (configured === undefined) this.registry.adopt(this.systemAccount);
      this.accounts.set(name, this.systemAccount);
    }
    this.closedClients = new ClosedClientRing(options.maxClosedClients);
  }

  /** The bound client port (useful with port -1). */
  get port(): number {
    return this.#listener?.port ?? 0;
  }

  get running(): boolean {
    return this.#listener !== null && this.#shutdownPromise === null;
  }

  async start(): Promise<void> {
    const o = this.options;
    this.log.info(`Starting nats-server`);
    this.log.info(`  Version:  ${NATS_SERVER_VERSION} (natsd ${NATSD_VERSION})`);
    this.log.info(`  Runtime:  ${RUNTIME_VERSION}`);
    this.log.info(`  Name:     ${this.name}`);
    this.log.info(`  ID:       ${this.id}`);
    // nats-server warns before it names the configuration file.
    if (this.#authenticator.hasPlaintextPasswords()) {
      this.log.warn("Plaintext passwords detected, use nkeys or bcrypt");
    }
    if (o.configFile) this.log.info(`Using configuration file: ${o.configFile}`);
    if (this.#operator !== null) {
      const notes = operatorStartupNotes(this.#operator.operators,
        o.systemAccount || this.#operator.operatorSystemAccount, o.resolverPreload,
        Math.floor(Date.now() / 1000));
      for (const line of notes.info) this.log.info(line);
      for (const line of notes.warn) this.log.warn(line);
      for (const line of notes.error) this.log.error(line);
    }
    if (o.pidFile) writeFileSync(o.pidFile, String(process.pid));
    if (o.httpPort !== 0 || o.httpsPort !== 0) {
      this.#monitor = new Monitor(this, this.log, this.#monitorHooks());
      try {
        this.#monitor.start();
      } catch (error) {
        this.log.fatal(`Can't start monitoring: ${(error as Error).message}`);
        throw error;
      }
      this.log.info(`Starting http monitor on ${hostPort(this.#monitor.host, this.#monitor.port)}`);
    }
    if (this.systemAccount !== null) this.#startSystemServices(this.systemAccount);
    if (o.jetstream) this.jetstream = await startJetStream(this);
    await this.#enableJwtJetStream();
    this.#tls.current = resolveListenerTls(o);
    this.#listener = listenClients(this, o.host, o.port === -1 ? 0 : o.port, this.#tls);
    this.log.info(`Listening for client connections on ${hostPort(o.host, this.port)}`);
    if (o.wsPort !== 0) {
      this.#websocket = listenWebsocket(this, o);
      this.log.info(`Listening for websocket clients on ${this.#websocket.scheme}://` +
        `${hostPort(o.wsHost || o.host, this.#websocket.port)}`);
      if (this.#websocket.scheme === "ws") {
        this.log.warn("Websocket not configured with TLS. DO NOT USE IN PRODUCTION!");
      }
    }
    if (o.portsFileDir) this.#writePortsFile();
    this.log.info("Server is ready");
  }

  /** What the monitor asks the server at request time. */
  #monitorHooks(): { jetStreamEnabled: () => boolean } {
    return { jetStreamEnabled: () => this.jetstream !== null };
  }

  /** A new in-process client of `account` (system services, JetStream). */
  createInternalClient(account: Account, kind: InternalKind): InternalClient {
    const client = new InternalClient(this.#nextCid++, account, kind);
    this.internalClients.add(client);
    return client;
  }

  // ---- ClientContext -------------------------------------------------------------------

  /** Called by the listener for each accepted socket. Returns null when refused. */
  acceptClient(
    socket: ClientSocket, how: AcceptOptions = { start: true, tls: false },
  ): ClientConnection | null {
    const client = new ClientConnection(this.#nextCid++, socket, this);
    client.websocket = how.websocket === true;
    client.transportTls = how.tls;
    if (this.#authenticator.nonceRequired || this.#operator ||
      this.options.proxiesTrusted.length > 0) {
      client.nonce = newNonce();
    }
    if (this.lameDuck || this.#shutdownPromise) {
      socket.end();
      return null;
    }
    this.totalConnections++;
    if (this.clients.size >= this.options.maxConnections) {
      // Go sends its INFO first, then refuses.
      socket.write(new TextEncoder().encode(infoLine(this.infoJson(client)) +
        errLine(ERR.maxConnectionsExceeded)));
      socket.end();
      this.closedClients.add(closedInfoOf(client, ClosedReason.maxConnectionsExceeded, this));
      return null;
    }
    this.clients.set(client.cid, client);
    if (how.start) client.start();
    return client;
  }

  infoJson(client: ClientConnection, extra: Record<string, unknown> = {}): string {
    const o = this.options;
    const info: Record<string, unknown> = {
      server_id: this.id,
      server_name: this.name,
      version: NATS_SERVER_VERSION,
      proto: PROTOCOL_VERSION,
      go: RUNTIME_VERSION,
      host: o.host,
      port: this.port,
      headers: !o.noHeaderSupport,
      // As nats-server: with a no_auth_user, clients are told no credentials are needed.
      ...(this.authRequired(client) && noAuthUserFor(o, client) === ""
        ? { auth_required: true } : {}),
      ...(client.transportTls ? { tls_required: true } : {}),
      ...(!client.transportTls && !client.websocket && o.tls && o.allowNonTls
        ? { tls_available: true } : {}),
      ...(client.transportTls && o.tlsVerify && !client.websocket ? { tls_verify: true } : {}),
      max_payload: o.maxPayloadBytes,
      ...(this.jetstream ? { jetstream: true, api_lvl: JS_API_LEVEL } : {}),
      client_id: client.cid,
      client_ip: client.socket.remoteAddress,
      ...(client.nonce !== "" ? { nonce: client.nonce } : {}),
      ...(this.lameDuck ? { ldm: true } : {}),
      ...extra,
    };
    return JSON.stringify(info);
  }

  authRequired(client?: ClientConnection): boolean {
    if (this.#operator !== null) return true;
    if (client?.websocket && this.#wsAuthenticator !== null) return this.#wsAuthenticator.required;
    return this.#authenticator.required;
  }

  authenticate(client: ClientConnection, connect: ConnectOptions): Account | null {
    const account = authenticateClient(this.#authDeps(client), client,
      this.#withCookieCredentials(client, connect), this.#mappedIdentities(client));
    if (account !== null && this.#jetStreamPending(account)) {
      // A JWT account with JetStream limits gets JetStream before its first client goes on.
      client.awaitAuthentication();
      const done = () => this.#calloutDone(client, account);
      void this.#enableJwtJetStream().then(done, done);
      return null;
    }
    if (account !== null) {
      this.system?.connected(client, account.name);
    } else if (!client.closed && !client.authPending) {
      this.system?.authFailed(client, client.account ?? this.globalAccount,
        ClosedReason.authenticationFailure);
    }
    return account;
  }

  /** The account events and `$SYS.REQ` services answer with the monitor's documents. */
  #startSystemServices(account: Account): void {
    const monitor = this.#monitor ?? new Monitor(this, this.log, this.#monitorHooks());
    this.system = new SystemServices(this, account, {
      clock: monitor.clock,
      usage: monitor.usage,
      varz: () => monitor.varzDocument(),
      importService: (importer, exporter, from, to, options) =>
        this.registry.importService(importer, exporter, from, to, options),
    });
    this.system.start();
    if (this.#operator !== null) this.#startClaimsServices(this.#operator, account, monitor);
  }

  #newCallout(config: Options["authCallout"]): AuthCallout {
    const callout = new AuthCallout({
      config, serverKeys: this.#keys, log: this.log, nowMs: () => Date.now(),
      server: () => ({ name: this.name, host: this.options.host, id: this.id,
        version: NATS_SERVER_VERSION, tags: this.options.serverTags }),
      accountNamed: (name) => this.accounts.get(name) ?? null,
      internalClient: (account) => this.createInternalClient(account, "System"),
      authTimeoutMs: () => this.options.authTimeoutMs,
    });
    callout.checkSetup(new Set([...this.options.users.map((u) => u.username),
      ...this.options.nkeys.map((n) => n.nkey)]));
    return callout;
  }

  /** A deferred verdict (callout, JetStream setup): events as for any CONNECT, then on. */
  #calloutDone(client: ClientConnection, account: Account | null): void {
    if (account !== null) this.system?.connected(client, account.name);
    else if (!client.closed) {
      this.system?.authFailed(client, this.globalAccount, ClosedReason.authenticationFailure);
    }
    client.completeAuthentication(account);
  }

  /** Operator mode: accounts come from the resolver as they are first used. */
  #startOperatorMode(): OperatorMode {
    const operator = new OperatorMode(this.options, {
      log: this.log,
      nowMs: () => Date.now(),
      accountsChanged: () => {
        this.#reloadAccounts();
        void this.#enableJwtJetStream();
      },
      enforce: (name, deleted) => enforceJwtAccount(this.#authDeps(), operator,
        [...this.clients.values()].filter((c) => c.account?.name === name), deleted),
    });
    return operator;
  }

  #jetStreamPending(account: Account): boolean {
    const info = this.#operator?.loaded(account.name) ?? null;
    return info !== null && this.jetstream !== null &&
      !this.jetstream.accounts.has(account.name) && jetStreamLimitsOf(info.claims) !== null;
  }

  /** Operator mode: JetStream for the loaded accounts whose JWT gives it limits. */
  async #enableJwtJetStream(): Promise<void> {
    if (this.#operator === null || this.jetstream === null) return;
    const loaded = [...this.#operator.allLoaded()].flatMap((info) => {
      const account = this.accounts.get(info.claims.sub);
      return account === undefined ? [] : [{ account, claims: info.claims }];
    });
    await applyJwtJetStream(this.jetstream, loaded, (message) => this.log.error(message));
  }

  /** The operator's system account is an account JWT: load it before binding it. */
  #loadJwtSystemAccount(name: string): void {
    if (this.#operator === null || name === SYSTEM_ACCOUNT_NAME) return;
    const loaded = this.#operator.account(name);
    if (typeof loaded === "string") {
      this.log.fatal(`Can't set system account: ${loaded}`);
      throw new Error(`Can't set system account: ${loaded}`);
    }
  }

  /** The full resolver's `$SYS.REQ…CLAIMS.*` services, on the system account. */
  #startClaimsServices(operator: OperatorMode, account: Account, monitor: Monitor): void {
    const client = this.createInternalClient(account, "System");
    const stamp = new ServerInfoStamp(this, monitor.clock);
    const decoder = new TextDecoder();
    startClaimsServices({
      operator, systemAccount: account.name, log: this.log,
      serverInfo: () => stamp.next(),
      subscribe: (subject, handle) => client.subscribe(subject,
        (s, reply, _h, body) => handle(s, reply, decoder.decode(body))),
      // Replies wait for the current delivery to finish (as the system send queue does).
      reply: (subject, body) => queueMicrotask(() => client.publish(subject, "", null,
        new TextEncoder().encode(typeof body === "string" ? body : JSON.stringify(body)))),
    });
  }

  /** Updates accounts in place, forgets removed ones and rebuilds exports and imports. */
  #reloadAccounts(): void {
    const options = this.#operator === null ? this.options
      : { ...this.options, accounts: this.#operator.accountConfigs() };
    for (const account of this.registry.reload(options)) this.accounts.delete(account.name);
    for (const [name, account] of this.registry.accounts) this.accounts.set(name, account);
    this.system?.importIntoAccounts();
  }

  /** True while JetStream runs (system messages announce it). */
  jetStreamEnabled(): boolean {
    return this.options.jetstream;
  }

  /** verify_and_map: the client certificate's identities, or null when not mapping. */
  #mappedIdentities(client: ClientConnection): string[] | null {
    if (!this.options.tlsVerifyAndMap || client.websocket || !client.transportTls) return null;
    const der = (client.socket as { peerCertificateDer?: Uint8Array | null }).peerCertificateDer;
    return der ? certificateIdentities(der) : [];
  }

  /** WebSocket clients may carry their credentials in cookies (websocket *_cookie options). */
  #withCookieCredentials(client: ClientConnection, connect: ConnectOptions): ConnectOptions {
    const cookies = (client.socket as { cookieCredentials?: CookieCredentials }).cookieCredentials;
    if (!client.websocket || cookies === undefined) return connect;
    if (connect.user === "" && cookies.user !== "") connect.user = cookies.user;
    if (connect.pass === "" && cookies.pass !== "") connect.pass = cookies.pass;
    if (connect.authToken === "" && cookies.token !== "") connect.authToken = cookies.token;
    if (connect.jwt === "" && cookies.jwt !== "") connect.jwt = cookies.jwt;
    return connect;
  }

  #authDeps(client?: ClientConnection): ClientAuthDeps {
    const websocketOverride = client?.websocket === true && this.#wsAuthenticator !== null;
    return {
      authenticator: websocketOverride ? this.#wsAuthenticator! : this.#authenticator,
      globalAccount: this.globalAccount,
      accountNamed: (name) => this.accounts.get(name) ?? null,
      options: this.options,
      log: this.log,
      clock: this.clock,
      operator: this.#operator,
      callout: this.#callout,
      calloutDone: (c, account) => this.#calloutDone(c, account),
    };
  }

  routeMessage(
    sender: ClientConnection, account: Account, args: PubArgs,
    payload: Uint8Array, start: number, end: number,
  ): void {
    routeMessage(sender, account, args, payload, start, end);
  }

  acceptTlsPeer(client: ClientConnection): boolean {
    const socket = client.socket as { peerCertificateDer?: Uint8Array | null; tlsVersion?: string };
    if (!tlsVersionAllowed(this.options.tlsMinVersion, socket.tlsVersion ?? "")) return false;
    return peerCertificatePinned(this.options.tlsPinnedCerts, socket.peerCertificateDer ?? null);
  }

  onClientClosed(client: ClientConnection, reason: ClosedReason): void {
    if (!this.clients.delete(client.cid)) return;
    forgetJwtClient(client);
    this.system?.disconnected(client, client.account?.name ?? this.globalAccount.name, reason);
    this.closedClients.add(closedInfoOf(client, reason, this));
    this.log.debug(`${client.socket.remoteAddress} - cid:${client.cid} - ` +
      `Client connection closed: ${reason}`);
  }

  // ---- Lifecycle -----------------------------------------------------------------------

  /** SIGHUP: re-reads the configuration file and applies what may change at run time. */
  reload(): boolean {
    const failed = (why: string) => {
      this.log.error(`Failed to reload server configuration: ${why}`);
      return false;
    };
    if (!this.options.configFile || !this.#rebuildOptions) {
      return failed("can only reload config when a file is provided using -c or --config");
    }
    // Build and open everything first: a bad file, a refused change, a log file or a
    // certificate that cannot be opened all leave the running configuration as it is.
    const built = this.#rebuildOptions();
    if (!built.ok) return failed(built.errors.message);
    // A random port (-1) is compared as the port bound, as nats-server does.
    const running = this.options.port === -1 ? { ...this.options, port: this.port } : this.options;
    const plan = planReload(running, built.options);
    if (plan.refused.length > 0) return failed(reloadRefusal(plan.refused));
    const prepared = this.#prepareReload(built.options, plan);
    if (typeof prepared === "string") return failed(prepared);
    for (const change of plan.changes) {
      (this.options as unknown as Record<string, unknown>)[change.option] = change.newValue;
    }
    this.#applyReloadedOptions(plan, prepared);
    // As nats-server: JetStream starts or stops with the reload (data stays on disk).
    if (plan.changes.some((c) => JETSTREAM_RELOAD.has(c.option))) {
      void reloadJetStream(this).then(() => this.#enableJwtJetStream())
        .catch((error: Error) => this.log.error(`JetStream reload: ${error.message}`));
    }
    if (plan.changes.some((change) => change.group === "auth")) {
      // As nats-server: accounts, users and permissions apply to connected clients at once.
      if (plan.changes.some((c) => c.option === "accounts" || c.option === "mappings")) {
        this.#reloadAccounts();
      }
      this.#authenticator = new Authenticator(this.options);
      this.#wsAuthenticator = websocketAuthenticator(this.options);
      reauthorizeClients(this.#authDeps(), this.clients.values());
    }
    const digest = built.config?.digest ?? "";
    this.configDigest = digest;
    this.configLoadedAt = new Date();
    this.log.info(`Reloaded server configuration ${digest ? `(${digest})` : ""}`.trimEnd());
    return true;
  }

  /** Opens what the new options need (log destination, certificates), or says why not. */
  #prepareReload(next: Options, plan: ReloadPlan): PreparedReload | string {
    const logging = this.log.prepare(next);
    if (logging instanceof LogSetupError) return logging.message;
    if (!next.tls || !plan.changes.some((change) => change.group === "tls")) return { logging };
    try {
      return { logging, tls: resolveListenerTls(next) };
    } catch (error) {
      logging.discard();
      return (error as Error).message;
    }
  }

  /**
   * Applies each change as nats-server does, saying so in its words and order; then pushes
   * the settings into the parts that copied them (the logger, TLS, parsers, ports file).
   */
  #applyReloadedOptions(plan: ReloadPlan, prepared: PreparedReload): void {
    const o = this.options;
    const said = new Set<string>();
    for (const change of inGoOrder(plan.changes)) {
      if (change.option === "maxConnections") this.#closeOverMaxConnections();
      if (change.option === "pidFile" && o.pidFile) this.#writePidFile();
      const line = reloadNotice(change);
      if (line !== null && !said.has(line)) this.log.info(line);
      if (line !== null) said.add(line);
    }
    prepared.logging.commit();
    if (prepared.tls !== undefined) this.#tls.current = prepared.tls;
    if (plan.changes.some((change) => change.option === "portsFileDir")) {
      if (this.#portsFile) tryUnlink(this.#portsFile);
      this.#portsFile = "";
      if (o.portsFileDir) this.#writePortsFile();
    }
    for (const client of this.clients.values()) {
      client.parser.setLimits({
        maxControlLineBytes: o.maxControlLineBytes, maxPayloadBytes: o.maxPayloadBytes,
      });
    }
  }

  /** A lowered max_connections closes clients over it (nats-server picks at random). */
  #closeOverMaxConnections(): void {
    const excess = this.clients.size - Math.max(0, this.options.maxConnections);
    if (excess <= 0) return;
    // The newest clients go: they have the least state to rebuild elsewhere.
    const closing = [...this.clients.values()].slice(-excess);
    for (const client of closing) {
      client.sendProtocol(errLine(ERR.maxConnectionsExceeded));
      this.log.error(`${client.socket.remoteAddress}:${client.socket.remotePort ?? 0} - ` +
        `cid:${client.cid} - ${ERR.maxConnectionsExceeded}`);
      client.close(ClosedReason.maxConnectionsExceeded);
    }
    this.log.info(`Closed ${closing.length} connections to fall within max_connections`);
  }

  #writePidFile(): void {
    try {
      writeFileSync(this.options.pidFile, String(process.pid));
    } catch (error) {
      this.log.error(`Failed to write pidfile: ${systemErrorText(error)}`);
    }
  }

  /** SIGUSR1: reopens the log file (after logrotate renamed it), as nats-server does. */
  reopenLog(): void {
    const result = this.log.reopen();
    if (result === "notFile") {
      this.log.info("File log re-open ignored, not a file logger");
    } else if (result === "reopened") {
      this.log.info("File log re-opened");
    } else {
      this.log.error(`File log re-open failed: ${result.message}`);
    }
  }

  /** Stops accepting, closes every client and removes the pid and ports files. */
  shutdown(): Promise<void> {
    if (this.#shutdownPromise) return this.#shutdownPromise;
    this.#shutdownPromise = this.#shutdown();
    return this.#shutdownPromise;
  }

  async #shutdown(): Promise<void> {
    this.log.info("Initiating Shutdown...");
    this.#listener?.stop();
    this.#websocket?.stop();
    this.#monitor?.stop();
    for (const client of [...this.clients.values()]) client.close(ClosedReason.serverShutdown);
    if (this.jetstream) await stopJetStream(this.jetstream, this.log);
    this.system?.stop();
    for (const client of this.internalClients) client.close();
    this.flushQueue.flushAll();
    if (this.#portsFile) tryUnlink(this.#portsFile);
    this.log.info("Server Exiting..");
  }

  /**
   * Lame duck mode (SIGUSR2): stop accepting, tell clients (INFO ldm:true) so they reconnect
   * elsewhere, wait the grace period, close clients spread over the duration, then shut down.
   */
  async enterLameDuckMode(): Promise<void> {
    if (this.lameDuck || this.#shutdownPromise) return;
    this.lameDuck = true;
    this.system?.lameDuck();
    const o = this.options;
    this.log.info("Entering lame duck mode, stop accepting new clients");
    this.#listener?.stop();
    this.#websocket?.stop();
    if (this.clients.size === 0) return this.shutdown();
    for (const client of this.clients.values()) {
      client.sendProtocol(infoLine(this.infoJson(client)));
    }
    await delay(Math.abs(o.lameDuckGracePeriodMs));
    if (this.#shutdownPromise) return;
    this.log.info("Closing existing clients");
    const clients = [...this.clients.values()];
    // Spread the closes over what remains of the duration, at most one second apart, so the
    // reconnecting clients do not all arrive at the other servers together.
    const spreadMs = Math.max(o.lameDuckDurationMs - Math.abs(o.lameDuckGracePeriodMs), 1000);
    const intervalMs = Math.min(spreadMs / clients.length, LAME_DUCK_CLOSE_INTERVAL_MS_MAX);
    for (let i = 0; i < clients.length; i++) {
      if (this.#shutdownPromise) return;
      clients[i].close(ClosedReason.serverShutdown);
      if (i < clients.length - 1 && intervalMs >= 1) {
        await delay(intervalMs / 2 + Math.random() * intervalMs / 2);
      }
    }
    await this.shutdown();
  }

  #writePortsFile(): void {
    const exe = process.env.NATSD_EXE_NAME || "natsd";
    this.#portsFile = join(this.options.portsFileDir, `${basename(exe)}_${process.pid}.ports`);
    const ports: Record<string, string[]> = { nats: clientUrls(this.options.host, this.port) };
    if (this.#monitor) {
      ports.monitoring = clientUrls(this.#monitor.host, this.#monitor.port)
        .map((url) => url.replace(/^nats:/, this.options.httpsPort !== 0 ? "https:" : "http:"));
    }
    if (this.#websocket) {
      const ws = this.#websocket;
      ports.websocket = clientUrls(this.options.wsHost || this.options.host, ws.port)
        .map((url) => url.replace(/^nats:/, `${ws.scheme}:`));
    }
    writeFileSync(this.#portsFile, JSON.stringify(ports));
  }
}

function closedInfoOf(
  client: ClientConnection, reason: ClosedReason, server: Server,
): ClosedClientInfo {
  return {
    cid: client.cid,
    ip: client.socket.remoteAddress,
    port: client.socket.remotePort ?? 0,
    startedAtMs: client.startedAtMs,
    closedAtMs: server.clock.nowMs(),
    reason,
    name: client.connect.name,
    lang: client.connect.lang,
    version: client.connect.version,
    inMsgs: client.inMsgs,
    outMsgs: client.outMsgs,
    inBytes: client.inBytes,
    outBytes: client.outBytes,
    account: client.account?.name ?? "",
    lastActivityMs: client.lastActivityMs,
    rttMs: client.rttMs,
    user: rawAuthUser(client.connect),
    identity: identityDetails(client.connect, client.account?.name ?? ""),
    // Copies, not the subscriptions: a live Subscription reaches its connection and, through
    // the connection's match cache, whatever it last published to (a deleted stream's store).
    subscriptions: [...client.subscriptions.values()].map((sub) => ({
      subject: sub.subject, queue: sub.queue, sid: sub.sid, delivered: sub.delivered,
      maxMsgs: sub.maxMsgs, owner: { cid: client.cid },
    })),
  };
}

/** The no_auth_user that applies to this client (websocket { no_auth_user } for WebSocket). */
function noAuthUserFor(o: Options, client: ClientConnection): string {
  return client.websocket && o.wsNoAuthUser !== "" ? o.wsNoAuthUser : o.noAuthUser;
}

function hostPort(host: string, port: number): string {
  return host.includes(":") ? `[${host}]:${port}` : `${host}:${port}`;
}

/** The URLs a client can use, as Go lists them: every local address for a wildcard host. */
function clientUrls(host: string, port: number): string[] {
  if (host !== "0.0.0.0" && host !== "::" && host !== "") return [`nats://${hostPort(host, port)}`];
  const urls: string[] = [];
  for (const addresses of Object.values(networkInterfaces())) {
    for (const address of addresses ?? []) {
      if (address.family === "IPv4") urls.push(`nats://${hostPort(address.address, port)}`);
    }
  }
  return urls.length > 0 ? urls : [`nats://${hostPort(osHostname(), port)}`];
}

function tryUnlink(path: string): void {
  try {
    unlinkSync(path);
  } catch {
    // Already gone: nothing to clean up.
  }
}

function delay(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
