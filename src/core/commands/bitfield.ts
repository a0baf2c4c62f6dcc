/**
 * Integer fields at arbitrary bit offsets of a string (BITFIELD): types
 * i1..i64 and u1..u63, read and written most significant bit first, and the
 * three overflow policies. Values are BigInt so 64-bit fields stay exact.
 * This module is browser compatible.
 */
import type { Bytes } from '../bytes.js';
import { CommandError, Err } from '../errors.js';
import { parseInt64 } from './parse.js';

export interface FieldType {
  signed: boolean;
  bits: number;
}

/** OVERFLOW WRAP | SAT | FAIL. */
export const WRAP = 0;
export const SAT = 1;
export const FAIL = 2;
export type Overflow = typeof WRAP | typeof SAT | typeof FAIL;

/** "i8", "u16", ...: case-sensitive like Redis; u64 is refused (replies are signed 64-bit). */
export function parseFieldType(arg: Bytes): FieldType {
  const c = arg.charCodeAt(0);
  const signed = c === 105;
  if (!signed && c !== 117) throw new CommandError(Err.bitfieldType);
  const bits = parseInt64(arg.slice(1));
  if (bits === null || bits < 1n || bits > (signed ? 64n : 63n)) throw new CommandError(Err.bitfieldType);
  return { signed, bits: Number(bits) };
}

function byteAt(buf: Bytes | Uint8Array, index: number): number {
  if (typeof buf === 'string') return index < buf.length ? buf.charCodeAt(index) : 0;
  return index < buf.length ? buf[index]! : 0;
}

/** The field at bit `offset`; bytes past the end read as zero. */
export function readField(buf: Bytes | Uint8Array, offset: number, type: FieldType): bigint {
  let value = 0n;
  for (let j = 0; j < type.bits; j++) {
    const bit = offset + j;
    const byte = byteAt(buf, Math.floor(bit / 8));
    value = (value << 1n) | BigInt((byte >> (7 - (bit % 8))) & 1);
  }
  return type.signed ? BigInt.asIntN(type.bits, value) : value;
}

/** Writes the low `bits` bits of `value` at bit `offset` (the buffer is large enough). */
export function writeField(buf: Uint8Array, offset: number, bits: number, value: bigint): void {
  const v = BigInt.asUintN(bits, value);
  for (let j = 0; j < bits; j++) {
    const bit = offset + j;
    const index = Math.floor(bit / 8);
    const mask = 0x80 >> (bit % 8);
    if ((v >> BigInt(bits - 1 - j)) & 1n) buf[index]! |= mask;
    else buf[index]! &= ~mask;
  }
}

/**
 * Fits an exact result into the field: itself when in range, else wrapped,
 * saturated, or null (FAIL: nothing is written).
 */
export function fitField(value: bigint, type: FieldType, overflow: Overflow): bigint | null {
  const { signed, bits } = type;
  const min = signed ? -(1n << BigInt(bits - 1)) : 0n;
  const max = signed ? (1n << BigInt(bits - 1)) - 1n : (1n << BigInt(bits)) - 1n;
  if (value >= min && value <= max) return value;
  if (overflow === WRAP) return signed ? BigInt.asIntN(bits, value) : BigInt.asUintN(bits, value);
  if (overflow === SAT) return value > max ? max : min;
  return null;
}
