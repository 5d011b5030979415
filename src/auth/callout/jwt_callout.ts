/**
 * Auth callout in operator mode: an account JWT with `authorization { auth_users,
 * allowed_accounts, xkey }` hands its other users to a service listening in that account.
 * The service's user JWT is then checked as any operator-mode user (its account, signing
 * keys and scopes, revocations, connect times), without a nonce signature: the server made
 * the user nkey itself. Go clears the client's own JWT afterwards.
 * @module
 */
import type { Account } from "../../accounts/account.ts";
import type { ClientConnection } from "../../client/connection.ts";
import type { ConnectOptions } from "../../client/connect_options.ts";
import type { ClientAuthDeps } from "../client_auth.ts";
import type { AccountJwtInfo } from "../jwt/account_claims.ts";
import { bindJwtUser } from "../jwt/client_jwt.ts";
import type { OperatorMode } from "../jwt/operator_mode.ts";
import { authenticateJwtUser } from "../jwt/user_claims.ts";
import type { AuthCallout, CalloutTarget } from "./callout.ts";
import { startCallout } from "./client_callout.ts";
import type { CalloutUser } from "./response.ts";

/** Defers the client to the service named by `info`'s account JWT. */
export function startJwtCallout(deps: ClientAuthDeps, operator: OperatorMode,
  callout: AuthCallout, client: ClientConnection, connect: ConnectOptions,
  info: AccountJwtInfo): void {
  const account = deps.accountNamed(info.claims.sub);
  const external = info.externalAuth!;
  const target: CalloutTarget | string = account === null
    ? `No valid account ${JSON.stringify(info.claims.sub)} for auth callout request`
    : { account, issuer: account.name, xkey: external.xkey, operator: {
      signerKnown: (key) => info.signingKeys.has(key),
      allowedAccounts: external.allowedAccounts } };
  startCallout(callout, client, connect, target,
    (user) => bindCalloutJwt(deps, operator, client, connect, user),
    deps.calloutDone?.bind(deps) ?? ((c, bound) => c.completeAuthentication(bound)));
}

function bindCalloutJwt(deps: ClientAuthDeps, operator: OperatorMode, client: ClientConnection,
  connect: ConnectOptions, user: CalloutUser): Account | null {
  const verdict = authenticateJwtUser({ jwt: user.jwt, sig: "", nonce: "",
    host: client.socket.remoteAddress, connectionType: client.websocket ? "WEBSOCKET"
      : "STANDARD" }, operator, Date.now(), { skipSignature: true });
  if (!verdict.ok) {
    deps.log.debug(`${client.socket.remoteAddress}:${client.socket.remotePort ?? 0} - ` +
      `cid:${client.cid} - ${verdict.reason}`);
    return null;
  }
  connect.jwt = "";
  if (user.name !== "") connect.user = user.name;
  const target = operator.loaded(verdict.user.account);
  return bindJwtUser(deps, client, verdict.user, target?.externalAuth != null, false);
}
