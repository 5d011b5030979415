/**
 * Binding operator-mode clients to what their user JWT grants, and keeping them honest as
 * claims change: the JWT's account, permissions (or the account's defaults) and limits, an
 * expiry timer (`User Authentication Expired`), and, when the account's claims are updated
 * or deleted, nats-server's re-checks (connection limit, revocation, re-authentication,
 * subscriptions the new permissions no longer allow, `Account Authentication Expired`).
 * @module
 */
import type { Account } from "../../accounts/account.ts";
import type { ClientConnection } from "../../client/connection.ts";
import type { ConnectOptions } from "../../client/connect_options.ts";
import { errLine } from "../../protocol/encoder.ts";
import { ClosedReason, ERR } from "../../protocol/errors.ts";
import type { AuthUser } from "../authenticator.ts";
import {
  applyAccountLimits, type ClientAuthDeps, dropDisallowedSubscriptions,
} from "../client_auth.ts";
import { ClientPermissions, CompiledPermissions } from "../permissions.ts";
import { checkProxy } from "../proxies.ts";
import { denyCalloutSubject } from "../callout/client_callout.ts";
import { startJwtCallout } from "../callout/jwt_callout.ts";
import { isRevoked } from "./account_claims.ts";
import { decodeClaims, JwtError } from "./claims.ts";
import type { OperatorMode } from "./operator_mode.ts";
import { authenticateJwtUser, type JwtUser } from "./user_claims.ts";

export const JWT_ERR = {
  userExpired: "User Authentication Expired",
  accountExpired: "Account Authentication Expired",
  revoked: "User Authentication Revoked",
} as const;

interface Session {
  /** Null for auth callout users (only their expiry is kept). */
  user: JwtUser | null;
  timer: ReturnType<typeof setTimeout> | null;
}

const sessions = new WeakMap<ClientConnection, Session>();

function label(client: ClientConnection): string {
  return `${client.socket.remoteAddress}:${client.socket.remotePort ?? 0} - cid:${client.cid}`;
}

/** The user JWT a client authenticated with (null before, or outside operator mode). */
export function jwtUserOf(client: ClientConnection): JwtUser | null {
  return sessions.get(client)?.user ?? null;
}

/** Stops a closed client's expiry timer. */
export function forgetJwtClient(client: ClientConnection): void {
  const session = sessions.get(client);
  if (session?.timer != null) clearTimeout(session.timer);
  sessions.delete(client);
}

function closeWith(client: ClientConnection, text: string, reason: ClosedReason,
  deps: ClientAuthDeps): void {
  if (client.closed) return;
  client.sendProtocol(errLine(text));
  deps.log.debug(`${label(client)} - ${text}`);
  client.close(reason);
}

/**
 * Closes `client` with `User Authentication Expired` after `ms` (null: never), replacing any
 * earlier timer; `user` is the JWT user it authenticated as (null for callout users).
 */
export function setAuthExpiry(deps: ClientAuthDeps, client: ClientConnection,
  user: JwtUser | null, ms: number | null): void {
  forgetJwtClient(client);
  const session: Session = { user, timer: null };
  sessions.set(client, session);
  if (ms === null) return;
  session.timer = setTimeout(() => closeWith(client, JWT_ERR.userExpired,
    ClosedReason.authenticationExpired, deps), ms);
  (session.timer as { unref?: () => void }).unref?.();
}

function looksLikeUserJwt(jwt: string): boolean {
  if (jwt === "") return false;
  try {
    decodeClaims(jwt, "user");
    return true;
  } catch (error) {
    if (error instanceof JwtError) return false;
    throw error;
  }
}

function authUserOf(user: JwtUser): AuthUser {
  return {
    kind: "nkey", name: user.publicKey, password: "", account: user.account,
    permissions: user.permissions === null ? null : new CompiledPermissions(user.permissions),
    connectionTypes: user.allowedConnectionTypes.length === 0 ? null
      : new Set(user.allowedConnectionTypes),
    defaultPermissions: user.defaultPermissions,
  };
}

/**
 * Checks the CONNECT's user JWT and signature and, when accepted, sets the client's
 * permissions, limits and expiry. Returns the account to bind, or null when refused.
 */
export function authenticateJwtClient(deps: ClientAuthDeps, operator: OperatorMode,
  client: ClientConnection, connect: ConnectOptions, trustedProxy = false,
  allowCallout = true): Account | null {
  // Go: a client without a (decodable) user JWT takes the default sentinel, when set.
  if (operator.defaultSentinel !== "" && !looksLikeUserJwt(connect.jwt)) {
    connect.jwt = operator.defaultSentinel;
  }
  const verdict = authenticateJwtUser({
    jwt: connect.jwt, sig: connect.sig, nonce: client.nonce,
    host: client.socket.remoteAddress, connectionType: client.websocket ? "WEBSOCKET" : "STANDARD",
  }, operator, Date.now());
  if (!verdict.ok) {
    deps.log.debug(`${label(client)} - ${verdict.reason}`);
    return null;
  }
  const user = verdict.user;
  if (user.claims.nats.proxy_required === true && !trustedProxy) {
    deps.log.debug(`${label(client)} - proxy connection required`);
    client.authError = ClosedReason.proxyRequired;
    return null;
  }
  // An account naming an auth callout service hands its users (but the service's) to it.
  const info = operator.loaded(user.account);
  const external = info?.externalAuth ?? null;
  // A live connection checked again after a claims update is not sent to the service.
  if (info !== null && external !== null && deps.callout && allowCallout &&
    !external.authUsers.has(user.publicKey)) {
    startJwtCallout(deps, operator, deps.callout, client, connect, info);
    return null;
  }
  return bindJwtUser(deps, client, user, external !== null, true);
}

/**
 * Binds an authenticated JWT user: account (connection limit), limits, permissions (no
 * requests to the callout service from its own account), expiry. `session`: the user may be
 * re-checked later (false for users an auth callout vouched for: no signature to re-check).
 */
export function bindJwtUser(deps: ClientAuthDeps, client: ClientConnection, user: JwtUser,
  calloutAccount: boolean, session: boolean): Account | null {
  const account = deps.accountNamed(user.account);
  if (account === null) return null;
  if (client.account !== account && account.connectionsFull) {
    client.sendProtocol(errLine(ERR.maxAccountConnectionsExceeded));
    deps.log.error(`${label(client)} - ${ERR.maxAccountConnectionsExceeded}`);
    client.close(ClosedReason.maxAccountConnectionsExceeded);
    return null;
  }
  applyAccountLimits(deps, client, account, user);
  const authUser = authUserOf(user);
  const permissions = calloutAccount ? denyCalloutSubject(authUser.permissions)
    : authUser.permissions;
  client.authUser = { ...authUser, permissions };
  client.permissions = permissions !== null ? new ClientPermissions(permissions, deps.clock)
    : null;
  setAuthExpiry(deps, client, session ? user : null, user.expiresInMs);
  return account;
}

/**
 * Go's updateAccountClaimsWithRefresh tail, for the clients of one account whose claims
 * changed: the newest clients over the connection limit go, revoked users go, the rest are
 * authenticated again with the new claims and lose subscriptions no longer allowed.
 * A deleted or expired account (`closeAll`) closes them all (`Account Authentication
 * Expired`).
 */
export function enforceJwtAccount(deps: ClientAuthDeps, operator: OperatorMode,
  clients: readonly ClientConnection[], closeAll: boolean): void {
  const ordered = [...clients].sort((a, b) => a.startedAtMs - b.startedAtMs || a.cid - b.cid);
  if (closeAll) {
    for (const c of ordered) {
      closeWith(c, JWT_ERR.accountExpired, ClosedReason.authenticationExpired, deps);
    }
    return;
  }
  let count = 0;
  for (const client of ordered) {
    if (client.closed) continue;
    const max = client.account?.limits.maxConnections ?? -1;
    if (max >= 0 && count >= max) {
      client.sendProtocol(errLine(ERR.maxAccountConnectionsExceeded));
      deps.log.error(`${label(client)} - ${ERR.maxAccountConnectionsExceeded}`);
      client.close(ClosedReason.maxAccountConnectionsExceeded);
      continue;
    }
    count++;
  }
  reauthorizeJwtClients(deps, operator, ordered);
}

/** Re-authenticates operator-mode clients (claims update or config reload). */
export function reauthorizeJwtClients(deps: ClientAuthDeps, operator: OperatorMode,
  clients: Iterable<ClientConnection>): void {
  for (const client of [...clients]) {
    if (client.closed || !client.connectReceived) continue;
    const user = jwtUserOf(client);
    if (user === null) continue;
    const info = operator.loaded(user.account);
    if (info !== null && isRevoked(info.revocations, user.publicKey, user.claims.iat ?? 0)) {
      closeWith(client, JWT_ERR.revoked, ClosedReason.revocation, deps);
      continue;
    }
    const proxy = checkProxy(deps.options.proxiesTrusted ?? [], client.nonce,
      client.connect.proxySig);
    const account = authenticateJwtClient(deps, operator, client, client.connect,
      proxy.proxied && proxy.trusted, false);
    if (client.closed) continue;
    if (account === null || account !== client.account) {
      client.authViolation();
      continue;
    }
    dropDisallowedSubscriptions(deps, client);
  }
}
