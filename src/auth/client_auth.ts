/**
 * Binding a client connection to what its credentials grant (account, permissions, the name
 * it is known by), and re-checking live connections when a reload changes users: nats-server's
 * RegisterUser and reloadAuthorization. The server supplies accounts and the log; the rules
 * are in authenticator.ts and permissions.ts.
 * @module
 */
import type { Account } from "../accounts/account.ts";
import type { ClientConnection } from "../client/connection.ts";
import type { ConnectOptions } from "../client/connect_options.ts";
import { goQuote } from "../monitor/go_format.ts";
import { NO_LIMIT } from "../accounts/types.ts";
import { ClosedReason, ERR } from "../protocol/errors.ts";
import { errLine } from "../protocol/encoder.ts";
import type { Authenticator, AuthUser } from "./authenticator.ts";
import { ClientPermissions } from "./permissions.ts";
import { checkProxy } from "./proxies.ts";
import type { OperatorMode } from "./jwt/operator_mode.ts";
import { authenticateJwtClient, reauthorizeJwtClients } from "./jwt/client_jwt.ts";
import type { AuthCallout } from "./callout/callout.ts";
import {
  bindCalloutUser, calloutDecides, denyCalloutSubject, isCalloutClient, startCallout,
} from "./callout/client_callout.ts";

export interface ClientAuthDeps {
  readonly authenticator: Authenticator;
  readonly globalAccount: Account;
  accountNamed(name: string): Account | null;
  /** Server limits the account's limits combine with. */
  readonly options: {
    readonly maxPayloadBytes: number; readonly maxSubscriptions: number;
    /** Trusted proxy keys, and whether the single user/token needs a proxy. */
    readonly proxiesTrusted?: readonly string[]; readonly proxyRequired?: boolean;
  };
  readonly log: {
    debug(message: string): void; info(message: string): void; error(message: string): void;
  };
  readonly clock: { nowMs(): number };
  /** Operator mode: clients authenticate with user JWTs (auth/jwt/). */
  readonly operator?: OperatorMode | null;
  /** `auth_callout`: a service decides on clients other than its auth users. */
  readonly callout?: AuthCallout | null;
  /** A deferred (callout) verdict arrived: report it and complete the CONNECT. */
  calloutDone?(client: ClientConnection, account: Account | null): void;
}

/** Go's getAuthUser: how logs name a client's identity, never showing a secret. */
export function authUserLabel(connect: Pick<ConnectOptions, "nkey" | "user" | "jwt" |
  "authToken">): string {
  if (connect.nkey !== "") return `Nkey ${goQuote(connect.nkey)}`;
  if (connect.user !== "") return `User ${goQuote(connect.user)}`;
  if (connect.jwt !== "") return `JWT User ${goQuote("")}`;
  if (connect.authToken !== "") return `Token ${goQuote("[REDACTED]")}`;
  return `User "N/A"`;
}

function clientLabel(client: ClientConnection): string {
  return `${client.socket.remoteAddress}:${client.socket.remotePort ?? 0} - cid:${client.cid}`;
}

/**
 * Checks `connect` and, when accepted, sets the client's permissions and identity. Returns
 * the account to bind, or null when refused (the reason is logged at debug level).
 */
export function authenticateClient(
  deps: ClientAuthDeps, client: ClientConnection, connect: ConnectOptions,
  certificateIdentities: readonly string[] | null = null,
): Account | null {
  const connectionType = client.websocket ? "WEBSOCKET" : "STANDARD";
  const proxy = checkProxy(deps.options.proxiesTrusted ?? [], client.nonce, connect.proxySig);
  if (proxy.proxied && !proxy.trusted) {
    deps.log.debug(`${clientLabel(client)} - ${proxy.reason}`);
    client.authError = ClosedReason.proxyNotTrusted;
    return null;
  }
  if (deps.operator) {
    return authenticateJwtClient(deps, deps.operator, client, connect, proxy.trusted);
  }
  const verdict = certificateIdentities !== null
    ? deps.authenticator.authenticateCertificate(certificateIdentities, connectionType)
    : deps.authenticator.authenticate({
      user: connect.user, pass: connect.pass, authToken: connect.authToken, nkey: connect.nkey,
      sig: connect.sig, nonce: client.nonce, connectionType,
    });
  const callout = deps.callout ?? null;
  if (callout !== null && certificateIdentities === null && !isCalloutClient(client) &&
    calloutDecides(callout, verdict, verdict.ok ? verdict.user?.account || "$G" : "$G",
      connect)) {
    startCallout(callout, client, connect, callout.configTarget(),
      (user) => bindCalloutUser(deps, client, connect, user, callout.deps.config!.account),
      deps.calloutDone?.bind(deps) ?? ((c, account) => c.completeAuthentication(account)));
    return null;
  }
  if (!verdict.ok) {
    deps.log.debug(`${clientLabel(client)} - ${verdict.reason}`);
    return null;
  }
  const user = verdict.user;
  const proxyRequired = user !== null ? user.proxyRequired === true
    : deps.options.proxyRequired === true;
  if (proxyRequired && !proxy.trusted) {
    deps.log.debug(`${clientLabel(client)} - proxy connection required`);
    client.authError = ClosedReason.proxyRequired;
    return null;
  }
  const account = accountOf(deps, user);
  if (account === null) return null;
  if (client.account !== account && account.connectionsFull) {
    // Go's maxAccountConnExceeded: its own error, not an authorization violation.
    client.sendProtocol(errLine(ERR.maxAccountConnectionsExceeded));
    deps.log.error(`${clientLabel(client)} - ${ERR.maxAccountConnectionsExceeded}`);
    client.close(ClosedReason.maxAccountConnectionsExceeded);
    return null;
  }
  applyAccountLimits(deps, client, account);
  // As Go's RegisterUser: the client is known by the user it authenticated as.
  if (user?.kind === "user") connect.user = user.name;
  if (user?.kind === "nkey") connect.nkey = user.name;
  client.authUser = user;
  let permissions = user?.permissions ?? null;
  if (callout !== null && account.name === callout.deps.config?.account) {
    permissions = denyCalloutSubject(permissions);
  }
  client.permissions = permissions !== null ? new ClientPermissions(permissions, deps.clock)
    : null;
  return account;
}

/**
 * Go's applyAccountLimits: the tighter of the server's, the account's and (operator mode)
 * the user's limits.
 */
export function applyAccountLimits(deps: ClientAuthDeps, client: ClientConnection,
  account: Account, user: { maxSubscriptions: number; maxPayload: number } | null = null): void {
  const limits = account.limits;
  const serverSubs = deps.options.maxSubscriptions > 0 ? deps.options.maxSubscriptions : NO_LIMIT;
  const accountSubs = tighter(limits.maxSubscriptions, user?.maxSubscriptions ?? NO_LIMIT);
  client.subscriptionsMax = serverSubs === NO_LIMIT ? accountSubs
    : accountSubs === NO_LIMIT ? serverSubs : Math.min(serverSubs, accountSubs);
  const serverPayload = deps.options.maxPayloadBytes;
  const maxPayload = tighter(limits.maxPayload, user?.maxPayload ?? NO_LIMIT);
  const payload = maxPayload === NO_LIMIT ? serverPayload
    : Math.min(serverPayload, Math.max(maxPayload, 0));
  client.parser.setLimits({ maxPayloadBytes: payload });
}

/** Go's minLimit: the smaller of two limits where NO_LIMIT (negative) is the largest. */
function tighter(a: number, b: number): number {
  if (a < 0) return b < 0 ? NO_LIMIT : b;
  return b < 0 ? a : Math.min(a, b);
}

function accountOf(deps: ClientAuthDeps, user: AuthUser | null): Account | null {
  if (user === null || user.account === "") return deps.globalAccount;
  return deps.accountNamed(user.account);
}

/** Go's clientHasMovedToDifferentAccount: the user is gone or now lives elsewhere. */
function movedAccount(deps: ClientAuthDeps, client: ClientConnection): boolean {
  const connect = client.connect;
  let user: AuthUser | undefined;
  if (connect.nkey !== "") user = deps.authenticator.nkeys.get(connect.nkey);
  else if (connect.user !== "") user = deps.authenticator.users.get(connect.user);
  else return false;
  if (user === undefined) return true;
  const account = accountOf(deps, user);
  return account === null || account !== client.account;
}

/**
 * After a reload changed users or permissions (Go's reloadAuthorization): clients whose user
 * is gone or moved account are closed; the others are authenticated again (failing ones get
 * `Authorization Violation`), take their new permissions and lose the subscriptions those no
 * longer allow.
 */
export function reauthorizeClients(deps: ClientAuthDeps,
  clients: Iterable<ClientConnection>): void {
  if (deps.operator) {
    reauthorizeJwtClients(deps, deps.operator, clients);
    return;
  }
  for (const client of [...clients]) {
    if (client.closed || !client.connectReceived || isCalloutClient(client)) continue;
    if (movedAccount(deps, client)) {
      client.close(ClosedReason.clientClosed);
      continue;
    }
    const account = authenticateClient(deps, client, client.connect);
    if (account === null) {
      client.authViolation();
      continue;
    }
    dropDisallowedSubscriptions(deps, client);
  }
}

export function dropDisallowedSubscriptions(deps: ClientAuthDeps, client: ClientConnection): void {
  const perms = client.permissions;
  if (perms === null) return;
  for (const sub of [...client.subscriptions.values()]) {
    if (perms.subscribeAllowed(sub.subject, sub.queue)) continue;
    client.removeSubscription(sub);
    const who = authUserLabel(client.connect);
    if (sub.queue !== null) {
      client.sendProtocol(errLine(`Permissions Violation for Subscription to ${goQuote(
        sub.subject)} using queue ${goQuote(sub.queue)} (sid ${goQuote(sub.sid)})`));
      deps.log.info(`Removed sub ${goQuote(sub.subject)} using queue ${goQuote(sub.queue)} ` +
        `(sid ${goQuote(sub.sid)}) for ${who} - not authorized`);
    } else {
      client.sendProtocol(errLine(`Permissions Violation for Subscription to ${goQuote(
        sub.subject)} (sid ${goQuote(sub.sid)})`));
      deps.log.info(`Removed sub ${goQuote(sub.subject)} (sid ${goQuote(sub.sid)}) for ${who} ` +
        "- not authorized");
    }
  }
}
