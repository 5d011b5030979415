/**
 * Client authentication in nats-server's order of checks (server/auth.go,
 * processClientOrLeafAuthentication) for the mechanisms natsd has:
 *   1. no auth configured: everyone is in;
 *   2. nkey users: a CONNECT `nkey` must be a configured user key and `sig` its signature of
 *      the INFO nonce (the no_auth_user nkey needs none);
 *   3. users: a CONNECT `user` must be configured and `pass` match (plain or bcrypt); a client
 *      sending no credentials becomes the no_auth_user;
 *   4. otherwise the single token, or the single user/password.
 * Pure: settings and the client's CONNECT in, a verdict out. The server binds the account and
 * permissions the verdict names.
 * @module
 */
import { verifyNonceSignature } from "./nkeys.ts";
import { isBcrypt, passwordsMatch } from "./passwords.ts";
import { CompiledPermissions } from "./permissions.ts";
import type { ConnectionType, NkeyUserConfig, UserConfig } from "./types.ts";

/** The auth settings of Options (config/auth_options.ts fills them). */
export interface AuthOptions {
  username: string;
  password: string;
  authToken: string;
  noAuthUser: string;
  users: readonly UserConfig[];
  nkeys: readonly NkeyUserConfig[];
}

/** A configured identity, compiled: permissions shared by all its connections. */
export interface AuthUser {
  readonly kind: "user" | "nkey";
  /** Username or public nkey. */
  readonly name: string;
  readonly password: string;
  /** "" for the global account. */
  readonly account: string;
  readonly permissions: CompiledPermissions | null;
  /** Null: every connection type. */
  readonly connectionTypes: ReadonlySet<ConnectionType> | null;
  /** True when the permissions are the default ones (reload may update them). */
  readonly defaultPermissions: boolean;
  /** Only through a trusted proxy (`proxy_required`). */
  readonly proxyRequired?: boolean;
}

/** What a client presented. */
export interface AuthRequest {
  user: string;
  pass: string;
  authToken: string;
  nkey: string;
  sig: string;
  /** The nonce this connection's INFO carried ("" when none was sent). */
  nonce: string;
  connectionType: ConnectionType;
}

export type AuthVerdict =
  /** `user` null: no users involved (auth off, or the single token/user). */
  | { ok: true; user: AuthUser | null; boundUser: string; boundNkey: string }
  /** `reason` is for the debug log and never holds a secret. */
  | { ok: false; reason: string };

function compileUser(kind: "user" | "nkey", name: string, password: string,
  config: UserConfig | NkeyUserConfig): AuthUser {
  const types = config.allowedConnectionTypes;
  return {
    kind, name, password, account: config.account,
    permissions: config.permissions === null ? null : new CompiledPermissions(config.permissions),
    connectionTypes: types.length === 0 ? null : new Set(types),
    defaultPermissions: config.defaultPermissions,
    proxyRequired: config.proxyRequired === true,
  };
}

export class Authenticator {
  readonly required: boolean;
  /** True when INFO must carry a nonce (nkey users exist). */
  readonly nonceRequired: boolean;
  readonly users: ReadonlyMap<string, AuthUser>;
  readonly nkeys: ReadonlyMap<string, AuthUser>;
  readonly #options: AuthOptions;

  constructor(options: AuthOptions) {
    this.#options = options;
    const users = new Map<string, AuthUser>();
    const nkeys = new Map<string, AuthUser>();
    for (const u of options.users) {
      users.set(u.username, compileUser("user", u.username, u.password, u));
    }
    for (const n of options.nkeys) nkeys.set(n.nkey, compileUser("nkey", n.nkey, "", n));
    this.users = users;
    this.nkeys = nkeys;
    const hasUsers = options.users.length > 0 || options.nkeys.length > 0;
    this.required = hasUsers || options.username !== "" || options.authToken !== "";
    this.nonceRequired = options.nkeys.length > 0;
  }

  get noAuthUser(): string {
    return this.#options.noAuthUser;
  }

  /** Go's checkAuthforWarnings: the single or a listed password is not a bcrypt hash. */
  hasPlaintextPasswords(): boolean {
    if (this.#options.password !== "" && !isBcrypt(this.#options.password)) return true;
    for (const user of this.users.values()) if (!isBcrypt(user.password)) return true;
    return false;
  }

  /** Checks a client's credentials; see the module comment for the order. */
  authenticate(request: AuthRequest): AuthVerdict {
    if (!this.required) return { ok: true, user: null, boundUser: request.user, boundNkey: "" };
    const noAuthUser = this.#options.noAuthUser;
    const anonymous = request.user === "" && request.pass === "" && request.authToken === "";
    let nkeyName = request.nkey;
    if (this.nkeys.size > 0 && noAuthUser !== "" && anonymous && nkeyName === "" &&
      this.nkeys.has(noAuthUser)) {
      nkeyName = noAuthUser;
    }
    if (this.nkeys.size > 0 && nkeyName !== "") {
      const nkey = this.nkeys.get(nkeyName);
      if (nkey === undefined) return { ok: false, reason: "Nkey not found" };
      if (!typeAllowed(nkey, request.connectionType)) {
        return { ok: false, reason: "Connection type not allowed" };
      }
      if (nkey.name !== noAuthUser) {
        const failure = verifyNonceSignature(nkey.name, request.nonce, request.sig);
        if (failure !== null) return { ok: false, reason: failure };
      }
      return { ok: true, user: nkey, boundUser: "", boundNkey: nkey.name };
    }
    if (this.users.size > 0) return this.#userPassword(request, anonymous, noAuthUser);
    return this.#simple(request);
  }

  /**
   * TLS `verify_and_map`: the first of the certificate's identities (e-mail addresses, DNS
   * names, URIs, then the subject DN) that names a configured user authenticates as that user,
   * without a password, as nats-server's checkClientTLSCertSubject does.
   */
  authenticateCertificate(identities: readonly string[], type: ConnectionType): AuthVerdict {
    for (const identity of identities) {
      const user = this.users.get(identity);
      if (user === undefined) continue;
      if (!typeAllowed(user, type)) return { ok: false, reason: "Connection type not allowed" };
      return { ok: true, user, boundUser: user.name, boundNkey: "" };
    }
    return { ok: false, reason: "No user mapped from the client certificate" };
  }

  #userPassword(request: AuthRequest, anonymous: boolean, noAuthUser: string): AuthVerdict {
    let username = request.user;
    let password = request.pass;
    const fallback = anonymous && noAuthUser !== "" ? this.users.get(noAuthUser) : undefined;
    if (fallback !== undefined) {
      // As Go: the client takes the no_auth_user's credentials, then they are checked.
      username = fallback.name;
      password = fallback.password;
    }
    if (username === "") return this.#simple(request);
    const user = this.users.get(username);
    if (user === undefined) return { ok: false, reason: "User not found" };
    if (!typeAllowed(user, request.connectionType)) {
      return { ok: false, reason: "Connection type not allowed" };
    }
    if (!passwordsMatch(user.password, password)) return { ok: false, reason: "Bad password" };
    return { ok: true, user, boundUser: user.name, boundNkey: "" };
  }

  #simple(request: AuthRequest): AuthVerdict {
    const o = this.#options;
    if (o.authToken !== "") {
      return passwordsMatch(o.authToken, request.authToken)
        ? { ok: true, user: null, boundUser: request.user, boundNkey: "" }
        : { ok: false, reason: "Bad token" };
    }
    const userMatches = o.username !== "" && request.user === o.username;
    if (userMatches && passwordsMatch(o.password, request.pass)) {
      return { ok: true, user: null, boundUser: request.user, boundNkey: "" };
    }
    return { ok: false, reason: o.username !== "" ? "Bad user or password" : "No credentials" };
  }
}

function typeAllowed(user: AuthUser, type: ConnectionType): boolean {
  return user.connectionTypes === null || user.connectionTypes.has(type);
}
