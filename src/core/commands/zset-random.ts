/**
 * Sampling and iterating sorted sets: ZRANDMEMBER (random members drawn from
 * the command's seed, by rank in O(log n) each) and ZSCAN.
 * This module is browser compatible.
 */
import type { Bytes } from '../bytes.js';
import type { CommandContext } from '../context.js';
import { CommandError, Err, ZsetErr } from '../errors.js';
import { globMatch } from '../glob.js';
import type { Reply } from '../resp/reply.js';
import type { SortedSet } from '../types/zset.js';
import { isWord, parseInt64, parseIntNumber } from './parse.js';
import { formatListpackScore, formatScore } from './score.js';
import { command, type CommandSpec } from './types.js';
import { emitRankRange } from './zset-ranges.js';
import { readZset, ScoredReply } from './zset-values.js';

const LONG_MAX = 2n ** 63n - 1n;

function randomRank(ctx: CommandContext, size: number): number {
  return Math.floor(ctx.random() * size);
}

function zrandmember(ctx: CommandContext, args: Bytes[]): Reply {
  if (args.length === 2) {
    const z = readZset(ctx, args[1]!);
    if (z === undefined) return null;
    return z.at(randomRank(ctx, z.size))!.member;
  }
  const big = parseInt64(args[2]!);
  if (big === null) throw new CommandError(Err.notInteger);
  if (big < -LONG_MAX) throw new CommandError(`ERR value is out of range, value must between ${-LONG_MAX} and ${LONG_MAX}`);
  if (args.length > 4 || (args.length === 4 && !isWord(args[3]!, 'WITHSCORES'))) throw new CommandError(Err.syntax);
  const withScores = args.length === 4;
  if (withScores && (big < -LONG_MAX / 2n || big > LONG_MAX / 2n)) throw new CommandError(ZsetErr.valueOutOfRange);
  const z = readZset(ctx, args[1]!);
  if (z === undefined) return [];
  const l = Number(big);
  const reply = new ScoredReply(ctx, withScores);
  const size = z.size;
  const count = Math.abs(l);
  if (count === 0) return [];
  if (l < 0 || count === 1) {
    // Sampled with repetitions, in random order.
    for (let i = 0; i < count; i++) {
      const n = z.at(randomRank(ctx, size))!;
      reply.push(n.member, n.score);
    }
    return reply.items;
  }
  if (count >= size) {
    // Redis 7.0 answers with the whole set, highest score first.
    emitRankRange(z, 0, -1, true, reply);
    return reply.items;
  }
  // Distinct ranks (Floyd's sampling), emitted in the order drawn.
  const picked = new Set<number>();
  for (let top = size - count; top < size; top++) {
    const r = Math.floor(ctx.random() * (top + 1));
    picked.add(picked.has(r) ? top : r);
  }
  for (const r of picked) {
    const n = z.at(r)!;
    reply.push(n.member, n.score);
  }
  return reply.items;
}

/** SCAN cursors are unsigned 64-bit decimals (strtoul, no leading space). */
function parseCursor(text: Bytes): number {
  if (!/^[+-]?\d+$/.test(text)) throw new CommandError(ZsetErr.invalidCursor);
  const v = BigInt(text);
  if (v > 2n ** 64n - 1n || v < -(2n ** 64n - 1n)) throw new CommandError(ZsetErr.invalidCursor);
  return v < 0n ? Number(2n ** 64n + v) : Number(v);
}

/**
 * ZSCAN. A listpack-encoded set comes back whole with cursor 0, as in Redis.
 * A larger one is walked in (score, member) order; the cursor is the rank
 * to resume from, so members present for the whole scan are returned once
 * unless members ranked before the cursor are removed between calls.
 */
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

function scanSkiplist(z: SortedSet, cursor: number, count: number, pattern: Bytes | null, out: Reply[]): Reply {
  let n = z.at(cursor);
  let next = cursor;
  for (let i = 0; i < count && n !== null; i++, next++) {
    if (pattern === null || globMatch(pattern, n.member)) out.push(n.member, formatScore(n.score));
    n = n.next[0]!;
  }
  return [n === null ? '0' : String(next), out];
}

export const zsetRandomCommands: CommandSpec[] = [
  command({
    name: 'zrandmember', arity: -2, flags: ['readonly'], keys: { first: 1, last: 1, step: 1 }, categories: ['sortedset'],
    group: 'sorted_set', since: '6.2.0', summary: 'Returns one or more random members from a sorted set.',
    complexity: 'O(N) where N is the number of members returned',
    handler: zrandmember,
  }),
  command({
    name: 'zscan', arity: -3, flags: ['readonly'], keys: { first: 1, last: 1, step: 1 }, categories: ['sortedset'],
    group: 'sorted_set', since: '2.8.0', summary: 'Iterates over members and scores of a sorted set.',
    complexity: 'O(1) for every call. O(N) for a complete iteration, including enough command calls for the cursor to return back to 0.',
    handler: zscan,
  }),
];
