/**
 * Password and token comparison as nats-server does it: a configured secret that looks like a
 * bcrypt hash is verified as one; anything else is compared in constant time.
 *
 * Bcrypt verification runs synchronously (Bun.password.verifySync), as Go runs it on the
 * client's goroutine; here it holds the event loop for the hash's cost (about 50 ms at cost
 * 10), which is why configs should prefer nkeys for many connecting clients.
 * @module
 */
import { timingSafeEqual } from "node:crypto";

/** Go's validBcryptPrefix: `$2a$`, `$2b$`, `$2x$` or `$2y$`, then a two-digit cost. */
const BCRYPT_PREFIX = /^\$2[abxy]\$\d{2}\$/;
/** Go's bcrypt refuses longer passwords (ErrPasswordTooLong), so they never match. */
export const BCRYPT_PASSWORD_BYTES_MAX = 72;

/** Go's isBcrypt. */
export function isBcrypt(secret: string): boolean {
  return secret.startsWith("$") && BCRYPT_PREFIX.test(secret);
}

/** Constant-time equality of two strings' UTF-8 bytes (length is not hidden, as in Go). */
export function secretsEqual(given: string, expected: string): boolean {
  const a = Buffer.from(given);
  const b = Buffer.from(expected);
  return a.length === b.length && timingSafeEqual(a, b);
}

/** Go's comparePasswords: `serverSecret` from the config, `clientSecret` from CONNECT. */
export function passwordsMatch(serverSecret: string, clientSecret: string): boolean {
  if (!isBcrypt(serverSecret)) return secretsEqual(clientSecret, serverSecret);
  if (Buffer.byteLength(clientSecret) > BCRYPT_PASSWORD_BYTES_MAX) return false;
  try {
    return Bun.password.verifySync(clientSecret, serverSecret, "bcrypt");
  } catch {
    // A malformed hash (bad cost, short salt) matches nothing, as in Go.
    return false;
  }
}
