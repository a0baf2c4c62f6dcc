/**
 * The conformance scenarios: plain data, run unchanged by every runtime's
 * test runner (vitest in Node, deno test, bun test, Chromium through
 * Playwright) against the embedded engine or the network client.
 *
 * A step is `[command, ...args, expected]` where `expected` is the reply as
 * the JS API returns it; `{ error: 'prefix' }` expects an error reply that
 * starts with the prefix; `{ between: [lo, hi] }` a number in range. Special
 * steps: `{ sleep: ms }`, `{ subscribe: channel }` and `{ messages: [...] }`
 * (the `channel:message` strings received so far, waited for briefly).
 */

export type Expected = unknown | { error: string } | { between: [number, number] };
export type Step =
  | [string, ...unknown[]]
  | { sleep: number }
  | { subscribe: string }
  | { messages: string[] };

export interface Scenario {
  name: string;
  steps: Step[];
}

export const scenarios: Scenario[] = [
  {
    name: 'strings: set, get, append, strlen, getrange',
    steps: [
      ['SET', 'k', 'hello', 'OK'],
      ['GET', 'k', 'hello'],
      ['APPEND', 'k', ' world', 11],
      ['STRLEN', 'k', 11],
      ['GETRANGE', 'k', 0, 4, 'hello'],
      ['SETRANGE', 'k', 6, 'there', 11],
      ['GET', 'k', 'hello there'],
      ['GET', 'missing', null],
      ['SET', 'utf', 'héllo wörld ✓', 'OK'],
      ['GET', 'utf', 'héllo wörld ✓'],
      ['STRLEN', 'utf', 17],
    ],
  },
  {
    name: 'strings: set options NX XX GET',
    steps: [
      ['SET', 'k', 'a', 'NX', 'OK'],
      ['SET', 'k', 'b', 'NX', null],
      ['SET', 'k', 'c', 'XX', 'OK'],
      ['SET', 'k', 'd', 'GET', 'c'],
      ['SET', 'other', 'x', 'XX', null],
      ['SETNX', 'k', 'e', 0],
      ['GETSET', 'k', 'f', 'd'],
      ['GETDEL', 'k', 'f'],
      ['EXISTS', 'k', 0],
      ['SET', 'k', 'v', 'NX', 'XX', { error: 'ERR syntax error' }],
    ],
  },
  {
    name: 'strings: counters',
    steps: [
      ['INCR', 'n', 1],
      ['INCRBY', 'n', 10, 11],
      ['DECR', 'n', 10],
      ['DECRBY', 'n', 5, 5],
      ['INCRBYFLOAT', 'f', '1.5', '1.5'],
      ['INCRBYFLOAT', 'f', '2.25', '3.75'],
      ['SET', 's', 'abc', 'OK'],
      ['INCR', 's', { error: 'ERR value is not an integer or out of range' }],
      ['SET', 'big', '9223372036854775807', 'OK'],
      ['INCR', 'big', { error: 'ERR increment or decrement would overflow' }],
    ],
  },
  {
    name: 'strings: mset, mget, msetnx',
    steps: [
      ['MSET', 'a', '1', 'b', '2', 'OK'],
      ['MGET', 'a', 'b', 'c', ['1', '2', null]],
      ['MSETNX', 'c', '3', 'a', '9', 0],
      ['MSETNX', 'c', '3', 'd', '4', 1],
      ['MGET', 'a', 'c', 'd', ['1', '3', '4']],
      ['MSET', 'a', { error: 'ERR wrong number of arguments' }],
    ],
  },
  {
    name: 'keys: exists, del, type, rename, copy',
    steps: [
      ['SET', 'a', '1', 'OK'],
      ['SET', 'b', '2', 'OK'],
      ['EXISTS', 'a', 'b', 'zz', 'a', 3],
      ['TYPE', 'a', 'string'],
      ['TYPE', 'zz', 'none'],
      ['RENAME', 'a', 'c', 'OK'],
      ['EXISTS', 'a', 0],
      ['RENAMENX', 'c', 'b', 0],
      ['RENAME', 'zz', 'y', { error: 'ERR no such key' }],
      ['COPY', 'c', 'd', 1],
      ['GET', 'd', '1'],
      ['DEL', 'b', 'c', 'd', 'zz', 3],
      ['DBSIZE', 0],
    ],
  },
  {
    name: 'keys: keys pattern and scan',
    steps: [
      ['MSET', 'user:1', 'a', 'user:2', 'b', 'item:1', 'c', 'OK'],
      ['DBSIZE', 3],
      ['SCAN', 0, 'MATCH', 'item:*', 'COUNT', 100, ['0', ['item:1']]],
      ['KEYS', 'item:?', ['item:1']],
      ['UNLINK', 'user:1', 'user:2', 2],
      ['KEYS', '*', ['item:1']],
    ],
  },
  {
    name: 'expiry: expire, ttl, persist, passing time',
    steps: [
      ['SET', 'k', 'v', 'OK'],
      ['TTL', 'k', -1],
      ['TTL', 'missing', -2],
      ['EXPIRE', 'k', 100, 1],
      ['TTL', 'k', { between: [99, 100] }],
      ['PERSIST', 'k', 1],
      ['TTL', 'k', -1],
      ['SET', 'short', 'v', 'PX', 30, 'OK'],
      ['PTTL', 'short', { between: [1, 30] }],
      { sleep: 60 },
      ['GET', 'short', null],
      ['EXISTS', 'short', 0],
      ['SET', 'k2', 'v', 'EX', 0, { error: 'ERR invalid expire time' }],
      ['EXPIRE', 'k', 'soon', { error: 'ERR value is not an integer or out of range' }],
    ],
  },
  {
    name: 'transactions: multi exec discard',
    steps: [
      ['MULTI', 'OK'],
      ['SET', 'a', '1', 'QUEUED'],
      ['INCR', 'a', 'QUEUED'],
      ['EXEC', ['OK', 2]],
      ['MULTI', 'OK'],
      ['INCR', 'a', 'QUEUED'],
      ['DISCARD', 'OK'],
      ['GET', 'a', '2'],
      ['EXEC', { error: 'ERR EXEC without MULTI' }],
      ['DISCARD', { error: 'ERR DISCARD without MULTI' }],
    ],
  },
  {
    name: 'transactions: queued errors abort exec',
    steps: [
      ['MULTI', 'OK'],
      ['SET', 'a', { error: 'ERR wrong number of arguments' }],
      ['EXEC', { error: 'EXECABORT' }],
      ['EXISTS', 'a', 0],
    ],
  },
  {
    name: 'bitmaps: setbit, getbit, bitcount',
    steps: [
      ['SETBIT', 'b', 7, 1, 0],
      ['GETBIT', 'b', 7, 1],
      ['GETBIT', 'b', 100, 0],
      ['SETBIT', 'b', 9, 1, 0],
      ['BITCOUNT', 'b', 2],
      ['BITPOS', 'b', 1, 7],
      ['SETBIT', 'b', 1, 2, { error: 'ERR bit is not an integer or out of range' }],
    ],
  },
  {
    name: 'connection: ping, echo, select',
    steps: [
      ['PING', 'PONG'],
      ['PING', 'hi', 'hi'],
      ['ECHO', 'x y', 'x y'],
      ['SELECT', 1, 'OK'],
      ['SET', 'in1', 'v', 'OK'],
      ['SELECT', 0, 'OK'],
      ['EXISTS', 'in1', 0],
      ['SELECT', 1, 'OK'],
      ['GET', 'in1', 'v'],
      ['FLUSHDB', 'OK'],
      ['SELECT', 0, 'OK'],
      ['SELECT', 99, { error: 'ERR DB index is out of range' }],
    ],
  },
  {
    name: 'pub/sub: subscribe and publish',
    steps: [
      { subscribe: 'news' },
      ['PUBLISH', 'news', 'first', 1],
      ['PUBLISH', 'other', 'ignored', 0],
      ['PUBLISH', 'news', 'sécond', 1],
      { messages: ['news:first', 'news:sécond'] },
      ['PUBSUB', 'NUMSUB', 'news', ['news', 1]],
    ],
  },
  {
    name: 'hashes: hset, hget, hgetall, hincrby',
    steps: [
      ['HSET', 'h', 'a', '1', 'b', '2', 2],
      ['HGET', 'h', 'a', '1'],
      ['HGETALL', 'h', { a: '1', b: '2' }],
      ['HINCRBY', 'h', 'a', 10, 11],
      ['HDEL', 'h', 'b', 'zz', 1],
      ['HLEN', 'h', 1],
      ['HEXISTS', 'h', 'b', 0],
      ['HGETALL', 'nothing', {}],
      ['SET', 's', 'v', 'OK'],
      ['HGET', 's', 'a', { error: 'WRONGTYPE' }],
    ],
  },
  {
    name: 'sets: sadd, sismember, scard, srem',
    steps: [
      ['SADD', 'st', 'a', 'b', 'a', 2],
      ['SISMEMBER', 'st', 'a', 1],
      ['SMISMEMBER', 'st', 'a', 'z', [1, 0]],
      ['SCARD', 'st', 2],
      ['SREM', 'st', 'a', 1],
      ['SMEMBERS', 'st', ['b']],
    ],
  },
  {
    name: 'sorted sets: zadd, zscore, zrange, zincrby',
    steps: [
      ['ZADD', 'z', 1, 'a', 2.5, 'b', 3, 'c', 3],
      ['ZSCORE', 'z', 'b', 2.5],
      ['ZRANGE', 'z', 0, -1, ['a', 'b', 'c']],
      ['ZRANGEBYSCORE', 'z', '(1', '+inf', ['b', 'c']],
      ['ZINCRBY', 'z', 10, 'a', 11],
      ['ZRANK', 'z', 'a', 2],
      ['ZCARD', 'z', 3],
      ['ZADD', 'z', 'nan', 'x', { error: 'ERR value is not a valid float' }],
    ],
  },
  {
    name: 'unknown commands and arity',
    steps: [
      ['NOSUCHCOMMAND', 'x', { error: "ERR unknown command 'NOSUCHCOMMAND'" }],
      ['GET', { error: "ERR wrong number of arguments for 'get' command" }],
    ],
  },
];
