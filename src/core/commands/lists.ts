/**
 * List commands, including the blocking pops (BLPOP, BRPOP, BLMOVE,
 * BRPOPLPUSH, BLMPOP). A blocking command that finds data is served like its
 * plain form and logged as Redis propagates it (BLPOP as LPOP, BLMOVE as
 * LMOVE); when it finds none it asks to wait (see ../blocking.ts), and is run
 * again once a key it waits for gets data.
 * This module is browser compatible.
 */
import { blockOn, parseTimeout } from '../blocking.js';
import type { Bytes } from '../bytes.js';
import type { CommandContext } from '../context.js';
import { CommandError, Err } from '../errors.js';
import { lookupWrite } from '../keyspace/lazy-expire.js';
import type { Value } from '../keyspace/value.js';
import { NULL_ARRAY, OK, type Reply } from '../resp/reply.js';
import { ListValue } from '../types/list.js';
import { intArg, isWord, parseInt64 } from './parse.js';
import { command, type CommandSpec } from './types.js';

const single = { first: 1, last: 1, step: 1 };
const twoKeys = { first: 1, last: 2, step: 1 };
const categories = ['list'];

type End = 'left' | 'right';

const INT64_MIN = -(2n ** 63n);

/** The list at `key`, undefined when missing; WRONGTYPE for any other type. */
export function getList(ctx: CommandContext, key: Bytes): ListValue | undefined {
  return asList(ctx.db.get(key, ctx.now));
}

/** The same for a command about to write the key: an expired key is deleted first, as Redis does. */
function writableList(ctx: CommandContext, key: Bytes): ListValue | undefined {
  return asList(lookupWrite(ctx, key));
}

function asList(v: Value | undefined): ListValue | undefined {
  if (v === undefined) return undefined;
  if (!(v instanceof ListValue)) throw new CommandError(Err.wrongType);
  return v;
}

function parseEnd(arg: Bytes): End {
  if (isWord(arg, 'LEFT')) return 'left';
  if (isWord(arg, 'RIGHT')) return 'right';
  throw new CommandError(Err.syntax);
}

/** A count argument that must be 0 or more; anything else answers `message`. */
function nonNegative(arg: Bytes, message: string): number {
  const n = intArg(arg, message);
  if (n < 0) throw new CommandError(message);
  return n;
}

/** A count argument that must be 1 or more. */
function positive(arg: Bytes, message: string): number {
  const n = intArg(arg, message);
  if (n < 1) throw new CommandError(message);
  return n;
}

function push(ctx: CommandContext, args: Bytes[], end: End, onlyIfExists: boolean): Reply {
  const key = args[1]!;
  let list = writableList(ctx, key);
  if (list === undefined) {
    if (onlyIfExists) return 0;
    list = new ListValue();
    ctx.db.set(key, list);
  }
  if (end === 'left') for (let i = 2; i < args.length; i++) list.pushHead(args[i]!);
  else for (let i = 2; i < args.length; i++) list.pushTail(args[i]!);
  ctx.modified(key);
  ctx.notify('l', end === 'left' ? 'lpush' : 'rpush', key);
  return list.length;
}

/** Removes a list that has become empty, as Redis does after every pop or removal. */
function deleteIfEmpty(ctx: CommandContext, key: Bytes, list: ListValue): void {
  if (list.length !== 0) return;
  ctx.db.delete(key);
  ctx.notify('g', 'del', key);
}

/** Pops up to `count` elements from a non-empty list and records the write. */
function popMany(ctx: CommandContext, key: Bytes, list: ListValue, end: End, count: number): Bytes[] {
  const n = Math.min(count, list.length);
  const out = new Array<Bytes>(n);
  for (let i = 0; i < n; i++) out[i] = (end === 'left' ? list.popHead() : list.popTail())!;
  ctx.notify('l', end === 'left' ? 'lpop' : 'rpop', key);
  deleteIfEmpty(ctx, key, list);
  ctx.modified(key);
  return out;
}

function pop(ctx: CommandContext, args: Bytes[], end: End): Reply {
  if (args.length > 3) throw new CommandError(Err.wrongArity(args[0]!.toLowerCase()));
  const hasCount = args.length === 3;
  const count = hasCount ? nonNegative(args[2]!, 'ERR value is out of range, must be positive') : 1;
  const key = args[1]!;
  const list = writableList(ctx, key);
  if (list === undefined) return hasCount ? NULL_ARRAY : null;
  if (!hasCount) return popMany(ctx, key, list, end, 1)[0]!;
  if (count === 0) return [];
  return popMany(ctx, key, list, end, count);
}

/**
 * LMOVE's work on a non-empty source: pop one element and push it to the
 * destination (which may be the same list). WRONGTYPE before anything moves.
 */
function move(ctx: CommandContext, source: Bytes, list: ListValue, destination: Bytes, from: End, to: End): Bytes {
  let target = writableList(ctx, destination);
  const value = (from === 'left' ? list.popHead() : list.popTail())!;
  if (target === undefined) {
    target = new ListValue();
    ctx.db.set(destination, target);
  }
  if (to === 'left') target.pushHead(value);
  else target.pushTail(value);
  ctx.modified(destination);
  ctx.notify('l', to === 'left' ? 'lpush' : 'rpush', destination);
  ctx.notify('l', from === 'left' ? 'lpop' : 'rpop', source);
  deleteIfEmpty(ctx, source, list);
  ctx.modified(source);
  return value;
}

/** LMOVE and friends: null when the source is empty. */
function lmove(ctx: CommandContext, source: Bytes, destination: Bytes, from: End, to: End): Bytes | null {
  const list = writableList(ctx, source);
  if (list === undefined) return null;
  // The destination's type is checked before the source is touched.
  writableList(ctx, destination);
  return move(ctx, source, list, destination, from, to);
}

interface MpopArgs {
  keys: Bytes[];
  end: End;
  count: number;
}

/** `numkeys key... LEFT|RIGHT [COUNT n]` starting at args[at]. */
function parseMpop(args: Bytes[], at: number): MpopArgs {
  const numkeys = intArg(args[at]!, 'ERR numkeys should be greater than 0');
  if (numkeys < 1) throw new CommandError('ERR numkeys should be greater than 0');
  const whereAt = at + 1 + numkeys;
  if (whereAt >= args.length) throw new CommandError(Err.syntax);
  const end = parseEnd(args[whereAt]!);
  let count = -1;
  for (let i = whereAt + 1; i < args.length; i++) {
    if (count === -1 && isWord(args[i]!, 'COUNT') && i + 1 < args.length) {
      count = positive(args[++i]!, 'ERR count should be greater than 0');
    } else {
      throw new CommandError(Err.syntax);
    }
  }
  return { keys: args.slice(at + 1, whereAt), end, count: count === -1 ? 1 : count };
}

/** Pops from the first non-empty list of `keys`; null when all are empty. */
function mpop(ctx: CommandContext, { keys, end, count }: MpopArgs): Reply | null {
  for (const key of keys) {
    const list = writableList(ctx, key);
    if (list === undefined) continue;
    const values = popMany(ctx, key, list, end, count);
    ctx.propagate([end === 'left' ? 'LPOP' : 'RPOP', key, String(count)]);
    return [key, values];
  }
  return null;
}

/** BLPOP/BRPOP: keys then a timeout. */
function blockingPop(ctx: CommandContext, args: Bytes[], end: End): Reply {
  const timeout = parseTimeout(args[args.length - 1]!);
  const keys = args.slice(1, -1);
  for (const key of keys) {
    const list = writableList(ctx, key);
    if (list === undefined) continue;
    const value = popMany(ctx, key, list, end, 1)[0]!;
    ctx.propagate([end === 'left' ? 'LPOP' : 'RPOP', key]);
    return [key, value];
  }
  return blockOn(ctx, keys, timeout, 'list', NULL_ARRAY);
}

/** BLMOVE/BRPOPLPUSH once parsed; `logged` is what serving propagates. */
function blockingMove(ctx: CommandContext, source: Bytes, destination: Bytes, from: End, to: End, timeout: number, logged: Bytes[]): Reply {
  const list = writableList(ctx, source);
  if (list === undefined) return blockOn(ctx, [source], timeout, 'list', NULL_ARRAY, null);
  writableList(ctx, destination);
  const value = move(ctx, source, list, destination, from, to);
  ctx.propagate(logged);
  return value;
}

/** Normalizes a Redis index (negative counts from the end). */
function index(i: number, length: number): number {
  return i < 0 ? length + i : i;
}

function lpos(ctx: CommandContext, args: Bytes[]): Reply {
  let rank = 1;
  let count = -1;
  let maxlen = 0;
  for (let i = 3; i < args.length; i++) {
    const opt = args[i]!;
    const more = i + 1 < args.length;
    if (isWord(opt, 'RANK') && more) {
      const r = parseInt64(args[++i]!);
      if (r === null) throw new CommandError(Err.notInteger);
      if (r === 0n) {
        throw new CommandError(
          "ERR RANK can't be zero: use 1 to start from the first match, 2 from the second ... or use negative to start from the end of the list",
        );
      }
      // Redis negates the rank; the smallest 64-bit integer stays negative and skips nothing.
      rank = r === INT64_MIN ? -1 : Number(r);
    } else if (isWord(opt, 'COUNT') && more) {
      count = nonNegative(args[++i]!, "ERR COUNT can't be negative");
    } else if (isWord(opt, 'MAXLEN') && more) {
      maxlen = nonNegative(args[++i]!, "ERR MAXLEN can't be negative");
    } else {
      throw new CommandError(Err.syntax);
    }
  }
  const list = getList(ctx, args[1]!);
  if (list === undefined) return count === -1 ? null : [];
  const element = args[2]!;
  const wanted = count === 0 ? Infinity : count === -1 ? 1 : count;
  const matches: number[] = [];
  const n = list.length;
  const limit = maxlen === 0 ? n : Math.min(maxlen, n);
  let skip = Math.abs(rank) - 1;
  for (let step = 0; step < limit && matches.length < wanted; step++) {
    const i = rank > 0 ? step : n - 1 - step;
    if (list.at(i) !== element) continue;
    if (skip > 0) skip--;
    else matches.push(i);
  }
  if (count === -1) return matches.length === 0 ? null : matches[0]!;
  return matches;
}

export const listCommands: CommandSpec[] = [
  command({
    name: 'lpush', arity: -3, flags: ['write', 'denyoom', 'fast'], keys: single, categories, group: 'list',
    summary: 'Prepends one or more elements to a list. Creates the key if it does not exist.', complexity: 'O(N)',
    handler: (ctx, args) => push(ctx, args, 'left', false),
  }),
  command({
    name: 'rpush', arity: -3, flags: ['write', 'denyoom', 'fast'], keys: single, categories, group: 'list',
    summary: 'Appends one or more elements to a list. Creates the key if it does not exist.', complexity: 'O(N)',
    handler: (ctx, args) => push(ctx, args, 'right', false),
  }),
  command({
    name: 'lpushx', arity: -3, flags: ['write', 'denyoom', 'fast'], keys: single, categories, group: 'list', since: '2.2.0',
    summary: 'Prepends one or more elements to a list only when the list exists.', complexity: 'O(N)',
    handler: (ctx, args) => push(ctx, args, 'left', true),
  }),
  command({
    name: 'rpushx', arity: -3, flags: ['write', 'denyoom', 'fast'], keys: single, categories, group: 'list', since: '2.2.0',
    summary: 'Appends one or more elements to a list only when the list exists.', complexity: 'O(N)',
    handler: (ctx, args) => push(ctx, args, 'right', true),
  }),
  command({
    name: 'lpop', arity: -2, flags: ['write', 'fast'], keys: single, categories, group: 'list',
    summary: 'Returns the first elements in a list after removing it. Deletes the list if the last element was popped.', complexity: 'O(N)',
    handler: (ctx, args) => pop(ctx, args, 'left'),
  }),
  command({
    name: 'rpop', arity: -2, flags: ['write', 'fast'], keys: single, categories, group: 'list',
    summary: 'Returns and removes the last elements of a list. Deletes the list if the last element was popped.', complexity: 'O(N)',
    handler: (ctx, args) => pop(ctx, args, 'right'),
  }),
  command({
    name: 'llen', arity: 2, flags: ['readonly', 'fast'], keys: single, categories, group: 'list',
    summary: 'Returns the length of a list.', complexity: 'O(1)',
    handler: (ctx, args) => getList(ctx, args[1]!)?.length ?? 0,
  }),
  command({
    name: 'lrange', arity: 4, flags: ['readonly'], keys: single, categories, group: 'list',
    summary: 'Returns a range of elements from a list.', complexity: 'O(S+N)',
    handler(ctx, args): Reply {
      const start = intArg(args[2]!);
      const stop = intArg(args[3]!);
      const list = getList(ctx, args[1]!);
      if (list === undefined) return [];
      const n = list.length;
      const from = Math.max(0, index(start, n));
      const to = Math.min(n - 1, index(stop, n));
      if (from > to || from >= n) return [];
      return list.range(from, to);
    },
  }),
  command({
    name: 'lindex', arity: 3, flags: ['readonly'], keys: single, categories, group: 'list',
    summary: 'Returns an element from a list by its index.', complexity: 'O(N)',
    handler(ctx, args): Reply {
      const list = getList(ctx, args[1]!);
      if (list === undefined) return null;
      const i = intArg(args[2]!);
      return list.at(index(i, list.length)) ?? null;
    },
  }),
  command({
    name: 'lset', arity: 4, flags: ['write', 'denyoom'], keys: single, categories, group: 'list',
    summary: 'Sets the value of an element in a list by its index.', complexity: 'O(N)',
    handler(ctx, args): Reply {
      const key = args[1]!;
      const list = writableList(ctx, key);
      if (list === undefined) throw new CommandError(Err.noSuchKey);
      const i = index(intArg(args[2]!), list.length);
      if (i < 0 || i >= list.length) throw new CommandError(Err.outOfRange);
      list.set(i, args[3]!);
      ctx.modified(key);
      ctx.notify('l', 'lset', key);
      return OK;
    },
  }),
  command({
    name: 'linsert', arity: 5, flags: ['write', 'denyoom'], keys: single, categories, group: 'list', since: '2.2.0',
    summary: 'Inserts an element before or after another element in a list.', complexity: 'O(N)',
    handler(ctx, args): Reply {
      const key = args[1]!;
      let after: boolean;
      if (isWord(args[2]!, 'AFTER')) after = true;
      else if (isWord(args[2]!, 'BEFORE')) after = false;
      else throw new CommandError(Err.syntax);
      const list = writableList(ctx, key);
      if (list === undefined) return 0;
      const pivot = args[3]!;
      const n = list.length;
      for (let i = 0; i < n; i++) {
        if (list.at(i) !== pivot) continue;
        list.insertAt(after ? i + 1 : i, args[4]!);
        ctx.modified(key);
        ctx.notify('l', 'linsert', key);
        return list.length;
      }
      return -1;
    },
  }),
  command({
    name: 'lrem', arity: 4, flags: ['write'], keys: single, categories, group: 'list',
    summary: 'Removes elements from a list. Deletes the list if the last element was removed.', complexity: 'O(N+M)',
    handler(ctx, args): Reply {
      const key = args[1]!;
      const count = intArg(args[2]!);
      const list = writableList(ctx, key);
      if (list === undefined) return 0;
      const element = args[3]!;
      let removed: number;
      if (count >= 0) {
        let left = count === 0 ? Infinity : count;
        removed = list.retain((v) => v !== element || left-- <= 0);
      } else {
        // From the tail: find which indexes go first, then drop them in one pass.
        const drop = new Set<number>();
        for (let i = list.length - 1; i >= 0 && drop.size < -count; i--) if (list.at(i) === element) drop.add(i);
        removed = drop.size === 0 ? 0 : list.retain((_, i) => !drop.has(i));
      }
      if (removed > 0) {
        ctx.notify('l', 'lrem', key);
        deleteIfEmpty(ctx, key, list);
        ctx.modified(key);
      }
      return removed;
    },
  }),
  command({
    name: 'ltrim', arity: 4, flags: ['write'], keys: single, categories, group: 'list',
    summary: 'Removes elements from both ends a list. Deletes the list if all elements were trimmed.', complexity: 'O(N)',
    handler(ctx, args): Reply {
      const key = args[1]!;
      const start = intArg(args[2]!);
      const stop = intArg(args[3]!);
      const list = writableList(ctx, key);
      if (list === undefined) return OK;
      const n = list.length;
      const from = Math.max(0, index(start, n));
      const to = Math.min(n - 1, index(stop, n));
      let removed = 0;
      if (from > to || from >= n) {
        removed = n;
        while (list.popTail() !== undefined);
      } else {
        for (let i = 0; i < from; i++) list.popHead();
        for (let i = to + 1; i < n; i++) list.popTail();
        removed = n - (to - from + 1);
      }
      ctx.notify('l', 'ltrim', key);
      deleteIfEmpty(ctx, key, list);
      if (removed > 0) ctx.modified(key);
      return OK;
    },
  }),
  command({
    name: 'lpos', arity: -3, flags: ['readonly'], keys: single, categories, group: 'list', since: '6.0.6',
    summary: 'Returns the index of matching elements in a list.', complexity: 'O(N)',
    handler: lpos,
  }),
  command({
    name: 'lmove', arity: 5, flags: ['write', 'denyoom'], keys: twoKeys, categories, group: 'list', since: '6.2.0',
    summary: 'Returns an element after popping it from one list and pushing it to another. Deletes the list if the last element was moved.',
    complexity: 'O(1)',
    handler(ctx, args): Reply {
      const from = parseEnd(args[3]!);
      const to = parseEnd(args[4]!);
      return lmove(ctx, args[1]!, args[2]!, from, to);
    },
  }),
  command({
    name: 'rpoplpush', arity: 3, flags: ['write', 'denyoom'], keys: twoKeys, categories, group: 'list', since: '1.2.0',
    summary: 'Returns the last element of a list after removing and pushing it to another list. Deletes the list if the last element was popped.',
    complexity: 'O(1)',
    handler: (ctx, args) => lmove(ctx, args[1]!, args[2]!, 'right', 'left'),
  }),
  command({
    name: 'lmpop', arity: -4, flags: ['write', 'movablekeys'], categories, group: 'list', since: '7.0.0',
    keys: { first: 0, last: 0, step: 0 },
    getKeys: (args) => mpopKeys(args, 1),
    summary: 'Returns multiple elements from a list after removing them. Deletes the list if the last element was popped.',
    complexity: 'O(N+M)',
    handler: (ctx, args) => mpop(ctx, parseMpop(args, 1)) ?? NULL_ARRAY,
  }),
  command({
    name: 'blpop', arity: -3, flags: ['write', 'noscript', 'blocking'], keys: { first: 1, last: -2, step: 1 }, categories, group: 'list',
    since: '2.0.0', complexity: 'O(N)',
    summary: 'Removes and returns the first element in a list. Blocks until an element is available otherwise. Deletes the list if the last element was popped.',
    handler: (ctx, args) => blockingPop(ctx, args, 'left'),
  }),
  command({
    name: 'brpop', arity: -3, flags: ['write', 'noscript', 'blocking'], keys: { first: 1, last: -2, step: 1 }, categories, group: 'list',
    since: '2.0.0', complexity: 'O(N)',
    summary: 'Removes and returns the last element in a list. Blocks until an element is available otherwise. Deletes the list if the last element was popped.',
    handler: (ctx, args) => blockingPop(ctx, args, 'right'),
  }),
  command({
    name: 'brpoplpush', arity: 4, flags: ['write', 'denyoom', 'noscript', 'blocking'], keys: twoKeys, categories, group: 'list',
    since: '2.2.0', complexity: 'O(1)',
    summary: 'Pops an element from a list, pushes it to another list and returns it. Block until an element is available otherwise. Deletes the list if the last element was popped.',
    handler(ctx, args) {
      const timeout = parseTimeout(args[3]!);
      return blockingMove(ctx, args[1]!, args[2]!, 'right', 'left', timeout, ['RPOPLPUSH', args[1]!, args[2]!]);
    },
  }),
  command({
    name: 'blmove', arity: 6, flags: ['write', 'denyoom', 'noscript', 'blocking'], keys: twoKeys, categories, group: 'list',
    since: '6.2.0', complexity: 'O(1)',
    summary: 'Pops an element from a list, pushes it to another list and returns it. Blocks until an element is available otherwise. Deletes the list if the last element was moved.',
    handler(ctx, args) {
      const from = parseEnd(args[3]!);
      const to = parseEnd(args[4]!);
      const timeout = parseTimeout(args[5]!);
      return blockingMove(ctx, args[1]!, args[2]!, from, to, timeout, ['LMOVE', args[1]!, args[2]!, args[3]!, args[4]!]);
    },
  }),
  command({
    name: 'blmpop', arity: -5, flags: ['write', 'blocking', 'movablekeys'], categories, group: 'list', since: '7.0.0',
    keys: { first: 0, last: 0, step: 0 },
    getKeys: (args) => mpopKeys(args, 2),
    summary: 'Pops the first element from one of multiple lists. Blocks until an element is available otherwise. Deletes the list if the last element was popped.',
    complexity: 'O(N+M)',
    handler(ctx, args) {
      const parsed = parseMpop(args, 2);
      const timeout = parseTimeout(args[1]!);
      return mpop(ctx, parsed) ?? blockOn(ctx, parsed.keys, timeout, 'list', NULL_ARRAY);
    },
  }),
];

/** The key positions of `numkeys key...` at args[at] (COMMAND GETKEYS, ACL, WATCH). */
export function mpopKeys(args: Bytes[], at: number): number[] {
  const n = Number(args[at]);
  const out: number[] = [];
  if (!Number.isInteger(n) || n < 1) return out;
  for (let i = at + 1; i <= at + n && i < args.length; i++) out.push(i);
  return out;
}
