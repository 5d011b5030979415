/**
 * Server identities in nkey form: a public key encoded as nats-server encodes its server_id
 * (prefix byte 'N', 32 key bytes, CRC-16, base32 without padding; 56 characters).
 * @module
 */
import { randomBytes } from "node:crypto";

/** Prefix byte for server public keys (13 << 3 encodes as 'N'). */
const PREFIX_BYTE_SERVER = 13 << 3;
const BASE32_ALPHABET = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";

/** CRC-16/XMODEM (poly 0x1021, init 0), the checksum nkeys append. */
export function crc16(data: Uint8Array): number {
  let crc = 0;
  for (const byte of data) {
    crc ^= byte << 8;
    for (let bit = 0; bit < 8; bit++) {
      crc = crc & 0x8000 ? ((crc << 1) ^ 0x1021) & 0xffff : (crc << 1) & 0xffff;
    }
  }
  return crc;
}

export function base32Encode(data: Uint8Array): string {
  let out = "";
  let bits = 0;
  let value = 0;
  for (const byte of data) {
    value = (value << 8) | byte;
    bits += 8;
    while (bits >= 5) {
      out += BASE32_ALPHABET[(value >>> (bits - 5)) & 31];
      bits -= 5;
    }
  }
  if (bits > 0) out += BASE32_ALPHABET[(value << (5 - bits)) & 31];
  return out;
}

/** Encodes a 32-byte public key as a server nkey ("N…"). */
export function encodeServerKey(publicKey: Uint8Array): string {
  if (publicKey.length !== 32) throw new RangeError(`Cannot encode a ${publicKey.length}-byte key`);
  const raw = new Uint8Array(1 + 32 + 2);
  raw[0] = PREFIX_BYTE_SERVER;
  raw.set(publicKey, 1);
  const crc = crc16(raw.subarray(0, 33));
  raw[33] = crc & 0xff;
  raw[34] = crc >>> 8;
  return base32Encode(raw);
}

/** A fresh random server id. */
export function newServerId(): string {
  return encodeServerKey(randomBytes(32));
}
