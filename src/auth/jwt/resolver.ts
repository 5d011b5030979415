/**
 * Account resolvers: where operator mode finds account JWTs by public key. One interface,
 * two implementations, one shared test suite (resolver_test.ts):
 * - MemoryResolver (`resolver: MEMORY`): the JWTs of `resolver_preload`, kept in memory.
 * - DirResolver (`resolver { type: full, dir }`, dir_resolver.ts): one `<key>.jwt` file per
 *   account, updated by `$SYS.REQ.CLAIMS.UPDATE` pushes, optionally deletable.
 * Lookups are synchronous: natsd runs one server, so there is no peer to ask.
 * @module
 */

/** Why a resolver refused a store or delete; the text is nats-server's. */
export class ResolverError extends Error {
  override name = "ResolverError";
}

export interface AccountResolver {
  readonly type: "MEMORY" | "FULL";
  /** True when `$SYS.REQ.…CLAIMS.*` requests are served (the full resolver). */
  readonly servesClaimRequests: boolean;
  /** The account's JWT, or null when unknown. */
  fetch(publicKey: string): string | null;
  /**
   * Stores a JWT (preloads; Go's Store). The full resolver keeps an existing JWT that is
   * newer. Returns true when the stored JWT changed.
   * @throws ResolverError
   */
  store(publicKey: string, jwt: string): boolean;
  /**
   * Stores a pushed JWT unconditionally (Go's save, used by CLAIMS.UPDATE).
   * @throws ResolverError
   */
  update(publicKey: string, jwt: string): boolean;
  /** @throws ResolverError when deleting is not allowed or fails. */
  delete(publicKey: string): void;
  /** Public keys of every stored account. */
  list(): string[];
}

export class MemoryResolver implements AccountResolver {
  readonly type = "MEMORY";
  readonly servesClaimRequests = false;
  readonly #jwts = new Map<string, string>();

  fetch(publicKey: string): string | null {
    return this.#jwts.get(publicKey) ?? null;
  }

  store(publicKey: string, jwt: string): boolean {
    const changed = this.#jwts.get(publicKey) !== jwt;
    this.#jwts.set(publicKey, jwt);
    return changed;
  }

  update(publicKey: string, jwt: string): boolean {
    return this.store(publicKey, jwt);
  }

  delete(_publicKey: string): void {
    throw new ResolverError("store is not set up to for delete");
  }

  list(): string[] {
    return [...this.#jwts.keys()];
  }
}
