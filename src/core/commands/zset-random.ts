/**
 * ZRANDMEMBER: random members drawn from the command's seed, each found by
 * rank in O(log n).
 * This module is browser compatible.
 */
import type { Bytes } from '../bytes.js';
import type { CommandContext } from '../context.js';
import { CommandError, Err, ZsetErr } from '../errors.js';
import type { Reply } from '../resp/reply.js';
import { isWord, parseInt64 } from './parse.js';
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

export const zsetRandomCommands: CommandSpec[] = [
  command({
    name: 'zrandmember', arity: -2, flags: ['readonly'], keys: { first: 1, last: 1, step: 1 }, categories: ['sortedset'],
    group: 'sorted_set', since: '6.2.0', summary: 'Returns one or more random members from a sorted set.',
    complexity: 'O(N) where N is the number of members returned',
    handler: zrandmember,
  }),
];
