/**
 * Redis Cluster key slots, computed here (CRC16/XMODEM of the hash tag, mod 16384, as the
 * Cluster specification defines it) so tests and start-up checks can reason about where keys
 * live without asking a server.
 */

/** CRC16/XMODEM (polynomial 0x1021, initial 0), the checksum Redis Cluster uses. */
export function crc16(data: Uint8Array): number {
  let crc = 0;
  for (const byte of data) {
    crc ^= byte << 8;
    for (let bit = 0; bit < 8; bit++) crc = crc & 0x8000 ? ((crc << 1) ^ 0x1021) & 0xffff : (crc << 1) & 0xffff;
  }
  return crc;
}

/** The part of `key` that is hashed: the first non-empty `{…}` tag, else the whole key. */
export function hashTagOf(key: string | Buffer): Buffer {
  const buf = typeof key === 'string' ? Buffer.from(key) : key;
  const open = buf.indexOf(0x7b); // {
  if (open >= 0) {
    const close = buf.indexOf(0x7d, open + 1); // }
    if (close > open + 1) return buf.subarray(open + 1, close);
  }
  return buf;
}

/** The cluster slot (0…16383) of `key`. */
export function keySlot(key: string | Buffer): number {
  return crc16(hashTagOf(key)) % 16384;
}
