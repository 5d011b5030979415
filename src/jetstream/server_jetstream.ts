/**
 * Starting JetStream for a server from its Options: the `jetstream {}` settings become a
 * JetStreamConfig, and the accounts that get JetStream are enabled (the global account when no
 * accounts are configured, else every configured account but the system account, until accounts
 * carry their own `jetstream` settings).
 * @module
 */
import type { Account } from "../accounts/account.ts";
import { GLOBAL_ACCOUNT_NAME, SYSTEM_ACCOUNT_NAME } from "../accounts/account.ts";
import type { InternalClient, InternalKind } from "../server/internal_client.ts";
import type { Options } from "../server/options.ts";
import { JetStream, type JetStreamConfig, type JetStreamLog } from "./jetstream.ts";

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

/** The accounts JetStream is enabled for. */
export function jetStreamAccounts(server: JetStreamServer): Account[] {
  const o = server.options;
  if (o.accounts.length === 0) {
    const global = server.accounts.get(GLOBAL_ACCOUNT_NAME);
    return global === undefined ? [] : [global];
  }
  const system = o.systemAccount !== "" ? o.systemAccount : SYSTEM_ACCOUNT_NAME;
  return [...server.accounts.values()].filter((a) => a.name !== system);
}

/** Starts JetStream and enables (and recovers) its accounts. */
export async function startJetStream(server: JetStreamServer): Promise<JetStream> {
  const js = JetStream.start({
    serverName: server.name,
    log: server.log,
    maxPendingBytes: server.options.maxPendingBytes,
    createInternalClient: (account, kind) => server.createInternalClient(account, kind),
  }, jetStreamConfig(server.options));
  for (const account of jetStreamAccounts(server)) await js.enableAccount(account);
  const o = server.options;
  const system = server.accounts.get(o.systemAccount !== "" ? o.systemAccount
    : SYSTEM_ACCOUNT_NAME);
  if (system !== undefined) js.serveSystemAccount(system);
  return js;
}
