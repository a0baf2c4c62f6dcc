/**
 * Just enough of C's x87 `long double` (64-bit significand) for
 * HINCRBYFLOAT/INCRBYFLOAT: Redis parses both operands with strtold, adds
 * them in long double and prints "%.17Lf" with the trailing zeros removed.
 * A JS double gives different digits (10.5 + 0.1 prints 10.59999999999999964
 * in double precision, 10.6 in long double), so the arithmetic is exact
 * BigInt math rounded to 64 significant bits, half to even, like the FPU.
 * This module is browser compatible.
 */
import type { Bytes } from '../bytes.js';

/** value = m * 2^e, with |m| < 2^64; or an infinity. */
export interface LongDouble {
  m: bigint;
  e: number;
  inf: 0 | 1 | -1;
}

const MAX_CHARS = 5 * 1024;
/** Binary exponent past which a long double overflows to infinity. */
const MAX_EXP = 16384;
const TWO64 = 1n << 64n;
const TWO63 = 1n << 63n;

function bitLength(v: bigint): number {
  return v === 0n ? 0 : v.toString(2).length;
}

/** num/den (den > 0) rounded to 64 significant bits, half to even. */
function fromRational(num: bigint, den: bigint): LongDouble {
  if (num === 0n) return { m: 0n, e: 0, inf: 0 };
  const neg = num < 0n;
  const a = neg ? -num : num;
  let e = bitLength(a) - bitLength(den) - 64;
  let q: bigint;
  let r: bigint;
  let d: bigint;
  for (;;) {
    let n = a;
    d = den;
    if (e < 0) n = a << BigInt(-e);
    else d = den << BigInt(e);
    q = n / d;
    r = n % d;
    if (q >= TWO64) e++;
    else if (q < TWO63) e--;
    else break;
  }
  const twice = r * 2n;
  if (twice > d || (twice === d && (q & 1n) === 1n)) q++;
  if (q === TWO64) {
    q >>= 1n;
    e++;
  }
  if (e + 64 > MAX_EXP) return { m: 0n, e: 0, inf: neg ? -1 : 1 };
  return { m: neg ? -q : q, e, inf: 0 };
}

function pow10(n: number): bigint {
  return 10n ** BigInt(n);
}

/**
 * strtold over the whole argument as Redis's string2ld uses it: no leading
 * space, nothing left over, no NaN, no overflow or underflow to zero.
 */
export function parseLongDouble(text: Bytes): LongDouble | null {
  if (text.length === 0 || text.length >= MAX_CHARS) return null;
  const lower = text.toLowerCase();
  const sign = lower.charCodeAt(0) === 45 ? -1 : 1;
  const body = lower.charCodeAt(0) === 45 || lower.charCodeAt(0) === 43 ? lower.slice(1) : lower;
  if (body === 'inf' || body === 'infinity') return { m: 0n, e: 0, inf: sign };
  const hex = /^0x([0-9a-f]*)(?:\.([0-9a-f]*))?(?:p([+-]?\d+))?$/.exec(body);
  if (hex !== null) {
    const int = hex[1] ?? '';
    const frac = hex[2] ?? '';
    if (int === '' && frac === '') return null;
    const digits = BigInt('0x' + (int + frac || '0'));
    const exp = Number(hex[3] ?? '0') - 4 * frac.length;
    if (Math.abs(exp) > 20000) return digits === 0n ? { m: 0n, e: 0, inf: 0 } : null;
    const num = BigInt(sign) * (exp >= 0 ? digits << BigInt(exp) : digits);
    const v = fromRational(num, exp >= 0 ? 1n : 1n << BigInt(-exp));
    return v.inf !== 0 ? null : v;
  }
  const dec = /^(\d*)(?:\.(\d*))?(?:e([+-]?\d+))?$/.exec(body);
  if (dec === null) return null;
  const int = dec[1] ?? '';
  const frac = dec[2] ?? '';
  if (int === '' && frac === '') return null;
  const digits = BigInt(int + frac || '0');
  if (digits === 0n) return { m: 0n, e: 0, inf: 0 };
  const exp = Number(dec[3] ?? '0') - frac.length;
  // Far outside the long double range: overflow or underflow, both refused.
  if (exp + (int + frac).replace(/^0+/, '').length > 4934 || exp < -4960 - (int + frac).length) return null;
  const num = BigInt(sign) * (exp >= 0 ? digits * pow10(exp) : digits);
  const v = fromRational(num, exp >= 0 ? 1n : pow10(-exp));
  return v.inf !== 0 ? null : v;
}

export function addLongDouble(a: LongDouble, b: LongDouble): LongDouble {
  if (a.inf !== 0 || b.inf !== 0) {
    // inf + -inf is NaN: callers treat any non-finite result alike.
    return { m: 0n, e: 0, inf: a.inf !== 0 ? a.inf : b.inf };
  }
  if (a.m === 0n) return b;
  if (b.m === 0n) return a;
  const e = Math.min(a.e, b.e);
  const sum = (a.m << BigInt(a.e - e)) + (b.m << BigInt(b.e - e));
  return e >= 0 ? fromRational(sum << BigInt(e), 1n) : fromRational(sum, 1n << BigInt(-e));
}

/** "%.17Lf" without trailing zeros (Redis's LD_STR_HUMAN). */
export function formatLongDouble(v: LongDouble): string {
  if (v.inf !== 0) return v.inf > 0 ? 'inf' : '-inf';
  const neg = v.m < 0n;
  const a = neg ? -v.m : v.m;
  let scaled: bigint;
  if (v.e >= 0) {
    scaled = (a << BigInt(v.e)) * pow10(17);
  } else {
    const d = 1n << BigInt(-v.e);
    const n = a * pow10(17);
    scaled = n / d;
    const twice = (n % d) * 2n;
    if (twice > d || (twice === d && (scaled & 1n) === 1n)) scaled++;
  }
  const s = scaled.toString().padStart(18, '0');
  let out = s.slice(0, s.length - 17) + '.' + s.slice(s.length - 17);
  out = out.replace(/0+$/, '');
  if (out.endsWith('.')) out = out.slice(0, -1);
  if (neg && out !== '0') out = '-' + out;
  return out;
}

export function isFinite(v: LongDouble): boolean {
  return v.inf === 0;
}
