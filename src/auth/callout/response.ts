/**
 * Checking an auth callout service's answer, in nats-server's order (processClientOrLeafCallout):
 * an empty message refuses; an encrypted one is opened with the server's xkey; the
 * `authorization_response` JWT must be for the user nkey and server asked about, carry no
 * `error`, and hold a user JWT for that nkey inside its connect times. Config mode: signed by
 * the configured issuer, its `aud` names the account. Operator mode: signed by the callout
 * account or an account it allows, which is where the client goes. Pure: the message and
 * what was asked in, a verdict out (texts are Go's, title-cased as it logs them).
 * @module
 */
import type { KeyPair } from "@nats-io/jwt";
import { permissionsFromJwt, claimedLimit } from "../jwt/account_claims.ts";
import {
  type Claims, decodeClaims, JWT_PREFIX, JwtError, timeProblem, type UserClaims,
} from "../jwt/claims.ts";
import { connectWindow } from "../jwt/user_times.ts";
import { CONNECTION_TYPES, type ConnectionType, type PermissionsConfig } from "../types.ts";

export interface CalloutExpectation {
  /** The callout account's name (for error texts). */
  account: string;
  issuer: string;
  userNkey: string;
  serverId: string;
  /** The server's curve key pair and the service's xkey, when requests are encrypted. */
  xkp: KeyPair | null;
  serviceXkey: string;
  nowMs: number;
  /**
   * Operator mode: the answer may be signed by the account's signing keys, and the user JWT
   * by accounts the account allows (`allowed_accounts`); the user is placed in its issuer's
   * account. Null in config mode (one issuer; `aud` names the account).
   */
  operator: {
    signerKnown(key: string): boolean;
    allowedAccounts: ReadonlySet<string>;
  } | null;
}

export interface CalloutUser {
  /** The account the client is placed in (the user JWT's `aud`). */
  account: string;
  /** The name the client is known by (the user JWT's `name`, "" to keep its own). */
  name: string;
  claims: UserClaims;
  /** The user JWT itself (operator mode checks it again against its account). */
  jwt: string;
  permissions: PermissionsConfig | null;
  maxSubscriptions: number;
  maxPayload: number;
  /** Milliseconds until the user JWT or its connect window ends; null = never. */
  expiresInMs: number | null;
  allowedConnectionTypes: ConnectionType[];
}

export type CalloutVerdict = { ok: true; user: CalloutUser } | { ok: false; reason: string };

interface ResponseNats {
  jwt?: string;
  error?: string;
  issuer_account?: string;
}

const fail = (reason: string): CalloutVerdict => ({ ok: false, reason });

function titleCase(text: string): string {
  return text === "" ? text : text[0].toUpperCase() + text.slice(1);
}

function openResponse(body: Uint8Array, e: CalloutExpectation): string | CalloutVerdict {
  const text = new TextDecoder().decode(body);
  if (e.xkp === null || text.startsWith(JWT_PREFIX)) return text;
  let opened: Uint8Array | null;
  let why = "nkeys: decryption failed";
  try {
    opened = e.xkp.open(body, e.serviceXkey);
  } catch (error) {
    opened = null;
    why = (error as Error).message;
  }
  if (opened === null) {
    return fail(titleCase(`error decrypting auth callout response on account ` +
      `${JSON.stringify(e.account)}: ${why}`));
  }
  return new TextDecoder().decode(opened);
}

function decodeResponse(text: string, e: CalloutExpectation, encrypted: boolean):
  { user: UserClaims; jwt: string } | CalloutVerdict {
  let response: Claims<ResponseNats> & { aud?: string };
  try {
    response = decodeClaims<ResponseNats>(text, "authorization_response");
  } catch (error) {
    if (!(error instanceof JwtError)) throw error;
    return fail(titleCase(error.message));
  }
  const nowSec = Math.floor(e.nowMs / 1000);
  const problem = timeProblem(response, nowSec);
  if (problem !== null) {
    return fail(`Authorization response had validation errors: ${problem}`);
  }
  if (response.sub !== e.userNkey) {
    return fail("Auth callout violation: auth callout response is not for expected user");
  }
  if (response.aud !== e.serverId) {
    return fail("Auth callout violation: auth callout response is not for server");
  }
  if (response.nats.error) {
    return fail(`Auth callout service returned an error: ${response.nats.error}`);
  }
  const signer = response.nats.issuer_account || response.iss;
  if (e.operator !== null && !encrypted && signer !== e.account &&
    !e.operator.signerKnown(signer)) {
    return fail("Auth callout signing key is unknown");
  }
  try {
    const jwt = response.nats.jwt ?? "";
    return { user: decodeClaims(jwt, "user"), jwt };
  } catch (error) {
    if (!(error instanceof JwtError)) throw error;
    return fail(titleCase(error.message));
  }
}

function connectionTypes(claims: UserClaims): ConnectionType[] | null {
  const all = claims.nats.allowed_connection_types ?? [];
  const known = all.map((t) => t.toUpperCase())
    .filter((t): t is ConnectionType => (CONNECTION_TYPES as readonly string[]).includes(t));
  return all.length > 0 && known.length === 0 ? null : known;
}

/** Go's getIssuerAccount and placement: who signed the user and where it goes. */
function issuerProblem(user: UserClaims, e: CalloutExpectation):
  { account: string; problem: null } | { problem: string } {
  const account = JSON.stringify(e.account);
  if (e.operator === null) {
    if (user.nats.issuer_account) {
      return { problem: `Error non operator mode account ${account}: attempted to use ` +
        "issuer_account" };
    }
    if (user.iss !== e.issuer) {
      return { problem: `Wrong issuer for auth callout response on account ${account}, ` +
        `expected ${JSON.stringify(e.issuer)} got ${JSON.stringify(user.iss)}` };
    }
    return { account: (user as { aud?: string }).aud ?? "", problem: null };
  }
  const issuer = user.nats.issuer_account || user.iss;
  if (issuer !== e.issuer && !e.operator.allowedAccounts.has(issuer)) {
    return { problem: `Account ${JSON.stringify(user.iss)} not permitted as valid account ` +
      `option for auth callout for account ${account}` };
  }
  return { account: issuer, problem: null };
}

/** Checks the service's answer to one request; see the module comment. */
export function checkCalloutResponse(body: Uint8Array, e: CalloutExpectation): CalloutVerdict {
  const account = JSON.stringify(e.account);
  if (body.length === 0) {
    return fail(`Auth callout violation: "no reason supplied" on account ${account}`);
  }
  const text = openResponse(body, e);
  if (typeof text !== "string") return text;
  const decoded = decodeResponse(text, e, e.xkp !== null && !text.startsWith(JWT_PREFIX));
  if ("ok" in decoded) return decoded;
  const user = decoded.user;
  const problem = timeProblem(user, Math.floor(e.nowMs / 1000));
  if (problem !== null) return fail(`Error validating user JWT: ${problem}`);
  if (user.sub !== e.userNkey) {
    return fail(`Expected authorized user of ${JSON.stringify(e.userNkey)} but got ` +
      `${JSON.stringify(user.sub)} on account ${account}`);
  }
  const window = connectWindow(user.nats.times ?? [], user.nats.locale ?? "", e.nowMs);
  if (window === null) {
    return fail(`Authorized user on account ${account} outside of valid connect times`);
  }
  const types = connectionTypes(user);
  if (types === null) {
    return fail(`Authorized user on account ${account} using invalid connection type`);
  }
  const placement = issuerProblem(user, e);
  if (placement.problem !== null) return fail(placement.problem);
  const expMs = user.exp ? user.exp * 1000 - e.nowMs : null;
  const expiresInMs = window === Infinity ? expMs : expMs === null ? window
    : Math.min(expMs, window);
  return { ok: true, user: {
    account: placement.account, name: user.name ?? "", claims: user, jwt: decoded.jwt,
    permissions: permissionsFromJwt(user.nats), maxSubscriptions: claimedLimit(user.nats.subs),
    maxPayload: claimedLimit(user.nats.payload),
    expiresInMs: expiresInMs === null ? null : Math.max(0, expiresInMs),
    allowedConnectionTypes: types,
  } };
}
