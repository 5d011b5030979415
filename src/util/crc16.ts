/**
 * The checksum nkeys carry: public keys are encoded as prefix byte, 32 key bytes and this
 * CRC-16, then base32 (src/auth/nkeys.ts decodes them).
 * @module
 */

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
