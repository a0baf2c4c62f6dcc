/**
 * Key expiry commands: EXPIRE, PEXPIRE, EXPIREAT, PEXPIREAT (NX/XX/GT/LT),
 * TTL, PTTL, EXPIRETIME, PEXPIRETIME and PERSIST.
 * Relative times become absolute at the node that accepts the write (the
 * entry's time) and are logged as PEXPIREAT, so replaying the log later sets
 * the same deadline.
 * This module is browser compatible.
 */
import type { Bytes } from '../bytes.js';
import type { CommandContext } from '../context.js';
import { CommandError, Err } from '../errors.js';
import { lookupWrite } from '../keyspace/lazy-expire.js';
import type { Reply } from '../resp/reply.js';
import { isWord, parseInt64 } from './parse.js';
import { command, type CommandSpec } from './types.js';

const single = { first: 1, last: 1, step: 1 };
const INT64_MIN = -(2n ** 63n);
const INT64_MAX = 2n ** 63n - 1n;

const NX = 1;
const XX = 2;
const GT = 4;
const LT = 8;

function parseExpireFlags(args: Bytes[]): number {
  let flags = 0;
  for (let i = 3; i < args.length; i++) {
    const opt = args[i]!;
    if (isWord(opt, 'NX')) flags |= NX;
    else if (isWord(opt, 'XX')) flags |= XX;
    else if (isWord(opt, 'GT')) flags |= GT;
    else if (isWord(opt, 'LT')) flags |= LT;
    else throw new CommandError(Err.unsupportedOption(opt));
  }
  if (flags & NX && flags & (XX | GT | LT)) throw new CommandError(Err.expireNxIncompatible);
  if (flags & GT && flags & LT) throw new CommandError(Err.expireGtLtIncompatible);
  return flags;
}

/** The absolute deadline in ms, with Redis's overflow checks (done in 64-bit integers). */
function deadline(name: string, text: Bytes, seconds: boolean, base: number): number {
  const parsed = parseInt64(text);
  if (parsed === null) throw new CommandError(Err.notInteger);
  let when = parsed;
  if (seconds) {
    if (when > INT64_MAX / 1000n || when < INT64_MIN / 1000n) throw new CommandError(Err.invalidExpire(name));
    when *= 1000n;
  }
  const b = BigInt(base);
  if (when > INT64_MAX - b) throw new CommandError(Err.invalidExpire(name));
  return Number(when + b);
}

function expireGeneric(ctx: CommandContext, args: Bytes[], name: string, seconds: boolean, relative: boolean): Reply {
  const flags = args.length > 3 ? parseExpireFlags(args) : 0;
  const when = deadline(name, args[2]!, seconds, relative ? ctx.now : 0);
  const key = args[1]!;
  const db = ctx.db;
  if (lookupWrite(ctx, key) === undefined) return 0;
  if (flags !== 0) {
    const current = db.getExpire(key);
    if (flags & NX && current !== undefined) return 0;
    if (flags & XX && current === undefined) return 0;
    // No TTL counts as an infinite one: GT never passes, LT always does.
    if (flags & GT && (current === undefined || when <= current)) return 0;
    if (flags & LT && current !== undefined && when >= current) return 0;
  }
  if (when <= ctx.now) {
    db.delete(key);
    ctx.modified(key);
    ctx.notify('g', 'del', key);
    ctx.propagate([ctx.server.config.bool('lazyfree-lazy-expire') ? 'UNLINK' : 'DEL', key]);
    return 1;
  }
  db.setExpire(key, when);
  ctx.modified(key);
  ctx.notify('g', 'expire', key);
  if (name !== 'pexpireat') ctx.propagate(['PEXPIREAT', key, String(when), ...args.slice(3)]);
  return 1;
}

function ttlGeneric(ctx: CommandContext, key: Bytes, ms: boolean, absolute: boolean): Reply {
  if (ctx.db.get(key, ctx.now) === undefined) return -2;
  const at = ctx.db.getExpire(key);
  if (at === undefined) return -1;
  let ttl = absolute ? at : at - ctx.now;
  if (ttl < 0) ttl = 0;
  const v = ms ? ttl : Math.floor((ttl + 500) / 1000);
  // Deadlines past 2^53 (PEXPIREAT near INT64_MAX) must not print as floats.
  return Number.isSafeInteger(v) ? v : BigInt(v);
}

function expireCommand(name: string, seconds: boolean, relative: boolean, summary: string, since: string): CommandSpec {
  return command({
    name, arity: -3, flags: ['write', 'fast'], keys: single, categories: ['keyspace'], group: 'generic',
    summary, since, complexity: 'O(1)',
    handler: (ctx, args) => expireGeneric(ctx, args, name, seconds, relative),
  });
}

function ttlCommand(name: string, ms: boolean, absolute: boolean, summary: string, since: string): CommandSpec {
  return command({
    name, arity: 2, flags: ['readonly', 'fast'], keys: single, categories: ['keyspace'], group: 'generic',
    summary, since, complexity: 'O(1)',
    handler: (ctx, args) => ttlGeneric(ctx, args[1]!, ms, absolute),
  });
}

export const expireCommands: CommandSpec[] = [
  expireCommand('expire', true, true, 'Sets the expiration time of a key in seconds.', '1.0.0'),
  expireCommand('pexpire', false, true, 'Sets the expiration time of a key in milliseconds.', '2.6.0'),
  expireCommand('expireat', true, false, 'Sets the expiration time of a key to a Unix timestamp.', '1.2.0'),
  expireCommand('pexpireat', false, false, 'Sets the expiration time of a key to a Unix milliseconds timestamp.', '2.6.0'),
  ttlCommand('ttl', false, false, 'Returns the expiration time in seconds of a key.', '1.0.0'),
  ttlCommand('pttl', true, false, 'Returns the expiration time in milliseconds of a key.', '2.6.0'),
  ttlCommand('expiretime', false, true, 'Returns the expiration time of a key as a Unix timestamp.', '7.0.0'),
  ttlCommand('pexpiretime', true, true, 'Returns the expiration time of a key as a Unix milliseconds timestamp.', '7.0.0'),
  command({
    name: 'persist', arity: 2, flags: ['write', 'fast'], keys: single, categories: ['keyspace'], group: 'generic',
    summary: 'Removes the expiration time of a key.', since: '2.2.0', complexity: 'O(1)',
    handler(ctx, args): Reply {
      const key = args[1]!;
      if (lookupWrite(ctx, key) === undefined || !ctx.db.persist(key)) return 0;
      ctx.modified(key);
      ctx.notify('g', 'persist', key);
      return 1;
    },
  }),
];
