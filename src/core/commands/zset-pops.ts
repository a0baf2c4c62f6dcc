/**
 * Popping the lowest or highest members: ZPOPMIN, ZPOPMAX and ZMPOP, and
 * `popFromZset`, which the blocking variants (BZPOPMIN, BZPOPMAX, BZMPOP)
 * reuse once a key they wait on has members.
 * This module is browser compatible.
 */
import type { Bytes } from '../bytes.js';
import type { CommandContext } from '../context.js';
import { CommandError, Err, ZsetErr } from '../errors.js';
import { DoubleReply, NULL_ARRAY, type Reply } from '../resp/reply.js';
import type { SortedSet } from '../types/zset.js';
import { isWord, parseIntNumber } from './parse.js';
import { command, type CommandSpec } from './types.js';
import { dropIfEmpty, readZset } from './zset-values.js';

export type PopEnd = 'min' | 'max';

/**
 * Removes up to `count` members from the `where` end of the zset at `key`
 * (which must exist), with the notifications Redis emits, deleting the key
 * once empty. Returns the members and their scores in pop order.
 */
export function popMembers(ctx: CommandContext, key: Bytes, z: SortedSet, where: PopEnd,
  count: number): { member: Bytes; score: number }[] {
  const out: { member: Bytes; score: number }[] = [];
  for (let i = 0; i < count && z.size > 0; i++) {
    const n = where === 'min' ? z.list.first! : z.list.tail!;
    out.push({ member: n.member, score: n.score });
    z.remove(n.member);
  }
  ctx.notify('z', where === 'min' ? 'zpopmin' : 'zpopmax', key);
  dropIfEmpty(ctx, key, z);
  ctx.modified(key);
  return out;
}

/**
 * Pops from the zset at `key` and replies like ZMPOP/BZMPOP (`[key, [[member,
 * score], ...]]`), or like BZPOPMIN/BZPOPMAX when `flat` (`[key, member,
 * score]`). Returns null when the key holds no zset (a missing key), and
 * throws WRONGTYPE for another type. Logs the pop as ZPOPMIN/ZPOPMAX.
 */
export function popFromZset(ctx: CommandContext, key: Bytes, where: PopEnd, count: number,
  flat = false): Reply | null {
  const z = readZset(ctx, key);
  if (z === undefined || z.size === 0) return null;
  const popped = popMembers(ctx, key, z, where, count);
  ctx.propagate([where === 'min' ? 'ZPOPMIN' : 'ZPOPMAX', key, String(count)]);
  if (flat) {
    const out: Reply[] = [key];
    for (const p of popped) out.push(p.member, new DoubleReply(p.score));
    return out;
  }
  return [key, popped.map((p) => [p.member, new DoubleReply(p.score)])];
}

function zpop(ctx: CommandContext, args: Bytes[], where: PopEnd): Reply {
  if (args.length > 3) throw new CommandError(Err.syntax);
  let count = -1;
  if (args.length === 3) {
    const n = parseIntNumber(args[2]!);
    if (n === null || n < 0) throw new CommandError(ZsetErr.outOfRangePositive);
    count = n;
  }
  const key = args[1]!;
  const z = readZset(ctx, key);
  if (z === undefined || count === 0) return [];
  const nested = ctx.client.resp === 3 && count !== -1;
  const popped = popMembers(ctx, key, z, where, count === -1 ? 1 : count);
  const out: Reply[] = [];
  for (const p of popped) {
    if (nested) out.push([p.member, new DoubleReply(p.score)]);
    else out.push(p.member, new DoubleReply(p.score));
  }
  return out;
}

/** ZMPOP's numkeys and options; BZMPOP parses the same after its timeout. */
export function parseMpop(args: Bytes[], numkeysAt: number): { keys: Bytes[]; where: PopEnd; count: number } {
  const numkeys = parseIntNumber(args[numkeysAt]!);
  if (numkeys === null || numkeys < 1) throw new CommandError(ZsetErr.numkeysPositive);
  const whereAt = numkeysAt + numkeys + 1;
  if (whereAt >= args.length) throw new CommandError(Err.syntax);
  let where: PopEnd;
  if (isWord(args[whereAt]!, 'MIN')) where = 'min';
  else if (isWord(args[whereAt]!, 'MAX')) where = 'max';
  else throw new CommandError(Err.syntax);
  let count = -1;
  for (let j = whereAt + 1; j < args.length; j++) {
    if (count === -1 && isWord(args[j]!, 'COUNT') && j + 1 < args.length) {
      const n = parseIntNumber(args[++j]!);
      if (n === null || n < 1) throw new CommandError(ZsetErr.countPositive);
      count = n;
    } else {
      throw new CommandError(Err.syntax);
    }
  }
  return { keys: args.slice(numkeysAt + 1, numkeysAt + 1 + numkeys), where, count: count === -1 ? 1 : count };
}

/** Key positions of ZMPOP-like commands: numkeys at `numkeysAt`, then that many keys. */
export function mpopKeys(numkeysAt: number) {
  return (args: Bytes[]): number[] => {
    const n = parseIntNumber(args[numkeysAt] ?? '');
    if (n === null || n < 1) return [];
    const out: number[] = [];
    for (let i = 0; i < n && numkeysAt + 1 + i < args.length; i++) out.push(numkeysAt + 1 + i);
    return out;
  };
}

export const zsetPopCommands: CommandSpec[] = [
  command({
    name: 'zpopmin', arity: -2, flags: ['write', 'fast'], keys: { first: 1, last: 1, step: 1 }, categories: ['sortedset'],
    group: 'sorted_set', since: '5.0.0',
    summary: 'Returns the lowest-scoring members from a sorted set after removing them. Deletes the sorted set if the last member was popped.',
    complexity: 'O(log(N)*M) with N being the number of elements in the sorted set, and M being the number of elements popped.',
    handler: (ctx, args) => zpop(ctx, args, 'min'),
  }),
  command({
    name: 'zpopmax', arity: -2, flags: ['write', 'fast'], keys: { first: 1, last: 1, step: 1 }, categories: ['sortedset'],
    group: 'sorted_set', since: '5.0.0',
    summary: 'Returns the highest-scoring members from a sorted set after removing them. Deletes the sorted set if the last member was popped.',
    complexity: 'O(log(N)*M) with N being the number of elements in the sorted set, and M being the number of elements popped.',
    handler: (ctx, args) => zpop(ctx, args, 'max'),
  }),
  command({
    name: 'zmpop', arity: -4, flags: ['write', 'movablekeys'], getKeys: mpopKeys(1), categories: ['sortedset'],
    group: 'sorted_set', since: '7.0.0',
    summary: 'Returns the highest- or lowest-scoring members from one or more sorted sets after removing them. Deletes the sorted set if the last member was popped.',
    complexity: 'O(K) + O(M*log(N)) where K is the number of provided keys, N being the number of elements in the sorted set, and M being the number of elements popped.',
    handler(ctx, args): Reply {
      const { keys, where, count } = parseMpop(args, 1);
      for (const key of keys) {
        const reply = popFromZset(ctx, key, where, count);
        if (reply !== null) return reply;
      }
      return NULL_ARRAY;
    },
  }),
];
