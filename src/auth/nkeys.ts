/**
 * Nkey public keys and signatures, as nats-server checks them: a public nkey is base32 (no
 * padding) of a prefix byte, 32 Ed25519 key bytes and a little-endian CRC-16; a client proves
 * it holds the seed by signing the INFO `nonce` text. Seeds never reach the server, so only
 * public keys are decoded here.
 * @module
 */
import { createPublicKey, type KeyObject, randomBytes, verify } from "node:crypto";
import { crc16 } from "../util/crc16.ts";

/** Prefix bytes of public nkeys (the first base32 character names the role). */
export const NkeyPrefix = {
  operator: 14 << 3, // 'O'
  server: 13 << 3, // 'N'
  cluster: 2 << 3, // 'C'
  account: 0, // 'A'
  user: 20 << 3, // 'U'
  curve: 23 << 3, // 'X'
} as const;
export type NkeyPrefix = (typeof NkeyPrefix)[keyof typeof NkeyPrefix];

/** Encoded public keys are this long: base32 of 1 + 32 + 2 bytes. */
export const PUBLIC_NKEY_CHARS = 56;
const PUBLIC_NKEY_BYTES = 35;
const ED25519_KEY_BYTES = 32;
const ED25519_SIGNATURE_BYTES = 64;
/** Go's nonceRawLen: random bytes behind the base64url nonce in INFO (15 characters). */
export const NONCE_RAW_BYTES = 11;

/** DER header of an Ed25519 SubjectPublicKeyInfo; the raw key follows it. */
const ED25519_SPKI_PREFIX = Buffer.from("302a300506032b6570032100", "hex");
const BASE32_ALPHABET = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";

/** Why a public nkey was refused; the text is nats-server's nkeys error text. */
export class NkeyError extends Error {
  override name = "NkeyError";
}

function base32Decode(text: string): Uint8Array | null {
  const out = new Uint8Array(Math.floor(text.length * 5 / 8));
  let bits = 0;
  let value = 0;
  let at = 0;
  for (let i = 0; i < text.length; i++) {
    const digit = BASE32_ALPHABET.indexOf(text[i]);
    if (digit < 0) return null;
    value = ((value << 5) | digit) & 0xffff;
    bits += 5;
    if (bits >= 8) {
      out[at++] = (value >>> (bits - 8)) & 0xff;
      bits -= 8;
    }
  }
  return out;
}

/**
 * The 32 raw key bytes of a public nkey with the `expected` prefix.
 * @throws NkeyError when the text is not such a key (bad encoding, checksum or role).
 */
export function decodePublicNkey(text: string, expected: NkeyPrefix): Uint8Array {
  if (text.length !== PUBLIC_NKEY_CHARS) throw new NkeyError("nkeys: invalid encoded key");
  const raw = base32Decode(text);
  if (raw === null || raw.length !== PUBLIC_NKEY_BYTES) {
    throw new NkeyError("nkeys: invalid encoded key");
  }
  const crc = raw[33] | (raw[34] << 8);
  if (crc !== crc16(raw.subarray(0, 33))) throw new NkeyError("nkeys: invalid checksum");
  if (raw[0] !== expected) throw new NkeyError("nkeys: invalid public key");
  return raw.slice(1, 1 + ED25519_KEY_BYTES);
}

function isValidPublicKeyOf(text: string, prefix: NkeyPrefix): boolean {
  try {
    decodePublicNkey(text, prefix);
    return true;
  } catch (error) {
    if (error instanceof NkeyError) return false;
    throw error;
  }
}

/** Go's nkeys.IsValidPublicUserKey. */
export function isValidPublicUserKey(text: string): boolean {
  return isValidPublicKeyOf(text, NkeyPrefix.user);
}

/** Go's nkeys.IsValidPublicAccountKey. */
export function isValidPublicAccountKey(text: string): boolean {
  return isValidPublicKeyOf(text, NkeyPrefix.account);
}

/** Go's nkeys.IsValidPublicCurveKey (xkeys, "X…"). */
export function isValidPublicCurveKey(text: string): boolean {
  return isValidPublicKeyOf(text, NkeyPrefix.curve);
}

/** Go's nkeys.IsValidPublicOperatorKey. */
export function isValidPublicOperatorKey(text: string): boolean {
  return isValidPublicKeyOf(text, NkeyPrefix.operator);
}

const URL_BASE64 = /^[A-Za-z0-9_-]*$/;
const STD_BASE64 = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/;

/**
 * A signature as clients send it: base64url without padding, else standard base64 (Go tries
 * both, strictly). Null when neither decodes.
 */
export function decodeSignature(text: string): Uint8Array | null {
  if (URL_BASE64.test(text) && text.length % 4 !== 1) return Buffer.from(text, "base64url");
  if (STD_BASE64.test(text)) return Buffer.from(text, "base64");
  return null;
}

/** The Ed25519 key object for raw public key bytes (node:crypto wants DER). */
export function ed25519PublicKey(raw: Uint8Array): KeyObject {
  if (raw.length !== ED25519_KEY_BYTES) {
    throw new RangeError(`Cannot use a ${raw.length}-byte Ed25519 public key`);
  }
  return createPublicKey({
    key: Buffer.concat([ED25519_SPKI_PREFIX, raw]), format: "der", type: "spki",
  });
}

/** Why a signed nonce was refused, in nats-server's debug wording. */
export type SignatureFailure = "Signature missing" | "Signature not valid base64" |
  "User nkey not valid" | "Signature not verified";

/**
 * Checks that `sig` (as sent in CONNECT) is the Ed25519 signature of `nonce` by the user nkey
 * `publicKey`. Returns null when it is, else the reason.
 */
export function verifyNonceSignature(
  publicKey: string, nonce: string, sig: string,
): SignatureFailure | null {
  if (sig === "") return "Signature missing";
  const signature = decodeSignature(sig);
  if (signature === null) return "Signature not valid base64";
  let key: KeyObject;
  try {
    key = ed25519PublicKey(decodePublicNkey(publicKey, NkeyPrefix.user));
  } catch (error) {
    if (error instanceof NkeyError) return "User nkey not valid";
    throw error;
  }
  if (signature.length !== ED25519_SIGNATURE_BYTES) return "Signature not verified";
  return verify(null, Buffer.from(nonce), key, signature) ? null : "Signature not verified";
}

/** A fresh nonce for INFO: NONCE_RAW_BYTES random bytes as unpadded base64url. */
export function newNonce(): string {
  return randomBytes(NONCE_RAW_BYTES).toString("base64url");
}
