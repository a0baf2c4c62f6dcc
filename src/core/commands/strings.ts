/**
 * String commands: GET/SET and their variants, multi-key MGET/MSET, ranges,
 * counters (64-bit exact; INCRBYFLOAT in Redis's long double) and LCS.
 * Relative TTLs become absolute here and are logged as SET ... PXAT /
 * PEXPIREAT, so every replica holds the same expiry.
 * This module is browser compatible.
 */
import type { Bytes } from '../bytes.js';
import type { CommandContext } from '../context.js';
import { CommandError, Err } from '../errors.js';
import { OK, type Reply } from '../resp/reply.js';
import { longestCommonSubsequence } from './lcs.js';
import { LONG_DOUBLE_ZERO, addLongDouble, formatLongDouble, parseLongDouble } from './long-double.js';
import { intArg, isWord, parseInt64, parseIntNumber } from './parse.js';
import { EX, EXAT, GET, KEEPTTL, NX, PERSIST, PX, PXAT, XX, expireAtMs, parseSetOptions } from './set-options.js';
import { command, type CommandSpec } from './types.js';

const single = { first: 1, last: 1, step: 1 };
const INT64_MIN = -(2n ** 63n);
const INT64_MAX = 2n ** 63n - 1n;
const SAFE_MIN = BigInt(Number.MIN_SAFE_INTEGER);
const SAFE_MAX = BigInt(Number.MAX_SAFE_INTEGER);

/** The string at `key`, undefined when missing, WRONGTYPE for other types. */
function stringAt(ctx: CommandContext, key: Bytes): Bytes | undefined {
  const v = ctx.db.get(key, ctx.now);
  if (v === undefined || typeof v === 'string') return v;
  throw new CommandError(Err.wrongType);
}

/** Refuses a string longer than proto-max-bulk-len (Redis's checkStringLength). */
export function checkStringLength(ctx: CommandContext, length: number): void {
  if (length > ctx.server.config.int('proto-max-bulk-len')) throw new CommandError(Err.stringTooLong);
}

/** A 64-bit integer, as a number while exact and a bigint beyond 2^53; null when not one. */
function parseExactInt(text: Bytes): number | bigint | null {
  if (text.length <= 15) return parseIntNumber(text);
  const v = parseInt64(text);
  if (v === null) return null;
  return v >= SAFE_MIN && v <= SAFE_MAX ? Number(v) : v;
}

function addInt64(a: number | bigint, b: number | bigint): number | bigint {
  if (typeof a === 'number' && typeof b === 'number') {
    const sum = a + b;
    if (Number.isSafeInteger(sum)) return sum;
  }
  const sum = BigInt(a) + BigInt(b);
  if (sum < INT64_MIN || sum > INT64_MAX) throw new CommandError(Err.overflow);
  return sum >= SAFE_MIN && sum <= SAFE_MAX ? Number(sum) : sum;
}

function incrementBy(ctx: CommandContext, key: Bytes, by: number | bigint): Reply {
  const current = stringAt(ctx, key);
  let next = by;
  if (current !== undefined) {
    const value = parseExactInt(current);
    if (value === null) throw new CommandError(Err.notInteger);
    next = addInt64(value, by);
  }
  ctx.db.set(key, String(next), current !== undefined);
  ctx.modified(key);
  ctx.notify('$', 'incrby', key);
  return next;
}

function incrementArg(text: Bytes): number | bigint {
  const v = parseExactInt(text);
  if (v === null) throw new CommandError(Err.notInteger);
  return v;
}

/**
 * SET and its older forms (SETNX, SETEX, PSETEX). `ok`/`aborted` are the
 * replies when the value was or was not written (without GET).
 */
function setGeneric(
  ctx: CommandContext, args: Bytes[], key: Bytes, value: Bytes, flags: number, expire: Bytes | null,
  name: string, ok: Reply, aborted: Reply,
): Reply {
  const at = expire === null ? null : expireAtMs(expire, flags, ctx.now, name);
  const current = ctx.db.get(key, ctx.now);
  const withGet = (flags & GET) !== 0;
  if (withGet && current !== undefined && typeof current !== 'string') throw new CommandError(Err.wrongType);
  const found = current !== undefined;
  if (((flags & NX) !== 0 && found) || ((flags & XX) !== 0 && !found)) {
    return withGet ? (current as Bytes | undefined) ?? null : aborted;
  }
  ctx.db.set(key, value, (flags & KEEPTTL) !== 0 && found);
  ctx.modified(key);
  ctx.notify('$', 'set', key);
  if (at !== null) {
    ctx.db.setExpire(key, Number(at));
    ctx.propagate(['SET', key, value, 'PXAT', String(at)]);
    ctx.notify('g', 'expire', key);
  } else if (withGet) {
    ctx.propagate(args.filter((a, i) => i < 3 || !isWord(a, 'GET')));
  }
  return withGet ? (current as Bytes | undefined) ?? null : ok;
}

function getRange(ctx: CommandContext, args: Bytes[]): Reply {
  let start = intArg(args[2]!);
  let end = intArg(args[3]!);
  const s = stringAt(ctx, args[1]!);
  if (s === undefined) return '';
  const len = s.length;
  if (start < 0 && end < 0 && start > end) return '';
  if (start < 0) start = len + start;
  if (end < 0) end = len + end;
  if (start < 0) start = 0;
  if (end < 0) end = 0;
  if (end >= len) end = len - 1;
  if (start > end || len === 0) return '';
  return s.slice(start, end + 1);
}

function setMany(ctx: CommandContext, args: Bytes[], onlyIfNoneExist: boolean): Reply {
  if (args.length % 2 === 0) throw new CommandError(Err.wrongArity(onlyIfNoneExist ? 'msetnx' : 'mset'));
  if (onlyIfNoneExist) {
    for (let i = 1; i < args.length; i += 2) if (ctx.db.has(args[i]!, ctx.now)) return 0;
  }
  for (let i = 1; i < args.length; i += 2) {
    const key = args[i]!;
    ctx.db.set(key, args[i + 1]!);
    ctx.modified(key);
    ctx.notify('$', 'set', key);
  }
  return onlyIfNoneExist ? 1 : OK;
}

function lcs(ctx: CommandContext, args: Bytes[]): Reply {
  const a = ctx.db.get(args[1]!, ctx.now);
  const b = ctx.db.get(args[2]!, ctx.now);
  if ((a !== undefined && typeof a !== 'string') || (b !== undefined && typeof b !== 'string')) {
    throw new CommandError(Err.lcsNotStrings);
  }
  const opts = { len: false, idx: false, minMatchLen: 0, withMatchLen: false };
  for (let j = 3; j < args.length; j++) {
    const opt = args[j]!;
    if (isWord(opt, 'IDX')) opts.idx = true;
    else if (isWord(opt, 'LEN')) opts.len = true;
    else if (isWord(opt, 'WITHMATCHLEN')) opts.withMatchLen = true;
    else if (isWord(opt, 'MINMATCHLEN') && j + 1 < args.length) {
      opts.minMatchLen = Math.max(0, intArg(args[++j]!));
    } else throw new CommandError(Err.syntax);
  }
  if (opts.idx && opts.len) throw new CommandError(Err.lcsLenAndIdx);
  return longestCommonSubsequence(a ?? '', b ?? '', opts, ctx.server.config.int('proto-max-bulk-len'));
}

const rangeCommand = {
  flags: ['readonly'] as const, keys: single, categories: ['string'], group: 'string',
  complexity: 'O(N) where N is the length of the returned string.',
  handler: getRange,
};

export const stringCommands: CommandSpec[] = [
  command({
    name: 'get', arity: 2, flags: ['readonly', 'fast'], keys: single, categories: ['string'], group: 'string',
    summary: 'Returns the string value of a key.', complexity: 'O(1)',
    handler(ctx, args): Reply {
      const v = ctx.db.get(args[1]!, ctx.now);
      if (v === undefined) return null;
      if (typeof v !== 'string') throw new CommandError(Err.wrongType);
      return v;
    },
  }),
  command({
    name: 'set', arity: -3, flags: ['write', 'denyoom'], keys: single, categories: ['string'], group: 'string',
    summary: 'Sets the string value of a key, ignoring its type. The key is created if it doesn\'t exist.',
    complexity: 'O(1)',
    handler(ctx, args): Reply {
      const key = args[1]!;
      if (args.length === 3) {
        ctx.db.set(key, args[2]!);
        ctx.modified(key);
        ctx.notify('$', 'set', key);
        return OK;
      }
      const opts = parseSetOptions(args, 3, true);
      return setGeneric(ctx, args, key, args[2]!, opts.flags, opts.expire, 'set', OK, null);
    },
  }),
  command({
    name: 'setnx', arity: 3, flags: ['write', 'denyoom', 'fast'], keys: single, categories: ['string'], group: 'string',
    summary: 'Set the string value of a key only when the key doesn\'t exist.', complexity: 'O(1)',
    handler: (ctx, args) => setGeneric(ctx, args, args[1]!, args[2]!, NX, null, 'setnx', 1, 0),
  }),
  command({
    name: 'setex', arity: 4, flags: ['write', 'denyoom'], keys: single, categories: ['string'], group: 'string',
    summary: 'Sets the string value and expiration time of a key. Creates the key if it doesn\'t exist.',
    since: '2.0.0', complexity: 'O(1)',
    handler: (ctx, args) => setGeneric(ctx, args, args[1]!, args[3]!, EX, args[2]!, 'setex', OK, null),
  }),
  command({
    name: 'psetex', arity: 4, flags: ['write', 'denyoom'], keys: single, categories: ['string'], group: 'string',
    summary: 'Sets both string value and expiration time in milliseconds of a key. The key is created if it doesn\'t exist.',
    since: '2.6.0', complexity: 'O(1)',
    handler: (ctx, args) => setGeneric(ctx, args, args[1]!, args[3]!, PX, args[2]!, 'psetex', OK, null),
  }),
  command({
    name: 'getex', arity: -2, flags: ['write', 'fast'], keys: single, categories: ['string'], group: 'string',
    summary: 'Returns the string value of a key after setting its expiration time.', since: '6.2.0', complexity: 'O(1)',
    handler(ctx, args): Reply {
      const key = args[1]!;
      const { flags, expire } = parseSetOptions(args, 2, false);
      const value = stringAt(ctx, key);
      if (value === undefined) return null;
      if (expire !== null) {
        const at = expireAtMs(expire, flags, ctx.now, 'getex');
        if ((flags & (EXAT | PXAT)) !== 0 && at <= ctx.now) {
          ctx.db.delete(key);
          ctx.propagate([ctx.server.config.bool('lazyfree-lazy-expire') ? 'UNLINK' : 'DEL', key]);
          ctx.modified(key);
          ctx.notify('g', 'del', key);
        } else {
          ctx.db.setExpire(key, Number(at));
          ctx.propagate(['PEXPIREAT', key, String(at)]);
          ctx.modified(key);
          ctx.notify('g', 'expire', key);
        }
      } else if ((flags & PERSIST) !== 0 && ctx.db.persist(key)) {
        ctx.propagate(['PERSIST', key]);
        ctx.modified(key);
        ctx.notify('g', 'persist', key);
      }
      return value;
    },
  }),
  command({
    name: 'getdel', arity: 2, flags: ['write', 'fast'], keys: single, categories: ['string'], group: 'string',
    summary: 'Returns the string value of a key after deleting the key.', since: '6.2.0', complexity: 'O(1)',
    handler(ctx, args): Reply {
      const key = args[1]!;
      const value = stringAt(ctx, key);
      if (value === undefined) return null;
      ctx.db.delete(key);
      ctx.propagate(['DEL', key]);
      ctx.modified(key);
      ctx.notify('g', 'del', key);
      return value;
    },
  }),
  command({
    name: 'getset', arity: 3, flags: ['write', 'denyoom', 'fast'], keys: single, categories: ['string'], group: 'string',
    summary: 'Returns the previous string value of a key after setting it to a new value.', complexity: 'O(1)',
    handler: (ctx, args) => setGeneric(ctx, ['SET', args[1]!, args[2]!], args[1]!, args[2]!, GET, null, 'getset', OK, null),
  }),
  command({
    name: 'mget', arity: -2, flags: ['readonly', 'fast'], keys: { first: 1, last: -1, step: 1 }, categories: ['string'],
    group: 'string', summary: 'Atomically returns the string values of one or more keys.',
    complexity: 'O(N) where N is the number of keys to retrieve.',
    handler(ctx, args): Reply {
      const out: Reply[] = new Array<Reply>(args.length - 1);
      for (let i = 1; i < args.length; i++) {
        const v = ctx.db.get(args[i]!, ctx.now);
        out[i - 1] = typeof v === 'string' ? v : null;
      }
      return out;
    },
  }),
  command({
    name: 'mset', arity: -3, flags: ['write', 'denyoom'], keys: { first: 1, last: -1, step: 2 }, categories: ['string'],
    group: 'string', summary: 'Atomically creates or modifies the string values of one or more keys.', since: '1.0.1',
    complexity: 'O(N) where N is the number of keys to set.',
    handler: (ctx, args) => setMany(ctx, args, false),
  }),
  command({
    name: 'msetnx', arity: -3, flags: ['write', 'denyoom'], keys: { first: 1, last: -1, step: 2 }, categories: ['string'],
    group: 'string', summary: 'Atomically modifies the string values of one or more keys only when all keys don\'t exist.',
    since: '1.0.1', complexity: 'O(N) where N is the number of keys to set.',
    handler: (ctx, args) => setMany(ctx, args, true),
  }),
  command({
    name: 'append', arity: 3, flags: ['write', 'denyoom', 'fast'], keys: single, categories: ['string'], group: 'string',
    summary: 'Appends a string to the value of a key. Creates the key if it doesn\'t exist.', since: '2.0.0',
    complexity: 'O(1). The amortized time complexity is O(1) assuming the appended value is small and the already present value is of any size, since the dynamic string library used by Redis will double the free space available on every reallocation.',
    handler(ctx, args): Reply {
      const key = args[1]!;
      const tail = args[2]!;
      const current = stringAt(ctx, key);
      let value = tail;
      if (current !== undefined) {
        checkStringLength(ctx, current.length + tail.length);
        value = current + tail;
      }
      ctx.db.set(key, value, current !== undefined);
      ctx.modified(key);
      ctx.notify('$', 'append', key);
      return value.length;
    },
  }),
  command({
    name: 'strlen', arity: 2, flags: ['readonly', 'fast'], keys: single, categories: ['string'], group: 'string',
    summary: 'Returns the length of a string value.', since: '2.2.0', complexity: 'O(1)',
    handler: (ctx, args) => stringAt(ctx, args[1]!)?.length ?? 0,
  }),
  command({
    ...rangeCommand, name: 'getrange', arity: 4, since: '2.4.0', summary: 'Returns a substring of the string stored at a key.',
  }),
  command({
    ...rangeCommand, name: 'substr', arity: 4, summary: 'Returns a substring from a string value.',
  }),
  command({
    name: 'setrange', arity: 4, flags: ['write', 'denyoom'], keys: single, categories: ['string'], group: 'string',
    summary: 'Overwrites a part of a string value with another by an offset. Creates the key if it doesn\'t exist.',
    since: '2.2.0', complexity: 'O(1), not counting the time taken to copy the new string in place.',
    handler(ctx, args): Reply {
      const key = args[1]!;
      const offset = intArg(args[2]!);
      const patch = args[3]!;
      if (offset < 0) throw new CommandError(Err.offsetOutOfRange);
      const current = stringAt(ctx, key);
      if (patch.length === 0) return current?.length ?? 0;
      checkStringLength(ctx, offset + patch.length);
      const base = current ?? '';
      const value = base.length >= offset
        ? base.slice(0, offset) + patch + base.slice(offset + patch.length)
        : base + '\0'.repeat(offset - base.length) + patch;
      ctx.db.set(key, value, current !== undefined);
      ctx.modified(key);
      ctx.notify('$', 'setrange', key);
      return value.length;
    },
  }),
  command({
    name: 'incr', arity: 2, flags: ['write', 'denyoom', 'fast'], keys: single, categories: ['string'], group: 'string',
    summary: 'Increments the integer value of a key by one. Uses 0 as initial value if the key doesn\'t exist.',
    complexity: 'O(1)',
    handler: (ctx, args) => incrementBy(ctx, args[1]!, 1),
  }),
  command({
    name: 'decr', arity: 2, flags: ['write', 'denyoom', 'fast'], keys: single, categories: ['string'], group: 'string',
    summary: 'Decrements the integer value of a key by one. Uses 0 as initial value if the key doesn\'t exist.',
    complexity: 'O(1)',
    handler: (ctx, args) => incrementBy(ctx, args[1]!, -1),
  }),
  command({
    name: 'incrby', arity: 3, flags: ['write', 'denyoom', 'fast'], keys: single, categories: ['string'], group: 'string',
    summary: 'Increments the integer value of a key by a number. Uses 0 as initial value if the key doesn\'t exist.',
    complexity: 'O(1)',
    handler: (ctx, args) => incrementBy(ctx, args[1]!, incrementArg(args[2]!)),
  }),
  command({
    name: 'decrby', arity: 3, flags: ['write', 'denyoom', 'fast'], keys: single, categories: ['string'], group: 'string',
    summary: 'Decrements a number from the integer value of a key. Uses 0 as initial value if the key doesn\'t exist.',
    complexity: 'O(1)',
    handler(ctx, args): Reply {
      const by = incrementArg(args[2]!);
      // -(-2^63) does not fit 64 bits.
      if (by === INT64_MIN) throw new CommandError(Err.decrementOverflow);
      return incrementBy(ctx, args[1]!, -by);
    },
  }),
  command({
    name: 'incrbyfloat', arity: 3, flags: ['write', 'denyoom', 'fast'], keys: single, categories: ['string'],
    group: 'string', since: '2.6.0', complexity: 'O(1)',
    summary: 'Increment the floating point value of a key by a number. Uses 0 as initial value if the key doesn\'t exist.',
    handler(ctx, args): Reply {
      const key = args[1]!;
      const current = stringAt(ctx, key);
      const value = current === undefined ? LONG_DOUBLE_ZERO : parseLongDouble(current);
      const by = value === null ? null : parseLongDouble(args[2]!);
      if (value === null || by === null) throw new CommandError(Err.notFloat);
      const sum = addLongDouble(value, by);
      if (sum === null || sum.infinite) throw new CommandError(Err.floatNaNOrInfinity);
      const text = formatLongDouble(sum);
      ctx.db.set(key, text, current !== undefined);
      ctx.modified(key);
      ctx.notify('$', 'incrbyfloat', key);
      // The text, not the arithmetic, goes to the log: replicas store exactly these bytes.
      ctx.propagate(['SET', key, text, 'KEEPTTL']);
      return text;
    },
  }),
  command({
    name: 'lcs', arity: -3, flags: ['readonly'], keys: { first: 1, last: 2, step: 1 }, categories: ['string'],
    group: 'string', summary: 'Finds the longest common substring.', since: '7.0.0',
    complexity: 'O(N*M) where N and M are the lengths of s1 and s2, respectively',
    handler: lcs,
  }),
];

