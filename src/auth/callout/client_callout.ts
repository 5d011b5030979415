/**
 * Which clients the auth callout decides, and binding the users it authorizes (nats-server's
 * processClientOrLeafAuthentication deferred block, config mode): every client except the
 * configured `auth_users` (and users of accounts outside `allowed_accounts`) is sent to the
 * service; an authorized one takes the account its user JWT names, the JWT's permissions,
 * limits and expiry. Clients in the callout account may not publish requests to the service.
 * @module
 */
import type { Account } from "../../accounts/account.ts";
import type { ClientConnection } from "../../client/connection.ts";
import type { ConnectOptions } from "../../client/connect_options.ts";
import { errLine } from "../../protocol/encoder.ts";
import { ClosedReason, ERR } from "../../protocol/errors.ts";
import type { AuthUser, AuthVerdict } from "../authenticator.ts";
import { applyAccountLimits, type ClientAuthDeps } from "../client_auth.ts";
import { setAuthExpiry } from "../jwt/client_jwt.ts";
import { ClientPermissions, CompiledPermissions } from "../permissions.ts";
import type { AuthCallout, CalloutTarget } from "./callout.ts";
import { AUTH_CALLOUT_SUBJECT, type CalloutClient } from "./request.ts";
import type { CalloutUser } from "./response.ts";

/** Clients the service authorized (a reload leaves them be: no configured user is theirs). */
const calloutClients = new WeakSet<ClientConnection>();

export function isCalloutClient(client: ClientConnection): boolean {
  return calloutClients.has(client);
}

/**
 * Defers `client`'s CONNECT to the service; `done` (the server's) reports and completes it.
 */
export function startCallout(callout: AuthCallout, client: ClientConnection,
  connect: ConnectOptions, target: CalloutTarget | string,
  bind: (user: CalloutUser) => Account | null,
  done: (client: ClientConnection, account: Account | null) => void): void {
  client.awaitAuthentication();
  callout.start(calloutClientOf(client, connect), target, (verdict) => {
    const account = verdict.ok && !client.closed ? bind(verdict.user) : null;
    if (account !== null) calloutClients.add(client);
    done(client, account);
  });
}

function label(client: ClientConnection): string {
  return `${client.socket.remoteAddress}:${client.socket.remotePort ?? 0} - cid:${client.cid}`;
}

/**
 * True when the service must decide on this client: it is not an auth user that
 * authenticated normally, and its account (the global one when it did not) is delegated.
 */
export function calloutDecides(callout: AuthCallout, verdict: AuthVerdict,
  accountName: string, connect: ConnectOptions): boolean {
  if (verdict.ok && accountName !== "$G" && !callout.delegates(accountName)) return false;
  const userId = verdict.ok ? verdict.user?.name ?? connect.user : "";
  return !(verdict.ok && userId !== "" && callout.isAuthUser(userId));
}

/** Go's mergeDenyPermissions: clients of the callout account may not call the service. */
export function denyCalloutSubject(permissions: CompiledPermissions | null):
  CompiledPermissions {
  const config = permissions?.toConfig() ?? { publish: null, subscribe: null, response: null };
  const publish = config.publish ?? { allow: null, deny: null };
  return new CompiledPermissions({ ...config,
    publish: { allow: publish.allow, deny: [...(publish.deny ?? []), AUTH_CALLOUT_SUBJECT] } });
}

export function calloutClientOf(client: ClientConnection, connect: ConnectOptions):
  CalloutClient {
  return {
    host: client.socket.remoteAddress, id: client.cid, name: connect.name, nonce: client.nonce,
    user: connect.nkey || connect.user || (connect.authToken ? "[REDACTED]" : ""),
    connect: { jwt: connect.jwt, nkey: connect.nkey, sig: connect.sig,
      authToken: connect.authToken, user: connect.user, pass: connect.pass, name: connect.name,
      lang: connect.lang, version: connect.version, protocol: connect.protocol },
  };
}

/** Binds an authorized callout user; returns its account, or null when it cannot be placed. */
export function bindCalloutUser(deps: ClientAuthDeps, client: ClientConnection,
  connect: ConnectOptions, user: CalloutUser, calloutAccount: string): Account | null {
  const account = deps.accountNamed(user.account);
  if (account === null) {
    deps.log.debug(`${label(client)} - No valid account ${JSON.stringify(user.account)} for ` +
      `auth callout response on account ${JSON.stringify(calloutAccount)}: account missing`);
    return null;
  }
  if (client.account !== account && account.connectionsFull) {
    client.sendProtocol(errLine(ERR.maxAccountConnectionsExceeded));
    deps.log.error(`${label(client)} - ${ERR.maxAccountConnectionsExceeded}`);
    client.close(ClosedReason.maxAccountConnectionsExceeded);
    return null;
  }
  applyAccountLimits(deps, client, account, user);
  let permissions = user.permissions === null ? null : new CompiledPermissions(user.permissions);
  if (account.name === calloutAccount) permissions = denyCalloutSubject(permissions);
  const authUser: AuthUser = {
    kind: "user", name: user.name || connect.user, password: "", account: account.name,
    permissions, defaultPermissions: false,
    connectionTypes: user.allowedConnectionTypes.length === 0 ? null
      : new Set(user.allowedConnectionTypes),
  };
  // As Go: a name in the user JWT replaces the identity the client connected with.
  if (user.name !== "") {
    connect.user = user.name;
    connect.nkey = "";
    connect.authToken = "";
  }
  client.authUser = authUser;
  client.permissions = permissions === null ? null : new ClientPermissions(permissions, deps.clock);
  setAuthExpiry(deps, client, null, user.expiresInMs);
  return account;
}
