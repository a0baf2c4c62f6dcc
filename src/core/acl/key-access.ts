/**
 * What each key of a command does, for %R~ / %W~ key rules: read (the
 * command reads the value), write (inserts, deletes or updates), both, or
 * neither (EXISTS, TYPE: any matching pattern will do). One entry per key
 * spec, in the order of the command's keys; the last applies to the keys
 * after it. Taken from the key specs Redis 7.0 documents for each command
 * (COMMAND INFO: ACCESS is a read; INSERT, DELETE, UPDATE are writes);
 * `*` marks specs whose flags depend on the arguments (SET ... GET, BITFIELD).
 * Commands not listed fall back to their flags (write: W, readonly: R).
 * This module is browser compatible.
 */
import type { Bytes } from '../bytes.js';
import type { CommandSpec } from '../commands/types.js';
import { READ, READ_WRITE, WRITE, fullName } from './selector.js';

const KEY_ACCESS: Record<string, string> = {
  'append': 'W',
  'bitcount': 'R',
  'bitfield': 'RW*',
  'bitfield_ro': 'R',
  'bitop': 'W R',
  'bitpos': 'R',
  'blmove': 'RW W',
  'blmpop': 'RW',
  'blpop': 'RW',
  'brpop': 'RW',
  'brpoplpush': 'RW W',
  'bzmpop': 'RW',
  'bzpopmax': 'RW',
  'bzpopmin': 'RW',
  'copy': 'R W',
  'decr': 'RW',
  'decrby': 'RW',
  'del': 'W',
  'dump': 'R',
  'eval': 'RW',
  'eval_ro': 'R',
  'evalsha': 'RW',
  'evalsha_ro': 'R',
  'exists': '-',
  'expire': 'W',
  'expireat': 'W',
  'expiretime': 'R',
  'fcall': 'RW',
  'fcall_ro': 'R',
  'geoadd': 'W',
  'geodist': 'R',
  'geohash': 'R',
  'geopos': 'R',
  'georadius': 'R W W',
  'georadius_ro': 'R',
  'georadiusbymember': 'R W W',
  'georadiusbymember_ro': 'R',
  'geosearch': 'R',
  'geosearchstore': 'W R',
  'get': 'R',
  'getbit': 'R',
  'getdel': 'RW',
  'getex': 'RW',
  'getrange': 'R',
  'getset': 'RW',
  'hdel': 'W',
  'hexists': '-',
  'hget': 'R',
  'hgetall': 'R',
  'hincrby': 'RW',
  'hincrbyfloat': 'RW',
  'hkeys': 'R',
  'hlen': '-',
  'hmget': 'R',
  'hmset': 'W',
  'hrandfield': 'R',
  'hscan': 'R',
  'hset': 'W',
  'hsetnx': 'W',
  'hstrlen': '-',
  'hvals': 'R',
  'incr': 'RW',
  'incrby': 'RW',
  'incrbyfloat': 'RW',
  'lcs': 'R',
  'lindex': 'R',
  'linsert': 'W',
  'llen': '-',
  'lmove': 'RW W',
  'lmpop': 'RW',
  'lpop': 'RW',
  'lpos': 'R',
  'lpush': 'W',
  'lpushx': 'W',
  'lrange': 'R',
  'lrem': 'W',
  'lset': 'W',
  'ltrim': 'W',
  'memory|usage': '-',
  'mget': 'R',
  'migrate': 'RW RW',
  'move': 'RW',
  'mset': 'W',
  'msetnx': 'W',
  'object|encoding': '-',
  'object|freq': '-',
  'object|idletime': '-',
  'object|refcount': '-',
  'persist': 'W',
  'pexpire': 'W',
  'pexpireat': 'W',
  'pexpiretime': 'R',
  'pfadd': 'W',
  'pfcount': 'R',
  'pfdebug': 'R',
  'pfmerge': 'RW R',
  'psetex': 'W',
  'pttl': 'R',
  'rename': 'RW W',
  'renamenx': 'RW W',
  'restore': 'W',
  'restore-asking': 'W',
  'rpop': 'RW',
  'rpoplpush': 'RW W',
  'rpush': 'W',
  'rpushx': 'W',
  'sadd': 'W',
  'scard': '-',
  'sdiff': 'R',
  'sdiffstore': 'W R',
  'set': 'RW*',
  'setbit': 'RW',
  'setex': 'W',
  'setnx': 'W',
  'setrange': 'W',
  'sinter': 'R',
  'sintercard': 'R',
  'sinterstore': 'W R',
  'sismember': '-',
  'smembers': 'R',
  'smismember': 'R',
  'smove': 'RW W',
  'sort': 'R R W',
  'sort_ro': 'R R',
  'spop': 'RW',
  'spublish': '-',
  'srandmember': 'R',
  'srem': 'W',
  'sscan': 'R',
  'ssubscribe': '-',
  'strlen': '-',
  'substr': 'R',
  'sunion': 'R',
  'sunionstore': 'W R',
  'sunsubscribe': '-',
  'touch': '-',
  'ttl': 'R',
  'type': '-',
  'unlink': 'W',
  'watch': '-',
  'xack': 'W',
  'xadd': 'W',
  'xautoclaim': 'W',
  'xclaim': 'W',
  'xdel': 'W',
  'xgroup|create': 'W',
  'xgroup|createconsumer': 'W',
  'xgroup|delconsumer': 'W',
  'xgroup|destroy': 'W',
  'xgroup|setid': 'W',
  'xinfo|consumers': 'R',
  'xinfo|groups': 'R',
  'xinfo|stream': 'R',
  'xlen': '-',
  'xpending': 'R',
  'xrange': 'R',
  'xread': 'R',
  'xreadgroup': 'R',
  'xrevrange': 'R',
  'xsetid': 'W',
  'xtrim': 'W',
  'zadd': 'W',
  'zcard': '-',
  'zcount': 'R',
  'zdiff': 'R',
  'zdiffstore': 'W R',
  'zincrby': 'RW',
  'zinter': 'R',
  'zintercard': 'R',
  'zinterstore': 'W R',
  'zlexcount': 'R',
  'zmpop': 'RW',
  'zmscore': 'R',
  'zpopmax': 'RW',
  'zpopmin': 'RW',
  'zrandmember': 'R',
  'zrange': 'R',
  'zrangebylex': 'R',
  'zrangebyscore': 'R',
  'zrangestore': 'W R',
  'zrank': 'R',
  'zrem': 'W',
  'zremrangebylex': 'W',
  'zremrangebyrank': 'W',
  'zremrangebyscore': 'W',
  'zrevrange': 'R',
  'zrevrangebylex': 'R',
  'zrevrangebyscore': 'R',
  'zrevrank': 'R',
  'zscan': 'R',
  'zscore': 'R',
  'zunion': 'R',
  'zunionstore': 'W R',
};

interface Access {
  perms: number[];
  variable: boolean;
}

let parsed: Map<string, Access> | undefined;

function table(): Map<string, Access> {
  if (parsed !== undefined) return parsed;
  parsed = new Map();
  for (const [name, text] of Object.entries(KEY_ACCESS)) {
    const words = text.split(' ');
    parsed.set(name, {
      variable: words.some((w) => w.endsWith('*')),
      perms: words.map((w) => (w.includes('R') ? READ : 0) | (w.includes('W') ? WRITE : 0)),
    });
  }
  return parsed;
}

/** The permission the `ordinal`-th key of this invocation needs (READ, WRITE, both, or 0 for none). */
export function keyPermission(spec: CommandSpec, args: Bytes[], ordinal: number): number {
  const name = fullName(spec);
  const access = table().get(name);
  if (access === undefined || name === 'sort' || name === 'sort_ro') {
    return spec.flags.includes('write') ? WRITE : spec.flags.includes('readonly') ? READ : READ_WRITE;
  }
  if (access.variable) return variablePermission(name, args);
  return access.perms[Math.min(ordinal, access.perms.length - 1)]!;
}

/** SET only reads the old value with GET; BITFIELD only writes with SET or INCRBY. */
function variablePermission(name: string, args: Bytes[]): number {
  if (name === 'set') {
    for (let i = 3; i < args.length; i++) if (args[i]!.toLowerCase() === 'get') return READ_WRITE;
    return WRITE;
  }
  for (let i = 2; i < args.length; i++) {
    const w = args[i]!.toLowerCase();
    if (w === 'set' || w === 'incrby') return READ_WRITE;
  }
  return READ;
}
