/**
 * The x87 80-bit `long double` that redis-server (x86-64) uses for
 * INCRBYFLOAT, emulated exactly with BigInt: strtold parsing (correctly
 * rounded to a 64-bit significand), addition (round half to even), and the
 * "%.17Lf, then trim trailing zeros" text Redis stores and replies. A double
 * would print 0.1 + 0.2 differently, and the text is what clients see.
 * This module is browser compatible.
 */
import type { Bytes } from '../bytes.js';

/** sign * mantissa * 2^exp, with mantissa < 2^64; or an infinity. */
export interface LongDouble {
  negative: boolean;
  mantissa: bigint;
  exp: number;
  infinite: boolean;
}

const SIGNIFICAND_BITS = 64;
/** The smallest quantum: subnormals end at 2^-16445. */
const MIN_EXP = -16445;
/** Values at or above 2^16384 overflow. */
const MAX_EXP = 16384 - SIGNIFICAND_BITS;
const TWO_64 = 1n << 64n;
/** Redis refuses longer numbers (MAX_LONG_DOUBLE_CHARS). */
const MAX_CHARS = 5 * 1024;
const FRACTION_DIGITS = 17;
const FRACTION_SCALE = 10n ** BigInt(FRACTION_DIGITS);

export const LONG_DOUBLE_ZERO: LongDouble = { negative: false, mantissa: 0n, exp: 0, infinite: false };

function bitLength(n: bigint): number {
  return n === 0n ? 0 : n.toString(2).length;
}

/**
 * Rounds num/den * 2^exp2 (num, den > 0) to the nearest long double, ties to
 * even; an infinity when too large, zero when below the smallest subnormal.
 */
function roundRatio(negative: boolean, num: bigint, den: bigint, exp2: number): LongDouble {
  if (num === 0n) return { negative, mantissa: 0n, exp: 0, infinite: false };
  let e = bitLength(num) - bitLength(den) - SIGNIFICAND_BITS + exp2;
  for (;;) {
    if (e < MIN_EXP) e = MIN_EXP;
    const shift = e - exp2;
    const n = shift < 0 ? num << BigInt(-shift) : num;
    const d = shift > 0 ? den << BigInt(shift) : den;
    let q = n / d;
    if (q >= TWO_64) {
      e++;
      continue;
    }
    const r2 = (n - q * d) * 2n;
    if (r2 > d || (r2 === d && (q & 1n) === 1n)) q++;
    if (q === TWO_64) {
      q >>= 1n;
      e++;
    }
    if (q !== 0n && e > MAX_EXP) return { negative, mantissa: 0n, exp: 0, infinite: true };
    return { negative, mantissa: q, exp: e, infinite: false };
  }
}

function isDigit(c: number): boolean {
  return c >= 48 && c <= 57;
}

function hexValue(c: number): number {
  if (c >= 48 && c <= 57) return c - 48;
  const l = c | 0x20;
  return l >= 97 && l <= 102 ? l - 87 : -1;
}

/**
 * A number as Redis's string2ld reads it (strtold over the whole argument):
 * decimal or hex floats, "inf"/"infinity", no surrounding spaces; NaN,
 * overflow and underflow to zero are refused (null).
 */
export function parseLongDouble(text: Bytes): LongDouble | null {
  const n = text.length;
  if (n === 0 || n >= MAX_CHARS) return null;
  let i = 0;
  let negative = false;
  const c0 = text.charCodeAt(0);
  if (c0 === 43 || c0 === 45) {
    negative = c0 === 45;
    i = 1;
  }
  const rest = text.slice(i).toLowerCase();
  if (rest === 'inf' || rest === 'infinity') return { negative, mantissa: 0n, exp: 0, infinite: true };
  if (rest.length > 1 && rest.charCodeAt(0) === 48 && rest.charCodeAt(1) === 120) return parseHex(negative, rest.slice(2));
  return parseDecimal(negative, rest);
}

function parseDecimal(negative: boolean, s: string): LongDouble | null {
  let i = 0;
  let digits = '';
  let fraction = 0;
  let any = false;
  while (i < s.length && isDigit(s.charCodeAt(i))) digits += s[i++];
  any = digits.length > 0;
  if (s.charCodeAt(i) === 46) {
    i++;
    while (i < s.length && isDigit(s.charCodeAt(i))) {
      digits += s[i++];
      fraction++;
      any = true;
    }
  }
  if (!any) return null;
  let exp10 = -fraction;
  if (i < s.length) {
    if (s.charCodeAt(i) !== 101) return null;
    i++;
    let expNegative = false;
    if (s.charCodeAt(i) === 43 || s.charCodeAt(i) === 45) expNegative = s.charCodeAt(i++) === 45;
    const start = i;
    let e = 0;
    while (i < s.length && isDigit(s.charCodeAt(i))) {
      // Past this size the value is infinite or zero anyway.
      if (e < 1e7) e = e * 10 + (s.charCodeAt(i) - 48);
      i++;
    }
    if (i === start || i !== s.length) return null;
    exp10 += expNegative ? -e : e;
  }
  const mantissa = BigInt(digits);
  if (mantissa === 0n) return { negative, mantissa: 0n, exp: 0, infinite: false };
  // Cheap bounds first: a decimal exponent this far out is certainly out of range.
  const magnitude = exp10 + digits.replace(/^0+/, '').length;
  if (magnitude > 4940) return null;
  if (magnitude < -4960) return null;
  const value = exp10 >= 0
    ? roundRatio(negative, mantissa * 10n ** BigInt(exp10), 1n, 0)
    : roundRatio(negative, mantissa, 10n ** BigInt(-exp10), 0);
  return checkRange(value);
}

function parseHex(negative: boolean, s: string): LongDouble | null {
  let i = 0;
  let digits = '';
  let fraction = 0;
  while (i < s.length && hexValue(s.charCodeAt(i)) >= 0) digits += s[i++];
  if (s.charCodeAt(i) === 46) {
    i++;
    while (i < s.length && hexValue(s.charCodeAt(i)) >= 0) {
      digits += s[i++];
      fraction++;
    }
  }
  if (digits.length === 0) return null;
  let exp2 = -4 * fraction;
  if (i < s.length) {
    if (s.charCodeAt(i) !== 112) return null;
    i++;
    let expNegative = false;
    if (s.charCodeAt(i) === 43 || s.charCodeAt(i) === 45) expNegative = s.charCodeAt(i++) === 45;
    const start = i;
    let e = 0;
    while (i < s.length && isDigit(s.charCodeAt(i))) {
      if (e < 1e7) e = e * 10 + (s.charCodeAt(i) - 48);
      i++;
    }
    if (i === start || i !== s.length) return null;
    exp2 += expNegative ? -e : e;
  }
  const mantissa = BigInt(`0x${digits}`);
  if (mantissa === 0n) return { negative, mantissa: 0n, exp: 0, infinite: false };
  if (exp2 + bitLength(mantissa) > 16400) return null;
  if (exp2 + bitLength(mantissa) < -16500) return null;
  return checkRange(roundRatio(negative, mantissa, 1n, exp2));
}

/** strtold's ERANGE cases that Redis refuses: overflow, and underflow all the way to zero. */
function checkRange(value: LongDouble): LongDouble | null {
  if (value.infinite || value.mantissa === 0n) return null;
  return value;
}

/** a + b rounded to a long double; null when the sum is NaN (inf - inf). */
export function addLongDouble(a: LongDouble, b: LongDouble): LongDouble | null {
  if (a.infinite || b.infinite) {
    if (a.infinite && b.infinite && a.negative !== b.negative) return null;
    return a.infinite ? a : b;
  }
  if (a.mantissa === 0n) return b.mantissa === 0n ? { ...a, negative: a.negative && b.negative } : b;
  if (b.mantissa === 0n) return a;
  const e = Math.min(a.exp, b.exp);
  const sa = a.mantissa << BigInt(a.exp - e);
  const sb = b.mantissa << BigInt(b.exp - e);
  const sum = (a.negative ? -sa : sa) + (b.negative ? -sb : sb);
  if (sum === 0n) return { negative: false, mantissa: 0n, exp: 0, infinite: false };
  return roundRatio(sum < 0n, sum < 0n ? -sum : sum, 1n, e);
}

/** Redis's human-friendly text of a finite long double: "%.17Lf" with trailing zeros cut. */
export function formatLongDouble(value: LongDouble): string {
  if (value.infinite) return value.negative ? '-inf' : 'inf';
  let scaled: bigint;
  if (value.exp >= 0) {
    scaled = (value.mantissa << BigInt(value.exp)) * FRACTION_SCALE;
  } else {
    const num = value.mantissa * FRACTION_SCALE;
    const shift = BigInt(-value.exp);
    scaled = num >> shift;
    const r2 = (num - (scaled << shift)) * 2n;
    const half = 1n << shift;
    if (r2 > half || (r2 === half && (scaled & 1n) === 1n)) scaled++;
  }
  let digits = scaled.toString().padStart(FRACTION_DIGITS + 1, '0');
  const point = digits.length - FRACTION_DIGITS;
  let end = digits.length;
  while (end > point && digits.charCodeAt(end - 1) === 48) end--;
  digits = end === point ? digits.slice(0, point) : `${digits.slice(0, point)}.${digits.slice(point, end)}`;
  // "%.17Lf" prints "-0.00000000000000000" for tiny negatives; Redis turns "-0" into "0".
  if (!value.negative || digits === '0') return digits;
  return `-${digits}`;
}
