/**
 * NATS JWTs as the server reads them: decoding with signature verification (the
 * `@nats-io/jwt` package checks the ed25519-nkey or ed25519 signature against the issuer's
 * public nkey), the claim type and issuer role each kind requires, time validity (`exp`,
 * `nbf`), and decorated text (creds and operator files with `-----BEGIN … JWT-----` blocks).
 * Only the fields natsd uses are typed; the rest of a claim is carried untouched.
 * @module
 */
import { decode } from "@nats-io/jwt";
import { NkeyPrefix, type NkeyPrefix as Prefix } from "../nkeys.ts";

/** Why a JWT was refused; texts follow nats-server's debug wording where it has one. */
export class JwtError extends Error {
  override name = "JwtError";
}

export interface SubjectLists {
  allow?: string[];
  deny?: string[];
}

export interface JwtPermissions {
  pub?: SubjectLists;
  sub?: SubjectLists;
  /** `ttl` is nanoseconds, as Go's time.Duration. */
  resp?: { max?: number; ttl?: number };
}

export interface TimeRange {
  start?: string;
  end?: string;
}

export interface UserNats extends JwtPermissions {
  issuer_account?: string;
  bearer_token?: boolean;
  proxy_required?: boolean;
  allowed_connection_types?: string[];
  src?: string[] | string;
  times?: TimeRange[];
  locale?: string;
  subs?: number;
  payload?: number;
  data?: number;
  tags?: string[];
}

export interface ScopedSigningKey {
  kind: "user_scope";
  key: string;
  role?: string;
  template?: UserNats;
}

export interface JwtExport {
  name?: string;
  subject: string;
  type: "stream" | "service";
  token_req?: boolean;
  revocations?: Record<string, number>;
  response_type?: "Singleton" | "Stream" | "Chunked";
  /** Nanoseconds. */
  response_threshold?: number;
  account_token_position?: number;
}

export interface JwtImport {
  name?: string;
  subject: string;
  account: string;
  token?: string;
  to?: string;
  local_subject?: string;
  type: "stream" | "service";
  share?: boolean;
}

export interface JwtMappingDestination {
  subject: string;
  weight?: number;
  cluster?: string;
}

export interface AccountNats {
  imports?: JwtImport[];
  exports?: JwtExport[];
  limits?: Record<string, unknown>;
  signing_keys?: (string | ScopedSigningKey)[];
  revocations?: Record<string, number>;
  default_permissions?: JwtPermissions;
  mappings?: Record<string, JwtMappingDestination[]>;
  tags?: string[];
  /** External authorization: an auth callout service in this account. */
  authorization?: { auth_users?: string[]; allowed_accounts?: string[]; xkey?: string };
}

export interface OperatorNats {
  signing_keys?: string[];
  system_account?: string;
  strict_signing_key_usage?: boolean;
  account_server_url?: string;
}

export interface ActivationNats {
  subject?: string;
  kind?: "stream" | "service";
  issuer_account?: string;
}

export interface Claims<T> {
  jti?: string;
  iat?: number;
  iss: string;
  sub: string;
  name?: string;
  exp?: number;
  nbf?: number;
  /** v1 claims name their type here. */
  type?: string;
  nats: T & { type?: string; version?: number };
}

export type UserClaims = Claims<UserNats>;
export type AccountClaims = Claims<AccountNats>;
export type OperatorClaims = Claims<OperatorNats>;
export type ActivationClaims = Claims<ActivationNats>;

/** All JWTs start with this once encoded (Go's jwtPrefix). */
export const JWT_PREFIX = "eyJ";

const KIND_ISSUERS: Record<string, readonly Prefix[]> = {
  operator: [NkeyPrefix.operator],
  account: [NkeyPrefix.operator],
  user: [NkeyPrefix.account],
  activation: [NkeyPrefix.account],
  authorization_response: [NkeyPrefix.account],
  generic: [NkeyPrefix.operator, NkeyPrefix.account],
};

const ROLE_CHARS: Record<number, string> = {
  [NkeyPrefix.operator]: "O", [NkeyPrefix.account]: "A", [NkeyPrefix.user]: "U",
};

/**
 * Decodes and verifies `token` as a claim of `kind` ("generic" accepts any type).
 * @throws JwtError when it is malformed, badly signed, of another type or issued by a key
 *   of the wrong role.
 */
export function decodeClaims<T>(token: string, kind: string): Claims<T> {
  let claims: Claims<T>;
  try {
    claims = decode<T>(token.trim()) as unknown as Claims<T>;
  } catch (error) {
    throw new JwtError((error as Error).message);
  }
  if (typeof claims !== "object" || claims === null || typeof claims.nats !== "object" ||
    claims.nats === null) {
    throw new JwtError("not a nats jwt");
  }
  const type = claims.nats.type ?? claims.type ?? "";
  if (kind !== "generic" && type !== kind) {
    throw new JwtError(`not ${kind} claim`);
  }
  const issuers = KIND_ISSUERS[kind] ?? KIND_ISSUERS.generic;
  if (!issuers.some((p) => claims.iss?.startsWith(ROLE_CHARS[p]))) {
    throw new JwtError(`invalid issuer for ${kind} claim`);
  }
  return claims;
}

/** Go's ClaimsData.Validate: the blocking time problems, or null. */
export function timeProblem(claims: { exp?: number; nbf?: number }, nowSec: number):
  string | null {
  if (claims.exp !== undefined && claims.exp > 0 && nowSec > claims.exp) {
    return "claim is expired";
  }
  if (claims.nbf !== undefined && claims.nbf > 0 && claims.nbf > nowSec) {
    return "claim is not yet valid";
  }
  return null;
}

const DECORATED = /-{3,}[^\n]*BEGIN[^\n]*-{3,}\r?\n([\s\S]*?)\r?\n-{3,}[^\n]*END[^\n]*-{3,}/g;

/**
 * Go's ParseDecoratedJWT: the first `BEGIN … JWT` block of a decorated file (operator files,
 * creds), else the whole text trimmed.
 */
export function parseDecoratedJwt(text: string): string {
  for (const match of text.matchAll(DECORATED)) {
    const body = match[1].trim();
    if (body.startsWith(JWT_PREFIX)) return body;
  }
  return text.trim();
}

/** Seconds since the epoch (claims count in seconds). */
export function nowSeconds(): number {
  return Math.floor(Date.now() / 1000);
}
