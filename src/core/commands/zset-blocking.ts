/**
 * The blocking sorted-set pops: BZPOPMIN, BZPOPMAX and BZMPOP. Served at once
 * like ZPOPMIN/ZPOPMAX/ZMPOP (and logged as those) when a key has members;
 * otherwise they wait (see ../blocking.ts) and are run again once a key they
 * wait on gets members.
 * This module is browser compatible.
 */
import { blockOn, parseTimeout } from '../blocking.js';
import type { Bytes } from '../bytes.js';
import type { CommandContext } from '../context.js';
import { NULL_ARRAY, type Reply } from '../resp/reply.js';
import { mpopKeys, parseMpop, popFromZset, type PopEnd } from './zset-pops.js';
import { command, type CommandSpec } from './types.js';

function bzpop(ctx: CommandContext, args: Bytes[], where: PopEnd): Reply {
  const timeout = parseTimeout(args[args.length - 1]!);
  const keys = args.slice(1, -1);
  for (const key of keys) {
    const reply = popFromZset(ctx, key, where, 1, true);
    if (reply !== null) return reply;
  }
  return blockOn(ctx, keys, timeout, 'zset', NULL_ARRAY);
}

const categories = ['sortedset'];

export const zsetBlockingCommands: CommandSpec[] = [
  command({
    name: 'bzpopmin', arity: -3, flags: ['write', 'noscript', 'blocking', 'fast'], keys: { first: 1, last: -2, step: 1 },
    categories, group: 'sorted_set', since: '5.0.0', complexity: 'O(log(N)) with N being the number of elements in the sorted set.',
    summary: 'Removes and returns the member with the lowest score from one or more sorted sets. Blocks until a member is available otherwise. Deletes the sorted set if the last element was popped.',
    handler: (ctx, args) => bzpop(ctx, args, 'min'),
  }),
  command({
    name: 'bzpopmax', arity: -3, flags: ['write', 'noscript', 'blocking', 'fast'], keys: { first: 1, last: -2, step: 1 },
    categories, group: 'sorted_set', since: '5.0.0', complexity: 'O(log(N)) with N being the number of elements in the sorted set.',
    summary: 'Removes and returns the member with the highest score from one or more sorted sets. Blocks until a member available otherwise. Deletes the sorted set if the last element was popped.',
    handler: (ctx, args) => bzpop(ctx, args, 'max'),
  }),
  command({
    name: 'bzmpop', arity: -5, flags: ['write', 'blocking', 'movablekeys'], getKeys: mpopKeys(2),
    categories, group: 'sorted_set', since: '7.0.0',
    complexity: 'O(K) + O(M*log(N)) where K is the number of provided keys, N being the number of elements in the sorted set, and M being the number of elements popped.',
    summary: 'Removes and returns a member by score from one or more sorted sets. Blocks until a member is available otherwise. Deletes the sorted set if the last element was popped.',
    handler(ctx, args): Reply {
      const { keys, where, count } = parseMpop(args, 2);
      const timeout = parseTimeout(args[1]!);
      for (const key of keys) {
        const reply = popFromZset(ctx, key, where, count);
        if (reply !== null) return reply;
      }
      return blockOn(ctx, keys, timeout, 'zset', NULL_ARRAY);
    },
  }),
];
