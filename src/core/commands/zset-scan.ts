/**
 * ZSCAN. A listpack-encoded set comes back whole with cursor 0, as Redis
 * does. A larger one is walked in (score, member) order, and the cursor says
 * where to resume:
 *
 * - usually it is the next score itself, mapped to an unsigned 64-bit
 *   integer that sorts like the doubles do; resuming at "the first member
 *   with a score >= that" never skips a member that stayed in the set, even
 *   when members before it were removed (scan-and-delete keeps working);
 * - when a page has to end inside a long run of equal scores, it is the
 *   rank of the next member instead. Those cursors live below 2^52 - 1,
 *   where score cursors would only stand for negative NaNs, which a zset
 *   never holds. Only this case can skip members removed mid-scan.
 *
 * This module is browser compatible.
 */
import type { Bytes } from '../bytes.js';
import type { CommandContext } from '../context.js';
import { CommandError, Err, ZsetErr } from '../errors.js';
import { globMatch } from '../glob.js';
import type { Reply } from '../resp/reply.js';
import type { SkipNode } from '../types/skiplist.js';
import type { SortedSet } from '../types/zset.js';
import { isWord, parseIntNumber } from './parse.js';
import { formatListpackScore, formatScore } from './score.js';
import { command, type CommandSpec } from './types.js';
import { readZset } from './zset-values.js';

const U64 = 2n ** 64n;
const MASK = U64 - 1n;
const SIGN = 1n << 63n;
/** Cursors below this are ranks; -inf's score cursor is exactly this value. */
const RANK_CURSORS = 2n ** 52n - 1n;

const view = new DataView(new ArrayBuffer(8));

export function scoreCursor(score: number): bigint {
  view.setFloat64(0, score === 0 ? 0 : score);
  const bits = view.getBigUint64(0);
  return bits & SIGN ? ~bits & MASK : bits | SIGN;
}

export function cursorScore(cursor: bigint): number {
  view.setBigUint64(0, cursor & SIGN ? cursor ^ SIGN : ~cursor & MASK);
  return view.getFloat64(0);
}

/** SCAN cursors are unsigned 64-bit decimals (strtoul: a sign is allowed, a leading space is not). */
function parseCursor(text: Bytes): bigint {
  if (!/^[+-]?\d+$/.test(text)) throw new CommandError(ZsetErr.invalidCursor);
  const v = BigInt(text);
  if (v > MASK || v < -MASK) throw new CommandError(ZsetErr.invalidCursor);
  return v < 0n ? U64 + v : v;
}

function resumeAt(z: SortedSet, cursor: bigint): SkipNode | null {
  if (cursor === 0n) return z.list.first;
  if (cursor < RANK_CURSORS) return z.at(Number(cursor));
  const min = cursorScore(cursor);
  if (Number.isNaN(min)) return null;
  return z.list.firstInScoreRange({ min, minex: false, max: Infinity, maxex: false });
}

function scanSkiplist(z: SortedSet, cursor: bigint, count: number, pattern: Bytes | null, out: Reply[]): Reply {
  let n = resumeAt(z, cursor);
  let taken = 0;
  let last = NaN;
  // A page may run on (up to twice COUNT) to finish a run of equal scores.
  while (n !== null && (taken < count || (n.score === last && taken < 2 * count))) {
    if (pattern === null || globMatch(pattern, n.member)) out.push(n.member, formatScore(n.score));
    last = n.score;
    taken++;
    n = n.next[0]!;
  }
  if (n === null) return ['0', out];
  const next = n.score !== last ? scoreCursor(n.score) : BigInt(z.list.rank(n.score, n.member) - 1);
  return [next.toString(), out];
}

function zscan(ctx: CommandContext, args: Bytes[]): Reply {
  const cursor = parseCursor(args[2]!);
  const z = readZset(ctx, args[1]!);
  if (z === undefined) return ['0', []];
  let count = 10;
  let pattern: Bytes | null = null;
  for (let i = 3; i < args.length;) {
    const left = args.length - i;
    if (left >= 2 && isWord(args[i]!, 'COUNT')) {
      const n = parseIntNumber(args[i + 1]!);
      if (n === null) throw new CommandError(Err.notInteger);
      if (n < 1) throw new CommandError(Err.syntax);
      count = n;
      i += 2;
    } else if (left >= 2 && isWord(args[i]!, 'MATCH')) {
      pattern = args[i + 1] === '*' ? null : args[i + 1]!;
      i += 2;
    } else {
      throw new CommandError(Err.syntax);
    }
  }
  const out: Reply[] = [];
  if (!z.isSkiplist) {
    for (let n = z.list.first; n !== null; n = n.next[0]!) {
      if (pattern === null || globMatch(pattern, n.member)) out.push(n.member, formatListpackScore(n.score));
    }
    return ['0', out];
  }
  return scanSkiplist(z, cursor, count, pattern, out);
}

export const zsetScanCommands: CommandSpec[] = [
  command({
    name: 'zscan', arity: -3, flags: ['readonly'], keys: { first: 1, last: 1, step: 1 }, categories: ['sortedset'],
    group: 'sorted_set', since: '2.8.0', summary: 'Iterates over members and scores of a sorted set.',
    complexity: 'O(1) for every call. O(N) for a complete iteration, including enough command calls for the cursor to return back to 0.',
    handler: zscan,
  }),
];
