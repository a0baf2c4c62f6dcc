/**
 * Keyspace notifications of list commands and SORT STORE, compared with a
 * real redis-server: the same events, in the same order.
 */
import { describe, expect, it } from 'vitest';
import { differentialServers } from '../helpers/diff-pair.js';

const servers = differentialServers();

describe('list keyspace events', () => {
  it('match Redis event for event', async () => {
    const { ubique, redis } = await servers.run(async (connect) => {
      const [sub, p, w] = [await connect(), await connect(), await connect()];
      await p.call('CONFIG', 'SET', 'notify-keyspace-events', 'KEA');
      await sub.call('PSUBSCRIBE', '__keyevent@0__:*');
      const commands: string[][] = [
        ['LPUSH', 'l', 'a', 'b'], ['RPUSH', 'l', 'c'], ['LPUSHX', 'none', 'x'], ['RPUSHX', 'l', 'd'],
        ['LINSERT', 'l', 'BEFORE', 'a', 'z'], ['LINSERT', 'l', 'BEFORE', 'nope', 'z'], ['LSET', 'l', '0', 'y'],
        ['LREM', 'l', '0', 'nope'], ['LREM', 'l', '1', 'y'], ['LTRIM', 'l', '0', '-1'], ['LTRIM', 'l', '1', '-1'],
        ['LMOVE', 'l', 'm', 'LEFT', 'RIGHT'], ['RPOPLPUSH', 'l', 'm'], ['LPOP', 'l', '0'], ['LPOP', 'l'],
        ['RPOP', 'm', '5'], ['RPUSH', 'x', '1'], ['LMPOP', '2', 'none', 'x', 'LEFT'],
        ['RPUSH', 'y', '2', '1'], ['SORT', 'y', 'STORE', 'ys'], ['SORT', 'none', 'STORE', 'ys'],
        ['RPUSH', 'b', 'v'], ['BLPOP', 'b', '0'], ['RPUSH', 'b', 'v'], ['BLMOVE', 'b', 'b2', 'LEFT', 'LEFT', '0'],
        ['LTRIM', 'b2', '1', '0'], ['BZPOPMIN', 'none', '0.01'], ['ZADD', 'z', '1', 'a'], ['BZPOPMAX', 'z', '0'],
      ];
      const replies: string[] = [];
      for (const c of commands) replies.push(await p.call(...c));
      // A waiter served by a push.
      const served = w.call('BLPOP', 'late', '0');
      for (let i = 0; i < 1000 && !/blocked_clients:1\r/.test(await p.call('INFO', 'clients')); i++);
      replies.push(await p.call('RPUSH', 'late', 'v'), await served);
      await p.call('SET', 'done', '1');
      const events: string[] = [];
      for (;;) {
        const m = await sub.next();
        events.push(m);
        if (m.includes('done')) break;
      }
      return { replies, events };
    });
    expect(ubique).toEqual(redis);
    expect((ubique as { events: string[] }).events.length).toBeGreaterThan(30);
  });
});
