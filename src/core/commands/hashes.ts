/**
 * Hash commands. Per-field expiration (HEXPIRE and family) lives in
 * hash-field-expiry.ts; expired fields are invisible to every command here.
 * This module is browser compatible.
 */
import type { Bytes } from '../bytes.js';
import type { CommandContext } from '../context.js';
import { CommandError, Err } from '../errors.js';
import { MapReply, OK, type Reply } from '../resp/reply.js';
import { createHash, dropIfEmpty, readHash, writeHash } from './hash-access.js';
import { hashFieldExpiryCommands } from './hash-field-expiry.js';
import { addLongDouble, formatLongDouble, isFinite, parseLongDouble } from '../types/long-double.js';
import { globMatch } from '../glob.js';
import { isWord, parseInt64 } from './parse.js';
import { parseScanCursor, parseScanOptions, ScanOrder } from './scan-args.js';
import { MAX_REPEATED_PICKS } from './sets.js';
import { command, type CommandSpec } from './types.js';

const single = { first: 1, last: 1, step: 1 };
const INT64_MIN = -(2n ** 63n);
const INT64_MAX = 2n ** 63n - 1n;

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
  ...hashFieldExpiryCommands,
];
