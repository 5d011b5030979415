/**
 * Starting JetStream for a server from its Options: the `jetstream {}` settings become a
 * JetStreamConfig, and the accounts that get JetStream are enabled with their limits
 * (jetStreamAccounts).
 * @module
 */
import type { Account } from "../accounts/account.ts";
import { GLOBAL_ACCOUNT_NAME, SYSTEM_ACCOUNT_NAME } from "../accounts/account.ts";
import type { InternalClient, InternalKind } from "../server/internal_client.ts";
import type { Options } from "../server/options.ts";
import { JetStream, type JetStreamConfig, type JetStreamLog } from "./jetstream.ts";
import { type AccountLimits, UNLIMITED } from "./js_account.ts";

/** A server whose JetStream a reload may start or stop. */
export interface ReloadableServer extends JetStreamServer {
  jetstream: JetStream | null;
}

/** What starting JetStream needs from the server. */
export interface JetStreamServer {
  readonly options: Options;
  readonly name: string;
  readonly log: JetStreamLog;
  readonly accounts: ReadonlyMap<string, Account>;
  createInternalClient(account: Account, kind: InternalKind): InternalClient;
}

/** The JetStream configuration an Options record asks for. */
export function jetStreamConfig(o: Options): JetStreamConfig {
  return {
    storeDir: o.storeDir,
    maxMemoryBytes: o.jetstreamMaxMemoryBytes,
    maxStoreBytes: o.jetstreamMaxStoreBytes,
    sync: o.jetstreamSyncIntervalMs > 0 ? { intervalMs: o.jetstreamSyncIntervalMs } : "always",
    domain: o.jetstreamDomain,
    duplicateWindowMaxNs: BigInt(o.jetstreamDuplicateWindowMaxMs) * 1_000_000n,
    cipher: o.jetstreamCipher,
    key: o.jetstreamKey,
    strict: o.jetstreamStrict,
  };
}

/** An account JetStream is enabled for, with its limits (none: unlimited). */
export interface EnabledAccount {
  account: Account;
  limits?: AccountLimits;
}

/**
 * The accounts JetStream is enabled for, as nats-server: without configured accounts, the
 * global account; with configured accounts, those their `jetstream` settings enable, with their
 * limits (none when no account says `jetstream`).
 */
export function jetStreamAccounts(server: JetStreamServer): EnabledAccount[] {
  const o = server.options;
  const settings = o.jetstreamAccounts ?? {};
  if (o.accounts.length === 0) {
    const global = server.accounts.get(GLOBAL_ACCOUNT_NAME);
    const own = settings[GLOBAL_ACCOUNT_NAME];
    if (global === undefined || own?.enabled === false) return [];
    return [{ account: global, limits: own?.limits }];
  }
  const system = o.systemAccount !== "" ? o.systemAccount : SYSTEM_ACCOUNT_NAME;
  const others = [...server.accounts.values()].filter((a) => a.name !== system);
  return others.flatMap((account) => {
    const own = settings[account.name];
    return own?.enabled ? [{ account, limits: own.limits }] : [];
  });
}

/** Starts JetStream and enables (and recovers) its accounts. */
export async function startJetStream(server: JetStreamServer): Promise<JetStream> {
  const js = JetStream.start({
    serverName: server.name,
    log: server.log,
    maxPendingBytes: server.options.maxPendingBytes,
    createInternalClient: (account, kind) => server.createInternalClient(account, kind),
  }, jetStreamConfig(server.options));
  for (const { account, limits } of jetStreamAccounts(server)) {
    await js.enableAccount(account, limits);
  }
  const o = server.options;
  const systemName = o.systemAccount !== "" ? o.systemAccount : SYSTEM_ACCOUNT_NAME;
  const system = server.accounts.get(systemName);
  if (system !== undefined) js.serveSystemAccount(system);
  // Configured accounts left without JetStream answer its API with 10039 (operator mode's
  // accounts are enabled by their JWTs as they load).
  if (o.trustedOperators.length === 0 && o.trustedKeys.length === 0) {
    for (const account of server.accounts.values()) {
      if (account.name !== systemName) js.serveNotEnabled(account);
    }
  }
  return js;
}

/** Stops JetStream, keeping its data on disk, with nats-server's log lines. */
export async function stopJetStream(js: JetStream, log: JetStreamLog): Promise<void> {
  log.info("Initiating JetStream Shutdown...");
  await js.stop();
  log.info("JetStream Shutdown");
}

/** Each server's reload switches, applied one after the other. */
const switching = new WeakMap<ReloadableServer, Promise<void>>();

/**
 * A reload changed `jetstream`, the accounts or their `jetstream` settings (options already hold
 * the new values). As nats-server: turning JetStream on starts it (recovering what the store
 * directory holds; a failure is a warning), turning it off shuts it down and leaves the data on
 * disk for the next start; otherwise the accounts are brought in line with their settings.
 */
export function reloadJetStream(server: ReloadableServer): Promise<void> {
  const previous = switching.get(server) ?? Promise.resolve();
  const next = previous.then(() => switchJetStream(server));
  switching.set(server, next);
  return next;
}

async function switchJetStream(server: ReloadableServer): Promise<void> {
  if (server.options.jetstream && server.jetstream === null) {
    server.log.info("Restarting JetStream");
    try {
      server.jetstream = await startJetStream(server);
    } catch (error) {
      server.log.warn(`Can't start JetStream: ${(error as Error).message}`);
    }
  } else if (!server.options.jetstream && server.jetstream !== null) {
    const js = server.jetstream;
    server.jetstream = null;
    await stopJetStream(js, server.log);
  } else if (server.jetstream !== null) {
    await syncAccounts(server, server.jetstream);
  }
}

/**
 * A reload changed the accounts or their `jetstream` settings while JetStream runs: as
 * nats-server, accounts newly enabled get JetStream (recovering their streams), accounts no
 * longer enabled lose it (data kept on disk), and the others take their new limits at once.
 * Operator mode is left alone: there the accounts' JWTs decide.
 */
async function syncAccounts(server: ReloadableServer, js: JetStream): Promise<void> {
  const o = server.options;
  if (o.trustedOperators.length > 0 || o.trustedKeys.length > 0) return;
  const wanted = jetStreamAccounts(server);
  // New limits first and in one turn: they hold before any account's recovery yields.
  for (const { account, limits } of wanted) {
    const running = js.accounts.get(account.name);
    if (running !== undefined) running.limits = { ...UNLIMITED, ...limits };
  }
  const names = new Set(wanted.map(({ account }) => account.name));
  for (const name of [...js.accounts.keys()]) {
    if (!names.has(name)) await js.disableAccount(name);
  }
  for (const { account, limits } of wanted) {
    if (!js.accounts.has(account.name)) await js.enableAccount(account, limits);
  }
}
