/**
 * Sorted-set commands: adding, scoring, ranking and counting members. The
 * range, pop, set-operation, random and scan commands live in the other
 * zset-*.ts modules; `zsetCommands` gathers them all.
 * This module is browser compatible.
 */
import type { Bytes } from '../bytes.js';
import type { CommandContext } from '../context.js';
import { CommandError, Err, ZsetErr } from '../errors.js';
import { DoubleReply, NULL_ARRAY, type Reply } from '../resp/reply.js';
import { SortedSet } from '../types/zset.js';
import { isWord } from './parse.js';
import { parseLexRange, parseScoreRange, scoreArg } from './score.js';
import { command, type CommandSpec } from './types.js';
import { dropIfEmpty, limitsOf, readZset } from './zset-values.js';
import { zsetPopCommands } from './zset-pops.js';
import { zsetRangeCommands } from './zset-ranges.js';
import { zsetSetOpCommands } from './zset-setops.js';
import { zsetRandomCommands } from './zset-random.js';
import { zsetScanCommands } from './zset-scan.js';

const single = { first: 1, last: 1, step: 1 };

/** ZADD and ZINCRBY (ZADD ... INCR): Redis runs both through one routine. */
function zadd(ctx: CommandContext, args: Bytes[], incr: boolean): Reply {
  const key = args[1]!;
  let nx = false, xx = false, gt = false, lt = false, ch = false;
  let i = 2;
  for (; i < args.length; i++) {
    const opt = args[i]!;
    // Options are 2-4 letters; a score never starts with a letter other than i/n (inf, nan).
    if (opt.length < 2 || opt.length > 4 || (opt.charCodeAt(0) | 32) < 97) break;
    const up = opt.toUpperCase();
    if (up === 'NX') nx = true;
    else if (up === 'XX') xx = true;
    else if (up === 'CH') ch = true;
    else if (up === 'INCR') incr = true;
    else if (up === 'GT') gt = true;
    else if (up === 'LT') lt = true;
    else break;
  }
  const elements = args.length - i;
  if (elements === 0 || elements % 2 !== 0) throw new CommandError(Err.syntax);
  if (nx && xx) throw new CommandError(ZsetErr.xxAndNx);
  if ((gt && nx) || (lt && nx) || (gt && lt)) throw new CommandError(ZsetErr.gtLtNx);
  if (incr && elements > 2) throw new CommandError(ZsetErr.incrPair);
  const pairs = elements / 2;
  const scores = new Array<number>(pairs);
  for (let j = 0; j < pairs; j++) scores[j] = scoreArg(args[i + j * 2]!);

  let z = readZset(ctx, key);
  // A skiplist-encoded set never converts again: it needs no limits.
  const limits = z === undefined || !z.isSkiplist ? limitsOf(ctx) : null;
  if (z === undefined) {
    if (xx) return incr ? null : 0;
    z = SortedSet.forFirstMember(limits!, args[i + 1]!);
    ctx.db.set(key, z);
  }
  let added = 0, updated = 0, processed = 0;
  let score = 0;
  for (let j = 0; j < pairs; j++) {
    const member = args[i + 1 + j * 2]!;
    let s = scores[j]!;
    const cur = z.score(member);
    if (cur !== undefined) {
      if (nx) continue;
      if (incr) {
        s += cur;
        if (Number.isNaN(s)) throw new CommandError(ZsetErr.nanScore);
      }
      if ((lt && s >= cur) || (gt && s <= cur)) continue;
      if (s !== cur) {
        z.set(member, s, limits);
        updated++;
      }
    } else {
      if (xx) continue;
      z.set(member, s, limits);
      added++;
    }
    // The reply is the computed score, even where a listpack stores -0 as 0.
    score = s;
    processed++;
  }
  if (added || updated) {
    ctx.modified(key);
    ctx.notify('z', incr ? 'zincr' : 'zadd', key);
  }
  if (incr) return processed ? new DoubleReply(score) : null;
  return ch ? added + updated : added;
}

/** The number of members between two ranks (inclusive), from the first and last node in range. */
function countBetween(z: SortedSet, first: { score: number; member: Bytes } | null,
  last: { score: number; member: Bytes } | null): number {
  if (first === null || last === null) return 0;
  return z.list.rank(last.score, last.member) - z.list.rank(first.score, first.member) + 1;
}

function rankCommand(reverse: boolean) {
  return (ctx: CommandContext, args: Bytes[]): Reply => {
    if (args.length > 4) throw new CommandError(Err.wrongArity(args[0]!.toLowerCase()));
    const withScore = args.length === 4;
    if (withScore && !isWord(args[3]!, 'WITHSCORE')) throw new CommandError(Err.syntax);
    const z = readZset(ctx, args[1]!);
    const rank = z === undefined ? -1 : z.rank(args[2]!, reverse);
    if (rank < 0) return withScore ? NULL_ARRAY : null;
    return withScore ? [rank, new DoubleReply(z!.score(args[2]!)!)] : rank;
  };
}

const basicCommands: CommandSpec[] = [
  command({
    name: 'zadd', arity: -4, flags: ['write', 'denyoom', 'fast'], keys: single, categories: ['sortedset'], group: 'sorted_set',
    summary: 'Adds one or more members to a sorted set, or updates their scores. Creates the key if it does not exist.',
    since: '1.2.0', complexity: 'O(log(N)) for each item added, where N is the number of elements in the sorted set.',
    handler: (ctx, args) => zadd(ctx, args, false),
  }),
  command({
    name: 'zincrby', arity: 4, flags: ['write', 'denyoom', 'fast'], keys: single, categories: ['sortedset'], group: 'sorted_set',
    summary: 'Increments the score of a member in a sorted set.',
    since: '1.2.0', complexity: 'O(log(N)) where N is the number of elements in the sorted set.',
    handler: (ctx, args) => zadd(ctx, args, true),
  }),
  command({
    name: 'zrem', arity: -3, flags: ['write', 'fast'], keys: single, categories: ['sortedset'], group: 'sorted_set',
    summary: 'Removes one or more members from a sorted set. Deletes the sorted set if all members were removed.',
    since: '1.2.0', complexity: 'O(M*log(N)) with N being the number of elements in the sorted set and M the number of elements to be removed.',
    handler(ctx, args): Reply {
      const key = args[1]!;
      const z = readZset(ctx, key);
      if (z === undefined) return 0;
      let removed = 0;
      for (let i = 2; i < args.length; i++) {
        if (z.remove(args[i]!)) removed++;
        if (z.size === 0) break;
      }
      if (removed) {
        ctx.notify('z', 'zrem', key);
        dropIfEmpty(ctx, key, z);
        ctx.modified(key);
      }
      return removed;
    },
  }),
  command({
    name: 'zcard', arity: 2, flags: ['readonly', 'fast'], keys: single, categories: ['sortedset'], group: 'sorted_set',
    summary: 'Returns the number of members in a sorted set.', since: '1.2.0', complexity: 'O(1)',
    handler: (ctx, args) => readZset(ctx, args[1]!)?.size ?? 0,
  }),
  command({
    name: 'zscore', arity: 3, flags: ['readonly', 'fast'], keys: single, categories: ['sortedset'], group: 'sorted_set',
    summary: 'Returns the score of a member in a sorted set.', since: '1.2.0', complexity: 'O(1)',
    handler(ctx, args): Reply {
      const s = readZset(ctx, args[1]!)?.score(args[2]!);
      return s === undefined ? null : new DoubleReply(s);
    },
  }),
  command({
    name: 'zmscore', arity: -3, flags: ['readonly', 'fast'], keys: single, categories: ['sortedset'], group: 'sorted_set',
    summary: 'Returns the score of one or more members in a sorted set.', since: '6.2.0',
    complexity: 'O(N) where N is the number of members being requested.',
    handler(ctx, args): Reply {
      const z = readZset(ctx, args[1]!);
      const out: Reply[] = [];
      for (let i = 2; i < args.length; i++) {
        const s = z?.score(args[i]!);
        out.push(s === undefined ? null : new DoubleReply(s));
      }
      return out;
    },
  }),
  command({
    name: 'zrank', arity: -3, flags: ['readonly', 'fast'], keys: single, categories: ['sortedset'], group: 'sorted_set',
    summary: 'Returns the index of a member in a sorted set ordered by ascending scores.', since: '2.0.0',
    complexity: 'O(log(N))',
    handler: rankCommand(false),
  }),
  command({
    name: 'zrevrank', arity: -3, flags: ['readonly', 'fast'], keys: single, categories: ['sortedset'], group: 'sorted_set',
    summary: 'Returns the index of a member in a sorted set ordered by descending scores.', since: '2.0.0',
    complexity: 'O(log(N))',
    handler: rankCommand(true),
  }),
  command({
    name: 'zcount', arity: 4, flags: ['readonly', 'fast'], keys: single, categories: ['sortedset'], group: 'sorted_set',
    summary: 'Returns the count of members in a sorted set that have scores within a range.', since: '2.0.0',
    complexity: 'O(log(N)) with N being the number of elements in the sorted set.',
    handler(ctx, args): Reply {
      const range = parseScoreRange(args[2]!, args[3]!);
      const z = readZset(ctx, args[1]!);
      if (z === undefined) return 0;
      return countBetween(z, z.list.firstInScoreRange(range), z.list.lastInScoreRange(range));
    },
  }),
  command({
    name: 'zlexcount', arity: 4, flags: ['readonly', 'fast'], keys: single, categories: ['sortedset'], group: 'sorted_set',
    summary: 'Returns the number of members in a sorted set within a lexicographical range.', since: '2.8.9',
    complexity: 'O(log(N)) with N being the number of elements in the sorted set.',
    handler(ctx, args): Reply {
      const range = parseLexRange(args[2]!, args[3]!);
      const z = readZset(ctx, args[1]!);
      if (z === undefined) return 0;
      return countBetween(z, z.list.firstInLexRange(range), z.list.lastInLexRange(range));
    },
  }),
];

export const zsetCommands: CommandSpec[] = [
  ...basicCommands,
  ...zsetRangeCommands,
  ...zsetPopCommands,
  ...zsetSetOpCommands,
  ...zsetRandomCommands,
  ...zsetScanCommands,
];
