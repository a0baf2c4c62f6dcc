/**
 * Sorted-set scores as Redis reads and writes them: strict scores for ZADD
 * and ZINCRBY (string2d), the more lenient strtod of range bounds with `(`
 * for exclusive ends, lex range items (`[a`, `(a`, `-`, `+`), and the two
 * text forms of a score (`%.17g`, and the integer form listpacks keep).
 * This module is browser compatible.
 */
import type { Bytes } from '../bytes.js';
import { CommandError, Err, ZsetErr } from '../errors.js';
import { formatDouble } from '../resp/reply.js';
import { LEX_MAX, LEX_MIN, type LexBound, type LexRange, type ScoreRange } from '../types/skiplist.js';

const FLOAT_SYNTAX = /^[+-]?(\d+\.?\d*|\.\d+)(e[+-]?\d+)?$/i;
const HEX_SYNTAX = /^[+-]?0x([0-9a-f]+\.?[0-9a-f]*|\.[0-9a-f]+)(p[+-]?\d+)?$/i;
const INF_SYNTAX = /^[+-]?inf(inity)?$/i;
const NAN_SYNTAX = /^[+-]?nan(\([0-9a-z_]*\))?$/i;

interface Strtod {
  value: number;
  /** strtod would have set ERANGE: the text overflowed or underflowed to zero. */
  range: boolean;
}

/** C's strtod over a whole string (after its leading spaces), or null when text remains. */
function strtodWhole(text: string): Strtod | null {
  if (FLOAT_SYNTAX.test(text)) {
    const value = Number(text);
    const range = !Number.isFinite(value) || (value === 0 && /[1-9]/.test(text.replace(/e.*$/i, '')));
    return { value, range };
  }
  if (INF_SYNTAX.test(text)) return { value: text.charCodeAt(0) === 45 ? -Infinity : Infinity, range: false };
  if (NAN_SYNTAX.test(text)) return { value: NaN, range: false };
  const hex = HEX_SYNTAX.exec(text);
  if (hex) {
    const neg = text.charCodeAt(0) === 45;
    const [intPart, fracPart = ''] = hex[1]!.split('.');
    let v = 0;
    for (const ch of intPart! + fracPart) v = v * 16 + parseInt(ch, 16);
    v /= 16 ** fracPart.length;
    if (hex[2]) v *= 2 ** Number(hex[2].slice(1));
    const underflow = v === 0 && /[1-9a-f]/i.test(hex[1]!);
    return { value: neg ? -v : v, range: !Number.isFinite(v) || underflow };
  }
  return null;
}

function isSpace(c: number): boolean {
  return c === 32 || (c >= 9 && c <= 13);
}

/** A score as ZADD and ZINCRBY accept it (Redis's string2d), or null. */
export function parseScore(text: Bytes): number | null {
  if (text.length === 0 || isSpace(text.charCodeAt(0))) return null;
  const r = strtodWhole(text);
  if (r === null || r.range || Number.isNaN(r.value)) return null;
  return r.value;
}

export function scoreArg(text: Bytes): number {
  const v = parseScore(text);
  if (v === null) throw new CommandError(Err.notFloat);
  return v;
}

/** One end of a score range: strtod after an optional `(`; spaces before and overflow are fine. */
function parseScoreBound(text: Bytes): { value: number; ex: boolean } | null {
  let ex = false;
  if (text.charCodeAt(0) === 40) {
    ex = true;
    text = text.slice(1);
  }
  // strtod skips leading spaces; when nothing converts, the end pointer is the start.
  let i = 0;
  while (i < text.length && isSpace(text.charCodeAt(i))) i++;
  if (i === text.length) return text.length === 0 ? { value: 0, ex } : null;
  const r = strtodWhole(text.slice(i));
  if (r === null || Number.isNaN(r.value)) return null;
  return { value: r.value, ex };
}

/** A [min, max] score range, or Redis's "min or max is not a float". */
export function parseScoreRange(min: Bytes, max: Bytes): ScoreRange {
  const lo = parseScoreBound(min);
  const hi = parseScoreBound(max);
  if (lo === null || hi === null) throw new CommandError(ZsetErr.minMaxNotFloat);
  return { min: lo.value, minex: lo.ex, max: hi.value, maxex: hi.ex };
}

function parseLexItem(text: Bytes): { bound: LexBound; ex: boolean } | null {
  switch (text.charCodeAt(0)) {
    case 43: return text.length === 1 ? { bound: LEX_MAX, ex: true } : null;
    case 45: return text.length === 1 ? { bound: LEX_MIN, ex: true } : null;
    case 40: return { bound: text.slice(1), ex: true };
    case 91: return { bound: text.slice(1), ex: false };
    default: return null;
  }
}

/** A lex range, or Redis's "min or max not valid string range item". */
export function parseLexRange(min: Bytes, max: Bytes): LexRange {
  const lo = parseLexItem(min);
  const hi = parseLexItem(max);
  if (lo === null || hi === null) throw new CommandError(ZsetErr.lexRangeItem);
  return { min: lo.bound, minex: lo.ex, max: hi.bound, maxex: hi.ex };
}

/** C's `%.17g`, as Redis 7.0 writes scores (RESP2 bulk doubles, skiplist ZSCAN). */
export const formatScore = formatDouble;

/** Redis's double2ll only trusts doubles within ±LLONG_MAX/2 to convert exactly. */
const SAFE_LLONG = 2 ** 62;

/**
 * A score as a listpack stores it (Redis's d2string): integral values within
 * ±2^62 as plain integers, anything else as `%.17g`. -0 is kept as 0.
 */
export function formatListpackScore(value: number): string {
  if (Number.isInteger(value) && value >= -SAFE_LLONG && value <= SAFE_LLONG) {
    return value === 0 ? '0' : BigInt(value).toString();
  }
  if (value === Infinity) return 'inf';
  if (value === -Infinity) return '-inf';
  return formatDouble(value);
}
