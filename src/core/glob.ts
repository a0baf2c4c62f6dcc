/**
 * Glob matching exactly as Redis's stringmatchlen: `*`, `?`, `[abc]`,
 * `[^a-z]`, ranges in either order, and `\` escapes, over bytes. Redis
 * compares bytes as C `char`, which is signed on the platforms it ships on,
 * so range bounds above 0x7f order below 0x00; that is reproduced here.
 * This module is browser compatible.
 */
import type { Bytes } from './bytes.js';

export function globMatch(pattern: Bytes, subject: Bytes, nocase = false): boolean {
  // Every caller in Redis treats a lone `*` as matching everything, the empty key too.
  if (pattern === '*') return true;
  return matchAt(pattern, 0, subject, 0, nocase, 0) === 1;
}

/** A byte as a signed C char. */
function signed(c: number): number {
  return c > 127 ? c - 256 : c;
}

/** C tolower in the "C" locale: ASCII letters only. */
function lower(c: number): number {
  return c >= 65 && c <= 90 ? c + 32 : c;
}

// 1: match, 0: no match, -1: no match and no longer match of an earlier `*` can match either.
function matchAt(p: string, pi: number, s: string, si: number, nocase: boolean, depth: number): number {
  // Redis's guard against abusive patterns (CVE-2022-36021).
  if (depth > 1000) return 0;
  const plen = p.length;
  const slen = s.length;
  while (pi < plen && si < slen) {
    const c = p.charCodeAt(pi);
    switch (c) {
      case 42: { // *
        while (pi + 1 < plen && p.charCodeAt(pi + 1) === 42) pi++;
        if (pi + 1 === plen) return 1;
        for (let k = si; k < slen; k++) {
          const r = matchAt(p, pi + 1, s, k, nocase, depth + 1);
          if (r === 1) return 1;
          if (r === -1) return -1;
        }
        return -1;
      }
      case 63: // ?
        si++;
        break;
      case 91: { // [
        pi++;
        const not = pi < plen && p.charCodeAt(pi) === 94; // ^
        if (not) pi++;
        let match = false;
        const sc = s.charCodeAt(si);
        for (;;) {
          if (pi < plen && p.charCodeAt(pi) === 92 && pi + 1 < plen) { // \ escapes, compared as is even with nocase
            pi++;
            if (p.charCodeAt(pi) === sc) match = true;
          } else if (pi < plen && p.charCodeAt(pi) === 93) { // ]
            break;
          } else if (pi >= plen) {
            pi--; // an unterminated class ends with the pattern
            break;
          } else if (pi + 2 < plen && p.charCodeAt(pi + 1) === 45) { // a-z
            let start = signed(p.charCodeAt(pi));
            let end = signed(p.charCodeAt(pi + 2));
            let x = signed(sc);
            if (start > end) [start, end] = [end, start];
            if (nocase) {
              start = lower(start);
              end = lower(end);
              x = lower(x);
            }
            pi += 2;
            if (x >= start && x <= end) match = true;
          } else if (nocase ? lower(p.charCodeAt(pi)) === lower(sc) : p.charCodeAt(pi) === sc) {
            match = true;
          }
          pi++;
        }
        if (not) match = !match;
        if (!match) return 0;
        si++;
        break;
      }
      default: {
        if (c === 92 && pi + 1 < plen) pi++; // \ escapes the next byte
        const pc = p.charCodeAt(pi);
        const sc = s.charCodeAt(si);
        if (nocase ? lower(pc) !== lower(sc) : pc !== sc) return 0;
        si++;
        break;
      }
    }
    pi++;
    if (si === slen) {
      while (pi < plen && p.charCodeAt(pi) === 42) pi++;
      break;
    }
  }
  return pi === plen && si === slen ? 1 : 0;
}
