/**
 * Redis 7.4 hash-field expiration: HEXPIRE, HPEXPIRE, HEXPIREAT, HPEXPIREAT,
 * HTTL, HPTTL, HEXPIRETIME, HPEXPIRETIME, HPERSIST. Relative times are
 * logged as HPEXPIREAT with the absolute time.
 * This module is browser compatible.
 */
import type { Bytes } from '../bytes.js';
import type { CommandContext } from '../context.js';
import { CommandError, Err } from '../errors.js';
import type { Reply } from '../resp/reply.js';
import { HashValue } from '../types/hash.js';
import { dropIfEmpty, readHash, writeHash } from './hash-access.js';
import { isWord, parseInt64, parseIntNumber } from './parse.js';
import { command, type CommandSpec } from './types.js';

const single = { first: 1, last: 1, step: 1 };
/** The latest field expiry Redis accepts (ms): 2^48 - 1, shifted right by 2. */
const MAX_FIELD_EXPIRE_MS = Math.floor((2 ** 48 - 1) / 4);

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

export const hashFieldExpiryCommands: CommandSpec[] = [
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
