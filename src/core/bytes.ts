/**
 * Bytes in the core are binary strings: one char per byte, char codes 0-255.
 * V8 stores them one byte per char, hashes them for Map keys and concatenates
 * them cheaply. Text enters as UTF-8 and is converted once, at the edges.
 * This module is browser compatible.
 */

/** A binary string: every char code is a byte (0-255). */
export type Bytes = string;

const CHUNK = 8192;
const utf8Encoder = new TextEncoder();
const utf8Decoder = new TextDecoder('utf-8');

function isAscii(s: string): boolean {
  for (let i = 0; i < s.length; i++) if (s.charCodeAt(i) > 0x7f) return false;
  return true;
}

/** Encodes JS text as UTF-8 bytes. ASCII passes through untouched. */
export function utf8ToBytes(text: string): Bytes {
  if (isAscii(text)) return text;
  return u8ToBytes(utf8Encoder.encode(text));
}

/** Decodes UTF-8 bytes into JS text. ASCII passes through untouched. */
export function bytesToUtf8(bytes: Bytes): string {
  if (isAscii(bytes)) return bytes;
  return utf8Decoder.decode(bytesToU8(bytes));
}

/** Copies a byte range into a binary string. */
export function u8ToBytes(u8: Uint8Array, start = 0, end = u8.length): Bytes {
  const len = end - start;
  if (len <= 0) return '';
  if (len <= 16) {
    let s = '';
    for (let i = start; i < end; i++) s += String.fromCharCode(u8[i]!);
    return s;
  }
  let out = '';
  for (let i = start; i < end; i += CHUNK) {
    out += String.fromCharCode.apply(null, u8.subarray(i, Math.min(i + CHUNK, end)) as unknown as number[]);
  }
  return out;
}

/** Copies a binary string into a new Uint8Array. */
export function bytesToU8(bytes: Bytes): Uint8Array {
  const out = new Uint8Array(bytes.length);
  for (let i = 0; i < bytes.length; i++) out[i] = bytes.charCodeAt(i);
  return out;
}

/** Writes a binary string into `target` at `offset`; returns the offset after it. */
export function writeBytes(target: Uint8Array, bytes: Bytes, offset: number): number {
  for (let i = 0; i < bytes.length; i++) target[offset++] = bytes.charCodeAt(i);
  return offset;
}

/**
 * Faster byte conversions a runtime may supply (Node's Buffer has native latin1
 * slicing and writing). The core falls back to the portable versions above.
 */
export interface ByteCodec {
  toBytes(u8: Uint8Array, start: number, end: number): Bytes;
  write(target: Uint8Array, bytes: Bytes, offset: number): number;
}

export const portableCodec: ByteCodec = { toBytes: u8ToBytes, write: writeBytes };

/** Accepts text (UTF-8 encoded) or raw bytes, as the embedded API does. */
export function toBytes(value: string | Uint8Array | number | bigint): Bytes {
  if (typeof value === 'string') return utf8ToBytes(value);
  if (value instanceof Uint8Array) return u8ToBytes(value);
  return String(value);
}

/**
 * A private copy of `u8[start, end)`. Not `u8.slice()`: on a Node Buffer
 * that is a view, and transports reuse their read buffers.
 */
export function copyU8(u8: Uint8Array, start = 0, end = u8.length): Uint8Array {
  const out = new Uint8Array(end - start);
  out.set(u8.subarray(start, end));
  return out;
}
