/**
 * Lazy expiry on the write path. A write command that touches a logically
 * expired key deletes it first, exactly as Redis's lookupKeyWrite does: the
 * `expired` event fires, WATCH hears of it, INFO counts it. It happens while
 * a log entry is applied, at the entry's time, so every replica that applies
 * the entry deletes the same key. The standalone write log (AOF) also gets
 * an explicit `DEL key` before the command, as Redis propagates it, so a
 * replay does not depend on the clock. Reads never delete (they treat the key
 * as missing).
 * This module is browser compatible.
 */
import type { Bytes } from '../bytes.js';
import type { CommandContext } from '../context.js';
import type { Database } from './database.js';
import type { Value } from './value.js';

/** Deletes `key` if it expired at the command's time; true when it did. */
export function expireIfNeeded(ctx: CommandContext, key: Bytes, db: Database = ctx.db): boolean {
  if (!db.removeIfExpired(key, ctx.now)) return false;
  ctx.server.stats.expiredKeys++;
  ctx.modified(key, db);
  ctx.notify('x', 'expired', key, db);
  // A log entry names one database: a deletion in another (MOVE, COPY DB) is left to the replay.
  if (db === ctx.db) (ctx.expiredDeletions ??= []).push([ctx.server.config.bool('lazyfree-lazy-expire') ? 'UNLINK' : 'DEL', key]);
  return true;
}

/** The value of `key` for a command about to write it (Redis's lookupKeyWrite). */
export function lookupWrite(ctx: CommandContext, key: Bytes, db: Database = ctx.db): Value | undefined {
  if (db.expires.size !== 0) expireIfNeeded(ctx, key, db);
  return db.data.get(key);
}
