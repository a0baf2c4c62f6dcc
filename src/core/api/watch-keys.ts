/**
 * Live keys for the embedded API: `db.watchKeys('todo:*', (key, value) => ...)`
 * hands the handler each matching key's new value (null once deleted) after
 * the write that changed it, whoever wrote it: this program, a network
 * client, a transaction, expiry. Changes of one turn are delivered together,
 * once per key.
 * This module is browser compatible.
 */
import { bytesToUtf8, toBytes, type Bytes } from '../bytes.js';
import { globMatch } from '../glob.js';
import { typeOf, type TypeName } from '../keyspace/value.js';
import { ErrorReply } from '../resp/reply.js';
import type { Server } from '../server.js';
import { toJs, type JsReply } from './convert.js';

export interface KeyChange {
  key: string;
  /** The new value: a string, a list/set as an array, a hash as an object, a sorted set as [member, score] pairs; null when deleted. */
  value: JsReply;
  type: TypeName | null;
}

/** How each type is read back whole, through the ordinary command path. */
const READ_WHOLE: Partial<Record<TypeName, (key: Bytes) => Bytes[]>> = {
  string: (k) => ['GET', k],
  list: (k) => ['LRANGE', k, '0', '-1'],
  hash: (k) => ['HGETALL', k],
  set: (k) => ['SMEMBERS', k],
  zset: (k) => ['ZRANGE', k, '0', '-1', 'WITHSCORES'],
};

export function watchKeys(server: Server, db: number, pattern: string | Uint8Array, handler: (change: KeyChange) => void): () => void {
  const glob = toBytes(pattern);
  const reader = server.connect({ kind: 'embedded-watch' });
  reader.db = db;
  reader.resp = 3;
  let pending: Set<Bytes> | null = null;
  let active = true;

  const deliver = () => {
    const keys = pending!;
    pending = null;
    if (!active) return;
    const now = server.clock.now();
    for (const key of keys) {
      const value = server.engine.dbs[db]!.get(key, now);
      let change: KeyChange;
      if (value === undefined) change = { key: bytesToUtf8(key), value: null, type: null };
      else {
        const type = typeOf(value);
        const read = READ_WHOLE[type];
        const reply = read ? server.dispatch(reader, read(key)) : null;
        const js = reply === null || reply instanceof Promise || reply instanceof ErrorReply ? null : toJs(reply, false);
        change = { key: bytesToUtf8(key), value: js, type };
      }
      try {
        handler(change);
      } catch (e) {
        server.log('warning', `watchKeys handler failed: ${e instanceof Error ? e.message : String(e)}`);
      }
    }
  };

  const onKey = (changedDb: number, key: Bytes) => {
    if (!active || changedDb !== db || !globMatch(glob, key)) return;
    if (pending === null) {
      pending = new Set();
      queueMicrotask(deliver);
    }
    pending.add(key);
  };
  server.engine.onKeyModified(onKey);
  const onFlush = (flushed: number | null) => {
    if (!active || (flushed !== null && flushed !== db)) return;
    // Every matching key is about to go: report each as deleted.
    for (const key of server.engine.dbs[db]!.data.keys()) onKey(db, key);
  };
  server.engine.onFlush(onFlush);
  return () => {
    active = false;
    server.engine.offKeyModified(onKey);
    server.engine.offFlush(onFlush);
    server.disconnect(reader);
  };
}
