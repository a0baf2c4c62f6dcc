/**
 * Glob matching exactly as Redis's stringmatchlen: `*`, `?`, `[abc]`,
 * `[^a-z]`, ranges in either order, and `\` escapes, over bytes.
 * This module is browser compatible.
 */
import type { Bytes } from './bytes.js';

export function globMatch(pattern: Bytes, subject: Bytes, nocase = false): boolean {
  // Every caller in Redis treats a lone `*` as matching everything, the empty key too.
  if (pattern === '*') return true;
  return matchAt(pattern, 0, subject, 0, nocase, 0) === 1;
}

// 1: match, 0: no match, -1: no match and no later `*` position can match either.
function matchAt(p: string, pi: number, s: string, si: number, nocase: boolean, depth: number): number {
  if (depth > 1000) return -1;
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
        const not = p.charCodeAt(pi) === 94; // ^
        if (not) pi++;
        let match = false;
        const sc = fold(s.charCodeAt(si), nocase);
        for (;;) {
          if (pi >= plen) {
            pi--; // Redis treats an unterminated class as ending here
            break;
          }
          const pc = p.charCodeAt(pi);
          if (pc === 92 && pi + 1 < plen) { // \
            pi++;
            if (fold(p.charCodeAt(pi), nocase) === sc) match = true;
          } else if (pc === 93) { // ]
            break;
          } else if (pi + 2 < plen && p.charCodeAt(pi + 1) === 45) { // a-z
            let start = fold(pc, nocase);
            let end = fold(p.charCodeAt(pi + 2), nocase);
            if (start > end) [start, end] = [end, start];
            pi += 2;
            if (sc >= start && sc <= end) match = true;
          } else if (fold(pc, nocase) === sc) {
            match = true;
          }
          pi++;
        }
        if (not) match = !match;
        if (!match) return 0;
        si++;
        break;
      }
      default:
        if (c === 92 && pi + 1 < plen) pi++; // \ escapes the next char
        if (fold(p.charCodeAt(pi), nocase) !== fold(s.charCodeAt(si), nocase)) return 0;
        si++;
        break;
    }
    pi++;
    if (si === slen) {
      while (pi < plen && p.charCodeAt(pi) === 42) pi++;
      break;
    }
  }
  return pi === plen && si === slen ? 1 : 0;
}

function fold(c: number, nocase: boolean): number {
  return nocase && c >= 65 && c <= 90 ? c + 32 : c;
}
