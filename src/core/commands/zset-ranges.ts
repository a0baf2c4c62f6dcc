/**
 * Sorted-set ranges: ZRANGE with its BYSCORE/BYLEX/REV/LIMIT forms, the older
 * ZRANGEBYSCORE/ZREVRANGE... commands that are its special cases,
 * ZRANGESTORE, and ZREMRANGEBYRANK/SCORE/LEX. Every range starts at a node
 * found in O(log n) (by rank, or first/last inside a score or lex range).
 * This module is browser compatible.
 */
import type { Bytes } from '../bytes.js';
import type { CommandContext } from '../context.js';
import { CommandError, Err, ZsetErr } from '../errors.js';
import type { Reply } from '../resp/reply.js';
import {
  lexGteMin, lexLteMax, scoreGteMin, scoreLteMax, type LexRange, type ScoreRange, type SkipNode,
} from '../types/skiplist.js';
import { SortedSet } from '../types/zset.js';
import { intArg, isWord } from './parse.js';
import { parseLexRange, parseScoreRange } from './score.js';
import { command, type CommandSpec } from './types.js';
import { dropIfEmpty, readZset, ScoredReply, storeResult } from './zset-values.js';

type RangeKind = 'auto' | 'rank' | 'score' | 'lex';
type Direction = 'auto' | 'forward' | 'reverse';

/** Receives the members of a range in order: a client reply or a zset being stored. */
interface RangeSink {
  push(member: Bytes, score: number): void;
}

class StoreSink implements RangeSink {
  readonly zset = new SortedSet(true);
  push(member: Bytes, score: number): void {
    this.zset.set(member, score, null);
  }
}

/** Members at ranks [start, end] (Redis's index rules: negative from the end, clamped). */
export function emitRankRange(z: SortedSet, start: number, end: number, reverse: boolean, sink: RangeSink): void {
  const len = z.size;
  if (start < 0) start = len + start;
  if (end < 0) end = len + end;
  if (start < 0) start = 0;
  if (start > end || start >= len) return;
  if (end >= len) end = len - 1;
  let n = z.at(reverse ? len - 1 - start : start);
  for (let count = end - start + 1; count > 0 && n !== null; count--) {
    sink.push(n.member, n.score);
    n = reverse ? n.backward : n.next[0]!;
  }
}

/** The node `offset` steps past `from` in the walking direction, in O(log n). */
function skip(z: SortedSet, from: SkipNode, offset: number, reverse: boolean): SkipNode | null {
  if (offset === 0) return from;
  const rank = z.list.rank(from.score, from.member) - 1;
  return z.at(reverse ? rank - offset : rank + offset);
}

export function emitScoreRange(z: SortedSet, range: ScoreRange, offset: number, limit: number,
  reverse: boolean, sink: RangeSink): void {
  if (offset < 0) return;
  let n = reverse ? z.list.lastInScoreRange(range) : z.list.firstInScoreRange(range);
  if (n !== null) n = skip(z, n, offset, reverse);
  while (n !== null && limit-- !== 0) {
    if (reverse ? !scoreGteMin(n.score, range) : !scoreLteMax(n.score, range)) break;
    sink.push(n.member, n.score);
    n = reverse ? n.backward : n.next[0]!;
  }
}

export function emitLexRange(z: SortedSet, range: LexRange, offset: number, limit: number,
  reverse: boolean, sink: RangeSink): void {
  if (offset < 0) return;
  let n = reverse ? z.list.lastInLexRange(range) : z.list.firstInLexRange(range);
  if (n !== null) n = skip(z, n, offset, reverse);
  while (n !== null && limit-- !== 0) {
    if (reverse ? !lexGteMin(n.member, range) : !lexLteMax(n.member, range)) break;
    sink.push(n.member, n.score);
    n = reverse ? n.backward : n.next[0]!;
  }
}

/**
 * Redis's zrangeGenericCommand: `first` is the index of the source key; the
 * options after min and max are parsed the same way for every variant, and
 * a fixed kind or direction makes the matching option a syntax error.
 */
function zrangeGeneric(ctx: CommandContext, args: Bytes[], first: number, dst: Bytes | null,
  kind: RangeKind, direction: Direction): Reply {
  const key = args[first]!;
  let minIdx = first + 1;
  let maxIdx = first + 2;
  let withScores = false;
  let offset = 0;
  let limit = -1;
  for (let j = first + 3; j < args.length; j++) {
    const left = args.length - j - 1;
    const opt = args[j]!;
    if (dst === null && isWord(opt, 'WITHSCORES')) withScores = true;
    else if (left >= 2 && isWord(opt, 'LIMIT')) {
      offset = intArg(args[j + 1]!);
      limit = intArg(args[j + 2]!);
      j += 2;
    } else if (direction === 'auto' && isWord(opt, 'REV')) direction = 'reverse';
    else if (kind === 'auto' && isWord(opt, 'BYLEX')) kind = 'lex';
    else if (kind === 'auto' && isWord(opt, 'BYSCORE')) kind = 'score';
    else throw new CommandError(Err.syntax);
  }
  if (direction === 'auto') direction = 'forward';
  if (kind === 'auto') kind = 'rank';
  if (limit !== -1 && kind === 'rank') throw new CommandError(ZsetErr.limitNeedsBy);
  if (withScores && kind === 'lex') throw new CommandError(ZsetErr.withscoresBylex);
  const reverse = direction === 'reverse';
  if (reverse && kind !== 'rank') [minIdx, maxIdx] = [maxIdx, minIdx];

  let start = 0, end = 0;
  let scoreRange: ScoreRange | undefined;
  let lexRange: LexRange | undefined;
  if (kind === 'rank') {
    start = intArg(args[minIdx]!);
    end = intArg(args[maxIdx]!);
  } else if (kind === 'score') {
    scoreRange = parseScoreRange(args[minIdx]!, args[maxIdx]!);
  } else {
    lexRange = parseLexRange(args[minIdx]!, args[maxIdx]!);
  }

  const z = readZset(ctx, key);
  const emit = (sink: RangeSink): void => {
    if (z === undefined) return;
    if (kind === 'rank') emitRankRange(z, start, end, reverse, sink);
    else if (kind === 'score') emitScoreRange(z, scoreRange!, offset, limit, reverse, sink);
    else emitLexRange(z, lexRange!, offset, limit, reverse, sink);
  };
  if (dst === null) {
    const reply = new ScoredReply(ctx, withScores);
    emit(reply);
    return reply.items;
  }
  const result = new StoreSink();
  emit(result);
  return storeResult(ctx, dst, result.zset, 'zrangestore');
}

type RemoveKind = 'rank' | 'score' | 'lex';

const REMOVE_EVENTS: Record<RemoveKind, string> = {
  rank: 'zremrangebyrank', score: 'zremrangebyscore', lex: 'zremrangebylex',
};

function zremrange(ctx: CommandContext, args: Bytes[], kind: RemoveKind): Reply {
  const key = args[1]!;
  let start = 0, end = 0;
  let scoreRange: ScoreRange | undefined;
  let lexRange: LexRange | undefined;
  if (kind === 'rank') {
    start = intArg(args[2]!);
    end = intArg(args[3]!);
  } else if (kind === 'score') {
    scoreRange = parseScoreRange(args[2]!, args[3]!);
  } else {
    lexRange = parseLexRange(args[2]!, args[3]!);
  }
  const z = readZset(ctx, key);
  if (z === undefined) return 0;
  const doomed: Bytes[] = [];
  const sink: RangeSink = { push: (member) => { doomed.push(member); } };
  if (kind === 'rank') emitRankRange(z, start, end, false, sink);
  else if (kind === 'score') emitScoreRange(z, scoreRange!, 0, -1, false, sink);
  else emitLexRange(z, lexRange!, 0, -1, false, sink);
  if (doomed.length === 0) return 0;
  for (const m of doomed) z.remove(m);
  ctx.notify('z', REMOVE_EVENTS[kind], key);
  dropIfEmpty(ctx, key, z);
  ctx.modified(key);
  return doomed.length;
}

const single = { first: 1, last: 1, step: 1 };
const readFlags = ['readonly'] as const;

function rangeCommand(name: string, kind: RangeKind, direction: Direction, summary: string, since: string): CommandSpec {
  return command({
    name, arity: -4, flags: readFlags, keys: single,
    categories: ['sortedset'], group: 'sorted_set', summary, since,
    complexity: 'O(log(N)+M) with N being the number of elements in the sorted set and M the number of elements returned.',
    handler: (ctx, args) => zrangeGeneric(ctx, args, 1, null, kind, direction),
  });
}

export const zsetRangeCommands: CommandSpec[] = [
  rangeCommand('zrange', 'auto', 'auto', 'Returns members in a sorted set within a range of indexes.', '1.2.0'),
  rangeCommand('zrevrange', 'rank', 'reverse', 'Returns members in a sorted set within a range of indexes in reverse order.', '1.2.0'),
  rangeCommand('zrangebyscore', 'score', 'forward', 'Returns members in a sorted set within a range of scores.', '1.0.5'),
  rangeCommand('zrevrangebyscore', 'score', 'reverse', 'Returns members in a sorted set within a range of scores in reverse order.', '2.2.0'),
  rangeCommand('zrangebylex', 'lex', 'forward', 'Returns members in a sorted set within a lexicographical range.', '2.8.9'),
  rangeCommand('zrevrangebylex', 'lex', 'reverse', 'Returns members in a sorted set within a lexicographical range in reverse order.', '2.8.9'),
  command({
    name: 'zrangestore', arity: -5, flags: ['write', 'denyoom'], keys: { first: 1, last: 2, step: 1 },
    categories: ['sortedset'], group: 'sorted_set', since: '6.2.0',
    summary: 'Stores a range of members from sorted set in a key.',
    complexity: 'O(log(N)+M) with N being the number of elements in the sorted set and M the number of elements stored into the destination key.',
    handler: (ctx, args) => zrangeGeneric(ctx, args, 2, args[1]!, 'auto', 'auto'),
  }),
  command({
    name: 'zremrangebyrank', arity: 4, flags: ['write'], keys: single, categories: ['sortedset'], group: 'sorted_set',
    since: '2.0.0', summary: 'Removes members in a sorted set within a range of indexes. Deletes the sorted set if all members were removed.',
    complexity: 'O(log(N)+M) with N being the number of elements in the sorted set and M the number of elements removed by the operation.',
    handler: (ctx, args) => zremrange(ctx, args, 'rank'),
  }),
  command({
    name: 'zremrangebyscore', arity: 4, flags: ['write'], keys: single, categories: ['sortedset'], group: 'sorted_set',
    since: '1.2.0', summary: 'Removes members in a sorted set within a range of scores. Deletes the sorted set if all members were removed.',
    complexity: 'O(log(N)+M) with N being the number of elements in the sorted set and M the number of elements removed by the operation.',
    handler: (ctx, args) => zremrange(ctx, args, 'score'),
  }),
  command({
    name: 'zremrangebylex', arity: 4, flags: ['write'], keys: single, categories: ['sortedset'], group: 'sorted_set',
    since: '2.8.9', summary: 'Removes members in a sorted set within a lexicographical range. Deletes the sorted set if all members were removed.',
    complexity: 'O(log(N)+M) with N being the number of elements in the sorted set and M the number of elements removed by the operation.',
    handler: (ctx, args) => zremrange(ctx, args, 'lex'),
  }),
];
