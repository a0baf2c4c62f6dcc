/**
 * LCS: the longest common subsequence of two strings, by the same dynamic
 * programming table Redis builds, walked back the same way so that ties
 * between equally long subsequences resolve to the same answer and the same
 * match ranges.
 * This module is browser compatible.
 */
import type { Bytes } from '../bytes.js';
import { CommandError, Err } from '../errors.js';
import { MapReply, type Reply } from '../resp/reply.js';

export interface LcsOptions {
  /** Reply with the length only. */
  len: boolean;
  /** Reply with the matching ranges and the length. */
  idx: boolean;
  /** Ranges shorter than this are left out of IDX. */
  minMatchLen: number;
  withMatchLen: boolean;
}

export function longestCommonSubsequence(a: Bytes, b: Bytes, opts: LcsOptions, maxTableBytes: number): Reply {
  const alen = a.length;
  const blen = b.length;
  const width = blen + 1;
  const cells = (alen + 1) * width;
  if (cells * 4 > maxTableBytes) throw new CommandError(Err.lcsMemory);
  // Lengths fit 32 bits: Redis refuses strings of 2^32 - 2 bytes and more.
  const table = new Uint32Array(cells);
  for (let i = 1; i <= alen; i++) {
    const ca = a.charCodeAt(i - 1);
    const row = i * width;
    const prev = row - width;
    for (let j = 1; j <= blen; j++) {
      if (ca === b.charCodeAt(j - 1)) table[row + j] = table[prev + j - 1]! + 1;
      else {
        const up = table[prev + j]!;
        const left = table[row + j - 1]!;
        table[row + j] = up > left ? up : left;
      }
    }
  }
  const total = table[alen * width + blen]!;
  if (opts.len && !opts.idx) return total;

  const chars: number[] = new Array<number>(total);
  const matches: Reply[] = [];
  let idx = total;
  // alen as the start means "no range open".
  let aStart = alen;
  let aEnd = 0;
  let bStart = 0;
  let bEnd = 0;
  let i = alen;
  let j = blen;
  while (i > 0 && j > 0) {
    let emit = false;
    if (a.charCodeAt(i - 1) === b.charCodeAt(j - 1)) {
      chars[idx - 1] = a.charCodeAt(i - 1);
      if (aStart === alen) {
        aStart = aEnd = i - 1;
        bStart = bEnd = j - 1;
      } else if (aStart === i && bStart === j) {
        aStart--;
        bStart--;
      } else {
        emit = true;
      }
      if (aStart === 0 || bStart === 0) emit = true;
      idx--;
      i--;
      j--;
    } else {
      if (table[(i - 1) * width + j]! > table[i * width + j - 1]!) i--;
      else j--;
      if (aStart !== alen) emit = true;
    }
    if (emit) {
      const matchLen = aEnd - aStart + 1;
      if (opts.idx && (opts.minMatchLen === 0 || matchLen >= opts.minMatchLen)) {
        const range: Reply[] = [[aStart, aEnd], [bStart, bEnd]];
        if (opts.withMatchLen) range.push(matchLen);
        matches.push(range);
      }
      aStart = alen;
    }
  }
  if (opts.idx) return new MapReply(['matches', matches, 'len', total]);
  let out = '';
  for (let k = 0; k < chars.length; k++) out += String.fromCharCode(chars[k]!);
  return out;
}
