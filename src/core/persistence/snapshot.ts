/**
 * Snapshots in ubique's own format: a versioned header, the commands that
 * rebuild every key, and a CRC-32 of everything before it.
 *
 *   "UBQSNAP" | version (1 byte) | created-at ms (8 bytes, big endian) | RESP commands | CRC-32 (4 bytes, big endian)
 * This module is browser compatible.
 */
import { UbiqueError } from '../errors.js';

const MAGIC = [0x55, 0x42, 0x51, 0x53, 0x4e, 0x41, 0x50]; // "UBQSNAP"
export const SNAPSHOT_VERSION = 1;
const HEADER = MAGIC.length + 1 + 8;

const CRC_TABLE = (() => {
  const t = new Uint32Array(256);
  for (let n = 0; n < 256; n++) {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    t[n] = c >>> 0;
  }
  return t;
})();

export function crc32(bytes: Uint8Array, crc = 0): number {
  let c = ~crc >>> 0;
  for (let i = 0; i < bytes.length; i++) c = CRC_TABLE[(c ^ bytes[i]!) & 0xff]! ^ (c >>> 8);
  return ~c >>> 0;
}

/** Wraps RESP command bytes as a snapshot. */
export function encodeSnapshot(body: Uint8Array[], createdAtMs: number): Uint8Array {
  const size = HEADER + body.reduce((n, b) => n + b.length, 0) + 4;
  const out = new Uint8Array(size);
  out.set(MAGIC, 0);
  out[MAGIC.length] = SNAPSHOT_VERSION;
  new DataView(out.buffer).setBigUint64(MAGIC.length + 1, BigInt(Math.max(0, Math.floor(createdAtMs))));
  let p = HEADER;
  for (const b of body) {
    out.set(b, p);
    p += b.length;
  }
  new DataView(out.buffer).setUint32(p, crc32(out.subarray(0, p)));
  return out;
}

/** Checks a snapshot and returns its commands' bytes; throws UbiqueError naming what is wrong. */
export function decodeSnapshot(bytes: Uint8Array, location: string): { body: Uint8Array; createdAtMs: number } {
  const fail = (why: string) => {
    throw new UbiqueError('SNAPSHOT_DAMAGED', `Cannot load snapshot ${location}: ${why}`);
  };
  if (bytes.length < HEADER + 4 || MAGIC.some((m, i) => bytes[i] !== m)) fail('it is not a ubique snapshot');
  const version = bytes[MAGIC.length]!;
  if (version !== SNAPSHOT_VERSION) fail(`version ${version} is not supported (this build reads version ${SNAPSHOT_VERSION})`);
  const end = bytes.length - 4;
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  if (crc32(bytes.subarray(0, end)) !== view.getUint32(end)) fail('its checksum does not match (the file is damaged)');
  return { body: bytes.subarray(HEADER, end), createdAtMs: Number(view.getBigUint64(MAGIC.length + 1)) };
}
