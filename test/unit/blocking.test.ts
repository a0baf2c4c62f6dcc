/**
 * The blocking infrastructure through Server.dispatch: queues per key,
 * serving after the writing command, what serving logs, timeouts, CLIENT
 * UNBLOCK, disconnects and the embedded API.
 */
import { afterEach, describe, expect, it, vi } from 'vitest';
import { BlockRequest, parseTimeout } from '../../src/core/blocking.js';
import type { Client } from '../../src/core/client.js';
import { ErrorReply, NULL_ARRAY, VerbatimReply, type Reply } from '../../src/core/resp/reply.js';
import { Server } from '../../src/core/server.js';
import { open } from '../../src/index.js';

function setup() {
  const server = new Server({ logger: () => {} });
  const log: string[] = [];
  server.setWriteLog((db, commands) => {
    for (const c of commands) log.push(`${db}: ${c.join(' ')}`);
  });
  const connect = () => server.connect({ kind: 'test' });
  const run = (client: Client, ...args: string[]) => server.dispatch(client, args);
  return { server, log, connect, run };
}

/** A reply that must be pending: records when it settles. */
function pending(reply: Reply | Promise<Reply>): { settled: () => boolean; value: Promise<Reply> } {
  expect(reply).toBeInstanceOf(Promise);
  let done = false;
  const value = (reply as Promise<Reply>).then((r) => {
    done = true;
    return r;
  });
  return { settled: () => done, value };
}

const flush = () => new Promise((r) => setTimeout(r, 0));

afterEach(() => {
  vi.useRealTimers();
});

describe('parseTimeout', () => {
  it('reads seconds with fractions into milliseconds, rounding up', () => {
    expect(parseTimeout('0')).toBe(0);
    expect(parseTimeout('1.5')).toBe(1500);
    expect(parseTimeout('0.0001')).toBe(1);
    expect(parseTimeout('.25')).toBe(250);
    expect(parseTimeout('1e1')).toBe(10000);
  });

  it("answers Redis's errors", () => {
    expect(() => parseTimeout('x')).toThrow('ERR timeout is not a float or out of range');
    expect(() => parseTimeout(' 1')).toThrow('ERR timeout is not a float or out of range');
    expect(() => parseTimeout('nan')).toThrow('ERR timeout is not a float or out of range');
    expect(() => parseTimeout('-1')).toThrow('ERR timeout is negative');
    expect(() => parseTimeout('inf')).toThrow('ERR timeout is negative');
    expect(() => parseTimeout('1e100')).toThrow('ERR timeout is negative');
  });
});

describe('blocking commands', () => {
  it('serves clients waiting on a key in arrival order, one element each', async () => {
    const { server, connect, run } = setup();
    const [a, b, p] = [connect(), connect(), connect()];
    const ra = pending(run(a, 'BLPOP', 'k', '0'));
    const rb = pending(run(b, 'BRPOP', 'k', 'other', '0'));
    expect(server.ext['blockedClients']).toBe(2);
    expect(run(p, 'RPUSH', 'k', 'x')).toBe(1);
    expect(await ra.value).toEqual(['k', 'x']);
    await flush();
    expect(rb.settled()).toBe(false);
    expect(server.blocking.blockedClients).toBe(1);
    run(p, 'RPUSH', 'other', 'y');
    expect(await rb.value).toEqual(['other', 'y']);
    expect(server.blocking.blockedClients).toBe(0);
  });

  it('serves right after the pushing command, before the next command runs', async () => {
    const { connect, run } = setup();
    const [a, p] = [connect(), connect()];
    const ra = pending(run(a, 'BLPOP', 'k', '0'));
    run(p, 'RPUSH', 'k', 'first');
    // The pusher's own next command finds the list already served.
    expect(run(p, 'LPOP', 'k')).toBeNull();
    expect(await ra.value).toEqual(['k', 'first']);
  });

  it('serves after EXEC as a whole: a pop inside the transaction goes first', async () => {
    const { connect, run } = setup();
    const [a, p] = [connect(), connect()];
    const ra = pending(run(a, 'BLPOP', 'k', '0'));
    run(p, 'MULTI');
    run(p, 'RPUSH', 'k', 'x', 'y');
    run(p, 'LPOP', 'k');
    expect(run(p, 'EXEC')).toEqual([2, 'x']);
    expect(await ra.value).toEqual(['k', 'y']);
  });

  it('answers at once inside MULTI, without blocking', () => {
    const { server, connect, run } = setup();
    const a = connect();
    run(a, 'MULTI');
    run(a, 'BLPOP', 'k', '0');
    run(a, 'BLMOVE', 'k', 'd', 'LEFT', 'LEFT', '0');
    run(a, 'BLMPOP', '0', '1', 'k', 'LEFT');
    expect(run(a, 'EXEC')).toEqual([NULL_ARRAY, null, NULL_ARRAY]);
    expect(server.blocking.blockedClients).toBe(0);
  });

  it('logs a served blocking command as Redis propagates it', async () => {
    const { log, connect, run } = setup();
    const [a, b, c, d, p] = [connect(), connect(), connect(), connect(), connect()];
    const ra = pending(run(a, 'BLPOP', 'k1', '0'));
    const rb = pending(run(b, 'BLMOVE', 'k2', 'dst', 'RIGHT', 'LEFT', '0'));
    const rc = pending(run(c, 'BRPOPLPUSH', 'k3', 'dst', '0'));
    const rd = pending(run(d, 'BLMPOP', '0', '1', 'k4', 'RIGHT', 'COUNT', '5'));
    expect(log).toEqual([]);
    run(p, 'RPUSH', 'k1', 'v1');
    run(p, 'RPUSH', 'k2', 'v2');
    run(p, 'RPUSH', 'k3', 'v3');
    run(p, 'RPUSH', 'k4', 'a', 'b');
    expect(await ra.value).toEqual(['k1', 'v1']);
    expect(await rb.value).toBe('v2');
    expect(await rc.value).toBe('v3');
    expect(await rd.value).toEqual(['k4', ['b', 'a']]);
    expect(log).toEqual([
      '0: RPUSH k1 v1', '0: LPOP k1',
      '0: RPUSH k2 v2', '0: LMOVE k2 dst RIGHT LEFT',
      '0: RPUSH k3 v3', '0: RPOPLPUSH k3 dst',
      '0: RPUSH k4 a b', '0: RPOP k4 5',
    ]);
  });

  it('logs blocking commands served at once as their plain form', () => {
    const { log, connect, run } = setup();
    const a = connect();
    run(a, 'RPUSH', 'k', 'a', 'b', 'c');
    expect(run(a, 'BRPOP', 'k', '0')).toEqual(['k', 'c']);
    expect(run(a, 'BLMOVE', 'k', 'k', 'LEFT', 'RIGHT', '0')).toBe('a');
    expect(run(a, 'LMPOP', '1', 'k', 'LEFT', 'COUNT', '9')).toEqual(['k', ['b', 'a']]);
    expect(log).toEqual(['0: RPUSH k a b c', '0: RPOP k', '0: LMOVE k k LEFT RIGHT', '0: LPOP k 9']);
  });

  it('waits in the database it blocked in', async () => {
    const { connect, run } = setup();
    const [a, p] = [connect(), connect()];
    run(a, 'SELECT', '3');
    const ra = pending(run(a, 'BLPOP', 'k', '0'));
    run(p, 'RPUSH', 'k', 'db0');
    await flush();
    expect(ra.settled()).toBe(false);
    run(p, 'SELECT', '3');
    run(p, 'RPUSH', 'k', 'db3');
    expect(await ra.value).toEqual(['k', 'db3']);
    expect(run(p, 'SELECT', '0')).toBeDefined();
    expect(run(p, 'LRANGE', 'k', '0', '-1')).toEqual(['db0']);
  });

  it('stays blocked while the key holds another type, then is served by a list', async () => {
    const { connect, run } = setup();
    const [a, p] = [connect(), connect()];
    const ra = pending(run(a, 'BLPOP', 'k', '0'));
    run(p, 'SET', 'k', 'string');
    await flush();
    expect(ra.settled()).toBe(false);
    run(p, 'DEL', 'k');
    run(p, 'RPUSH', 'k', 'v');
    expect(await ra.value).toEqual(['k', 'v']);
  });

  it('a BLMOVE to a key of the wrong type is answered WRONGTYPE and keeps the element', async () => {
    const { connect, run } = setup();
    const [a, p] = [connect(), connect()];
    run(p, 'SET', 'dst', 'string');
    const ra = pending(run(a, 'BLMOVE', 'src', 'dst', 'LEFT', 'LEFT', '0'));
    run(p, 'RPUSH', 'src', 'v');
    expect(await ra.value).toEqual(new ErrorReply('WRONGTYPE Operation against a key holding the wrong kind of value'));
    expect(run(p, 'LRANGE', 'src', '0', '-1')).toEqual(['v']);
  });

  it('times out with the null array (BLMOVE too) and leaves no waiter', async () => {
    vi.useFakeTimers();
    const { server, connect, run } = setup();
    const [a, b] = [connect(), connect()];
    const ra = pending(run(a, 'BLPOP', 'k', '0.5'));
    const rb = pending(run(b, 'BLMOVE', 'k', 'd', 'LEFT', 'LEFT', '1.25'));
    vi.advanceTimersByTime(499);
    await Promise.resolve();
    expect(ra.settled()).toBe(false);
    vi.advanceTimersByTime(1);
    expect(await ra.value).toBe(NULL_ARRAY);
    expect(server.blocking.blockedClients).toBe(1);
    vi.advanceTimersByTime(750);
    expect(await rb.value).toBe(NULL_ARRAY);
    expect(server.blocking.blockedClients).toBe(0);
    run(a, 'RPUSH', 'k', 'stays');
    expect(run(a, 'LLEN', 'k')).toBe(1);
  });

  it('CLIENT UNBLOCK ends a wait with a timeout or an error', async () => {
    const { server, connect, run } = setup();
    const [a, b] = [connect(), connect()];
    const unblock = server.ext['unblockClient'] as (id: number, mode: 'TIMEOUT' | 'ERROR') => boolean;
    const ra = pending(run(a, 'BLPOP', 'k', '0'));
    const rb = pending(run(b, 'BLMPOP', '0', '1', 'k', 'LEFT'));
    expect(unblock(a.id, 'TIMEOUT')).toBe(true);
    expect(unblock(b.id, 'ERROR')).toBe(true);
    expect(await ra.value).toBe(NULL_ARRAY);
    expect(await rb.value).toEqual(new ErrorReply('UNBLOCKED client unblocked via CLIENT UNBLOCK'));
    expect(unblock(a.id, 'TIMEOUT')).toBe(false);
  });

  it('shows as blocked in CLIENT LIST and INFO while waiting', async () => {
    const { connect, run } = setup();
    const [a, p] = [connect(), connect()];
    const ra = pending(run(a, 'BLPOP', 'k', '0'));
    const text = (r: Reply | Promise<Reply>) => (r instanceof VerbatimReply ? r.text : String(r));
    const line = (r: Reply | Promise<Reply>) => text(r).split('\n').find((l) => l.startsWith(`id=${a.id} `))!;
    expect(line(run(p, 'CLIENT', 'LIST'))).toMatch(/ flags=b /);
    expect(text(run(p, 'INFO', 'clients'))).toContain('blocked_clients:1\r\n');
    run(p, 'RPUSH', 'k', 'v');
    await ra.value;
    expect(line(run(p, 'CLIENT', 'LIST'))).toMatch(/ flags=N /);
    expect(text(run(p, 'INFO', 'clients'))).toContain('blocked_clients:0\r\n');
  });

  it('forgets a client that disconnects while waiting', () => {
    const { server, connect, run } = setup();
    const [a, p] = [connect(), connect()];
    void run(a, 'BLPOP', 'k', '0');
    server.disconnect(a);
    expect(server.blocking.blockedClients).toBe(0);
    run(p, 'RPUSH', 'k', 'v');
    expect(run(p, 'LRANGE', 'k', '0', '-1')).toEqual(['v']);
  });

  it('never lets a BlockRequest reach a reply', () => {
    const { connect, run } = setup();
    const reply = run(connect(), 'BLPOP', 'k', '0');
    expect(reply).toBeInstanceOf(Promise);
    expect(reply).not.toBeInstanceOf(BlockRequest);
  });
});

describe('blocking in the embedded API', () => {
  it('awaits until another handle pushes', async () => {
    const a = await open();
    const b = await open({ server: a.server });
    const waiting = a.command('BLPOP', 'jobs', 0);
    expect(a.server.blocking.blockedClients).toBe(1);
    await b.command('RPUSH', 'jobs', 'job-1');
    expect(await waiting).toEqual(['jobs', 'job-1']);
    expect(await a.command('BLPOP', 'jobs', 0.01)).toBeNull();
    await a.close();
  });

  it('commandSync refuses a blocking command that would wait, and leaves no waiter', async () => {
    const db = await open();
    expect(() => db.commandSync('BLPOP', 'q', 0)).toThrow('Cannot run command synchronously');
    expect(db.server.blocking.blockedClients).toBe(0);
    db.commandSync('RPUSH', 'q', 'kept');
    expect(db.commandSync('LRANGE', 'q', 0, -1)).toEqual(['kept']);
    await db.close();
  });

  it('lets one handle wait on several calls at once', async () => {
    const db = await open();
    const other = await open({ server: db.server });
    const first = db.command('BLPOP', 'a', 0);
    const second = db.command('BRPOP', 'b', 0);
    expect(db.server.blocking.blockedClients).toBe(1);
    await other.command('RPUSH', 'b', 'for-second');
    expect(await second).toEqual(['b', 'for-second']);
    await other.command('RPUSH', 'a', 'for-first');
    expect(await first).toEqual(['a', 'for-first']);
    expect(db.server.blocking.blockedClients).toBe(0);
    await db.close();
  });
});

describe('blocking command statistics', () => {
  it('count a served blocking command once', async () => {
    const { server, connect, run } = setup();
    const [a, p] = [connect(), connect()];
    const before = server.stats.commandsProcessed;
    const ra = pending(run(a, 'BLPOP', 'k', '0'));
    run(p, 'RPUSH', 'k', 'v');
    await ra.value;
    expect(server.statsFor(server.commands.lookup('blpop')!).calls).toBe(1);
    expect(server.stats.commandsProcessed - before).toBe(2);
  });
});
