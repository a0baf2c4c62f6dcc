/**
 * Sorted sets beyond what the differential scenarios cover: RESP3 reply
 * shapes, Redis 7.2 ZRANK WITHSCORE, encodings, the pop helper the blocking
 * commands reuse, and a set of a million members (rank and range by index
 * must not scan).
 */
import { describe, expect, it } from 'vitest';
import type { Bytes } from '../../src/core/bytes.js';
import type { Client } from '../../src/core/client.js';
import type { ConfigInput } from '../../src/core/config/config.js';
import { DoubleReply, NullArray, type Reply } from '../../src/core/resp/reply.js';
import { Server } from '../../src/core/server.js';
import { popFromZset } from '../../src/core/commands/zset-pops.js';
import { SortedSet } from '../../src/core/types/zset.js';

function setup(config: ConfigInput = {}, resp: 2 | 3 = 2) {
  const server = new Server({ config });
  const client = server.connect({ kind: 'test' });
  client.resp = resp;
  const run = (...args: Bytes[]): Reply => {
    const r = server.dispatch(client, args);
    if (r instanceof Promise) throw new Error('async reply');
    return r;
  };
  return { server, client, run };
}

function d(v: number): DoubleReply {
  return new DoubleReply(v);
}

describe('reply shapes', () => {
  it('ZRANGE WITHSCORES is flat in RESP2 and [member, double] pairs in RESP3', () => {
    const r2 = setup({}, 2);
    r2.run('ZADD', 'z', '1', 'a', '2.5', 'b');
    expect(r2.run('ZRANGE', 'z', '0', '-1', 'WITHSCORES')).toEqual(['a', d(1), 'b', d(2.5)]);
    const r3 = setup({}, 3);
    r3.run('ZADD', 'z', '1', 'a', '2.5', 'b');
    expect(r3.run('ZRANGE', 'z', '0', '-1', 'WITHSCORES')).toEqual([['a', d(1)], ['b', d(2.5)]]);
    expect(r3.run('ZRANGEBYSCORE', 'z', '-inf', '+inf', 'WITHSCORES')).toEqual([['a', d(1)], ['b', d(2.5)]]);
    expect(r3.run('ZRANGE', 'z', '0', '-1')).toEqual(['a', 'b']);
    expect(r3.run('ZUNION', '1', 'z', 'WITHSCORES')).toEqual([['a', d(1)], ['b', d(2.5)]]);
    expect(r3.run('ZRANDMEMBER', 'z', '5', 'WITHSCORES')).toEqual([['b', d(2.5)], ['a', d(1)]]);
  });

  it('ZPOPMIN nests pairs in RESP3 only when COUNT is given; ZMPOP always nests', () => {
    const { run } = setup({}, 3);
    run('ZADD', 'z', '1', 'a', '2', 'b', '3', 'c', '4', 'd');
    expect(run('ZPOPMIN', 'z')).toEqual(['a', d(1)]);
    expect(run('ZPOPMIN', 'z', '1')).toEqual([['b', d(2)]]);
    expect(run('ZMPOP', '1', 'z', 'MAX')).toEqual(['z', [['d', d(4)]]]);
  });

  it('ZSCORE, ZINCRBY and ZADD INCR answer doubles; ZMSCORE nulls for missing members', () => {
    const { run } = setup();
    expect(run('ZADD', 'z', '0.1', 'a')).toBe(1);
    expect(run('ZSCORE', 'z', 'a')).toEqual(d(0.1));
    expect(run('ZINCRBY', 'z', '1', 'a')).toEqual(d(1.1));
    expect(run('ZADD', 'z', 'INCR', '1', 'b')).toEqual(d(1));
    expect(run('ZMSCORE', 'z', 'a', 'x')).toEqual([d(1.1), null]);
  });
});

describe('ZRANK WITHSCORE (Redis 7.2)', () => {
  it('answers [rank, score], or a null array for a missing member', () => {
    const { run } = setup();
    run('ZADD', 'z', '1', 'a', '2', 'b', '3', 'c');
    expect(run('ZRANK', 'z', 'b', 'WITHSCORE')).toEqual([1, d(2)]);
    expect(run('ZREVRANK', 'z', 'c', 'withscore')).toEqual([0, d(3)]);
    expect(run('ZRANK', 'z', 'x', 'WITHSCORE')).toBeInstanceOf(NullArray);
    expect(run('ZRANK', 'nokey', 'x', 'WITHSCORE')).toBeInstanceOf(NullArray);
    expect(run('ZRANK', 'z', 'x')).toBe(null);
    expect(run('ZRANK', 'z', 'a', 'FOO')).toMatchObject({ message: 'ERR syntax error' });
    expect(run('ZRANK', 'z', 'a', 'WITHSCORE', 'x')).toMatchObject({
      message: "ERR wrong number of arguments for 'zrank' command",
    });
  });
});

describe('encoding', () => {
  const encodingOf = (server: Server, key: string) => (server.engine.dbs[0]!.data.get(key) as SortedSet).encoding();

  it('is listpack while small, skiplist once too many members, and never converts back', () => {
    const { server, run } = setup({ 'zset-max-listpack-entries': 3 });
    run('ZADD', 'z', '1', 'a', '2', 'b', '3', 'c');
    expect(encodingOf(server, 'z')).toBe('listpack');
    run('ZADD', 'z', '4', 'd');
    expect(encodingOf(server, 'z')).toBe('skiplist');
    run('ZREM', 'z', 'a', 'b', 'c');
    expect(encodingOf(server, 'z')).toBe('skiplist');
    // A computed result gets the encoding its size calls for.
    run('ZUNIONSTORE', 'u', '1', 'z');
    expect(encodingOf(server, 'u')).toBe('listpack');
    run('ZRANGESTORE', 'r', 'z', '0', '-1');
    expect(encodingOf(server, 'r')).toBe('listpack');
  });

  it('is skiplist when a member is longer than zset-max-listpack-value', () => {
    const { server, run } = setup({ 'zset-max-listpack-value': 4 });
    run('ZADD', 'z', '1', 'abcd');
    expect(encodingOf(server, 'z')).toBe('listpack');
    run('ZADD', 'z', '1', 'abcde');
    expect(encodingOf(server, 'z')).toBe('skiplist');
    run('ZADD', 'y', '1', 'abcde');
    expect(encodingOf(server, 'y')).toBe('skiplist');
  });

  it('keeps -0 only in the skiplist encoding, as a listpack stores scores as text', () => {
    const small = new SortedSet(false);
    small.set('a', -0, null);
    expect(Object.is(small.score('a'), 0)).toBe(true);
    const big = new SortedSet(true);
    big.set('a', -0, null);
    expect(Object.is(big.score('a'), -0)).toBe(true);
  });

  it('clone() is a deep, ordered copy', () => {
    const z = new SortedSet(false);
    z.set('b', 2, null);
    z.set('a', 1, null);
    const c = z.clone();
    c.set('a', 5, null);
    expect(z.score('a')).toBe(1);
    expect(c.rank('a', false)).toBe(1);
    expect(c.encoding()).toBe('listpack');
  });
});

describe('popFromZset (shared with the blocking pops)', () => {
  it('pops, replies like ZMPOP or BZPOPMIN, deletes the emptied key and logs ZPOPMIN/ZPOPMAX', () => {
    const { server, client, run } = setup();
    run('ZADD', 'z', '1', 'a', '2', 'b', '3', 'c');
    // Drive it through a throwaway command so a real CommandContext is used.
    const spec = server.commands.lookup('zmpop')!;
    const original = spec.handler!;
    let logged: Bytes[][] | null = null;
    spec.handler = (c) => {
      const r = popFromZset(c, 'z', 'max', 2) ?? 'none';
      const flat = popFromZset(c, 'z', 'min', 5, true) ?? 'none';
      const missing = popFromZset(c, 'z', 'min', 1);
      logged = c.rewritten;
      return [r, flat, missing === null ? 'null' : 'not null'];
    };
    try {
      expect(server.dispatch(client as Client, ['ZMPOP', '1', 'z', 'MIN'])).toEqual([
        ['z', [['c', d(3)], ['b', d(2)]]],
        ['z', 'a', d(1)],
        'null',
      ]);
    } finally {
      spec.handler = original;
    }
    expect(logged).toEqual([['ZPOPMAX', 'z', '2'], ['ZPOPMIN', 'z', '5']]);
    expect(run('ZCARD', 'z')).toBe(0);
    expect(server.engine.dbs[0]!.data.has('z')).toBe(false);
  });
});

describe('a million members', () => {
  it('answers ZRANK, ZREVRANK and ZRANGE by index through the skiplist spans', () => {
    const { run } = setup();
    const n = 1_000_000;
    const batch = 10_000;
    for (let start = 0; start < n; start += batch) {
      const args: Bytes[] = ['ZADD', 'big'];
      // Scores descend as members ascend, so rank order differs from insertion order.
      for (let i = start; i < start + batch; i++) args.push(String(n - i), `m${i}`);
      run(...args);
    }
    expect(run('ZCARD', 'big')).toBe(n);
    expect(run('ZRANK', 'big', 'm0')).toBe(n - 1);
    expect(run('ZRANK', 'big', `m${n - 1}`)).toBe(0);
    expect(run('ZRANK', 'big', 'm123456')).toBe(n - 1 - 123456);
    expect(run('ZREVRANK', 'big', 'm123456')).toBe(123456);
    expect(run('ZRANGE', 'big', '500000', '500002')).toEqual(['m499999', 'm499998', 'm499997']);
    expect(run('ZRANGE', 'big', '-1', '-1', 'WITHSCORES')).toEqual(['m0', d(n)]);
    expect(run('ZRANGE', 'big', '0', '1', 'REV')).toEqual(['m0', 'm1']);
    expect(run('ZCOUNT', 'big', '100', '(200')).toBe(100);
    expect(run('ZRANGEBYSCORE', 'big', '-inf', '+inf', 'LIMIT', '999998', '5')).toEqual(['m1', 'm0']);
    run('ZREM', 'big', 'm999999');
    expect(run('ZRANK', 'big', 'm999998')).toBe(0);
  }, 120_000);
});

describe('plain sets as set-operation inputs', () => {
  it('count each member with score 1 (times its weight)', () => {
    const { server, run } = setup();
    // A stand-in with the shape of the set type: type 'set', size, has(), iteration.
    const members = ['x', 'y'];
    const plain = {
      type: 'set' as const, size: 2, has: (m: string) => members.includes(m),
      [Symbol.iterator]: () => members[Symbol.iterator](),
      encoding: () => 'listpack', clone() { return this; },
    };
    server.engine.dbs[0]!.set('s', plain);
    run('ZADD', 'z', '5', 'x', '7', 'w');
    expect(run('ZUNION', '2', 'z', 's', 'WEIGHTS', '1', '3', 'WITHSCORES')).toEqual(['y', d(3), 'w', d(7), 'x', d(8)]);
    expect(run('ZINTER', '2', 'z', 's', 'WITHSCORES')).toEqual(['x', d(6)]);
    expect(run('ZDIFF', '2', 's', 'z', 'WITHSCORES')).toEqual(['y', d(1)]);
    expect(run('ZINTERCARD', '2', 's', 'z')).toBe(1);
    expect(run('ZUNIONSTORE', 'dst', '1', 's')).toBe(2);
    expect(run('ZRANGE', 'dst', '0', '-1', 'WITHSCORES')).toEqual(['x', d(1), 'y', d(1)]);
  });
});

describe('ZRANDMEMBER random cases', () => {
  it('a positive count below the size gives distinct members; a negative count may repeat', () => {
    const { run } = setup();
    const args: Bytes[] = ['ZADD', 'z'];
    for (let i = 0; i < 50; i++) args.push(String(i), `m${i}`);
    run(...args);
    const some = run('ZRANDMEMBER', 'z', '20') as string[];
    expect(some).toHaveLength(20);
    expect(new Set(some).size).toBe(20);
    const many = run('ZRANDMEMBER', 'z', '-200', 'WITHSCORES') as Reply[];
    expect(many).toHaveLength(400);
    for (let i = 0; i < many.length; i += 2) {
      expect(many[i + 1]).toEqual(d(Number((many[i] as string).slice(1))));
    }
    expect(typeof run('ZRANDMEMBER', 'z')).toBe('string');
  });
});

describe('ZSCAN on a skiplist-encoded set', () => {
  it('pages with COUNT and returns every member exactly once over a full iteration', () => {
    const { run } = setup({ 'zset-max-listpack-entries': 4 });
    const args: Bytes[] = ['ZADD', 'z'];
    for (let i = 0; i < 25; i++) args.push(String(i / 2), `m${i}`);
    run(...args);
    const seen: string[] = [];
    let cursor = '0';
    let calls = 0;
    do {
      const [next, items] = run('ZSCAN', 'z', cursor, 'COUNT', '7') as [string, string[]];
      for (let i = 0; i < items.length; i += 2) {
        seen.push(items[i]!);
        expect(items[i + 1]).toBe(String(Number(items[i]!.slice(1)) / 2));
      }
      cursor = next;
      calls++;
    } while (cursor !== '0' && calls < 100);
    expect(calls).toBeGreaterThan(1);
    expect(seen.sort()).toEqual(Array.from({ length: 25 }, (_, i) => `m${i}`).sort());
    const [, matched] = run('ZSCAN', 'z', '0', 'MATCH', 'm1*', 'COUNT', '100') as [string, string[]];
    expect(matched.filter((_, i) => i % 2 === 0).sort()).toEqual(['m1', 'm10', 'm11', 'm12', 'm13', 'm14', 'm15', 'm16', 'm17', 'm18', 'm19']);
  });
});

describe('keyspace notifications', () => {
  it('are the events redis-server emits, in its order, and only for changes', () => {
    const { server, run } = setup();
    const events: string[] = [];
    const engine = server.engine as unknown as { notify: (t: string, e: string, k: string, db: number) => void };
    engine.notify = (_type, event, key) => { events.push(`${event} ${key}`); };
    run('ZADD', 'z', '1', 'a', '2', 'b');
    run('ZADD', 'z', '1', 'a');
    run('ZINCRBY', 'z', '1', 'a');
    run('ZADD', 'z', 'XX', 'INCR', '1', 'q');
    run('ZREM', 'z', 'a');
    run('ZREM', 'z', 'b');
    run('ZADD', 'z', '1', 'a', '2', 'b', '3', 'c');
    run('ZPOPMIN', 'z');
    run('ZMPOP', '1', 'z', 'MAX', 'COUNT', '5');
    run('ZADD', 'z', '1', 'a', '2', 'b', '3', 'c');
    run('ZREMRANGEBYSCORE', 'z', '1', '1');
    run('ZREMRANGEBYRANK', 'z', '0', '-1');
    run('ZADD', 'z', '1', 'a');
    run('ZUNIONSTORE', 'd', '1', 'z');
    run('ZINTERSTORE', 'd', '2', 'z', 'nokey');
    run('ZRANGESTORE', 'd', 'z', '0', '-1');
    run('ZRANGESTORE', 'd', 'nokey', '0', '-1');
    run('ZDIFFSTORE', 'd', '1', 'z');
    run('ZADD', 'z', '1', 'b');
    run('ZREMRANGEBYLEX', 'z', '-', '+');
    // Captured from redis-server 7.0.15 with notify-keyspace-events KEA.
    expect(events.join(' ')).toBe('zadd z zincr z zrem z zrem z del z zadd z zpopmin z zpopmax z del z zadd z ' +
      'zremrangebyscore z zremrangebyrank z del z zadd z zunionstore d del d zrangestore d del d zdiffstore d ' +
      'zadd z zremrangebylex z del z');
  });
});

describe('WATCH and the write log hear only real changes', () => {
  it('does not report a key modified when a write changed nothing', () => {
    const { server, run } = setup();
    const touched: string[] = [];
    const engine = server.engine as unknown as { keyModified: (db: number, key: string) => void };
    const original = engine.keyModified.bind(engine);
    engine.keyModified = (db, key) => { touched.push(key); original(db, key); };
    run('ZADD', 'z', '1', 'a');
    expect(touched).toEqual(['z']);
    touched.length = 0;
    run('ZADD', 'z', 'NX', '5', 'a');
    run('ZADD', 'z', '1', 'a');
    run('ZADD', 'z', 'GT', '0', 'a');
    run('ZREM', 'z', 'x');
    run('ZPOPMIN', 'z', '0');
    run('ZREMRANGEBYSCORE', 'z', '5', '6');
    run('ZRANGESTORE', 'd', 'nokey', '0', '-1');
    run('ZUNIONSTORE', 'd', '1', 'nokey');
    run('ZMPOP', '1', 'nokey', 'MIN');
    expect(touched).toEqual([]);
    run('ZINCRBY', 'z', '0', 'a');
    expect(touched).toEqual([]);
  });
});
