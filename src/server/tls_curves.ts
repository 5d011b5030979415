/**
 * nats-server's `curve_preferences` names (Go's crypto/tls curve IDs) and the group names Bun's
 * TLS library (BoringSSL) takes as `ecdhCurve`, in the configured order.
 * @module
 */

/** Go names BoringSSL also offers. */
const GROUPS: Record<string, string> = {
  CurveP256: "P-256",
  CurveP384: "P-384",
  CurveP521: "P-521",
  X25519: "X25519",
  X25519MLKEM768: "X25519MLKEM768",
};

/** Go names Bun's TLS library cannot offer: accepted in the config, left out of the handshake. */
const UNAVAILABLE = new Set(["SecP256r1MLKEM768", "SecP384r1MLKEM1024"]);

/** A `curve_preferences` list nats-server would refuse (its config error text). */
export class CurvePreferenceError extends Error {
  override name = "CurvePreferenceError";
}

/** Checks the names as nats-server does; returns those the handshake cannot use. */
export function checkCurvePreferences(names: readonly string[]): string[] {
  if (names.length === 0) {
    throw new CurvePreferenceError(
      "error parsing tls config, 'curve_preferences' cannot be empty");
  }
  for (const name of names) {
    if (!(name in GROUPS) && !UNAVAILABLE.has(name)) {
      throw new CurvePreferenceError(`unrecognized curve preference ${name}`);
    }
  }
  return names.filter((name) => UNAVAILABLE.has(name));
}

/** The `ecdhCurve` list; "" when nothing is configured (the runtime's defaults). */
export function ecdhCurveList(names: readonly string[]): string {
  const groups = names.filter((name) => name in GROUPS).map((name) => GROUPS[name]);
  return [...new Set(groups)].join(":");
}
