/**
 * Active expiry: a server cron job that samples keys with a TTL and deletes
 * the expired ones, adapting its effort the way Redis's activeExpireCycle
 * does (a few keys per database per loop, another loop while more than
 * ~10% of the sample had expired, a time budget per tick).
 *
 * Deletions go through the write path as log entries of an internal command,
 * `del-expired key`, stamped with the tick's time: applying it deletes the key
 * only if it is still expired at that time, so a replica applying the same
 * entry does the same, and a write ordered before it (SET, PERSIST) wins.
 * The standalone write log records it as `DEL key` (UNLINK with
 * lazyfree-lazy-expire), as Redis propagates expirations.
 *
 * The internal command is not in the command table: clients cannot call it
 * and COMMAND does not list it; a log applier resolves it with
 * `internalCommand(name)`.
 * This module is browser compatible.
 */
import type { Bytes } from '../bytes.js';
import { Client } from '../client.js';
import { command, type CommandSpec } from '../commands/types.js';
import type { Server } from '../server.js';
import { expireIfNeeded } from './lazy-expire.js';
import { Rotation } from './rotation.js';

export const DEL_EXPIRED = 'del-expired';

/** Deletes a key if it is expired at the entry's time; logged as DEL/UNLINK. */
export const delExpiredCommand: CommandSpec = command({
  name: DEL_EXPIRED, arity: 2, flags: ['write', 'fast'], keys: { first: 1, last: 1, step: 1 }, categories: ['keyspace'],
  group: 'generic', summary: 'Internal: deletes a key whose time to live has passed.', since: '1.0.0',
  // expireIfNeeded records the DEL/UNLINK that the write log gets instead of this command.
  handler: (ctx, args) => (expireIfNeeded(ctx, args[1]!) ? 1 : 0),
});

/** Internal commands a log applier may meet in entries (never resolvable by clients). */
export function internalCommand(name: Bytes): CommandSpec | undefined {
  return name.toLowerCase() === DEL_EXPIRED ? delExpiredCommand : undefined;
}

const KEYS_PER_LOOP = 20;
const SLOW_TIME_PERCENT = 25;
const ACCEPTABLE_STALE_PERCENT = 10;
const DBS_PER_CALL = 16;

export interface ActiveExpireStats {
  /** Ticks that stopped because they used up their time budget. */
  timeCapReached: number;
  /** Running estimate (0..1) of the share of sampled keys found already expired. */
  stalePercent: number;
}

/** Registers the active expire cycle as a cron job of `server`; returns its statistics. */
export function installActiveExpire(server: Server): ActiveExpireStats {
  const stats: ActiveExpireStats = { timeCapReached: 0, stalePercent: 0 };
  server.ext['activeExpireStats'] = stats;
  const rotation = new Rotation<Bytes, number>();
  // The deletions' author: an internal client that no CLIENT LIST shows.
  const client = new Client(0, { kind: 'internal' }, server.clock.now());
  let currentDb = 0;
  let timeLimitExit = false;

  /** Submits the deletion; false when it applies later (replicated: on commit). */
  const expire = (db: number, key: Bytes, now: number): boolean => {
    client.db = db;
    const reply = server.replicator.submit(delExpiredCommand, { db, args: [DEL_EXPIRED, key], timeMs: now, seed: 0 }, client);
    if (reply instanceof Promise) {
      reply.catch(() => undefined);
      return false;
    }
    if (server.engine.ctx.dirty > 0) server.dirty += server.engine.ctx.dirty;
    return true;
  };

  server.addCronJob((now) => {
    if (server.ext['activeExpire'] === false) return;
    const effort = server.config.int('active-expire-effort') - 1;
    const keysPerLoop = KEYS_PER_LOOP + (KEYS_PER_LOOP / 4) * effort;
    const acceptableStale = ACCEPTABLE_STALE_PERCENT - effort;
    const timeLimitMs = Math.max(0.001, ((SLOW_TIME_PERCENT + 2 * effort) * 10) / server.config.int('hz'));
    const dbs = server.engine.dbs;
    const dbsPerCall = timeLimitExit || DBS_PER_CALL > dbs.length ? dbs.length : DBS_PER_CALL;
    const start = server.clock.monotonic();
    let iteration = 0;
    let totalSampled = 0;
    let totalExpired = 0;
    timeLimitExit = false;
    for (let j = 0; j < dbsPerCall && !timeLimitExit; j++) {
      const db = dbs[currentDb % dbs.length]!;
      currentDb = (currentDb + 1) % dbs.length;
      for (;;) {
        iteration++;
        const size = db.expires.size;
        if (size === 0) {
          rotation.forget(db.expires);
          break;
        }
        const want = Math.min(size, keysPerLoop);
        let sampled = 0;
        let expired = 0;
        let pending = false;
        while (sampled < want) {
          const entry = rotation.next(db.expires);
          if (entry === undefined) break;
          sampled++;
          if (now > entry[1]) {
            if (!expire(db.id, entry[0], now)) pending = true;
            expired++;
          }
        }
        totalSampled += sampled;
        totalExpired += expired;
        if ((iteration & 0xf) === 0 && server.clock.monotonic() - start > timeLimitMs) {
          timeLimitExit = true;
          stats.timeCapReached++;
          break;
        }
        // Deletions still to be committed would be sampled again: wait for the next tick.
        if (pending || sampled === 0 || Math.floor((expired * 100) / sampled) <= acceptableStale) break;
      }
    }
    const current = totalSampled > 0 ? totalExpired / totalSampled : 0;
    stats.stalePercent = current * 0.05 + stats.stalePercent * 0.95;
  });
  return stats;
}
