/**
 * Account JWT claims → the account settings natsd routes with (accounts/types.ts), as
 * nats-server's updateAccountClaimsWithRefresh reads them: exports (token-required ones open
 * only to importers holding a valid activation token), imports, weighted mappings, limits,
 * and the JWT-only state authentication needs (signing keys with their scopes, user
 * revocations, default permissions, bearer-token policy, expiry).
 * @module
 */
import {
  type AccountConfig, type AccountLimitsConfig, emptyAccountConfig, type MappingConfig,
  NO_LIMIT, type ResponseType,
} from "../../accounts/types.ts";
import { subjectIsSubsetOf } from "../../subjects/subject.ts";
import { RESPONSE_PERMISSION_DEFAULTS, type PermissionsConfig } from "../types.ts";
import {
  type AccountClaims, type ActivationClaims, decodeClaims, type JwtImport, type JwtPermissions,
  type ScopedSigningKey, timeProblem,
} from "./claims.ts";

const NS_PER_MS = 1_000_000;
/** Go's jwt.All: a revocation entry for every user (or every activation). */
export const REVOKE_ALL = "*";

/** The JWT state of an operator-mode account. */
export interface AccountJwtInfo {
  readonly jwt: string;
  readonly claims: AccountClaims;
  /** The operator key that signed the account JWT. */
  readonly issuer: string;
  /** Keys that may sign user JWTs: null scope = unrestricted (the account key itself). */
  readonly signingKeys: ReadonlyMap<string, ScopedSigningKey | null>;
  readonly revocations: ReadonlyMap<string, number>;
  readonly defaultPermissions: PermissionsConfig | null;
  readonly disallowBearer: boolean;
  /** Seconds since the epoch; 0 = never. */
  readonly expiresAtSec: number;
  /** An auth callout service decides on this account's users (null: none). */
  readonly externalAuth: ExternalAuth | null;
}

/** Go's jwt.ExternalAuthorization, present when `auth_users` is not empty. */
export interface ExternalAuth {
  /** Users (public keys) that authenticate normally: the service's own connections. */
  readonly authUsers: ReadonlySet<string>;
  /** Accounts the service may place users in, besides this one. */
  readonly allowedAccounts: ReadonlySet<string>;
  readonly xkey: string;
}

/**
 * A claimed limit. As nats-server's jwt v2 decoding, a limit the JWT leaves out is 0 (nothing
 * allowed), not unlimited: tools such as nsc write -1 for "no limit".
 */
export function claimedLimit(value: unknown): number {
  return typeof value === "number" && Number.isFinite(value) ? Math.max(value, NO_LIMIT) : 0;
}

/** Go's buildPermissionsFromJwt: null when the claim names no permission at all. */
export function permissionsFromJwt(p: JwtPermissions | undefined): PermissionsConfig | null {
  if (p === undefined) return null;
  let out: PermissionsConfig | null = null;
  const side = (lists: JwtPermissions["pub"]) =>
    (lists?.allow?.length ?? 0) > 0 || (lists?.deny?.length ?? 0) > 0
      ? { allow: lists?.allow?.length ? [...lists.allow] : null,
        deny: lists?.deny?.length ? [...lists.deny] : null }
      : null;
  const publish = side(p.pub);
  const subscribe = side(p.sub);
  if (publish !== null || subscribe !== null) out = { publish, subscribe, response: null };
  if (p.resp !== undefined && p.resp !== null) {
    out ??= { publish: null, subscribe: null, response: null };
    const max = p.resp.max ?? 0;
    const ttlMs = Math.trunc((p.resp.ttl ?? 0) / NS_PER_MS);
    // Go's validateResponsePermissions: zero keeps the defaults.
    out.response = {
      maxMsgs: max === 0 ? RESPONSE_PERMISSION_DEFAULTS.maxMsgs : max,
      expiresMs: ttlMs === 0 ? RESPONSE_PERMISSION_DEFAULTS.expiresMs : ttlMs,
    };
    out.publish = { allow: out.publish?.allow ?? [], deny: out.publish?.deny ?? null };
  }
  return out;
}

function responseType(value: string | undefined): ResponseType {
  return value === "Stream" ? "Streamed" : value === "Chunked" ? "Chunked" : "Singleton";
}

function limitsOf(claims: AccountClaims): AccountLimitsConfig {
  const l = claims.nats.limits ?? {};
  return { maxConnections: claimedLimit(l.conn), maxSubscriptions: claimedLimit(l.subs),
    maxPayload: claimedLimit(l.payload), maxLeafnodes: claimedLimit(l.leaf) };
}

function mappingsOf(claims: AccountClaims): MappingConfig[] {
  return Object.entries(claims.nats.mappings ?? {}).map(([source, dests]) => ({
    source,
    destinations: dests.map((d) => ({ subject: d.subject,
      weight: d.weight === undefined || d.weight === 0 ? 100 : d.weight,
      cluster: d.cluster ?? "" })),
  }));
}

/**
 * The account's settings, with token-required exports closed (`accounts: []`); the caller
 * opens them to importers with valid activations (openActivatedExports).
 */
export function accountConfigFromClaims(claims: AccountClaims): AccountConfig {
  const config = emptyAccountConfig(claims.sub);
  config.nkey = claims.sub;
  for (const e of claims.nats.exports ?? []) {
    const accounts = e.token_req === true ? [] : null;
    const tokenPosition = e.account_token_position ?? 0;
    if (e.type === "stream") {
      config.streamExports.push({ subject: e.subject, accounts,
        accountTokenPosition: tokenPosition });
    } else {
      config.serviceExports.push({ subject: e.subject, accounts,
        accountTokenPosition: tokenPosition, responseType: responseType(e.response_type),
        responseThresholdMs: Math.trunc((e.response_threshold ?? 0) / NS_PER_MS) });
    }
  }
  for (const i of claims.nats.imports ?? []) {
    if (i.type === "stream") {
      // Go: `local_subject` maps the subject; the older `to` is a prefix.
      config.streamImports.push({ account: i.account, subject: i.subject,
        prefix: i.local_subject ? "" : i.to ?? "", to: i.local_subject ?? "" });
    } else {
      const local = i.local_subject || i.subject;
      const remote = i.local_subject ? i.subject : i.to || i.subject;
      config.serviceImports.push({ account: i.account, subject: remote, to: local,
        share: i.share === true });
    }
  }
  config.mappings = mappingsOf(claims);
  config.limits = limitsOf(claims);
  return config;
}

/** The JWT-only state of an account (see AccountJwtInfo). */
export function accountJwtInfo(jwt: string, claims: AccountClaims, strict: boolean):
  AccountJwtInfo {
  const signingKeys = new Map<string, ScopedSigningKey | null>();
  for (const key of claims.nats.signing_keys ?? []) {
    if (typeof key === "string") signingKeys.set(key, null);
    else if (key !== null && typeof key === "object" && typeof key.key === "string") {
      signingKeys.set(key.key, key);
    }
  }
  if (!strict) signingKeys.set(claims.sub, null);
  const limits = claims.nats.limits ?? {};
  return {
    jwt, claims, issuer: claims.iss, signingKeys,
    revocations: new Map(Object.entries(claims.nats.revocations ?? {})),
    defaultPermissions: permissionsFromJwt(claims.nats.default_permissions),
    disallowBearer: limits.disallow_bearer === true,
    expiresAtSec: claims.exp ?? 0,
    externalAuth: externalAuthOf(claims),
  };
}

function externalAuthOf(claims: AccountClaims): ExternalAuth | null {
  const auth = claims.nats.authorization;
  if (!auth?.auth_users?.length) return null;
  return { authUsers: new Set(auth.auth_users),
    allowedAccounts: new Set(auth.allowed_accounts ?? []), xkey: auth.xkey ?? "" };
}

/** Go's isRevoked: revoked when the entry for `subject` (or `*`) is at or after `issuedAt`. */
export function isRevoked(revocations: ReadonlyMap<string, number> | Record<string, number>,
  subject: string, issuedAt: number): boolean {
  const get = (key: string) => revocations instanceof Map ? revocations.get(key)
    : (revocations as Record<string, number>)[key];
  const own = get(subject);
  if (own !== undefined && own >= issuedAt) return true;
  const all = get(REVOKE_ALL);
  return all !== undefined && all >= issuedAt;
}

/**
 * Go's checkActivation: the import's token is an activation for `importer`, signed by the
 * exporting account or one of its signing keys, covering the imported subject, unexpired and
 * not revoked by the export.
 */
export function activationValid(imp: JwtImport, importer: string, exporter: AccountClaims,
  nowSec: number): boolean {
  if (!imp.token) return false;
  let act: ActivationClaims;
  try {
    act = decodeClaims(imp.token, "activation");
  } catch {
    return false;
  }
  if (act.sub !== importer || timeProblem(act, nowSec) !== null) return false;
  const signers = new Set([exporter.sub, ...(exporter.nats.signing_keys ?? [])
    .map((k) => (typeof k === "string" ? k : k.key))]);
  if (!signers.has(act.iss)) return false;
  if (act.iss !== exporter.sub && (act.nats.issuer_account ?? exporter.sub) !== exporter.sub) {
    return false;
  }
  const covered = act.nats.subject ?? "";
  if (covered === "" || !subjectIsSubsetOf(imp.subject, covered)) return false;
  const exp = (exporter.nats.exports ?? []).find((e) => e.type === imp.type &&
    subjectIsSubsetOf(imp.subject, e.subject));
  return exp === undefined || !isRevoked(exp.revocations ?? {}, importer, act.iat ?? 0);
}

/**
 * Opens token-required exports to the importers holding valid activations: their names join
 * the export's `accounts` list (links.ts then authorizes them as approved importers).
 */
export function openActivatedExports(configs: ReadonlyMap<string, AccountConfig>,
  claims: ReadonlyMap<string, AccountClaims>, nowSec: number): void {
  for (const [importer, importerClaims] of claims) {
    for (const imp of importerClaims.nats.imports ?? []) {
      const exporterClaims = claims.get(imp.account);
      const exporter = configs.get(imp.account);
      if (exporterClaims === undefined || exporter === undefined) continue;
      if (!activationValid(imp, importer, exporterClaims, nowSec)) continue;
      const list = imp.type === "stream" ? exporter.streamExports : exporter.serviceExports;
      const target = list.find((e) => e.accounts !== null &&
        subjectIsSubsetOf(imp.subject, e.subject));
      if (target !== undefined && !target.accounts!.includes(importer)) {
        target.accounts!.push(importer);
      }
    }
  }
}
