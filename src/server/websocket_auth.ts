/**
 * WebSocket authentication options: `websocket { authorization { user, pass, token, timeout } }`
 * replaces the server's authorization for WebSocket clients, `no_auth_user` names a configured
 * user for clients without credentials, and `user_cookie`/`pass_cookie`/`token_cookie` (and,
 * in operator mode, `jwt_cookie`) let a browser carry credentials in cookies, as
 * nats-server's websocket.go does.
 * @module
 */
import { Authenticator } from "../auth/authenticator.ts";
import type { Options } from "./options.ts";

export interface CookieCredentials {
  user: string;
  pass: string;
  token: string;
  /** A user JWT (operator mode); the client still signs the nonce unless it is a bearer. */
  jwt: string;
}

/** The override authenticator, or null when WebSocket clients use the server's. */
export function websocketAuthenticator(o: Options): Authenticator | null {
  const override = o.wsAuthUsername !== "" || o.wsAuthToken !== "";
  if (!override && o.wsNoAuthUser === "") return null;
  if (!override) {
    // Only no_auth_user: the server's users with another default identity.
    return new Authenticator({ ...o, noAuthUser: o.wsNoAuthUser });
  }
  return new Authenticator({
    username: o.wsAuthUsername, password: o.wsAuthPassword, authToken: o.wsAuthToken,
    noAuthUser: "", users: [], nkeys: [],
  });
}

/** Reads the configured credential cookies from a Cookie header. */
export function cookieCredentials(o: Options, cookieHeader: string | null): CookieCredentials {
  const cookies = new Map<string, string>();
  for (const part of (cookieHeader ?? "").split(";")) {
    const eq = part.indexOf("=");
    if (eq < 0) continue;
    const name = part.slice(0, eq).trim();
    let value = part.slice(eq + 1).trim();
    try {
      value = decodeURIComponent(value);
    } catch {
      // A malformed escape: keep the raw value, as a cookie jar would.
    }
    cookies.set(name, value);
  }
  const read = (name: string) => (name !== "" ? cookies.get(name) ?? "" : "");
  return { user: read(o.wsUserCookie), pass: read(o.wsPassCookie), token: read(o.wsTokenCookie),
    jwt: read(o.wsJwtCookie) };
}
