/**
 * The full directory resolver (`resolver { type: full, dir, allow_delete, hard_delete, limit,
 * interval }`), as nats-server's DirAccResolver over its DirJWTStore: one `<public key>.jwt`
 * file per account in `dir` (created when missing), a limit on how many accounts it holds
 * ("jwt store is full"), and deletes that remove or rename (`.jwt.deleted`) the file.
 * Files are written whole with a rename, so a crash leaves the old or the new JWT.
 * @module
 */
import {
  existsSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync, writeFileSync,
} from "node:fs";
import { join } from "node:path";
import { isValidPublicAccountKey } from "../nkeys.ts";
import { decodeClaims, JwtError } from "./claims.ts";
import { type AccountResolver, ResolverError } from "./resolver.ts";

const FILE_EXTENSION = ".jwt";

export type DeleteMode = "none" | "rename" | "hard";

export interface DirResolverConfig {
  dir: string;
  /** Accounts held at most; 0 means no limit. */
  limit: number;
  deleteMode: DeleteMode;
}

export class DirResolver implements AccountResolver {
  readonly type = "FULL";
  readonly servesClaimRequests = true;
  /** Stored accounts (Go indexes the directory at start and tracks writes). */
  readonly #index = new Set<string>();

  constructor(readonly config: DirResolverConfig) {
    mkdirSync(config.dir, { recursive: true });
    for (const name of readdirSync(config.dir)) {
      if (name.endsWith(FILE_EXTENSION)) this.#index.add(name.slice(0, -FILE_EXTENSION.length));
    }
  }

  #path(publicKey: string): string {
    if (!isValidPublicAccountKey(publicKey)) throw new ResolverError("invalid public key");
    return join(this.config.dir, publicKey + FILE_EXTENSION);
  }

  fetch(publicKey: string): string | null {
    if (!isValidPublicAccountKey(publicKey)) return null;
    try {
      return readFileSync(this.#path(publicKey), "utf8");
    } catch {
      return null;
    }
  }

  store(publicKey: string, jwt: string): boolean {
    const path = this.#path(publicKey);
    if (existsSync(path)) {
      const incoming = generic(jwt);
      let existing: { jti?: string; iat?: number; sub: string } | null = null;
      try {
        existing = decodeClaims(readFileSync(path, "utf8"), "generic");
      } catch {
        existing = null; // an undecodable file is replaced
      }
      if (existing !== null) {
        if (existing.jti === incoming.jti) return false;
        if ((existing.iat ?? 0) > (incoming.iat ?? 0)) return false;
        if (incoming.sub !== publicKey) {
          throw new ResolverError("jwt subject nkey and provided nkey do not match");
        }
        if (existing.sub !== incoming.sub) {
          throw new ResolverError("subject of existing and new jwt do not match");
        }
      }
    }
    return this.#write(publicKey, path, jwt);
  }

  update(publicKey: string, jwt: string): boolean {
    return this.#write(publicKey, this.#path(publicKey), jwt);
  }

  #write(publicKey: string, path: string, jwt: string): boolean {
    if (jwt === "") throw new ResolverError("invalid JWT");
    const limit = this.config.limit;
    if (!this.#index.has(publicKey) && limit > 0 && this.#index.size >= limit) {
      throw new ResolverError("jwt store is full");
    }
    if (this.fetch(publicKey) === jwt) return false;
    const temp = `${path}.tmp`;
    writeFileSync(temp, jwt, { mode: 0o644 });
    renameSync(temp, path);
    this.#index.add(publicKey);
    return true;
  }

  delete(publicKey: string): void {
    if (this.config.deleteMode === "none") {
      throw new ResolverError("store is not set up to for delete");
    }
    const path = this.#path(publicKey);
    if (existsSync(path)) {
      if (this.config.deleteMode === "rename") renameSync(path, `${path}.deleted`);
      else rmSync(path);
    }
    this.#index.delete(publicKey);
  }

  list(): string[] {
    return [...this.#index].filter((key) => existsSync(join(this.config.dir,
      key + FILE_EXTENSION)));
  }
}

function generic(jwt: string): { jti?: string; iat?: number; sub: string } {
  try {
    return decodeClaims(jwt, "generic");
  } catch (error) {
    if (error instanceof JwtError) throw new ResolverError(error.message);
    throw error;
  }
}
