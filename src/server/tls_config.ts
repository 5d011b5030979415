/**
 * Client TLS settings resolved from the options: certificate files loaded and turned into
 * Bun's TLS options, with nats-server's errors for a bad configuration.
 * @module
 */
import { createHash } from "node:crypto";
import { readFileSync } from "node:fs";
import type { ListenerTls } from "./listener_bun.ts";
import type { Options } from "./options.ts";
import { opensslCipherList } from "./tls_ciphers.ts";
import { ecdhCurveList } from "./tls_curves.ts";

/** A configuration natsd cannot start with (the message is nats-server's). */
export class TlsConfigError extends Error {
  override name = "TlsConfigError";
}

/** Null when TLS is off. */
export function resolveListenerTls(o: Options): ListenerTls | null {
  if (!o.tls) return null;
  if (o.tlsCertFile === "") throw new TlsConfigError("missing 'cert_file' in TLS configuration");
  if (o.tlsKeyFile === "") throw new TlsConfigError("missing 'key_file' in TLS configuration");
  const read = (path: string, what: string) => {
    try {
      return readFileSync(path, "utf8");
    } catch (error) {
      throw new TlsConfigError(`error parsing X509 ${what}: ${(error as Error).message}`);
    }
  };
  const cert = read(o.tlsCertFile, "certificate/key pair");
  const key = read(o.tlsKeyFile, "certificate/key pair");
  const ca = o.tlsCaFile !== "" ? read(o.tlsCaFile, "CA certificate") : undefined;
  return {
    options: {
      cert, key, ...(ca !== undefined ? { ca } : {}),
      requestCert: o.tlsVerify,
      rejectUnauthorized: o.tlsVerify,
      ...(opensslCipherList(o.tlsCipherSuites) !== ""
        ? { ciphers: opensslCipherList(o.tlsCipherSuites) } : {}),
      ...(ecdhCurveList(o.tlsCurvePreferences) !== ""
        ? { ecdhCurve: ecdhCurveList(o.tlsCurvePreferences) } : {}),
      // min_version is checked after the handshake (tlsVersionAllowed): Bun's TLS options
      // refused even matching clients when given a minimum version.
    },
    handshakeFirst: o.tlsHandshakeFirstMs !== 0,
    // -1 is handshake_first: true; a positive value is auto's or the configured fallback.
    handshakeFirstFallbackMs: Math.max(o.tlsHandshakeFirstMs, 0),
    allowNonTls: o.allowNonTls,
    timeoutMs: o.tlsTimeoutMs,
  };
}

/** min_version: "1.2" or "1.3"; `negotiated` is what the handshake agreed ("1.3", "1.2"). */
export function tlsVersionAllowed(minVersion: string, negotiated: string): boolean {
  if (minVersion === "") return true;
  return Number(negotiated) >= Number(minVersion);
}

/** True when no pins are configured or the peer's certificate (DER) matches one. */
export function peerCertificatePinned(pins: string[], der: Uint8Array | null): boolean {
  if (pins.length === 0) return true;
  if (der === null) return false;
  const fingerprint = createHash("sha256").update(der).digest("hex");
  return pins.includes(fingerprint);
}
