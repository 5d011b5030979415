/**
 * Operator-mode client authentication with a user JWT, in nats-server's order of checks
 * (processClientOrLeafAuthentication, the `juc != nil` branch): decode and validate the
 * user JWT, find its account, trust the account's signer, know the user's signer (account
 * key or signing key, scoped keys applying their template), expiry and bearer policy,
 * connection types, the nonce signature, revocation, source network and connect times.
 * Pure: the request and a view of the accounts in, a verdict out.
 * @module
 */
import { BlockList, isIP } from "node:net";
import { verifyNonceSignature } from "../nkeys.ts";
import { CONNECTION_TYPES, type ConnectionType, type PermissionsConfig } from "../types.ts";
import {
  type AccountJwtInfo, claimedLimit, isRevoked, permissionsFromJwt,
} from "./account_claims.ts";
import {
  decodeClaims, JwtError, type ScopedSigningKey, timeProblem, type UserClaims, type UserNats,
} from "./claims.ts";
import { connectWindow } from "./user_times.ts";

export interface JwtUserRequest {
  jwt: string;
  sig: string;
  nonce: string;
  /** The client's IP address ("" when unknown). */
  host: string;
  connectionType: ConnectionType;
}

export interface JwtAccountView {
  /** The account's JWT state, loading it from the resolver when needed. */
  account(publicKey: string): AccountJwtInfo | string;
  isTrustedIssuer(key: string): boolean;
  /** `resolver_pinned_accounts`; null = every account may connect. */
  readonly pinned: ReadonlySet<string> | null;
}

export interface JwtUser {
  /** The account's public key. */
  account: string;
  /** The user's public key. */
  publicKey: string;
  name: string;
  claims: UserClaims;
  permissions: PermissionsConfig | null;
  /** True when the account's default permissions apply. */
  defaultPermissions: boolean;
  /** -1 = no limit. */
  maxSubscriptions: number;
  maxPayload: number;
  /** Milliseconds until the JWT or its connect window ends; null = never. */
  expiresInMs: number | null;
  /** The signing key, when the user was not signed by the account key. */
  signingKey: string;
  allowedConnectionTypes: ConnectionType[];
}

export type JwtVerdict = { ok: true; user: JwtUser } | { ok: false; reason: string };

const fail = (reason: string): JwtVerdict => ({ ok: false, reason });

function num(value: unknown): number {
  return typeof value === "number" && Number.isFinite(value) ? value : -1;
}

/** Go's HasEmptyPermissions (scoped users must leave permissions and limits to the scope). */
function hasEmptyPermissions(u: UserNats): boolean {
  const empty = (l?: { allow?: string[]; deny?: string[] }) =>
    (l?.allow?.length ?? 0) === 0 && (l?.deny?.length ?? 0) === 0;
  const src = typeof u.src === "string" ? (u.src === "" ? [] : [u.src]) : u.src ?? [];
  return empty(u.pub) && empty(u.sub) && (u.resp === undefined || u.resp === null) &&
    src.length === 0 && (u.times?.length ?? 0) === 0 && num(u.subs) === -1 &&
    num(u.payload) === -1 && num(u.data) === -1 && u.bearer_token !== true &&
    (u.allowed_connection_types?.length ?? 0) === 0;
}

const TEMPLATE = /\{\{([^}]*)\}\}/;

/** Go's processUserPermissionsTemplate for one list: every `{{…}}` expanded. */
function expand(list: string[] | undefined, values: (op: string) => string[] | null):
  string[] | undefined | null {
  if (list === undefined) return undefined;
  const out: string[] = [];
  const pending = [...list];
  while (pending.length > 0) {
    const subject = pending.shift()!;
    const match = TEMPLATE.exec(subject);
    if (match === null) {
      out.push(subject);
      continue;
    }
    const replacements = values(match[1].trim());
    if (replacements === null) return null;
    for (const r of replacements) pending.push(subject.replace(match[0], r));
  }
  return out;
}

function scopedUser(claims: UserClaims, scope: ScopedSigningKey, account: AccountJwtInfo):
  UserNats | null {
  const template = scope.template ?? {};
  const tagValues = (tags: string[] | undefined, name: string) =>
    (tags ?? []).filter((t) => t.toLowerCase().startsWith(`${name.toLowerCase()}:`))
      .map((t) => t.slice(name.length + 1));
  const values = (op: string): string[] | null => {
    const lower = op.toLowerCase();
    if (lower === "name()") return [claims.name ?? ""];
    if (lower === "subject()") return [claims.sub];
    if (lower === "account-name()") return [account.claims.name ?? ""];
    if (lower === "account-subject()") return [account.claims.sub];
    const tag = /^(account-)?tag\((.*)\)$/i.exec(op);
    if (tag === null) return null;
    const found = tagValues(tag[1] ? account.claims.nats.tags : claims.nats.tags, tag[2]);
    return found.length > 0 ? found : null;
  };
  const side = (l?: { allow?: string[]; deny?: string[] }) => {
    if (l === undefined) return { ok: true, value: undefined };
    const allow = expand(l.allow, values);
    const deny = expand(l.deny, values);
    return { ok: allow !== null && deny !== null,
      value: { allow: allow ?? undefined, deny: deny ?? undefined } };
  };
  const pub = side(template.pub);
  const sub = side(template.sub);
  if (!pub.ok || !sub.ok) return null;
  return { ...template, pub: pub.value, sub: sub.value };
}

function connectionTypesOf(u: UserNats): { types: ConnectionType[]; unknown: boolean } {
  const types: ConnectionType[] = [];
  let unknown = false;
  for (const t of u.allowed_connection_types ?? []) {
    const upper = t.toUpperCase();
    if ((CONNECTION_TYPES as readonly string[]).includes(upper)) {
      types.push(upper as ConnectionType);
    } else {
      unknown = true;
    }
  }
  return { types, unknown };
}

/** Go's validateSrc: any listed CIDR (or address) contains the client's IP. */
export function sourceAllowed(src: string[] | string | undefined, host: string): boolean {
  const list = (typeof src === "string" ? src.split(",") : src ?? [])
    .map((s) => s.trim()).filter((s) => s !== "");
  if (list.length === 0) return true;
  const family = isIP(host);
  if (family === 0) return false;
  const blocks = new BlockList();
  for (const entry of list) {
    const [address, bits] = entry.split("/");
    const entryFamily = isIP(address);
    if (entryFamily === 0) return false;
    const type = entryFamily === 6 ? "ipv6" : "ipv4";
    if (bits === undefined) blocks.addAddress(address, type);
    else blocks.addSubnet(address, Number(bits), type);
  }
  return blocks.check(host, family === 6 ? "ipv6" : "ipv4");
}

function decodeUser(jwt: string, nowSec: number): UserClaims | string {
  if (jwt === "") return "Authentication requires a user JWT";
  let claims: UserClaims;
  try {
    claims = decodeClaims(jwt, "user");
  } catch (error) {
    if (error instanceof JwtError) return `User JWT not valid: ${error.message}`;
    throw error;
  }
  const problem = timeProblem(claims, nowSec);
  return problem === null ? claims : `User JWT no longer valid: ${problem}`;
}

/** Checks a client's user JWT and signature; see the module comment for the order. */
export function authenticateJwtUser(request: JwtUserRequest, view: JwtAccountView,
  nowMs: number, options: { skipSignature?: boolean } = {}): JwtVerdict {
  const nowSec = Math.floor(nowMs / 1000);
  const claims = decodeUser(request.jwt, nowSec);
  if (typeof claims === "string") return fail(claims);
  const accountKey = claims.nats.issuer_account || claims.iss;
  if (view.pinned !== null && !view.pinned.has(accountKey)) {
    return fail(`Account ${accountKey} not listed as operator pinned account`);
  }
  const account = view.account(accountKey);
  if (typeof account === "string") return fail(`Account JWT lookup error: ${account}`);
  if (!view.isTrustedIssuer(account.issuer)) {
    return fail("Account JWT not signed by trusted operator");
  }
  if (!account.signingKeys.has(claims.iss)) return fail("User JWT issuer is not known");
  let user: UserNats = claims.nats;
  const scope = account.signingKeys.get(claims.iss) ?? null;
  if (scope !== null) {
    if (!hasEmptyPermissions(claims.nats)) {
      return fail("User JWT is not valid: scoped users require that the user JWT has no " +
        "permissions or limits set");
    }
    const scoped = scopedUser(claims, scope, account);
    if (scoped === null) return fail("User JWT generated invalid permissions");
    user = { ...scoped, issuer_account: claims.nats.issuer_account };
  }
  if (account.expiresAtSec > 0 && account.expiresAtSec <= nowSec) {
    return fail("Account JWT has expired");
  }
  const bearer = user.bearer_token === true;
  if (bearer && account.disallowBearer) return fail("Account does not allow bearer tokens");
  const { types, unknown } = connectionTypesOf(user);
  if (unknown && types.length === 0) return fail("unknown connection types");
  if (types.length > 0 && !types.includes(request.connectionType)) {
    return fail("Connection type not allowed");
  }
  if (!bearer && options.skipSignature !== true) {
    const failure = verifyNonceSignature(claims.sub, request.nonce, request.sig);
    if (failure !== null) return fail(failure);
  }
  if (isRevoked(account.revocations, claims.sub, claims.iat ?? 0)) {
    return fail("User authentication revoked");
  }
  if (!sourceAllowed(user.src, request.host)) return fail(`Bad src Ip ${request.host}`);
  const window = connectWindow(user.times ?? [], user.locale ?? "", nowMs);
  if (window === null) return fail("Outside connect times");
  const own = permissionsFromJwt(user);
  const expMs = claims.exp ? claims.exp * 1000 - nowMs : null;
  const expiresInMs = expMs === null ? window : window === null || window === Infinity ? expMs
    : Math.min(expMs, window);
  return { ok: true, user: {
    account: account.claims.sub, publicKey: claims.sub, name: claims.name ?? "", claims,
    permissions: own ?? account.defaultPermissions, defaultPermissions: own === null,
    maxSubscriptions: claimedLimit(user.subs), maxPayload: claimedLimit(user.payload),
    expiresInMs: expiresInMs === Infinity ? null : Math.max(0, expiresInMs ?? 0),
    signingKey: claims.nats.issuer_account ? claims.iss : "",
    allowedConnectionTypes: types,
  } };
}
