/**
 * Trusted proxies (nats-server 2.12+, `proxies { trusted: [{key}] }`): a proxy that opens a
 * connection on a client's behalf signs the INFO nonce with its own nkey and sends it as
 * CONNECT `proxy_sig`. A signature from a trusted key marks the connection as proxied (users
 * with `proxy_required` need that); a signature from no trusted key refuses the client.
 * @module
 */
import { fromPublic } from "@nats-io/jwt";

export type ProxyVerdict =
  /** No `proxy_sig`, or no trusted proxies configured. */
  | { proxied: false; trusted: false }
  | { proxied: true; trusted: true; key: string }
  | { proxied: true; trusted: false; reason: string };

const RAW_URL_BASE64 = /^[A-Za-z0-9_-]*$/;

/** Go's proxyCheck: which trusted key (if any) signed `nonce`. */
export function checkProxy(trustedKeys: readonly string[], nonce: string, proxySig: string):
  ProxyVerdict {
  if (proxySig === "" || trustedKeys.length === 0) return { proxied: false, trusted: false };
  if (!RAW_URL_BASE64.test(proxySig) || proxySig.length % 4 === 1) {
    return { proxied: true, trusted: false, reason: "Proxy signature not valid base64" };
  }
  const signature = Buffer.from(proxySig, "base64url");
  const data = new TextEncoder().encode(nonce);
  for (const key of trustedKeys) {
    try {
      if (fromPublic(key).verify(data, signature)) return { proxied: true, trusted: true, key };
    } catch {
      // A signature of the wrong length verifies with no key.
    }
  }
  return { proxied: true, trusted: false, reason: "proxy is not trusted" };
}

/** Go's IsValidPublicKey: any role's public nkey. */
export function isValidProxyKey(key: string): boolean {
  try {
    fromPublic(key);
    return true;
  } catch {
    return false;
  }
}
