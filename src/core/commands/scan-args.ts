/**
 * SCAN-style arguments (cursor, MATCH, COUNT, NOVALUES) for HSCAN and SSCAN,
 * and the cursor over a large collection.
 *
 * The cursor keeps Redis's guarantee (an element present for the whole scan
 * is returned at least once) without a hash table of our own: elements are
 * visited in the order of a 32-bit hash of their bytes, and the cursor is the
 * hash to resume from. That order is computed once and kept until the
 * collection changes.
 * This module is browser compatible.
 */
import type { Bytes } from '../bytes.js';
import { CommandError, Err } from '../errors.js';
import { isWord, parseIntNumber } from './parse.js';

export interface ScanOptions {
  pattern: Bytes | null;
  count: number;
  noValues: boolean;
}

const UINT64 = 2n ** 64n;

/** The cursor as Redis's strtoul reads it (digits with an optional sign; "-1" wraps). */
export function parseScanCursor(text: Bytes): bigint {
  const m = /^([+-]?)(\d*)$/.exec(text);
  if (m === null) throw new CommandError(Err.invalidCursor);
  if (m[2] === '') return 0n;
  let v = BigInt(m[2]!);
  if (v >= UINT64) throw new CommandError(Err.invalidCursor);
  if (m[1] === '-' && v !== 0n) v = UINT64 - v;
  return v;
}

/** Options after the cursor, from `args[from]` on. */
export function parseScanOptions(args: Bytes[], from: number, allowNoValues: boolean): ScanOptions {
  const out: ScanOptions = { pattern: null, count: 10, noValues: false };
  for (let i = from; i < args.length;) {
    const left = args.length - i;
    const a = args[i]!;
    if (isWord(a, 'COUNT') && left >= 2) {
      const n = parseIntNumber(args[i + 1]!);
      if (n === null) throw new CommandError(Err.notInteger);
      if (n < 1) throw new CommandError(Err.syntax);
      out.count = n;
      i += 2;
    } else if (isWord(a, 'MATCH') && left >= 2) {
      const p = args[i + 1]!;
      out.pattern = p === '*' ? null : p;
      i += 2;
    } else if (allowNoValues && isWord(a, 'NOVALUES')) {
      out.noValues = true;
      i++;
    } else {
      throw new CommandError(Err.syntax);
    }
  }
  return out;
}

/** FNV-1a over the bytes: a stable order for the cursor. */
export function scanHash(s: Bytes): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < s.length; i++) h = Math.imul(h ^ s.charCodeAt(i), 0x01000193);
  return h >>> 0;
}

/** The elements of a collection in cursor order. */
export class ScanOrder {
  private constructor(readonly hashes: Float64Array, readonly items: Bytes[]) {}

  static of(items: Iterable<Bytes>): ScanOrder {
    const pairs: [number, Bytes][] = [];
    for (const it of items) pairs.push([scanHash(it), it]);
    pairs.sort((a, b) => a[0] - b[0]);
    const hashes = new Float64Array(pairs.length);
    const out: Bytes[] = new Array(pairs.length);
    for (let i = 0; i < pairs.length; i++) {
      hashes[i] = pairs[i]![0];
      out[i] = pairs[i]![1];
    }
    return new ScanOrder(hashes, out);
  }

  /**
   * About `count` elements from `cursor` on (all that share the last one's
   * hash, so none is skipped), and the next cursor (0 at the end).
   * Elements that no longer exist are for the caller to skip.
   */
  page(cursor: bigint, count: number): { next: bigint; items: Bytes[] } {
    const hashes = this.hashes;
    const start = cursor > 0xffffffffn ? hashes.length : lowerBound(hashes, Number(cursor));
    let end = Math.min(start + count, hashes.length);
    while (end < hashes.length && end > start && hashes[end] === hashes[end - 1]) end++;
    const next = end >= hashes.length ? 0n : BigInt(hashes[end]!);
    return { next, items: this.items.slice(start, end) };
  }
}

function lowerBound(a: Float64Array, v: number): number {
  let lo = 0;
  let hi = a.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (a[mid]! < v) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}
