/**
 * Operator mode at run time: the trusted operators and keys, the account resolver, and the
 * accounts loaded from it. Accounts load on first use (a user of theirs connects, or another
 * account imports from them), as nats-server's LookupAccount does; every load or claims
 * update rebuilds the account settings the registry routes with (the caller relinks), then
 * re-checks the account's clients (caller's `enforce`).
 * @module
 */
import type { AccountConfig } from "../../accounts/types.ts";
import {
  type AccountJwtInfo, accountConfigFromClaims, accountJwtInfo, openActivatedExports,
} from "./account_claims.ts";
import {
  type AccountClaims, decodeClaims, JwtError, type OperatorClaims, parseDecoratedJwt,
} from "./claims.ts";
import { DirResolver } from "./dir_resolver.ts";
import { type AccountResolver, MemoryResolver, ResolverError } from "./resolver.ts";
import type { JwtAccountView } from "./user_claims.ts";

/** How deep imports pull in further accounts at one load (Go bounds cycles similarly). */
export const IMPORT_LOAD_DEPTH_MAX = 16;

export type ResolverConfig =
  | { type: "MEMORY" }
  | { type: "FULL"; dir: string; allowDelete: boolean; hardDelete: boolean; limit: number;
    syncIntervalMs: number; fetchTimeoutMs: number };

export interface OperatorSettings {
  /** Operator JWTs (already read from their files). */
  trustedOperators: readonly string[];
  trustedKeys: readonly string[];
  accountResolver: ResolverConfig | null;
  resolverPreload: Readonly<Record<string, string>>;
  resolverPinnedAccounts: readonly string[];
  defaultSentinel: string;
  systemAccount: string;
}

export interface OperatorDeps {
  log: { debug(m: string): void; warn(m: string): void; error(m: string): void };
  /** The set of loaded accounts changed: relink them (registry reload). */
  accountsChanged(): void;
  /**
   * An account's claims changed (re-check its clients), or it was deleted or expired
   * (`closeAll`: close them with `Account Authentication Expired`).
   */
  enforce(account: string, closeAll: boolean): void;
  nowMs(): number;
}

/** True when the options put the server in operator mode. */
export function operatorModeOn(o: OperatorSettings): boolean {
  return o.trustedOperators.length > 0 || o.trustedKeys.length > 0;
}

/** Decodes the configured operator JWTs (config validated them already). */
export function operatorClaimsOf(o: OperatorSettings): OperatorClaims[] {
  return o.trustedOperators.map((jwt) => decodeClaims(parseDecoratedJwt(jwt), "operator"));
}

/** Go's validateTrustedOperators key expansion: operator keys and their signing keys. */
export function trustedKeysOf(o: OperatorSettings): string[] {
  const keys = [...o.trustedKeys];
  for (const op of operatorClaimsOf(o)) {
    if (op.nats.strict_signing_key_usage !== true) keys.push(op.sub);
    keys.push(...(op.nats.signing_keys ?? []));
  }
  return keys;
}

function newResolver(config: ResolverConfig | null): AccountResolver | null {
  if (config === null) return null;
  if (config.type === "MEMORY") return new MemoryResolver();
  return new DirResolver({ dir: config.dir, limit: config.limit,
    deleteMode: !config.allowDelete ? "none" : config.hardDelete ? "hard" : "rename" });
}

export class OperatorMode implements JwtAccountView {
  readonly trustedKeys: ReadonlySet<string>;
  readonly operators: readonly OperatorClaims[];
  readonly resolver: AccountResolver | null;
  /** `resolver_pinned_accounts` (with the system account); null = every account. */
  readonly pinned: ReadonlySet<string> | null;
  /** `default_sentinel`: the JWT of clients presenting none ("" = none). */
  readonly defaultSentinel: string;
  /** Operators whose keys may not sign accounts themselves (strict_signing_key_usage). */
  readonly #strict: ReadonlySet<string>;
  readonly #loaded = new Map<string, AccountJwtInfo>();
  /** Accounts whose JWT expires: the timer closes their clients then (Go's etmr). */
  readonly #expiryTimers = new Map<string, ReturnType<typeof setTimeout>>();

  constructor(settings: OperatorSettings, readonly deps: OperatorDeps) {
    this.operators = operatorClaimsOf(settings);
    this.trustedKeys = new Set(trustedKeysOf(settings));
    this.#strict = new Set(this.operators.filter((o) => o.nats.strict_signing_key_usage)
      .flatMap((o) => [o.sub, ...(o.nats.signing_keys ?? [])]));
    this.resolver = newResolver(settings.accountResolver);
    this.defaultSentinel = settings.defaultSentinel;
    const system = settings.systemAccount || this.operatorSystemAccount;
    this.pinned = settings.resolverPinnedAccounts.length === 0 ? null
      : new Set([...settings.resolverPinnedAccounts, ...(system ? [system] : [])]);
    for (const [key, jwt] of Object.entries(settings.resolverPreload)) {
      this.resolver?.store(key, jwt);
    }
  }

  /** The operator's system account, "" when it names none. */
  get operatorSystemAccount(): string {
    return this.operators[0]?.nats.system_account ?? "";
  }

  isTrustedIssuer(key: string): boolean {
    return this.trustedKeys.has(key);
  }

  /** The loaded account's JWT state (loading it), or why it cannot be had. */
  account(publicKey: string): AccountJwtInfo | string {
    const loaded = this.#loaded.get(publicKey);
    if (loaded !== undefined) return loaded;
    const problem = this.#load(publicKey, 0);
    if (problem !== null) return problem;
    this.deps.accountsChanged();
    return this.#loaded.get(publicKey)!;
  }

  loaded(publicKey: string): AccountJwtInfo | null {
    return this.#loaded.get(publicKey) ?? null;
  }

  /** Every loaded account's JWT state. */
  allLoaded(): IterableIterator<AccountJwtInfo> {
    return this.#loaded.values();
  }

  #decode(publicKey: string, jwt: string): AccountClaims | string {
    try {
      const claims = decodeClaims<AccountClaims["nats"]>(jwt, "account");
      if (claims.sub !== publicKey) return "subject does not match jwt content";
      return claims;
    } catch (error) {
      if (error instanceof JwtError) return error.message;
      throw error;
    }
  }

  /** Loads one account and, depth-bounded, the accounts it imports from. */
  #load(publicKey: string, depth: number): string | null {
    if (this.resolver === null) return "no account resolver";
    const jwt = this.resolver.fetch(publicKey);
    if (jwt === null) return "account missing";
    const claims = this.#decode(publicKey, jwt);
    if (typeof claims === "string") return claims;
    const info = accountJwtInfo(jwt, claims, this.#strict.has(claims.iss));
    this.#loaded.set(publicKey, info);
    this.#armExpiry(publicKey, info.expiresAtSec);
    if (depth >= IMPORT_LOAD_DEPTH_MAX) return null;
    for (const imp of claims.nats.imports ?? []) {
      if (this.#loaded.has(imp.account)) continue;
      const problem = this.#load(imp.account, depth + 1);
      if (problem !== null) {
        this.deps.log.error(`Can't locate account [${imp.account}] for import of ` +
          `[${imp.subject}] ${imp.type} (err=${problem})`);
      }
    }
    return null;
  }

  #armExpiry(publicKey: string, expiresAtSec: number): void {
    const old = this.#expiryTimers.get(publicKey);
    if (old !== undefined) clearTimeout(old);
    this.#expiryTimers.delete(publicKey);
    const inMs = expiresAtSec * 1000 - this.deps.nowMs();
    if (expiresAtSec === 0 || inMs <= 0) return;
    const timer = setTimeout(() => {
      this.#expiryTimers.delete(publicKey);
      this.deps.enforce(publicKey, true);
    }, inMs);
    (timer as { unref?: () => void }).unref?.();
    this.#expiryTimers.set(publicKey, timer);
  }

  /** Every loaded account's settings, token-required exports opened by activations. */
  accountConfigs(): AccountConfig[] {
    const configs = new Map<string, AccountConfig>();
    const claims = new Map<string, AccountClaims>();
    for (const [key, info] of this.#loaded) {
      configs.set(key, accountConfigFromClaims(info.claims));
      claims.set(key, info.claims);
    }
    openActivatedExports(configs, claims, Math.floor(this.deps.nowMs() / 1000));
    // Imports from accounts that could not be loaded are dropped, as Go marks them incomplete.
    for (const config of configs.values()) {
      config.streamImports = config.streamImports.filter((i) => configs.has(i.account));
      config.serviceImports = config.serviceImports.filter((i) => configs.has(i.account));
    }
    return [...configs.values()];
  }

  /**
   * A resolver stored a new JWT for `publicKey` (claims update): a loaded account takes the
   * new claims at once; an unloaded one waits for its first use.
   */
  claimsChanged(publicKey: string): void {
    if (!this.#loaded.has(publicKey)) return;
    const problem = this.#load(publicKey, 0);
    if (problem !== null) {
      this.deps.log.error(`DirResolver - Update for account "${publicKey}" resulted in ` +
        `error ${problem}`);
      return;
    }
    this.deps.accountsChanged();
    this.deps.enforce(publicKey, false);
  }

  /** The resolver deleted `publicKey`: its clients are disconnected (Go's removeCb). */
  accountDeleted(publicKey: string): void {
    if (!this.#loaded.delete(publicKey)) return;
    this.#armExpiry(publicKey, 0);
    this.deps.enforce(publicKey, true);
    this.deps.accountsChanged();
  }

  /** Stores preloads or pushed claims; returns the resolver's error text, or null. */
  store(publicKey: string, jwt: string, push: boolean): string | null {
    if (this.resolver === null) return "no account resolver";
    try {
      const changed = push ? this.resolver.update(publicKey, jwt)
        : this.resolver.store(publicKey, jwt);
      if (changed) this.claimsChanged(publicKey);
      return null;
    } catch (error) {
      if (error instanceof ResolverError) return error.message;
      throw error;
    }
  }
}
