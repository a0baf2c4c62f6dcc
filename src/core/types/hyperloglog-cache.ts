/**
 * The last HyperLogLog string seen, its parsed form and its count, so that
 * consecutive commands on one key skip re-parsing 12 KB; and the splice that
 * turns a small change of a dense HLL into a new string without copying it
 * byte by byte.
 * This module is browser compatible.
 */
import type { Bytes } from '../bytes.js';
import { DENSE, DENSE_SIZE, hllFromString, hllToString, type Hll } from './hyperloglog.js';

let cachedString: Bytes | null = null;
let cachedHll: Hll | null = null;
let cachedCardinality = -1;

/** The HLL in `s` to modify: taken from the cache (which forgets it) or parsed. */
export function openHll(s: Bytes): Hll {
  if (s === cachedString && cachedHll !== null) {
    const h = cachedHll;
    cachedString = null;
    cachedHll = null;
    h.dirtyLo = h.dirtyHi = undefined;
    return h;
  }
  return hllFromString(s, 64);
}

/** The HLL in `s` for reading only. */
export function peekHll(s: Bytes): Hll {
  return s === cachedString && cachedHll !== null ? cachedHll : hllFromString(s);
}

/** Remembers that `h` is the parsed form of `s` (and `count` its cardinality, if known). */
export function rememberHll(s: Bytes, h: Hll, count = -1): void {
  cachedString = s;
  cachedHll = h;
  cachedCardinality = count;
}

/** The cardinality computed earlier for exactly this string, or -1. */
export function knownCount(s: Bytes): number {
  return s === cachedString ? cachedCardinality : -1;
}

/** The HLL as a string, splicing a small dense change into `previous` instead of copying 12 KB. */
export function hllToStringAfter(previous: Bytes, h: Hll): Bytes {
  const lo = h.dirtyLo;
  const hi = h.dirtyHi;
  if (h.b[4] !== DENSE || previous.length !== DENSE_SIZE || previous.charCodeAt(4) !== DENSE) return hllToString(h);
  if (lo === undefined || hi === undefined) {
    return previous.slice(0, 15) + String.fromCharCode(h.b[15]!) + previous.slice(16);
  }
  if (hi - lo > 512) return hllToString(h);
  let mid = '';
  for (let i = lo; i <= hi; i++) mid += String.fromCharCode(h.b[i]!);
  return previous.slice(0, 15) + String.fromCharCode(h.b[15]!) + previous.slice(16, lo) + mid + previous.slice(hi + 1);
}
