/**
 * Argument parsing as Redis does it: strict integers (string2ll), doubles
 * (strtod/strtold without surrounding spaces), and option words.
 * This module is browser compatible.
 */
import type { Bytes } from '../bytes.js';
import { CommandError, Err } from '../errors.js';

const INT64_MIN = -(2n ** 63n);
const INT64_MAX = 2n ** 63n - 1n;

/** A decimal 64-bit integer exactly as Redis's string2ll accepts it, or null. */
export function parseInt64(text: Bytes): bigint | null {
  const n = text.length;
  if (n === 0 || n > 20) return null;
  if (n === 1 && text === '0') return 0n;
  let i = 0;
  if (text.charCodeAt(0) === 45) {
    i = 1;
    if (n === 1) return null;
  }
  const first = text.charCodeAt(i);
  if (first < 49 || first > 57) return null;
  for (let j = i + 1; j < n; j++) {
    const c = text.charCodeAt(j);
    if (c < 48 || c > 57) return null;
  }
  // Up to 15 digits fit a double exactly; skip BigInt for the common case.
  const v = n - i <= 15 ? BigInt(Number(text)) : BigInt(text);
  return v < INT64_MIN || v > INT64_MAX ? null : v;
}

/** A 64-bit integer as a JS number (exact within ±2^53), or null when not an integer. */
export function parseIntNumber(text: Bytes): number | null {
  const n = text.length;
  if (n > 0 && n <= 15) {
    // Fast path: plain decimal, no sign issues beyond string2ll's.
    const v = parseInt64Small(text);
    if (v !== undefined) return v;
  }
  const big = parseInt64(text);
  return big === null ? null : Number(big);
}

function parseInt64Small(text: string): number | null | undefined {
  if (text === '0') return 0;
  let i = 0;
  const neg = text.charCodeAt(0) === 45;
  if (neg) i = 1;
  if (i >= text.length) return null;
  const first = text.charCodeAt(i);
  if (first < 49 || first > 57) return null;
  let v = first - 48;
  for (let j = i + 1; j < text.length; j++) {
    const c = text.charCodeAt(j) - 48;
    if (c < 0 || c > 9) return null;
    v = v * 10 + c;
  }
  return neg ? -v : v;
}

/** An integer argument or Redis's "not an integer" error. */
export function intArg(text: Bytes, error: string = Err.notInteger): number {
  const v = parseIntNumber(text);
  if (v === null) throw new CommandError(error);
  return v;
}

/**
 * A double as Redis reads it (strtod over the whole argument: no spaces,
 * "inf"/"-inf"/"+inf" allowed, NaN refused), or null.
 */
export function parseDouble(text: Bytes): number | null {
  if (text.length === 0 || text.length > 5000) return null;
  const c0 = text.charCodeAt(0);
  const cl = text.charCodeAt(text.length - 1);
  if (isSpace(c0) || isSpace(cl)) return null;
  const lower = text.toLowerCase();
  if (lower === 'inf' || lower === '+inf' || lower === 'infinity' || lower === '+infinity') return Infinity;
  if (lower === '-inf' || lower === '-infinity') return -Infinity;
  // strtod accepts decimal and hex floats; Number() accepts a few forms strtod does not.
  if (!/^[+-]?(\d+\.?\d*|\.\d+)(e[+-]?\d+)?$/i.test(text)) {
    if (/^[+-]?0x[0-9a-f]+$/i.test(text)) {
      const v = parseInt(text, 16);
      return Number.isNaN(v) ? null : v;
    }
    return null;
  }
  const v = Number(text);
  return Number.isNaN(v) ? null : v;
}

export function doubleArg(text: Bytes, error: string = Err.notFloat): number {
  const v = parseDouble(text);
  if (v === null) throw new CommandError(error);
  return v;
}

function isSpace(c: number): boolean {
  return c === 32 || (c >= 9 && c <= 13);
}

/** Case-insensitive comparison with an upper-case option word. */
export function isWord(arg: Bytes, upper: string): boolean {
  return arg.length === upper.length && arg.toUpperCase() === upper;
}
