/**
 * The auth callout request: an `authorization_request` JWT, signed by the server's nkey and
 * addressed to `nats-authorization-request`, describing the server, the client and its
 * CONNECT options, and the fresh user nkey the service must authorize (nats-server's
 * processClientOrLeafCallout). Optionally sealed for the service's xkey.
 * @module
 */
import { Algorithms, encode, type KeyPair } from "@nats-io/jwt";

/** The audience of request JWTs (Go's AuthRequestSubject). */
export const AUTH_REQUEST_AUDIENCE = "nats-authorization-request";
/** Where requests go, in the callout account (Go's AuthCalloutSubject). */
export const AUTH_CALLOUT_SUBJECT = "$SYS.REQ.USER.AUTH";
/** Header naming the server's xkey on encrypted requests (Go's AuthRequestXKeyHeader). */
export const AUTH_REQUEST_XKEY_HEADER = "Nats-Server-Xkey";

export interface CalloutServer {
  name: string;
  host: string;
  id: string;
  version: string;
  tags: string[];
  /** The server's curve key when requests are encrypted ("" otherwise). */
  xkey: string;
}

export interface CalloutClient {
  host: string;
  id: number;
  /** Go's getRawAuthUser: nkey, user, or "[REDACTED]" for a token. */
  user: string;
  name: string;
  nonce: string;
  /** The client's CONNECT fields as nats-server forwards them. */
  connect: {
    jwt: string; nkey: string; sig: string; authToken: string; user: string; pass: string;
    name: string; lang: string; version: string; protocol: number;
  };
}

const omitEmpty = (o: Record<string, unknown>) => Object.fromEntries(
  Object.entries(o).filter(([, v]) => v !== "" && v !== undefined &&
    !(Array.isArray(v) && v.length === 0)));

/** The request claims (unsigned): `sub` is the callout issuer, `exp` the auth timeout. */
export function authRequestClaims(issuer: string, userNkey: string, server: CalloutServer,
  client: CalloutClient, expiresAtSec: number): Record<string, unknown> {
  const c = client.connect;
  return {
    aud: AUTH_REQUEST_AUDIENCE,
    sub: issuer,
    exp: expiresAtSec,
    nats: {
      server_id: omitEmpty({ name: server.name, host: server.host, id: server.id,
        version: server.version, tags: server.tags, xkey: server.xkey }),
      user_nkey: userNkey,
      client_info: omitEmpty({ host: client.host, id: client.id, user: client.user,
        name: client.name, kind: "Client", type: "nats",
        nonce: c.sig !== "" ? client.nonce : "" }),
      connect_opts: { ...omitEmpty({ jwt: c.jwt, nkey: c.nkey, sig: c.sig,
        auth_token: c.authToken, user: c.user, pass: c.pass, name: c.name, lang: c.lang,
        version: c.version }), protocol: c.protocol },
      type: "authorization_request",
      version: 2,
    },
  };
}

/** Signs the request claims with the server's key pair. */
export async function encodeAuthRequest(claims: Record<string, unknown>, server: KeyPair):
  Promise<string> {
  return await encode(Algorithms.v2, claims as never, server);
}
