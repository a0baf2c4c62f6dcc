/**
 * Hash commands, including Redis 7.4's per-field expiration (HEXPIRE and
 * family). Expired fields are invisible to reads; a write to the hash first
 * removes them (and the key when none is left), which every replica does at
 * the same log position.
 * This module is browser compatible.
 */
import type { Bytes } from '../bytes.js';
import type { CommandContext } from '../context.js';
import { CommandError, Err } from '../errors.js';
import { MapReply, OK, type Reply } from '../resp/reply.js';
import { HashValue } from '../types/hash.js';
import { addLongDouble, formatLongDouble, isFinite, parseLongDouble } from '../types/long-double.js';
import { globMatch } from '../glob.js';
import { isWord, parseInt64, parseIntNumber } from './parse.js';
import { parseScanCursor, parseScanOptions, ScanOrder } from './scan-args.js';
import { MAX_REPEATED_PICKS } from './sets.js';
import { command, type CommandSpec } from './types.js';

const single = { first: 1, last: 1, step: 1 };
const INT64_MIN = -(2n ** 63n);
const INT64_MAX = 2n ** 63n - 1n;
/** The latest field expiry Redis accepts (ms): 2^48 - 1, shifted right by 2. */
const MAX_FIELD_EXPIRE_MS = Math.floor((2 ** 48 - 1) / 4);

/** The hash at `key` for a read; undefined when missing or when every field has expired. */
function readHash(ctx: CommandContext, key: Bytes): HashValue | undefined {
  const v = ctx.db.get(key, ctx.now);
  if (v === undefined) return undefined;
  if (!(v instanceof HashValue)) throw new CommandError(Err.wrongType);
  if (v.volatile && v.liveSize(ctx.now) === 0) return undefined;
  return v;
}

/**
 * The hash at `key` for a write, with its expired fields removed first; the
 * key itself goes when none is left.
 */
function writeHash(ctx: CommandContext, key: Bytes): HashValue | undefined {
  const v = ctx.db.get(key, ctx.now);
  if (v === undefined) return undefined;
  if (!(v instanceof HashValue)) throw new CommandError(Err.wrongType);
  if (v.volatile && v.purgeExpired(ctx.now) > 0) {
    ctx.notify('h', 'hexpired', key);
    if (v.fields.size === 0) {
      ctx.db.delete(key);
      ctx.modified(key);
      ctx.notify('g', 'del', key);
      return undefined;
    }
    ctx.modified(key);
  }
  return v;
}

function createHash(ctx: CommandContext, key: Bytes): HashValue {
  const h = new HashValue();
  ctx.db.set(key, h);
  return h;
}

/** Deletes the key once its last field is gone. */
function dropIfEmpty(ctx: CommandContext, key: Bytes, h: HashValue): void {
  if (h.fields.size === 0) {
    ctx.db.delete(key);
    ctx.notify('g', 'del', key);
  }
}

function hset(ctx: CommandContext, args: Bytes[], name: string): number {
  if (args.length % 2 !== 0) throw new CommandError(Err.wrongArity(name));
  const key = args[1]!;
  const h = writeHash(ctx, key) ?? createHash(ctx, key);
  const config = ctx.server.config;
  let added = 0;
  for (let i = 2; i < args.length; i += 2) {
    if (h.set(args[i]!, args[i + 1]!)) added++;
    h.noteWrite(config, args[i]!, args[i + 1]!);
  }
  ctx.modified(key);
  ctx.notify('h', 'hset', key);
  return added;
}

function randomIndex(ctx: CommandContext, n: number): number {
  return Math.floor(ctx.random() * n);
}

/** HRANDFIELD key count [WITHVALUES]. */
function randomFields(ctx: CommandContext, args: Bytes[]): Reply {
  const big = parseInt64(args[2]!);
  if (big === null) throw new CommandError(Err.notInteger);
  if (big === INT64_MIN) throw new CommandError(Err.countOutOfRange);
  if (args.length > 4 || (args.length === 4 && !isWord(args[3]!, 'WITHVALUES'))) throw new CommandError(Err.syntax);
  const withValues = args.length === 4;
  if (withValues && (big < -(INT64_MAX / 2n) || big > INT64_MAX / 2n)) throw new CommandError(Err.valueOutOfRange);
  const l = Number(big);
  const h = readHash(ctx, args[1]!);
  if (h === undefined || l === 0) return [];
  const entries = [...h.entries(ctx.now)];
  const pairs = withValues && ctx.client.resp === 3;
  const out: Reply[] = [];
  const emit = (e: [Bytes, Bytes]): void => {
    if (!withValues) out.push(e[0]);
    else if (pairs) out.push([e[0], e[1]]);
    else out.push(e[0], e[1]);
  };
  if (l < 0) {
    if (-l > MAX_REPEATED_PICKS) throw new CommandError(Err.valueOutOfRange);
    for (let i = 0; i < -l; i++) emit(entries[randomIndex(ctx, entries.length)]!);
    return out;
  }
  if (l >= entries.length) {
    for (const e of entries) emit(e);
    return out;
  }
  // A partial Fisher-Yates shuffle: l distinct fields.
  for (let i = 0; i < l; i++) {
    const j = i + randomIndex(ctx, entries.length - i);
    const t = entries[i]!;
    entries[i] = entries[j]!;
    entries[j] = t;
    emit(entries[i]!);
  }
  return out;
}

/** The FIELDS numfields field... tail of the field-expiry commands, starting at `at`. */
function parseFields(args: Bytes[], at: number, countError: string): Bytes[] {
  if (at >= args.length || !isWord(args[at]!, 'FIELDS')) throw new CommandError(Err.fieldsMissing);
  const n = at + 1 < args.length ? parseIntNumber(args[at + 1]!) : null;
  if (n === null || n < 1) throw new CommandError(countError);
  if (n !== args.length - at - 2) throw new CommandError(Err.numFieldsMismatch);
  return args.slice(at + 2);
}

type ExpireCondition = 'NX' | 'XX' | 'GT' | 'LT' | null;

/** HEXPIRE, HPEXPIRE, HEXPIREAT, HPEXPIREAT. */
function expireFields(ctx: CommandContext, args: Bytes[], unitMs: number, relative: boolean): Reply {
  const key = args[1]!;
  const v = ctx.db.get(key, ctx.now);
  if (v !== undefined && !(v instanceof HashValue)) throw new CommandError(Err.wrongType);
  const t = parseInt64(args[2]!);
  if (t === null) throw new CommandError(Err.notInteger);
  if (t < 0n) throw new CommandError(Err.expireNegative);
  const name = args[0]!.toLowerCase();
  if (unitMs === 1000 && t > BigInt(Math.floor(MAX_FIELD_EXPIRE_MS / 1000))) throw new CommandError(Err.invalidExpire(name));
  let at = Number(t) * unitMs;
  const base = relative ? ctx.now : 0;
  if (at > MAX_FIELD_EXPIRE_MS - base) throw new CommandError(Err.invalidExpire(name));
  at += base;
  let cond: ExpireCondition = null;
  let fieldsAt = 3;
  const word = args[3]!.toUpperCase();
  if (word === 'NX' || word === 'XX' || word === 'GT' || word === 'LT') {
    cond = word;
    fieldsAt = 4;
  }
  const fields = parseFields(args, fieldsAt, Err.numFieldsPositive);
  const h = writeHash(ctx, key);
  if (h === undefined) return fields.map(() => -2);
  const out: number[] = [];
  let updated = 0;
  let deleted = 0;
  for (const f of fields) {
    if (!h.fields.has(f)) {
      out.push(-2);
      continue;
    }
    const prev = h.getExpire(f);
    if (cond === 'NX' && prev !== undefined) { out.push(0); continue; }
    if ((cond === 'XX' || cond === 'GT') && prev === undefined) { out.push(0); continue; }
    if (prev !== undefined && ((cond === 'GT' && prev >= at) || (cond === 'LT' && prev <= at))) { out.push(0); continue; }
    if (at <= ctx.now) {
      h.delete(f);
      deleted++;
      out.push(2);
      continue;
    }
    if (prev !== at) updated++;
    h.setExpire(f, at);
    out.push(1);
  }
  if (updated > 0 || deleted > 0) {
    ctx.modified(key);
    if (updated > 0) ctx.notify('h', 'hexpire', key);
    if (deleted > 0) ctx.notify('h', 'hexpired', key);
    dropIfEmpty(ctx, key, h);
    const logged = ['HPEXPIREAT', key, String(at)];
    if (cond !== null) logged.push(cond);
    ctx.propagate([...logged, 'FIELDS', String(fields.length), ...fields]);
  }
  return out;
}

/** HTTL, HPTTL, HEXPIRETIME, HPEXPIRETIME. */
function fieldTimes(ctx: CommandContext, args: Bytes[], unitMs: number, relative: boolean): Reply {
  const h = readHash(ctx, args[1]!);
  const fields = parseFields(args, 2, Err.numFieldsCount);
  if (h === undefined) return fields.map(() => -2);
  const base = relative ? ctx.now : 0;
  return fields.map((f) => {
    if (!h.isLive(f, ctx.now)) return -2;
    const at = h.getExpire(f);
    if (at === undefined) return -1;
    return unitMs === 1 ? at - base : Math.floor((at + 999 - base) / 1000);
  });
}

function scanHash(ctx: CommandContext, args: Bytes[]): Reply {
  const cursor = parseScanCursor(args[2]!);
  const h = readHash(ctx, args[1]!);
  if (h === undefined) return ['0', []];
  const opts = parseScanOptions(args, 3, true);
  const out: Bytes[] = [];
  const emit = (f: Bytes, v: Bytes): void => {
    if (opts.pattern !== null && !globMatch(opts.pattern, f)) return;
    out.push(f);
    if (!opts.noValues) out.push(v);
  };
  if (h.isCompact(ctx.server.config)) {
    // Small hashes are answered whole, as Redis does for a listpack.
    for (const [f, v] of h.entries(ctx.now)) emit(f, v);
    return ['0', out];
  }
  h.scanOrder ??= ScanOrder.of(h.fields.keys());
  const page = h.scanOrder.page(cursor, opts.count);
  for (const f of page.items) {
    const v = h.get(f, ctx.now);
    if (v !== undefined) emit(f, v);
  }
  return [String(page.next), out];
}

export const hashCommands: CommandSpec[] = [
  command({
    name: 'hset', arity: -4, flags: ['write', 'denyoom', 'fast'], keys: single, categories: ['hash'], group: 'hash',
    summary: 'Creates or modifies the value of a field in a hash.', since: '2.0.0',
    complexity: 'O(1) for each field/value pair added, so O(N) to add N field/value pairs when the command is called with multiple field/value pairs.',
    handler: (ctx, args) => hset(ctx, args, 'hset'),
  }),
  command({
    name: 'hmset', arity: -4, flags: ['write', 'denyoom', 'fast'], keys: single, categories: ['hash'], group: 'hash',
    summary: 'Sets the values of multiple fields.', since: '2.0.0', complexity: 'O(N) where N is the number of fields being set.',
    handler(ctx, args): Reply {
      hset(ctx, args, 'hmset');
      return OK;
    },
  }),
  command({
    name: 'hsetnx', arity: 4, flags: ['write', 'denyoom', 'fast'], keys: single, categories: ['hash'], group: 'hash',
    summary: 'Sets the value of a field in a hash only when the field doesn\'t exist.', since: '2.0.0', complexity: 'O(1)',
    handler(ctx, args): Reply {
      const key = args[1]!;
      const existing = writeHash(ctx, key);
      if (existing !== undefined && existing.fields.has(args[2]!)) return 0;
      const h = existing ?? createHash(ctx, key);
      h.set(args[2]!, args[3]!);
      h.noteWrite(ctx.server.config, args[2]!, args[3]!);
      ctx.modified(key);
      ctx.notify('h', 'hset', key);
      return 1;
    },
  }),
  command({
    name: 'hget', arity: 3, flags: ['readonly', 'fast'], keys: single, categories: ['hash'], group: 'hash',
    summary: 'Returns the value of a field in a hash.', since: '2.0.0', complexity: 'O(1)',
    handler(ctx, args): Reply {
      const h = readHash(ctx, args[1]!);
      return h === undefined ? null : (h.get(args[2]!, ctx.now) ?? null);
    },
  }),
  command({
    name: 'hmget', arity: -3, flags: ['readonly', 'fast'], keys: single, categories: ['hash'], group: 'hash',
    summary: 'Returns the values of all fields in a hash.', since: '2.0.0', complexity: 'O(N) where N is the number of fields being requested.',
    handler(ctx, args): Reply {
      const h = readHash(ctx, args[1]!);
      const out: Reply[] = [];
      for (let i = 2; i < args.length; i++) out.push(h === undefined ? null : (h.get(args[i]!, ctx.now) ?? null));
      return out;
    },
  }),
  command({
    name: 'hgetall', arity: 2, flags: ['readonly'], keys: single, categories: ['hash'], group: 'hash',
    summary: 'Returns all fields and values in a hash.', since: '2.0.0', complexity: 'O(N) where N is the size of the hash.',
    handler(ctx, args): Reply {
      const h = readHash(ctx, args[1]!);
      const out: Reply[] = [];
      if (h !== undefined) for (const [f, v] of h.entries(ctx.now)) out.push(f, v);
      return new MapReply(out);
    },
  }),
  command({
    name: 'hkeys', arity: 2, flags: ['readonly'], keys: single, categories: ['hash'], group: 'hash',
    summary: 'Returns all fields in a hash.', since: '2.0.0', complexity: 'O(N) where N is the size of the hash.',
    handler(ctx, args): Reply {
      const h = readHash(ctx, args[1]!);
      const out: Reply[] = [];
      if (h !== undefined) for (const [f] of h.entries(ctx.now)) out.push(f);
      return out;
    },
  }),
  command({
    name: 'hvals', arity: 2, flags: ['readonly'], keys: single, categories: ['hash'], group: 'hash',
    summary: 'Returns all values in a hash.', since: '2.0.0', complexity: 'O(N) where N is the size of the hash.',
    handler(ctx, args): Reply {
      const h = readHash(ctx, args[1]!);
      const out: Reply[] = [];
      if (h !== undefined) for (const [, v] of h.entries(ctx.now)) out.push(v);
      return out;
    },
  }),
  command({
    name: 'hdel', arity: -3, flags: ['write', 'fast'], keys: single, categories: ['hash'], group: 'hash',
    summary: 'Deletes one or more fields and their values from a hash. Deletes the hash if no fields remain.', since: '2.0.0',
    complexity: 'O(N) where N is the number of fields to be removed.',
    handler(ctx, args): Reply {
      const key = args[1]!;
      const h = writeHash(ctx, key);
      if (h === undefined) return 0;
      let removed = 0;
      for (let i = 2; i < args.length; i++) {
        if (h.delete(args[i]!)) removed++;
        if (h.fields.size === 0) break;
      }
      if (removed > 0) {
        ctx.modified(key);
        ctx.notify('h', 'hdel', key);
        dropIfEmpty(ctx, key, h);
      }
      return removed;
    },
  }),
  command({
    name: 'hexists', arity: 3, flags: ['readonly', 'fast'], keys: single, categories: ['hash'], group: 'hash',
    summary: 'Determines whether a field exists in a hash.', since: '2.0.0', complexity: 'O(1)',
    handler(ctx, args): Reply {
      const h = readHash(ctx, args[1]!);
      return h !== undefined && h.isLive(args[2]!, ctx.now) ? 1 : 0;
    },
  }),
  command({
    name: 'hlen', arity: 2, flags: ['readonly', 'fast'], keys: single, categories: ['hash'], group: 'hash',
    summary: 'Returns the number of fields in a hash.', since: '2.0.0', complexity: 'O(1)',
    handler(ctx, args): Reply {
      const h = readHash(ctx, args[1]!);
      return h === undefined ? 0 : h.liveSize(ctx.now);
    },
  }),
  command({
    name: 'hstrlen', arity: 3, flags: ['readonly', 'fast'], keys: single, categories: ['hash'], group: 'hash',
    summary: 'Returns the length of the value of a field.', since: '3.2.0', complexity: 'O(1)',
    handler(ctx, args): Reply {
      const h = readHash(ctx, args[1]!);
      return h === undefined ? 0 : (h.get(args[2]!, ctx.now)?.length ?? 0);
    },
  }),
  command({
    name: 'hincrby', arity: 4, flags: ['write', 'denyoom', 'fast'], keys: single, categories: ['hash'], group: 'hash',
    summary: 'Increments the integer value of a field in a hash by a number. Uses 0 as initial value if the field doesn\'t exist.',
    since: '2.0.0', complexity: 'O(1)',
    handler(ctx, args): Reply {
      const incr = parseInt64(args[3]!);
      if (incr === null) throw new CommandError(Err.notInteger);
      const key = args[1]!;
      const field = args[2]!;
      const h = writeHash(ctx, key) ?? createHash(ctx, key);
      const old = h.fields.get(field);
      let cur = 0n;
      if (old !== undefined) {
        const parsed = parseInt64(old);
        if (parsed === null) throw new CommandError(Err.hashNotInteger);
        cur = parsed;
      }
      const next = cur + incr;
      if (next < INT64_MIN || next > INT64_MAX) throw new CommandError(Err.overflow);
      const text = next.toString();
      if (old === undefined) h.set(field, text);
      else h.update(field, text);
      h.noteWrite(ctx.server.config, field, text);
      ctx.modified(key);
      ctx.notify('h', 'hincrby', key);
      return next;
    },
  }),
  command({
    name: 'hincrbyfloat', arity: 4, flags: ['write', 'denyoom', 'fast'], keys: single, categories: ['hash'], group: 'hash',
    summary: 'Increments the floating point value of a field by a number. Uses 0 as initial value if the field doesn\'t exist.',
    since: '2.6.0', complexity: 'O(1)',
    handler(ctx, args): Reply {
      const incr = parseLongDouble(args[3]!);
      if (incr === null) throw new CommandError(Err.notFloat);
      if (!isFinite(incr)) throw new CommandError('ERR value is NaN or Infinity');
      const key = args[1]!;
      const field = args[2]!;
      const h = writeHash(ctx, key) ?? createHash(ctx, key);
      const old = h.fields.get(field);
      let sum = incr;
      if (old !== undefined) {
        const cur = parseLongDouble(old);
        if (cur === null) throw new CommandError(Err.hashNotFloat);
        sum = addLongDouble(cur, incr);
        if (!isFinite(sum)) throw new CommandError(Err.nanOrInfinity);
      }
      const text = formatLongDouble(sum);
      if (old === undefined) h.set(field, text);
      else h.update(field, text);
      h.noteWrite(ctx.server.config, field, text);
      ctx.modified(key);
      ctx.notify('h', 'hincrbyfloat', key);
      ctx.propagate(['HSET', key, field, text]);
      return text;
    },
  }),
  command({
    name: 'hrandfield', arity: -2, flags: ['readonly'], keys: single, categories: ['hash'], group: 'hash',
    summary: 'Returns one or more random fields from a hash.', since: '6.2.0',
    complexity: 'O(N) where N is the number of fields returned',
    handler(ctx, args): Reply {
      if (args.length >= 3) return randomFields(ctx, args);
      const h = readHash(ctx, args[1]!);
      if (h === undefined) return null;
      if (!h.volatile) {
        let k = randomIndex(ctx, h.fields.size);
        for (const f of h.fields.keys()) if (k-- === 0) return f;
      }
      const live = [...h.entries(ctx.now)];
      return live[randomIndex(ctx, live.length)]![0];
    },
  }),
  command({
    name: 'hscan', arity: -3, flags: ['readonly'], keys: single, categories: ['hash'], group: 'hash',
    summary: 'Iterates over fields and values of a hash.', since: '2.8.0',
    complexity: 'O(1) for every call. O(N) for a complete iteration, including enough command calls for the cursor to return back to 0. N is the number of elements inside the collection.',
    handler: scanHash,
  }),
  ...([
    ['hexpire', 1000, true, 'Set expiry for hash field using relative time to expire (seconds)'],
    ['hpexpire', 1, true, 'Set expiry for hash field using relative time to expire (milliseconds)'],
    ['hexpireat', 1000, false, 'Set expiry for hash field using an absolute Unix timestamp (seconds)'],
    ['hpexpireat', 1, false, 'Set expiry for hash field using an absolute Unix timestamp (milliseconds)'],
  ] as const).map(([name, unit, relative, summary]) => command({
    name, arity: -6, flags: ['write', 'denyoom', 'fast'], keys: single, categories: ['hash'], group: 'hash',
    summary, since: '7.4.0', complexity: 'O(N) where N is the number of specified fields',
    handler: (ctx, args) => expireFields(ctx, args, unit, relative),
  })),
  ...([
    ['httl', 1000, true, 'Returns the TTL in seconds of a hash field.'],
    ['hpttl', 1, true, 'Returns the TTL in milliseconds of a hash field.'],
    ['hexpiretime', 1000, false, 'Returns the expiration time of a hash field as a Unix timestamp, in seconds.'],
    ['hpexpiretime', 1, false, 'Returns the expiration time of a hash field as a Unix timestamp, in msec.'],
  ] as const).map(([name, unit, relative, summary]) => command({
    name, arity: -5, flags: ['readonly', 'fast'], keys: single, categories: ['hash'], group: 'hash',
    summary, since: '7.4.0', complexity: 'O(N) where N is the number of specified fields',
    handler: (ctx, args) => fieldTimes(ctx, args, unit, relative),
  })),
  command({
    name: 'hpersist', arity: -5, flags: ['write', 'fast'], keys: single, categories: ['hash'], group: 'hash',
    summary: 'Removes the expiration time for each specified field', since: '7.4.0',
    complexity: 'O(N) where N is the number of specified fields',
    handler(ctx, args): Reply {
      const key = args[1]!;
      const v = ctx.db.get(key, ctx.now);
      if (v !== undefined && !(v instanceof HashValue)) throw new CommandError(Err.wrongType);
      const fields = parseFields(args, 2, Err.numFieldsCount);
      const h = writeHash(ctx, key);
      if (h === undefined) return fields.map(() => -2);
      let changed = 0;
      const out = fields.map((f) => {
        if (!h.fields.has(f)) return -2;
        if (!h.persist(f)) return -1;
        changed++;
        return 1;
      });
      if (changed > 0) {
        ctx.modified(key);
        ctx.notify('h', 'hpersist', key);
      }
      return out;
    },
  }),
];
