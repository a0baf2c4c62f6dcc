/**
 * Generic keyspace commands: DEL, UNLINK, EXISTS, TYPE, TOUCH, RENAME,
 * RENAMENX, COPY, MOVE, SWAPDB, KEYS, SCAN, RANDOMKEY, FLUSHDB, FLUSHALL,
 * DBSIZE.
 * This module is browser compatible.
 */
import type { Bytes } from '../bytes.js';
import type { CommandContext } from '../context.js';
import { CommandError, Err } from '../errors.js';
import { globMatch } from '../glob.js';
import type { Database } from '../keyspace/database.js';
import { expireIfNeeded, lookupWrite } from '../keyspace/lazy-expire.js';
import { randomKey } from '../keyspace/random-key.js';
import { parseCursor, ScanCursors } from '../keyspace/scan.js';
import { typeOf, type Value } from '../keyspace/value.js';
import { OK, SimpleString, type Reply } from '../resp/reply.js';
import { Transactions } from '../transactions.js';
import type { Server } from '../server.js';
import { isWord, parseIntNumber } from './parse.js';
import { command, type CommandSpec } from './types.js';

const single = { first: 1, last: 1, step: 1 };
const all = { first: 1, last: -1, step: 1 };
const pair = { first: 1, last: 2, step: 1 };

const TYPE_REPLIES: Record<string, SimpleString> = {
  none: new SimpleString('none'),
  string: new SimpleString('string'),
  list: new SimpleString('list'),
  hash: new SimpleString('hash'),
  set: new SimpleString('set'),
  zset: new SimpleString('zset'),
  stream: new SimpleString('stream'),
};

function flushMode(args: string[]): void {
  if (args.length > 2) throw new CommandError(Err.syntax);
  if (args.length === 2 && !isWord(args[1]!, 'ASYNC') && !isWord(args[1]!, 'SYNC')) throw new CommandError(Err.syntax);
}

/** A database index as Redis's getIntFromObject reads it (a C int), then range-checked. */
function targetDb(ctx: CommandContext, text: Bytes): Database {
  const id = parseIntNumber(text);
  if (id === null) throw new CommandError(Err.notInteger);
  if (id < -2147483648 || id > 2147483647) throw new CommandError(Err.notInt32);
  const db = ctx.engine.dbs[id];
  if (id < 0 || db === undefined) throw new CommandError(Err.dbIndexOutOfRange);
  return db;
}

function deleteKeys(ctx: CommandContext, args: Bytes[]): number {
  let n = 0;
  const db = ctx.db;
  for (let i = 1; i < args.length; i++) {
    const key = args[i]!;
    if (db.expires.size !== 0) expireIfNeeded(ctx, key);
    if (db.delete(key)) {
      n++;
      ctx.modified(key);
      ctx.notify('g', 'del', key);
    }
  }
  return n;
}

function countLive(ctx: CommandContext, args: Bytes[]): number {
  let n = 0;
  for (let i = 1; i < args.length; i++) if (ctx.db.get(args[i]!, ctx.now) !== undefined) n++;
  return n;
}

function rename(ctx: CommandContext, args: Bytes[], nx: boolean): Reply {
  const from = args[1]!;
  const to = args[2]!;
  const db = ctx.db;
  const value = lookupWrite(ctx, from);
  if (value === undefined) throw new CommandError(Err.noSuchKey);
  if (from === to) return nx ? 0 : OK;
  const expire = db.getExpire(from);
  if (lookupWrite(ctx, to) !== undefined) {
    if (nx) return 0;
    db.delete(to);
  }
  db.set(to, value);
  if (expire !== undefined) db.setExpire(to, expire);
  db.delete(from);
  ctx.modified(from);
  ctx.modified(to);
  ctx.notify('g', 'rename_from', from);
  ctx.notify('g', 'rename_to', to);
  return nx ? 1 : OK;
}

const scanCursorsByServer = new WeakMap<Server, ScanCursors>();

function scanCursors(server: Server): ScanCursors {
  let cursors = scanCursorsByServer.get(server);
  if (cursors === undefined) {
    const created = new ScanCursors();
    server.engine.onFlush(() => created.clear());
    scanCursorsByServer.set(server, created);
    cursors = created;
  }
  return cursors;
}

function scan(ctx: CommandContext, args: Bytes[]): Reply {
  const cursor = parseCursor(args[1]!);
  if (cursor === null) throw new CommandError(Err.invalidCursor);
  let count = 10;
  let pattern: Bytes | null = null;
  let type: string | null = null;
  for (let i = 2; i < args.length; i += 2) {
    const opt = args[i]!;
    if (i + 1 >= args.length) throw new CommandError(Err.syntax);
    if (isWord(opt, 'COUNT')) {
      const n = parseIntNumber(args[i + 1]!);
      if (n === null) throw new CommandError(Err.notInteger);
      if (n < 1) throw new CommandError(Err.syntax);
      count = n;
    } else if (isWord(opt, 'MATCH')) {
      pattern = args[i + 1] === '*' ? null : args[i + 1]!;
    } else if (isWord(opt, 'TYPE')) {
      type = args[i + 1]!.toLowerCase();
    } else {
      throw new CommandError(Err.syntax);
    }
  }
  const db = ctx.db;
  const now = ctx.now;
  // Expired keys are skipped, not deleted (as Redis's master would): SCAN is a read.
  const accept = (key: Bytes, value: Value): boolean =>
    (pattern === null || globMatch(pattern, key)) && (type === null || typeOf(value) === type) && !db.isExpired(key, now);
  return scanCursors(ctx.server).step(db, cursor, count, accept);
}

function keys(ctx: CommandContext, pattern: Bytes): Reply {
  const db = ctx.db;
  const everything = pattern === '*';
  const out: Bytes[] = [];
  const checkExpiry = db.expires.size !== 0;
  for (const key of db.data.keys()) {
    if (!everything && !globMatch(pattern, key)) continue;
    if (checkExpiry && db.isExpired(key, ctx.now)) continue;
    out.push(key);
  }
  return out;
}

function copy(ctx: CommandContext, args: Bytes[]): Reply {
  const src = ctx.db;
  let dst = ctx.db;
  let replace = false;
  for (let i = 3; i < args.length; i++) {
    if (isWord(args[i]!, 'REPLACE')) {
      replace = true;
    } else if (isWord(args[i]!, 'DB') && i + 1 < args.length) {
      dst = targetDb(ctx, args[++i]!);
    } else {
      throw new CommandError(Err.syntax);
    }
  }
  const key = args[1]!;
  const newKey = args[2]!;
  if (src === dst && key === newKey) throw new CommandError(Err.sameObject);
  const value = lookupWrite(ctx, key);
  if (value === undefined) return 0;
  const expire = src.getExpire(key);
  if (lookupWrite(ctx, newKey, dst) !== undefined) {
    if (!replace) return 0;
    dst.delete(newKey);
  }
  dst.set(newKey, typeof value === 'string' ? value : value.clone());
  if (expire !== undefined) dst.setExpire(newKey, expire);
  ctx.modified(newKey, dst);
  ctx.notify('g', 'copy_to', newKey, dst);
  return 1;
}

function move(ctx: CommandContext, args: Bytes[]): Reply {
  const key = args[1]!;
  const src = ctx.db;
  const dst = targetDb(ctx, args[2]!);
  if (src === dst) throw new CommandError(Err.sameObject);
  const value = lookupWrite(ctx, key);
  if (value === undefined) return 0;
  const expire = src.getExpire(key);
  if (lookupWrite(ctx, key, dst) !== undefined) return 0;
  dst.set(key, value);
  if (expire !== undefined) dst.setExpire(key, expire);
  src.delete(key);
  ctx.modified(key, src);
  ctx.modified(key, dst);
  ctx.notify('g', 'move_from', key, src);
  ctx.notify('g', 'move_to', key, dst);
  return 1;
}

function swapdb(ctx: CommandContext, args: Bytes[]): Reply {
  const a = parseIntNumber(args[1]!);
  if (a === null || a < -2147483648 || a > 2147483647) throw new CommandError(Err.invalidFirstDbIndex);
  const b = parseIntNumber(args[2]!);
  if (b === null || b < -2147483648 || b > 2147483647) throw new CommandError(Err.invalidSecondDbIndex);
  const dbs = ctx.engine.dbs;
  if (a < 0 || a >= dbs.length || b < 0 || b >= dbs.length) throw new CommandError(Err.dbIndexOutOfRange);
  if (a !== b) {
    Transactions.of(ctx.server).beforeSwap(a, b);
    dbs[a]!.swapWith(dbs[b]!);
    // Clients stay on their index and now see other data: WATCH and blocked clients must hear of it.
    ctx.engine.flushed(a);
    ctx.engine.flushed(b);
  }
  ctx.dirty++;
  return OK;
}

export const keyCommands: CommandSpec[] = [
  command({
    name: 'del', arity: -2, flags: ['write'], keys: all, categories: ['keyspace'], group: 'generic',
    summary: 'Deletes one or more keys.', complexity: 'O(N)',
    handler: deleteKeys,
  }),
  command({
    name: 'unlink', arity: -2, flags: ['write', 'fast'], keys: all, categories: ['keyspace'], group: 'generic',
    summary: 'Asynchronously deletes one or more keys.', since: '4.0.0', complexity: 'O(1) for each key removed.',
    handler: deleteKeys,
  }),
  command({
    name: 'exists', arity: -2, flags: ['readonly', 'fast'], keys: all, categories: ['keyspace'], group: 'generic',
    summary: 'Determines whether one or more keys exist.', complexity: 'O(N) where N is the number of keys to check.',
    handler: countLive,
  }),
  command({
    name: 'touch', arity: -2, flags: ['readonly', 'fast'], keys: all, categories: ['keyspace'], group: 'generic',
    summary: 'Returns the number of existing keys out of those specified after updating the time they were last accessed.',
    since: '3.2.1', complexity: 'O(N) where N is the number of keys that will be touched.',
    handler: countLive,
  }),
  command({
    name: 'type', arity: 2, flags: ['readonly', 'fast'], keys: single, categories: ['keyspace'], group: 'generic',
    summary: 'Determines the type of value stored at a key.', complexity: 'O(1)',
    handler(ctx, args): Reply {
      const v = ctx.db.get(args[1]!, ctx.now);
      return TYPE_REPLIES[v === undefined ? 'none' : typeOf(v)]!;
    },
  }),
  command({
    name: 'rename', arity: 3, flags: ['write'], keys: pair, categories: ['keyspace'], group: 'generic',
    summary: 'Renames a key and overwrites the destination.', complexity: 'O(1)',
    handler: (ctx, args) => rename(ctx, args, false),
  }),
  command({
    name: 'renamenx', arity: 3, flags: ['write', 'fast'], keys: pair, categories: ['keyspace'], group: 'generic',
    summary: "Renames a key only when the target key name doesn't exist.", complexity: 'O(1)',
    handler: (ctx, args) => rename(ctx, args, true),
  }),
  command({
    name: 'copy', arity: -3, flags: ['write', 'denyoom'], keys: pair, categories: ['keyspace'], group: 'generic',
    summary: 'Copies the value of a key to a new key.', since: '6.2.0',
    complexity: 'O(N) worst case for collections, where N is the number of nested items. O(1) for string values.',
    handler: copy,
  }),
  command({
    name: 'move', arity: 3, flags: ['write', 'fast'], keys: single, categories: ['keyspace'], group: 'generic',
    summary: 'Moves a key to another database.', complexity: 'O(1)',
    handler: move,
  }),
  command({
    name: 'swapdb', arity: 3, flags: ['write', 'fast'], categories: ['keyspace', 'dangerous'], group: 'server',
    summary: 'Swaps two Redis databases.', since: '4.0.0',
    complexity: 'O(N) where N is the count of clients watching or blocking on keys from both databases.',
    handler: swapdb,
  }),
  command({
    name: 'keys', arity: 2, flags: ['readonly'], categories: ['keyspace', 'dangerous'], group: 'generic',
    summary: 'Returns all key names that match a pattern.',
    complexity: 'O(N) with N being the number of keys in the database.',
    handler: (ctx, args) => keys(ctx, args[1]!),
  }),
  command({
    name: 'scan', arity: -2, flags: ['readonly'], categories: ['keyspace'], group: 'generic',
    summary: 'Iterates over the key names in the database.', since: '2.8.0',
    complexity: 'O(1) for every call. O(N) for a complete iteration.',
    handler: scan,
  }),
  command({
    name: 'randomkey', arity: 1, flags: ['readonly'], categories: ['keyspace'], group: 'generic',
    summary: 'Returns a random key name from the database.', complexity: 'O(1)',
    handler: (ctx) => randomKey(ctx.db, ctx.now),
  }),
  command({
    name: 'flushdb', arity: -1, flags: ['write'], categories: ['keyspace', 'dangerous'], group: 'server',
    summary: 'Removes all keys from the current database.',
    handler(ctx, args) {
      flushMode(args);
      ctx.engine.flushed(ctx.db.id);
      ctx.db.clear();
      ctx.dirty++;
      return OK;
    },
  }),
  command({
    name: 'flushall', arity: -1, flags: ['write'], categories: ['keyspace', 'dangerous'], group: 'server',
    summary: 'Removes all keys from all databases.',
    handler(ctx, args) {
      flushMode(args);
      ctx.engine.flushed(null);
      for (const db of ctx.engine.dbs) db.clear();
      ctx.dirty++;
      return OK;
    },
  }),
  command({
    name: 'dbsize', arity: 1, flags: ['readonly', 'fast'], categories: ['keyspace'], group: 'server',
    summary: 'Returns the number of keys in the database.',
    handler: (ctx) => ctx.db.size,
  }),
];
