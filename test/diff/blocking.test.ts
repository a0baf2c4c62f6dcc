/**
 * Blocking commands across several connections, compared with a real
 * redis-server: who is served, in which order, with which replies.
 */
import { describe, expect, it } from 'vitest';
import { differentialServers } from '../helpers/diff-pair.js';
import type { RawClient } from '../helpers/resp-client.js';

const servers = differentialServers();

async function same(script: Parameters<typeof servers.run>[0]) {
  const { ubique, redis } = await servers.run(script);
  expect(ubique).toEqual(redis);
  return ubique;
}

/** Sends a command without waiting for its reply. */
function send(c: RawClient, ...args: string[]): Promise<string> {
  return c.call(...args);
}

/** Polls INFO until `n` clients are blocked (both servers report blocked_clients). */
async function blocked(admin: RawClient, n: number): Promise<void> {
  for (let i = 0; i < 2000; i++) {
    const info = await admin.call('INFO', 'clients');
    if (new RegExp(`blocked_clients:${n}\\r`).test(info)) return;
    await new Promise((r) => setTimeout(r, 2));
  }
  throw new Error(`never saw ${n} blocked clients`);
}

describe('blocking pops across clients', () => {
  it('serve waiting clients in arrival order', async () => {
    await same(async (connect) => {
      const [a, b, c, p] = [await connect(), await connect(), await connect(), await connect()];
      const ra = send(a, 'BLPOP', 'q', '0');
      await blocked(p, 1);
      const rb = send(b, 'BRPOP', 'q', 'x', '0');
      await blocked(p, 2);
      const rc = send(c, 'BLMPOP', '0', '1', 'q', 'LEFT', 'COUNT', '5');
      await blocked(p, 3);
      const pushed = await p.call('RPUSH', 'q', '1', '2', '3', '4', '5');
      return [pushed, await ra, await rb, await rc, await p.call('LRANGE', 'q', '0', '-1'), await p.call('INFO', 'clients').then((s) => /blocked_clients:\d+/.exec(s)![0])];
    });
  });

  it('chain BLMOVE and BRPOPLPUSH through lists', async () => {
    await same(async (connect) => {
      const [a, b, c, p] = [await connect(), await connect(), await connect(), await connect()];
      const ra = send(a, 'BLMOVE', 'l1', 'l2', 'RIGHT', 'LEFT', '0');
      await blocked(p, 1);
      const rb = send(b, 'BRPOPLPUSH', 'l2', 'l3', '0');
      await blocked(p, 2);
      const rc = send(c, 'BLPOP', 'l3', '0');
      await blocked(p, 3);
      await p.call('RPUSH', 'l1', 'a', 'b');
      return [await ra, await rb, await rc, await p.call('LRANGE', 'l1', '0', '-1'), await p.call('EXISTS', 'l2', 'l3')];
    });
  });

  it('serve after a transaction completes', async () => {
    await same(async (connect) => {
      const [a, p] = [await connect(), await connect()];
      const ra = send(a, 'BLPOP', 'q', '0');
      await blocked(p, 1);
      const out = [await p.call('MULTI'), await p.call('RPUSH', 'q', 'x', 'y'), await p.call('LPOP', 'q'), await p.call('EXEC')];
      return [...out, await ra, await p.call('EXISTS', 'q')];
    });
  });

  it('are woken by keys that RENAME, COPY, MOVE, SORT STORE and LMOVE create', async () => {
    await same(async (connect) => {
      const [a, b, c, d, e, p] = [await connect(), await connect(), await connect(), await connect(), await connect(), await connect()];
      const ra = send(a, 'BLPOP', 'renamed', '0');
      const rb = send(b, 'BLPOP', 'copied', '0');
      const rc = send(c, 'BLPOP', 'sorted', '0');
      const rd = send(d, 'BLPOP', 'moved', '0');
      await e.call('SELECT', '1');
      const re = send(e, 'BLPOP', 'indb1', '0');
      await blocked(p, 5);
      const out: string[] = [];
      out.push(await p.call('RPUSH', 'src', '3', '1', '2'));
      out.push(await p.call('RENAME', 'src', 'renamed'), await ra);
      out.push(await p.call('COPY', 'renamed', 'copied'), await rb);
      out.push(await p.call('SORT', 'renamed', 'STORE', 'sorted'), await rc);
      out.push(await p.call('LMOVE', 'renamed', 'moved', 'LEFT', 'LEFT'), await rd);
      out.push(await p.call('MOVE', 'renamed', '1'), await p.call('SELECT', '1'), await p.call('RENAME', 'renamed', 'indb1'), await re);
      return out;
    });
  });

  it('are woken by SWAPDB bringing a list in', async () => {
    await same(async (connect) => {
      const [a, p] = [await connect(), await connect()];
      const ra = send(a, 'BLPOP', 'k', '0');
      await blocked(p, 1);
      await p.call('SELECT', '1');
      await p.call('RPUSH', 'k', 'from-db1');
      return [await p.call('SWAPDB', '0', '1'), await ra];
    });
  });

  it('stay blocked while the key holds another type', async () => {
    await same(async (connect) => {
      const [a, b, p] = [await connect(), await connect(), await connect()];
      const ra = send(a, 'BLPOP', 'k', '0');
      const rb = send(b, 'BZPOPMIN', 'k', '0');
      await blocked(p, 2);
      const out = [await p.call('ZADD', 'k', '2', 'two', '1', 'one'), await rb];
      await blocked(p, 1);
      out.push(await p.call('DEL', 'k'), await p.call('LPUSH', 'k', 'v'), await ra);
      return out;
    });
  });

  it('a BLMOVE whose destination holds another type is answered WRONGTYPE and the element stays', async () => {
    await same(async (connect) => {
      const [a, p] = [await connect(), await connect()];
      await p.call('SET', 'dst', 'string');
      const ra = send(a, 'BLMOVE', 'src', 'dst', 'LEFT', 'LEFT', '0');
      await blocked(p, 1);
      return [await p.call('RPUSH', 'src', 'v'), await ra, await p.call('LRANGE', 'src', '0', '-1')];
    });
  });

  it('a key filled and emptied inside one transaction serves nobody', async () => {
    await same(async (connect) => {
      const [a, p] = [await connect(), await connect()];
      const ra = send(a, 'BLPOP', 'q', '0');
      await blocked(p, 1);
      const out = [await p.call('MULTI'), await p.call('RPUSH', 'q', 'x'), await p.call('DEL', 'q'), await p.call('EXEC')];
      await blocked(p, 1);
      out.push(await p.call('RPUSH', 'q', 'later'), await ra);
      return out;
    });
  });

  it('BZPOPMIN, BZPOPMAX and BZMPOP are served in order', async () => {
    await same(async (connect) => {
      const [a, b, c, p] = [await connect(), await connect(), await connect(), await connect()];
      const ra = send(a, 'BZPOPMAX', 'z', '0');
      await blocked(p, 1);
      const rb = send(b, 'BZPOPMIN', 'other', 'z', '0');
      await blocked(p, 2);
      const rc = send(c, 'BZMPOP', '0', '1', 'z', 'MIN', 'COUNT', '10');
      await blocked(p, 3);
      await p.call('ZADD', 'z', '1', 'a', '2.5', 'b', '3', 'c', '4', 'd');
      return [await ra, await rb, await rc, await p.call('EXISTS', 'z')];
    });
  });

  it('a client that disconnects while blocked leaves the pushed value in place', async () => {
    await same(async (connect) => {
      const [a, b, p] = [await connect(), await connect(), await connect()];
      void send(a, 'BLPOP', 'q', '0').catch(() => {});
      await blocked(p, 1);
      const rb = send(b, 'BLPOP', 'q', '0');
      await blocked(p, 2);
      a.close();
      await blocked(p, 1);
      await p.call('RPUSH', 'q', 'one', 'two');
      return [await rb, await p.call('LRANGE', 'q', '0', '-1')];
    });
  });

  it('CLIENT UNBLOCK answers a blocked client with a timeout or an error', async () => {
    await same(async (connect) => {
      const [a, p] = [await connect(), await connect()];
      const id = (await a.call('CLIENT', 'ID')).slice(1, -2);
      const r1 = send(a, 'BLPOP', 'q', '0');
      await blocked(p, 1);
      const out = [await p.call('CLIENT', 'UNBLOCK', id), await r1];
      const r2 = send(a, 'BLMOVE', 'q', 'd', 'LEFT', 'LEFT', '0');
      await blocked(p, 1);
      out.push(await p.call('CLIENT', 'UNBLOCK', id, 'ERROR'), await r2, await p.call('CLIENT', 'UNBLOCK', id));
      return out;
    });
  });

  it('commands pipelined behind a blocking one wait for it', async () => {
    await same(async (connect) => {
      const [a, p] = [await connect(), await connect()];
      a.write('*3\r\n$5\r\nBLPOP\r\n$1\r\nq\r\n$1\r\n0\r\n*3\r\n$3\r\nSET\r\n$5\r\nafter\r\n$1\r\n1\r\n');
      await blocked(p, 1);
      const before = await p.call('EXISTS', 'after');
      await p.call('RPUSH', 'q', 'v');
      return [before, await a.next(), await a.next(), await p.call('EXISTS', 'after')];
    });
  });

  it('time out in RESP3 with a null', async () => {
    await same(async (connect) => {
      const a = await connect();
      await a.call('HELLO', '3');
      return [
        await a.call('BLPOP', 'q', '0.01'),
        await a.call('BZPOPMIN', 'q', '0.01'),
        await a.call('BLMOVE', 'q', 'd', 'LEFT', 'LEFT', '0.01'),
        await a.call('RPUSH', 'q', 'v'),
        await a.call('BLMPOP', '0', '1', 'q', 'LEFT'),
      ];
    });
  });
});
