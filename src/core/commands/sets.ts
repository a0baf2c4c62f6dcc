/**
 * Set commands. Random choices (SPOP, SRANDMEMBER) draw from ctx.random(),
 * which on the write path comes from the log entry, and SPOP is logged as the
 * SREM (or DEL) of what it took, so every replica removes the same members.
 * This module is browser compatible.
 */
import type { Bytes } from '../bytes.js';
import type { CommandContext } from '../context.js';
import { CommandError, Err } from '../errors.js';
import { globMatch } from '../glob.js';
import { SetReply, type Reply } from '../resp/reply.js';
import { SetValue, type IntConfig } from '../types/set.js';
import { isWord, parseInt64, parseIntNumber } from './parse.js';
import { parseScanCursor, parseScanOptions, ScanOrder } from './scan-args.js';
import { command, type CommandSpec } from './types.js';

const single = { first: 1, last: 1, step: 1 };
const allKeys = { first: 1, last: -1, step: 1 };
const INT64_MIN = -(2n ** 63n);
/**
 * Redis would try to build any reply for a negative count (and hit the
 * output buffer limit); a reply this large would exhaust a JS heap first.
 */
export const MAX_REPEATED_PICKS = 1 << 24;

function getSet(ctx: CommandContext, key: Bytes): SetValue | undefined {
  const v = ctx.db.get(key, ctx.now);
  if (v === undefined) return undefined;
  if (!(v instanceof SetValue)) throw new CommandError(Err.wrongType);
  return v;
}

/** Every key's set (undefined for missing keys), type-checked in order as Redis does. */
function getSets(ctx: CommandContext, keys: Bytes[]): (SetValue | undefined)[] {
  return keys.map((k) => getSet(ctx, k));
}

function randomIndex(ctx: CommandContext, n: number): number {
  return Math.floor(ctx.random() * n);
}

/** Removes the key once its last member is gone. */
function dropIfEmpty(ctx: CommandContext, key: Bytes, set: SetValue): void {
  if (set.size === 0) {
    ctx.db.delete(key);
    ctx.notify('g', 'del', key);
  }
}

function intersect(sets: (SetValue | undefined)[], limit = 0): Bytes[] {
  const out: Bytes[] = [];
  if (sets.some((s) => s === undefined)) return out;
  const sorted = (sets as SetValue[]).slice().sort((a, b) => a.size - b.size);
  const [first, ...rest] = sorted;
  outer: for (const m of first!) {
    for (const s of rest) if (!s.has(m)) continue outer;
    out.push(m);
    if (limit > 0 && out.length >= limit) break;
  }
  return out;
}

/**
 * Redis builds SUNION and SDIFF results as a new set (starting as an intset)
 * and replies in that set's order: built the same way, the order matches.
 */
function asResultSet(members: Iterable<Bytes>, config: IntConfig): Bytes[] {
  const set = new SetValue('intset');
  for (const m of members) set.add(m, config);
  return set.toArray();
}

function union(sets: (SetValue | undefined)[], config: IntConfig): Bytes[] {
  const seen = new Set<Bytes>();
  for (const s of sets) if (s !== undefined) for (const m of s) seen.add(m);
  return asResultSet(seen, config);
}

function difference(sets: (SetValue | undefined)[], config: IntConfig): Bytes[] {
  const [first, ...rest] = sets;
  const out: Bytes[] = [];
  if (first === undefined) return out;
  outer: for (const m of first) {
    for (const s of rest) if (s !== undefined && s.has(m)) continue outer;
    out.push(m);
  }
  return asResultSet(out, config);
}

/** SINTERSTORE, SUNIONSTORE, SDIFFSTORE: the result replaces the destination (an empty one deletes it). */
function store(ctx: CommandContext, dst: Bytes, members: Bytes[], event: string): number {
  if (members.length === 0) {
    if (ctx.db.delete(dst)) {
      ctx.modified(dst);
      ctx.notify('g', 'del', dst);
    }
    return 0;
  }
  const config = ctx.server.config;
  const set = new SetValue('intset');
  for (const m of members) set.add(m, config);
  ctx.db.set(dst, set);
  ctx.modified(dst);
  ctx.notify('s', event, dst);
  return set.size;
}

/** SPOP key count. */
function popMany(ctx: CommandContext, args: Bytes[]): Reply {
  const n = parseIntNumber(args[2]!);
  if (n === null || n < 0) throw new CommandError(Err.mustBePositive);
  const key = args[1]!;
  const set = getSet(ctx, key);
  if (set === undefined || n === 0) return new SetReply([]);
  ctx.notify('s', 'spop', key);
  if (n >= set.size) {
    const all = set.toArray();
    ctx.db.delete(key);
    ctx.modified(key);
    ctx.notify('g', 'del', key);
    ctx.propagate(['DEL', key]);
    return new SetReply(all);
  }
  const popped: Bytes[] = [];
  for (let i = 0; i < n; i++) {
    const m = set.at(randomIndex(ctx, set.size));
    set.delete(m);
    popped.push(m);
  }
  ctx.modified(key);
  ctx.propagate(['SREM', key, ...popped]);
  return new SetReply(popped);
}

/** SRANDMEMBER key count. */
function randomMembers(ctx: CommandContext, args: Bytes[]): Reply {
  const big = parseInt64(args[2]!);
  if (big === null) throw new CommandError(Err.notInteger);
  if (big === INT64_MIN) throw new CommandError(Err.countOutOfRange);
  const l = Number(big);
  const set = getSet(ctx, args[1]!);
  if (set === undefined || l === 0) return [];
  const size = set.size;
  const out: Bytes[] = [];
  if (l < 0) {
    if (-l > MAX_REPEATED_PICKS) throw new CommandError(Err.valueOutOfRange);
    for (let i = 0; i < -l; i++) out.push(set.at(randomIndex(ctx, size)));
    return out;
  }
  if (l >= size) return set.toArray();
  if (l * 3 > size) {
    // Most of the set: a partial shuffle of a copy.
    const all = set.toArray();
    for (let i = 0; i < l; i++) {
      const j = i + randomIndex(ctx, size - i);
      const t = all[i]!;
      all[i] = all[j]!;
      all[j] = t;
    }
    all.length = l;
    return all;
  }
  const chosen = new Set<Bytes>();
  while (chosen.size < l) chosen.add(set.at(randomIndex(ctx, size)));
  return [...chosen];
}

function scanSet(ctx: CommandContext, args: Bytes[]): Reply {
  const cursor = parseScanCursor(args[2]!);
  const set = getSet(ctx, args[1]!);
  if (set === undefined) return ['0', []];
  const opts = parseScanOptions(args, 3, false);
  const out: Bytes[] = [];
  const keep = (m: Bytes): boolean => opts.pattern === null || globMatch(opts.pattern, m);
  if (set.enc !== 'hashtable') {
    // Small sets are answered whole, as Redis does for an intset or listpack.
    for (const m of set) if (keep(m)) out.push(m);
    return ['0', out];
  }
  set.scanOrder ??= ScanOrder.of(set);
  const page = set.scanOrder.page(cursor, opts.count);
  for (const m of page.items) if (set.has(m) && keep(m)) out.push(m);
  return [String(page.next), out];
}

export const setCommands: CommandSpec[] = [
  command({
    name: 'sadd', arity: -3, flags: ['write', 'denyoom', 'fast'], keys: single, categories: ['set'], group: 'set',
    summary: 'Adds one or more members to a set. Creates the key if it doesn\'t exist.',
    complexity: 'O(1) for each element added, so O(N) to add N elements when the command is called with multiple arguments.',
    handler(ctx, args): Reply {
      const key = args[1]!;
      const config = ctx.server.config;
      let set = getSet(ctx, key);
      if (set === undefined) {
        set = SetValue.create(args[2]!, args.length - 2, config);
        ctx.db.set(key, set);
      } else {
        set.expectAdds(args.length - 2, config);
      }
      let added = 0;
      for (let i = 2; i < args.length; i++) if (set.add(args[i]!, config)) added++;
      if (added > 0) {
        ctx.modified(key);
        ctx.notify('s', 'sadd', key);
      }
      return added;
    },
  }),
  command({
    name: 'srem', arity: -3, flags: ['write', 'fast'], keys: single, categories: ['set'], group: 'set',
    summary: 'Removes one or more members from a set. Deletes the set if the last member was removed.',
    complexity: 'O(N) where N is the number of members to be removed.',
    handler(ctx, args): Reply {
      const key = args[1]!;
      const set = getSet(ctx, key);
      if (set === undefined) return 0;
      let removed = 0;
      for (let i = 2; i < args.length; i++) {
        if (set.delete(args[i]!)) removed++;
        if (set.size === 0) break;
      }
      if (removed > 0) {
        ctx.modified(key);
        ctx.notify('s', 'srem', key);
        dropIfEmpty(ctx, key, set);
      }
      return removed;
    },
  }),
  command({
    name: 'smembers', arity: 2, flags: ['readonly'], keys: single, categories: ['set'], group: 'set',
    summary: 'Returns all members of a set.', complexity: 'O(N) where N is the set cardinality.',
    handler(ctx, args): Reply {
      const set = getSet(ctx, args[1]!);
      return new SetReply(set === undefined ? [] : set.toArray());
    },
  }),
  command({
    name: 'sismember', arity: 3, flags: ['readonly', 'fast'], keys: single, categories: ['set'], group: 'set',
    summary: 'Determines whether a member belongs to a set.', complexity: 'O(1)',
    handler(ctx, args): Reply {
      const set = getSet(ctx, args[1]!);
      return set !== undefined && set.has(args[2]!) ? 1 : 0;
    },
  }),
  command({
    name: 'smismember', arity: -3, flags: ['readonly', 'fast'], keys: single, categories: ['set'], group: 'set',
    summary: 'Determines whether multiple members belong to a set.', since: '6.2.0',
    complexity: 'O(N) where N is the number of elements being checked for membership',
    handler(ctx, args): Reply {
      const set = getSet(ctx, args[1]!);
      const out: number[] = [];
      for (let i = 2; i < args.length; i++) out.push(set !== undefined && set.has(args[i]!) ? 1 : 0);
      return out;
    },
  }),
  command({
    name: 'scard', arity: 2, flags: ['readonly', 'fast'], keys: single, categories: ['set'], group: 'set',
    summary: 'Returns the number of members in a set.', complexity: 'O(1)',
    handler(ctx, args): Reply {
      return getSet(ctx, args[1]!)?.size ?? 0;
    },
  }),
  command({
    name: 'spop', arity: -2, flags: ['write', 'fast'], keys: single, categories: ['set'], group: 'set',
    summary: 'Returns one or more random members from a set after removing them. Deletes the set if the last member was popped.',
    complexity: 'Without the count argument O(1), otherwise O(N) where N is the value of the passed count.',
    handler(ctx, args): Reply {
      if (args.length === 3) return popMany(ctx, args);
      if (args.length > 3) throw new CommandError(Err.syntax);
      const key = args[1]!;
      const set = getSet(ctx, key);
      if (set === undefined) return null;
      const m = set.at(randomIndex(ctx, set.size));
      set.delete(m);
      ctx.modified(key);
      ctx.notify('s', 'spop', key);
      dropIfEmpty(ctx, key, set);
      ctx.propagate(['SREM', key, m]);
      return m;
    },
  }),
  command({
    name: 'srandmember', arity: -2, flags: ['readonly'], keys: single, categories: ['set'], group: 'set',
    summary: 'Get one or multiple random members from a set',
    complexity: 'Without the count argument O(1), otherwise O(N) where N is the absolute value of the passed count.',
    handler(ctx, args): Reply {
      if (args.length === 3) return randomMembers(ctx, args);
      if (args.length > 3) throw new CommandError(Err.syntax);
      const set = getSet(ctx, args[1]!);
      return set === undefined ? null : set.at(randomIndex(ctx, set.size));
    },
  }),
  command({
    name: 'smove', arity: 4, flags: ['write', 'fast'], keys: { first: 1, last: 2, step: 1 }, categories: ['set'], group: 'set',
    summary: 'Moves a member from one set to another.', complexity: 'O(1)',
    handler(ctx, args): Reply {
      const [, srcKey, dstKey, member] = args as [Bytes, Bytes, Bytes, Bytes];
      const src = ctx.db.get(srcKey, ctx.now);
      if (src === undefined) return 0;
      const dst = ctx.db.get(dstKey, ctx.now);
      if (!(src instanceof SetValue) || (dst !== undefined && !(dst instanceof SetValue))) throw new CommandError(Err.wrongType);
      if (src === dst) return src.has(member) ? 1 : 0;
      if (!src.delete(member)) return 0;
      ctx.notify('s', 'srem', srcKey);
      dropIfEmpty(ctx, srcKey, src);
      let target = dst as SetValue | undefined;
      if (target === undefined) {
        target = SetValue.create(member, 1, ctx.server.config);
        ctx.db.set(dstKey, target);
      }
      ctx.modified(srcKey);
      if (target.add(member, ctx.server.config)) {
        ctx.modified(dstKey);
        ctx.notify('s', 'sadd', dstKey);
      }
      return 1;
    },
  }),
  command({
    name: 'sinter', arity: -2, flags: ['readonly'], keys: allKeys, categories: ['set'], group: 'set',
    summary: 'Returns the intersect of multiple sets.',
    complexity: 'O(N*M) worst case where N is the cardinality of the smallest set and M is the number of sets.',
    handler: (ctx, args) => new SetReply(intersect(getSets(ctx, args.slice(1)))),
  }),
  command({
    name: 'sintercard', arity: -3, flags: ['readonly', 'movablekeys'], categories: ['set'], group: 'set',
    summary: 'Returns the number of members of the intersect of multiple sets.', since: '7.0.0',
    complexity: 'O(N*M) worst case where N is the cardinality of the smallest set and M is the number of sets.',
    getKeys(args) {
      const n = parseIntNumber(args[1] ?? '') ?? 0;
      const out: number[] = [];
      for (let i = 0; i < n && 2 + i < args.length; i++) out.push(2 + i);
      return out;
    },
    handler(ctx, args): Reply {
      const n = parseIntNumber(args[1]!);
      if (n === null || n < 1) throw new CommandError(Err.numkeysPositive);
      if (n > args.length - 2) throw new CommandError(Err.numkeysTooMany);
      let limit = 0;
      for (let i = 2 + n; i < args.length; i++) {
        if (isWord(args[i]!, 'LIMIT') && i + 1 < args.length) {
          const l = parseIntNumber(args[++i]!);
          if (l === null || l < 0) throw new CommandError(Err.limitNegative);
          limit = l;
        } else {
          throw new CommandError(Err.syntax);
        }
      }
      return intersect(getSets(ctx, args.slice(2, 2 + n)), limit).length;
    },
  }),
  command({
    name: 'sinterstore', arity: -3, flags: ['write', 'denyoom'], keys: allKeys, categories: ['set'], group: 'set',
    summary: 'Stores the intersect of multiple sets in a key.',
    complexity: 'O(N*M) worst case where N is the cardinality of the smallest set and M is the number of sets.',
    handler: (ctx, args) => store(ctx, args[1]!, intersect(getSets(ctx, args.slice(2))), 'sinterstore'),
  }),
  command({
    name: 'sunion', arity: -2, flags: ['readonly'], keys: allKeys, categories: ['set'], group: 'set',
    summary: 'Returns the union of multiple sets.', complexity: 'O(N) where N is the total number of elements in all given sets.',
    handler: (ctx, args) => new SetReply(union(getSets(ctx, args.slice(1)), ctx.server.config)),
  }),
  command({
    name: 'sunionstore', arity: -3, flags: ['write', 'denyoom'], keys: allKeys, categories: ['set'], group: 'set',
    summary: 'Stores the union of multiple sets in a key.', complexity: 'O(N) where N is the total number of elements in all given sets.',
    handler: (ctx, args) => store(ctx, args[1]!, union(getSets(ctx, args.slice(2)), ctx.server.config), 'sunionstore'),
  }),
  command({
    name: 'sdiff', arity: -2, flags: ['readonly'], keys: allKeys, categories: ['set'], group: 'set',
    summary: 'Returns the difference of multiple sets.', complexity: 'O(N) where N is the total number of elements in all given sets.',
    handler: (ctx, args) => new SetReply(difference(getSets(ctx, args.slice(1)), ctx.server.config)),
  }),
  command({
    name: 'sdiffstore', arity: -3, flags: ['write', 'denyoom'], keys: allKeys, categories: ['set'], group: 'set',
    summary: 'Stores the difference of multiple sets in a key.', complexity: 'O(N) where N is the total number of elements in all given sets.',
    handler: (ctx, args) => store(ctx, args[1]!, difference(getSets(ctx, args.slice(2)), ctx.server.config), 'sdiffstore'),
  }),
  command({
    name: 'sscan', arity: -3, flags: ['readonly'], keys: single, categories: ['set'], group: 'set',
    summary: 'Iterates over members of a set.', since: '2.8.0',
    complexity: 'O(1) for every call. O(N) for a complete iteration, including enough command calls for the cursor to return back to 0. N is the number of elements inside the collection.',
    handler: scanSet,
  }),
];
