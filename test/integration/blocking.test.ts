/**
 * Blocking list commands with several real ioredis clients in parallel
 * against a ubique TCP server.
 */
import { Redis } from 'ioredis';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { open } from '../../src/index.js';
import { listen, type ListeningServer } from '../../src/node.js';

let srv: ListeningServer;
const clients: Redis[] = [];

function client(): Redis {
  const c = new Redis(srv.port, '127.0.0.1', { maxRetriesPerRequest: 0, enableReadyCheck: false });
  clients.push(c);
  return c;
}

/** Waits (by polling the server's state, not the clock) until `n` clients are blocked. */
async function blocked(n: number): Promise<void> {
  for (let i = 0; i < 5000; i++) {
    if (srv.server.blocking.blockedClients === n) return;
    await new Promise((r) => setTimeout(r, 1));
  }
  throw new Error(`expected ${n} blocked clients, have ${srv.server.blocking.blockedClients}`);
}

beforeAll(async () => {
  srv = await listen({ port: 0 });
});

afterEach(async () => {
  for (const c of clients.splice(0)) c.disconnect();
  await blocked(0);
  const admin = new Redis(srv.port, '127.0.0.1', { enableReadyCheck: false });
  await admin.flushall();
  admin.disconnect();
});

afterAll(async () => {
  await srv.close();
});

describe('blocking list commands over TCP', () => {
  it('serves waiting clients first-come first-served, woken by a push from another client', async () => {
    const [a, b, c, pusher] = [client(), client(), client(), client()];
    const ra = a.blpop('q', 0);
    await blocked(1);
    const rb = b.blpop('q', 0);
    await blocked(2);
    const rc = c.brpop('q', 0);
    await blocked(3);
    expect(srv.server.ext['blockedClients']).toBe(3);
    expect(await pusher.rpush('q', 'one', 'two', 'three')).toBe(3);
    expect(await ra).toEqual(['q', 'one']);
    expect(await rb).toEqual(['q', 'two']);
    expect(await rc).toEqual(['q', 'three']);
    expect(await pusher.llen('q')).toBe(0);
    await blocked(0);
  });

  it('serves one client per pushed element and keeps the rest waiting', async () => {
    const [a, b, pusher] = [client(), client(), client()];
    const ra = a.blpop('q', 0);
    await blocked(1);
    const rb = b.blpop('q', 0);
    await blocked(2);
    await pusher.lpush('q', 'x');
    expect(await ra).toEqual(['q', 'x']);
    await blocked(1);
    await pusher.lpush('q', 'y');
    expect(await rb).toEqual(['q', 'y']);
  });

  it('waits on several keys and is served by whichever gets data', async () => {
    const [a, pusher] = [client(), client()];
    const ra = a.blpop('k1', 'k2', 'k3', 0);
    await blocked(1);
    await pusher.rpush('k3', 'v');
    expect(await ra).toEqual(['k3', 'v']);
  });

  it('is woken by a push through the embedded API on the same server', async () => {
    const a = client();
    const ra = a.blpop('q', 0);
    await blocked(1);
    const db = await open({ server: srv.server });
    await db.command('RPUSH', 'q', 'from-embedded');
    expect(await ra).toEqual(['q', 'from-embedded']);
  });

  it('times out after a fractional number of seconds with a null reply', async () => {
    const [a, b, c] = [client(), client(), client()];
    expect(await a.blpop('nothing', 0.05)).toBeNull();
    expect(await b.blmove('nothing', 'dst', 'LEFT', 'RIGHT', 0.02)).toBeNull();
    expect(await c.call('BLMPOP', '0.01', '2', 'x', 'y', 'LEFT')).toBeNull();
    await blocked(0);
  });

  it('waits forever with timeout 0 and is served later', async () => {
    const [a, pusher] = [client(), client()];
    const ra = a.brpoplpush('src', 'dst', 0);
    await blocked(1);
    // Other work goes on meanwhile.
    await pusher.set('other', '1');
    expect(srv.server.blocking.blockedClients).toBe(1);
    await pusher.rpush('src', 'a', 'b');
    expect(await ra).toBe('b');
    expect(await pusher.lrange('dst', 0, -1)).toEqual(['b']);
    expect(await pusher.lrange('src', 0, -1)).toEqual(['a']);
  });

  it('forgets a client that disconnects while blocked: a later push stays in the list', async () => {
    const [a, pusher] = [client(), client()];
    a.blpop('q', 0).catch(() => {});
    await blocked(1);
    a.disconnect();
    await blocked(0);
    await pusher.rpush('q', 'kept');
    expect(await pusher.lrange('q', 0, -1)).toEqual(['kept']);
  });

  it('chains BLMOVE: each move wakes the client waiting on the destination', async () => {
    const [a, b, c, pusher] = [client(), client(), client(), client()];
    const ra = a.blmove('l1', 'l2', 'LEFT', 'RIGHT', 0);
    await blocked(1);
    const rb = b.blmove('l2', 'l3', 'RIGHT', 'LEFT', 0);
    await blocked(2);
    const rc = c.blpop('l3', 0);
    await blocked(3);
    await pusher.rpush('l1', 'token');
    expect(await ra).toBe('token');
    expect(await rb).toBe('token');
    expect(await rc).toEqual(['l3', 'token']);
    expect([await pusher.llen('l1'), await pusher.llen('l2'), await pusher.llen('l3')]).toEqual([0, 0, 0]);
  });

  it('BLMPOP is served with up to COUNT elements', async () => {
    const [a, pusher] = [client(), client()];
    const ra = a.call('BLMPOP', '0', '2', 'x', 'y', 'RIGHT', 'COUNT', '2');
    await blocked(1);
    await pusher.rpush('y', '1', '2', '3');
    expect(await ra).toEqual(['y', ['3', '2']]);
    expect(await pusher.lrange('y', 0, -1)).toEqual(['1']);
  });

  it('holds the commands a client pipelined behind a blocking one, in order', async () => {
    const [a, pusher] = [client(), client()];
    const pipeline = a.pipeline().blpop('q', 0).set('after', 'yes').get('after').exec();
    await blocked(1);
    expect(await pusher.get('after')).toBeNull();
    await pusher.rpush('q', 'v');
    expect(await pipeline).toEqual([[null, ['q', 'v']], [null, 'OK'], [null, 'yes']]);
  });

  it('answers at once inside MULTI', async () => {
    const a = client();
    const replies = await a.multi().blpop('q', 0).blmove('q', 'd', 'LEFT', 'LEFT', 0).rpush('q', 'v').blpop('q', 0).exec();
    expect(replies).toEqual([[null, null], [null, null], [null, 1], [null, ['q', 'v']]]);
  });

  it('a push inside EXEC serves waiters after the whole transaction', async () => {
    const [a, pusher] = [client(), client()];
    const ra = a.blpop('q', 0);
    await blocked(1);
    // The transaction's own LPOP takes the first element before the waiter is served.
    const replies = await pusher.multi().rpush('q', 'x', 'y').lpop('q').exec();
    expect(replies).toEqual([[null, 2], [null, 'x']]);
    expect(await ra).toEqual(['q', 'y']);
  });

  it('CLIENT UNBLOCK (through the server hook) answers with a timeout or an error', async () => {
    const [a, b] = [client(), client()];
    const ra = a.blpop('q', 0);
    await blocked(1);
    const unblock = srv.server.ext['unblockClient'] as (id: number, mode: 'TIMEOUT' | 'ERROR') => boolean;
    const idOf = (cmd: string) => [...srv.server.clients.values()].find((c) => c.lastCommand === cmd)!.id;
    expect(unblock(idOf('blpop'), 'TIMEOUT')).toBe(true);
    expect(await ra).toBeNull();
    const rb = b.brpop('q', 0);
    await blocked(1);
    const id = idOf('brpop');
    expect(unblock(id, 'ERROR')).toBe(true);
    await expect(rb).rejects.toThrow('UNBLOCKED client unblocked via CLIENT UNBLOCK');
    expect(unblock(id, 'ERROR')).toBe(false);
    // The client keeps working after being unblocked.
    expect(await b.ping()).toBe('PONG');
  });
});
