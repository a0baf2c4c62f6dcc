/**
 * Turns keys into the commands that rebuild them (SET, RPUSH, HSET, SADD,
 * ZADD, then PEXPIREAT), for AOF rewrites and snapshots. Values are read
 * back through the ordinary read commands, so every type's own code decides
 * what its contents are and this module needs to know no representation.
 * This module is browser compatible.
 */
import type { Bytes } from '../bytes.js';
import type { Client } from '../client.js';
import { formatDouble } from '../resp/reply.js';
import { DoubleReply, ErrorReply, MapReply, SetReply, type Reply } from '../resp/reply.js';
import { typeOf } from '../keyspace/value.js';
import type { Server } from '../server.js';

/** Elements per rebuilding command, so no single command grows without bound. */
const BATCH = 64;

/** Reads straight through the engine: no statistics, slowlog or MONITOR lines for our own reads. */
function read(server: Server, reader: Client, args: Bytes[]): Reply {
  const spec = server.resolve(args);
  if (spec instanceof ErrorReply) throw new Error(`Cannot serialize key: ${spec.message}`);
  const r = server.engine.read(spec, args, reader, server.clock.now());
  if (r instanceof ErrorReply) throw new Error(`Cannot serialize key: ${r.message}`);
  return r;
}

function items(r: Reply): Reply[] {
  if (Array.isArray(r)) return r;
  if (r instanceof SetReply) return r.items;
  if (r instanceof MapReply) return r.entries;
  return [];
}

function text(r: Reply): Bytes {
  if (typeof r === 'string') return r;
  if (r instanceof DoubleReply) return formatDouble(r.value);
  return String(r);
}

function batched(head: Bytes[], values: Bytes[], per: number, out: Bytes[][]): void {
  for (let i = 0; i < values.length; i += BATCH * per) out.push([...head, ...values.slice(i, i + BATCH * per)]);
}

/**
 * The commands that rebuild `key` of database `reader.db` as it is now
 * (none when it is missing or expired).
 */
export function rebuildKey(server: Server, reader: Client, key: Bytes, now: number): Bytes[][] {
  const db = server.engine.dbs[reader.db]!;
  const value = db.get(key, now);
  if (value === undefined) return [];
  const out: Bytes[][] = [];
  switch (typeOf(value)) {
    case 'string':
      out.push(['SET', key, value as Bytes]);
      break;
    case 'list':
      batched(['RPUSH', key], items(read(server, reader, ['LRANGE', key, '0', '-1'])).map(text), 1, out);
      break;
    case 'set': {
      // The set's own order, not SMEMBERS's: random picks (SPOP) index into it, and replicas must agree.
      const own = (value as { toArray?: () => Bytes[] }).toArray?.();
      batched(['SADD', key], own ?? items(read(server, reader, ['SMEMBERS', key])).map(text), 1, out);
      break;
    }
    case 'hash': {
      const flat = items(read(server, reader, ['HGETALL', key])).map(text);
      batched(['HSET', key], flat, 2, out);
      out.push(...hashFieldExpiries(server, reader, key, flat));
      break;
    }
    case 'zset': {
      // ZRANGE WITHSCORES: RESP2 flat member, score; RESP3 [member, score] pairs.
      const all = items(read(server, reader, ['ZRANGE', key, '0', '-1', 'WITHSCORES']));
      const pairs: Bytes[] = [];
      if (all.length > 0 && Array.isArray(all[0])) {
        for (const r of all as Reply[][]) pairs.push(text(r[1]!), text(r[0]!));
      } else {
        for (let i = 0; i < all.length; i += 2) pairs.push(text(all[i + 1]!), text(all[i]!));
      }
      batched(['ZADD', key], pairs, 2, out);
      break;
    }
    default:
      throw new Error(`Cannot serialize key: type '${typeOf(value)}' has no rebuilding commands`);
  }
  const at = db.getExpire(key);
  if (at !== undefined) out.push(['PEXPIREAT', key, String(at)]);
  return out;
}

/** HPEXPIREAT for hash fields that have their own TTL (Redis 7.4 field expiry). */
function hashFieldExpiries(server: Server, reader: Client, key: Bytes, flat: Bytes[]): Bytes[][] {
  const fields: Bytes[] = [];
  for (let i = 0; i < flat.length; i += 2) fields.push(flat[i]!);
  if (fields.length === 0 || !server.commands.lookup('hpexpiretime')) return [];
  const times = items(read(server, reader, ['HPEXPIRETIME', key, 'FIELDS', String(fields.length), ...fields]));
  const byTime = new Map<number, Bytes[]>();
  times.forEach((t, i) => {
    if (typeof t === 'number' && t > 0) {
      const list = byTime.get(t) ?? [];
      list.push(fields[i]!);
      byTime.set(t, list);
    }
  });
  const out: Bytes[][] = [];
  for (const [t, fs] of byTime) out.push(['HPEXPIREAT', key, String(t), 'FIELDS', String(fs.length), ...fs]);
  return out;
}
