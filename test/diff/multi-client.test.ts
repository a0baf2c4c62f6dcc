/**
 * Transactions and pub/sub across several connections, compared with a real
 * redis-server.
 */
import { describe, expect, it } from 'vitest';
import { differentialServers } from '../helpers/diff-pair.js';

const servers = differentialServers();

async function same(script: Parameters<typeof servers.run>[0]) {
  const { ubique, redis } = await servers.run(script);
  expect(ubique).toEqual(redis);
  return ubique;
}

describe('WATCH across clients', () => {
  it('a write from another client makes EXEC fail', async () => {
    const r = await same(async (connect) => {
      const [a, b] = [await connect(), await connect()];
      const out = [await a.call('SET', 'w', '1'), await a.call('WATCH', 'w')];
      out.push(await b.call('SET', 'w', '2'));
      out.push(await a.call('MULTI'), await a.call('SET', 'w', '3'), await a.call('EXEC'), await a.call('GET', 'w'));
      return out;
    });
    expect((r as string[])[5]).toBe('*-1\r\n');
  });

  it('a write to another database does not', async () => {
    await same(async (connect) => {
      const [a, b] = [await connect(), await connect()];
      const out = [await a.call('WATCH', 'w'), await b.call('SELECT', '1'), await b.call('SET', 'w', '2')];
      out.push(await a.call('MULTI'), await a.call('SET', 'w', '3'), await a.call('EXEC'));
      return out;
    });
  });

  it('SWAPDB breaks a WATCH on a key that existed before the swap, or exists after it, and no other', async () => {
    await same(async (connect) => {
      const [a, b] = [await connect(), await connect()];
      const out: unknown[] = [];
      // Only in db 0 before the swap (gone from a's view after it).
      out.push(await a.call('SET', 'before', '1'), await a.call('WATCH', 'before'), await b.call('SWAPDB', '0', '1'));
      out.push(await a.call('MULTI'), await a.call('PING'), await a.call('EXEC'));
      // Only in db 1 before the swap (in a's view after it).
      out.push(await b.call('FLUSHALL'), await b.call('SELECT', '1'), await b.call('SET', 'after', '1'));
      out.push(await a.call('WATCH', 'after'), await b.call('SWAPDB', '0', '1'));
      out.push(await a.call('MULTI'), await a.call('PING'), await a.call('EXEC'));
      // In neither database: the watch holds.
      out.push(await a.call('WATCH', 'nowhere'), await b.call('SWAPDB', '0', '1'));
      out.push(await a.call('MULTI'), await a.call('PING'), await a.call('EXEC'));
      return out;
    });
  });

  it('EXEC is atomic: another client sees all of it or none', async () => {
    await same(async (connect) => {
      const [a, b] = [await connect(), await connect()];
      await a.call('MULTI');
      for (let i = 0; i < 10; i++) await a.call('SET', `k${i}`, 'v');
      const before = await b.call('DBSIZE');
      await a.call('EXEC');
      return [before, await b.call('DBSIZE')];
    });
  });
});

describe('pub/sub', () => {
  it('delivers to channel and pattern subscribers and counts receivers', async () => {
    await same(async (connect) => {
      const [sub, psub, pub] = [await connect(), await connect(), await connect()];
      sub.write('*3\r\n$9\r\nSUBSCRIBE\r\n$2\r\nch\r\n$5\r\nother\r\n');
      const out = [await sub.next(), await sub.next()];
      out.push(await psub.call('PSUBSCRIBE', 'c*'));
      out.push(await pub.call('PUBLISH', 'ch', 'hello'));
      out.push(await sub.next(), await psub.next());
      out.push(await pub.call('PUBLISH', 'nobody', 'x'));
      out.push(await pub.call('PUBSUB', 'NUMSUB', 'ch', 'other', 'none'));
      out.push(await pub.call('PUBSUB', 'NUMPAT'));
      return out;
    });
  });

  it('restricts RESP2 subscribers to the subscriber commands', async () => {
    await same(async (connect) => {
      const sub = await connect();
      const out = [await sub.call('SUBSCRIBE', 'ch'), await sub.call('GET', 'x'), await sub.call('PING'), await sub.call('PING', 'hi')];
      out.push(await sub.call('UNSUBSCRIBE'));
      out.push(await sub.call('GET', 'x'));
      out.push(await sub.call('UNSUBSCRIBE'));
      return out;
    });
  });

  it('unsubscribe from several and from patterns reports the remaining count', async () => {
    await same(async (connect) => {
      const sub = await connect();
      sub.write('*4\r\n$9\r\nSUBSCRIBE\r\n$1\r\na\r\n$1\r\nb\r\n$1\r\nc\r\n');
      const out = [await sub.next(), await sub.next(), await sub.next()];
      out.push(await sub.call('PSUBSCRIBE', 'x*'));
      sub.write('*3\r\n$11\r\nUNSUBSCRIBE\r\n$1\r\na\r\n$1\r\nz\r\n');
      out.push(await sub.next(), await sub.next());
      out.push(await sub.call('PUNSUBSCRIBE'));
      return out;
    });
  });

  it('PUBSUB CHANNELS lists active channels matching a pattern', async () => {
    await same(async (connect) => {
      const [s1, s2, q] = [await connect(), await connect(), await connect()];
      await s1.call('SUBSCRIBE', 'news.a');
      await s2.call('SUBSCRIBE', 'news.b');
      const all = await q.call('PUBSUB', 'CHANNELS');
      const some = await q.call('PUBSUB', 'CHANNELS', '*.a');
      // Order is unspecified: compare as sorted lines.
      return [all.split('\r\n').sort(), some];
    });
  });

  it('keyspace notifications follow notify-keyspace-events', async () => {
    await same(async (connect) => {
      const [sub, w] = [await connect(), await connect()];
      const out = [await w.call('CONFIG', 'SET', 'notify-keyspace-events', 'KEA')];
      out.push(await sub.call('PSUBSCRIBE', '__key*__:*'));
      out.push(await w.call('SET', 'k', 'v'));
      out.push(await sub.next(), await sub.next());
      out.push(await w.call('DEL', 'k'));
      out.push(await sub.next(), await sub.next());
      out.push(await w.call('CONFIG', 'SET', 'notify-keyspace-events', ''));
      return out;
    });
  });
});

describe('client-side caching', () => {
  it('RESP3: a read key is invalidated once when another client writes it', async () => {
    await same(async (connect) => {
      const [a, b] = [await connect(), await connect()];
      await a.call('HELLO', '3');
      const out = [await a.call('CLIENT', 'TRACKING', 'ON'), await a.call('GET', 'k')];
      out.push(await b.call('SET', 'k', '1'));
      out.push(await a.next());
      // Not read again: a second write sends nothing; the next PING reply comes first.
      out.push(await b.call('SET', 'k', '2'));
      out.push(await a.call('PING'));
      out.push(await a.call('CLIENT', 'TRACKINGINFO'), await a.call('CLIENT', 'GETREDIR'));
      return out;
    });
  });

  it('RESP2: invalidations are redirected to a __redis__:invalidate subscriber', async () => {
    await same(async (connect) => {
      const [listener, a, b] = [await connect(), await connect(), await connect()];
      const id = (await listener.call('CLIENT', 'ID')).slice(1, -2);
      const out = [await listener.call('SUBSCRIBE', '__redis__:invalidate')];
      out.push(await a.call('CLIENT', 'TRACKING', 'ON', 'REDIRECT', id), await a.call('MGET', 'x', 'y'));
      // DEL of a missing key changes nothing, so only y is invalidated.
      out.push(await b.call('DEL', 'x'), await b.call('SET', 'y', '1'));
      out.push(await listener.next());
      out.push(await a.call('CLIENT', 'GETREDIR'));
      out.push(await b.call('FLUSHALL'));
      out.push(await listener.next());
      return out.map((x) => x.replace(`:${id}\r\n`, ':ID\r\n'));
    });
  });

  it('BCAST with prefixes and NOLOOP', async () => {
    await same(async (connect) => {
      const [a, b] = [await connect(), await connect()];
      await a.call('HELLO', '3');
      const out = [await a.call('CLIENT', 'TRACKING', 'ON', 'BCAST', 'PREFIX', 'user:', 'NOLOOP')];
      out.push(await a.call('SET', 'user:1', 'mine'));
      out.push(await b.call('SET', 'other', 'x'), await b.call('SET', 'user:2', 'theirs'));
      out.push(await a.next());
      return out;
    });
  });

  it('option errors', async () => {
    await same(async (connect) => {
      const a = await connect();
      return [
        await a.call('CLIENT', 'TRACKING', 'ON', 'PREFIX', 'a'),
        await a.call('CLIENT', 'TRACKING', 'ON', 'OPTIN', 'OPTOUT'),
        await a.call('CLIENT', 'TRACKING', 'ON', 'BCAST', 'OPTIN'),
        await a.call('CLIENT', 'TRACKING', 'ON', 'REDIRECT', '999999'),
        await a.call('CLIENT', 'TRACKING', 'ON', 'BCAST', 'PREFIX', 'ab', 'PREFIX', 'a'),
        await a.call('CLIENT', 'TRACKING', 'MAYBE'),
        await a.call('CLIENT', 'CACHING', 'YES'),
        await a.call('CLIENT', 'TRACKING', 'ON', 'OPTIN'),
        await a.call('CLIENT', 'CACHING', 'NO'),
        await a.call('CLIENT', 'CACHING', 'YES'),
        await a.call('CLIENT', 'TRACKING', 'ON', 'OPTOUT'),
        await a.call('CLIENT', 'TRACKING', 'OFF'),
        await a.call('CLIENT', 'GETREDIR'),
      ];
    });
  });
});
