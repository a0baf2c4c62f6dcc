/**
 * Set algebra over sorted sets: ZUNION, ZINTER, ZDIFF, their STORE forms and
 * ZINTERCARD, with WEIGHTS and AGGREGATE SUM|MIN|MAX. Plain sets are valid
 * inputs: each member counts with score 1.
 * This module is browser compatible.
 */
import type { Bytes } from '../bytes.js';
import type { CommandContext } from '../context.js';
import { CommandError, Err, ZsetErr } from '../errors.js';
import type { Reply } from '../resp/reply.js';
import { SortedSet } from '../types/zset.js';
import { intArg, isWord, parseIntNumber } from './parse.js';
import { parseScore } from './score.js';
import { command, type CommandSpec } from './types.js';
import { ScoredReply, storeResult } from './zset-values.js';

type SetOp = 'union' | 'inter' | 'diff';
type Aggregate = 'sum' | 'min' | 'max';

/** What a plain set value offers (the set type lives in its own module). */
interface PlainSet {
  readonly type: 'set';
  readonly size: number;
  has(member: Bytes): boolean;
  [Symbol.iterator](): Iterator<Bytes>;
}

/** One input: a zset, a plain set, or nothing (a missing key), with its weight. */
interface Source {
  zset: SortedSet | null;
  set: PlainSet | null;
  weight: number;
}

function sourceSize(s: Source): number {
  return s.zset ? s.zset.size : s.set ? s.set.size : 0;
}

function sourceScore(s: Source, member: Bytes): number | undefined {
  if (s.zset) return s.zset.score(member);
  if (s.set) return s.set.has(member) ? 1 : undefined;
  return undefined;
}

function forEachMember(s: Source, fn: (member: Bytes, score: number) => void): void {
  if (s.zset) {
    for (let n = s.zset.list.first; n !== null; n = n.next[0]!) fn(n.member, n.score);
  } else if (s.set) {
    for (const m of s.set as Iterable<Bytes>) fn(m, 1);
  }
}

function aggregate(a: number, b: number, how: Aggregate): number {
  if (how === 'sum') {
    const v = a + b;
    // inf + -inf: Redis makes it 0 rather than store a NaN.
    return Number.isNaN(v) ? 0 : v;
  }
  return how === 'min' ? (b < a ? b : a) : (b > a ? b : a);
}

function weighted(score: number, weight: number): number {
  const v = score * weight;
  return Number.isNaN(v) ? 0 : v;
}

interface Parsed {
  sources: Source[];
  how: Aggregate;
  withScores: boolean;
  limit: number;
}

/** Redis's zunionInterDiffGenericCommand argument handling (keys, then options). */
function parseSetOp(ctx: CommandContext, args: Bytes[], numkeysAt: number, op: SetOp,
  store: boolean, cardOnly: boolean): Parsed {
  const numkeys = intArg(args[numkeysAt]!);
  if (numkeys < 1) {
    throw new CommandError(ZsetErr.needInputKey(args[0]!.toLowerCase()));
  }
  if (numkeys > args.length - (numkeysAt + 1)) {
    throw new CommandError(Err.syntax);
  }
  const sources: Source[] = [];
  let j = numkeysAt + 1;
  for (let i = 0; i < numkeys; i++, j++) {
    const v = ctx.db.get(args[j]!, ctx.now);
    const src: Source = { zset: null, set: null, weight: 1 };
    if (v !== undefined) {
      if (v instanceof SortedSet) src.zset = v;
      else if (typeof v !== 'string' && v.type === 'set') src.set = v as unknown as PlainSet;
      else throw new CommandError(Err.wrongType);
    }
    sources.push(src);
  }
  let how: Aggregate = 'sum';
  let withScores = false;
  let limit = 0;
  while (j < args.length) {
    const remaining = args.length - j;
    const opt = args[j]!;
    if (op !== 'diff' && !cardOnly && remaining >= numkeys + 1 && isWord(opt, 'WEIGHTS')) {
      j++;
      for (let i = 0; i < numkeys; i++, j++) {
        const w = parseScore(args[j]!);
        if (w === null) throw new CommandError(ZsetErr.weightNotFloat);
        sources[i]!.weight = w;
      }
    } else if (op !== 'diff' && !cardOnly && remaining >= 2 && isWord(opt, 'AGGREGATE')) {
      const a = args[j + 1]!;
      if (isWord(a, 'SUM')) how = 'sum';
      else if (isWord(a, 'MIN')) how = 'min';
      else if (isWord(a, 'MAX')) how = 'max';
      else throw new CommandError(Err.syntax);
      j += 2;
    } else if (!store && !cardOnly && isWord(opt, 'WITHSCORES')) {
      withScores = true;
      j++;
    } else if (cardOnly && remaining >= 2 && isWord(opt, 'LIMIT')) {
      const n = parseIntNumber(args[j + 1]!);
      if (n === null || n < 0) throw new CommandError(ZsetErr.limitNegative);
      limit = n;
      j += 2;
    } else {
      throw new CommandError(Err.syntax);
    }
  }
  return { sources, how, withScores, limit };
}

/** Computes the result zset, or only its size (ZINTERCARD, stopping at `limit` when non-zero). */
function compute(p: Parsed, op: SetOp, cardOnly: boolean): SortedSet | number {
  const { how } = p;
  const result = new SortedSet(true);
  if (op === 'diff') {
    const [first, ...rest] = p.sources;
    forEachMember(first!, (member, score) => {
      for (const s of rest) if (sourceScore(s, member) !== undefined) return;
      result.set(member, score, null);
    });
    return result;
  }
  // Smallest first, as Redis orders them (it changes only the order of float additions).
  const sources = [...p.sources].sort((a, b) => sourceSize(a) - sourceSize(b));
  if (op === 'inter') {
    const [first, ...rest] = sources;
    if (sourceSize(first!) === 0) return cardOnly ? 0 : result;
    let card = 0;
    let done = false;
    forEachMember(first!, (member, score) => {
      if (done) return;
      let acc = weighted(score, first!.weight);
      for (const s of rest) {
        const other = sourceScore(s, member);
        if (other === undefined) return;
        acc = aggregate(acc, weighted(other, s.weight), how);
      }
      if (cardOnly) {
        card++;
        if (p.limit !== 0 && card >= p.limit) done = true;
      } else {
        result.set(member, acc, null);
      }
    });
    return cardOnly ? card : result;
  }
  const acc = new Map<Bytes, number>();
  for (const s of sources) {
    forEachMember(s, (member, score) => {
      const v = weighted(score, s.weight);
      const cur = acc.get(member);
      acc.set(member, cur === undefined ? v : aggregate(cur, v, how));
    });
  }
  for (const [member, score] of acc) result.set(member, score, null);
  return result;
}

function setOpCommand(op: SetOp, store: boolean) {
  return (ctx: CommandContext, args: Bytes[]): Reply => {
    const p = parseSetOp(ctx, args, store ? 2 : 1, op, store, false);
    const result = compute(p, op, false) as SortedSet;
    if (store) return storeResult(ctx, args[1]!, result, `z${op}store`);
    const reply = new ScoredReply(ctx, p.withScores);
    for (let n = result.list.first; n !== null; n = n.next[0]!) reply.push(n.member, n.score);
    return reply.items;
  };
}

/** Keys of a command with numkeys at `numkeysAt` (and, for STORE forms, the destination at 1). */
function numkeysKeys(numkeysAt: number) {
  return (args: Bytes[]): number[] => {
    const out: number[] = numkeysAt === 2 ? [1] : [];
    const n = parseIntNumber(args[numkeysAt] ?? '');
    if (n === null || n < 1) return out;
    for (let i = 0; i < n && numkeysAt + 1 + i < args.length; i++) out.push(numkeysAt + 1 + i);
    return out;
  };
}

const SUMMARIES: Record<SetOp, [string, string]> = {
  union: ['Returns the union of multiple sorted sets.', 'Stores the union of multiple sorted sets in a key.'],
  inter: ['Returns the intersect of multiple sorted sets.', 'Stores the intersect of multiple sorted sets in a key.'],
  diff: ['Returns the difference between multiple sorted sets.', 'Stores the difference of multiple sorted sets in a key.'],
};

function setOpCommands(op: SetOp, storeSince: string): CommandSpec[] {
  return [
    command({
      name: `z${op}`, arity: -3, flags: ['readonly', 'movablekeys'], getKeys: numkeysKeys(1),
      categories: ['sortedset'], group: 'sorted_set', since: '6.2.0', summary: SUMMARIES[op][0],
      handler: setOpCommand(op, false),
    }),
    command({
      name: `z${op}store`, arity: -4, flags: ['write', 'denyoom', 'movablekeys'], getKeys: numkeysKeys(2),
      categories: ['sortedset'], group: 'sorted_set', since: storeSince, summary: SUMMARIES[op][1],
      handler: setOpCommand(op, true),
    }),
  ];
}

export const zsetSetOpCommands: CommandSpec[] = [
  ...setOpCommands('union', '2.0.0'),
  ...setOpCommands('inter', '2.0.0'),
  ...setOpCommands('diff', '6.2.0'),
  command({
    name: 'zintercard', arity: -3, flags: ['readonly', 'movablekeys'], getKeys: numkeysKeys(1),
    categories: ['sortedset'], group: 'sorted_set', since: '7.0.0',
    summary: 'Returns the number of members of the intersect of multiple sorted sets.',
    complexity: 'O(N*K) worst case with N being the smallest input sorted set, K being the number of input sorted sets.',
    handler(ctx, args): Reply {
      const p = parseSetOp(ctx, args, 1, 'inter', false, true);
      return compute(p, 'inter', true) as number;
    },
  }),
];
