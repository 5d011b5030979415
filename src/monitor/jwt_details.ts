/**
 * What monitoring shows of JWT identities, read from the JWTs themselves: a user JWT's subject
 * (connz `authorized_user`), signer (`issuer_key`: the account key or the signing key that
 * issued it, as nats-server's issuerForClient reports), `tags`, and the JWT text unless it is
 * a bearer token (redacted, as Go's redactBearerJWT does); and the trusted operators for /varz
 * (`trusted_operators_jwt`, `trusted_operators_claim`).
 * @module
 */
import { decode } from "@nats-io/jwt";
import type { GoJsonValue } from "./go_json.ts";

/** The connz fields of a client that authenticated with a user JWT. */
export interface UserJwtDetails {
  /** The user's public key (Go's getRawAuthUser for JWT users). */
  user: string;
  /** The JWT, or "" for a bearer token. */
  jwt: string;
  issuerKey: string;
  tags: string[];
  /** The user JWT's `name` (Go's client nameTag, kept with a closed connection). */
  name?: string;
}

interface UserPayload {
  name?: unknown;
  sub?: unknown;
  iss?: unknown;
  nats?: { bearer_token?: unknown; tags?: unknown };
}

/** Details of a user JWT; null when the text does not decode (the client was refused then). */
export function userJwtDetails(jwt: string): UserJwtDetails | null {
  if (jwt === "") return null;
  let payload: UserPayload;
  try {
    payload = decode(jwt.trim()) as unknown as UserPayload;
  } catch {
    return null;
  }
  const text = (v: unknown) => (typeof v === "string" ? v : "");
  const tags = Array.isArray(payload.nats?.tags)
    ? payload.nats.tags.filter((t): t is string => typeof t === "string") : [];
  return {
    user: text(payload.sub),
    jwt: payload.nats?.bearer_token === true ? "" : jwt,
    issuerKey: text(payload.iss),
    tags,
    name: text(payload.name),
  };
}

/**
 * A connection's identity details for connz: a JWT user's, or for an nkey user the account as
 * `issuer_key` (nats-server's issuerForClient falls back to the user's account); null for
 * users, tokens and anonymous clients, which have no issuer.
 */
export function identityDetails(connect: { readonly jwt: string; readonly nkey: string },
  account: string): UserJwtDetails | null {
  if (connect.jwt) return userJwtDetails(connect.jwt);
  if (connect.nkey && account) return { user: connect.nkey, jwt: "", issuerKey: account, tags: [] };
  return null;
}

/** /varz `trusted_operators_jwt` and `trusted_operators_claim` (absent without operators). */
export function trustedOperatorsFields(jwts: readonly string[]): Record<string, GoJsonValue> {
  if (jwts.length === 0) return {};
  const claims: GoJsonValue[] = [];
  for (const jwt of jwts) {
    try {
      claims.push(decode(jwt.trim()) as unknown as GoJsonValue);
    } catch {
      // The server refused to start with an undecodable operator; nothing to show.
    }
  }
  return {
    trusted_operators_jwt: [...jwts],
    trusted_operators_claim: claims.length > 0 ? claims : undefined,
  };
}
