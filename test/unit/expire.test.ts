/**
 * Expiry: TTL math, NX/XX/GT/LT, what is logged, lazy expiry on the write
 * path and the active expire cycle, all on a hand-moved clock.
 */
import { describe, expect, it } from 'vitest';
import { manualClock } from '../../src/core/clock.js';
import { delExpiredCommand, DEL_EXPIRED } from '../../src/core/keyspace/expire-cycle.js';
import { ErrorReply, SimpleString, type Reply } from '../../src/core/resp/reply.js';
import { Server } from '../../src/core/server.js';
import type { ConfigInput } from '../../src/core/config/config.js';

const T0 = 1_700_000_000_000;

function setup(config: ConfigInput = {}) {
  const clock = manualClock(T0);
  const server = new Server({ clock, config, logger: () => undefined });
  const client = server.connect({ kind: 'test' });
  const events: string[] = [];
  server.engine.onNotify((type, event, key, db) => events.push(`${type}:${event}:${key}:${db}`));
  const modified: string[] = [];
  server.engine.onKeyModified((db, key) => modified.push(`${db}:${key}`));
  const log: string[][] = [];
  server.setWriteLog((db, commands) => {
    for (const c of commands) log.push([String(db), ...c]);
  });
  const run = (...args: string[]): Reply => server.dispatch(client, args) as Reply;
  return { clock, server, client, events, modified, log, run };
}

describe('TTL math', () => {
  it('makes relative expiries absolute at the accepting node and rounds TTL like Redis', () => {
    const { run, clock } = setup();
    run('SET', 'k', 'v');
    expect(run('EXPIRE', 'k', '10')).toBe(1);
    expect(run('PEXPIRETIME', 'k')).toBe(T0 + 10_000);
    expect(run('EXPIRETIME', 'k')).toBe(T0 / 1000 + 10);
    expect(run('PTTL', 'k')).toBe(10_000);
    clock.advance(8_501);
    expect(run('PTTL', 'k')).toBe(1_499);
    expect(run('TTL', 'k')).toBe(1); // (1499 + 500) / 1000
    clock.set(T0 + 8_500);
    expect(run('TTL', 'k')).toBe(2); // (1500 + 500) / 1000
  });

  it('keeps a key alive at exactly its deadline and drops it one ms later', () => {
    const { run, clock } = setup();
    run('SET', 'k', 'v');
    run('PEXPIRE', 'k', '100');
    clock.advance(100);
    expect(run('GET', 'k')).toBe('v');
    expect(run('PTTL', 'k')).toBe(0);
    clock.advance(1);
    expect(run('GET', 'k')).toBe(null);
    expect(run('TTL', 'k')).toBe(-2);
    expect(run('EXISTS', 'k')).toBe(0);
  });

  it('answers -1 without a TTL and -2 for a missing key', () => {
    const { run } = setup();
    run('SET', 'k', 'v');
    for (const cmd of ['TTL', 'PTTL', 'EXPIRETIME', 'PEXPIRETIME']) {
      expect(run(cmd, 'k')).toBe(-1);
      expect(run(cmd, 'nokey')).toBe(-2);
    }
  });

  it('reports deadlines beyond 2^53 as integers, not floats', () => {
    const { run } = setup();
    run('SET', 'k', 'v');
    expect(run('PEXPIREAT', 'k', '9223372036854775807')).toBe(1);
    expect(typeof run('PEXPIRETIME', 'k')).toBe('bigint');
  });

  it('rejects expiries that overflow 64 bits with the command name in the error', () => {
    const { run } = setup();
    run('SET', 'k', 'v');
    expect(run('EXPIRE', 'k', '9223372036854775807')).toEqual(new ErrorReply("ERR invalid expire time in 'expire' command"));
    expect(run('PEXPIRE', 'k', '9223372036854775807')).toEqual(new ErrorReply("ERR invalid expire time in 'pexpire' command"));
    expect(run('EXPIREAT', 'k', '9223372036854776')).toEqual(new ErrorReply("ERR invalid expire time in 'expireat' command"));
    expect(run('TTL', 'k')).toBe(-1);
  });
});

describe('NX XX GT LT', () => {
  it('follows Redis: no TTL counts as infinite', () => {
    const { run } = setup();
    run('SET', 'k', 'v');
    expect(run('EXPIRE', 'k', '100', 'XX')).toBe(0);
    expect(run('EXPIRE', 'k', '100', 'GT')).toBe(0);
    expect(run('EXPIRE', 'k', '100', 'LT')).toBe(1);
    expect(run('EXPIRE', 'k', '50', 'NX')).toBe(0);
    expect(run('EXPIRE', 'k', '100', 'GT')).toBe(0); // equal is not greater
    expect(run('EXPIRE', 'k', '100', 'LT')).toBe(0); // equal is not less
    expect(run('EXPIRE', 'k', '101', 'GT')).toBe(1);
    expect(run('EXPIRE', 'k', '99', 'LT')).toBe(1);
    expect(run('EXPIRE', 'k', '98', 'XX', 'LT')).toBe(1);
    expect(run('TTL', 'k')).toBe(98);
    run('PERSIST', 'k');
    expect(run('EXPIRE', 'k', '5', 'NX')).toBe(1);
    expect(run('TTL', 'k')).toBe(5);
  });

  it('checks option conflicts before the key and the number', () => {
    const { run } = setup();
    expect(run('EXPIRE', 'nokey', 'abc', 'NX', 'XX')).toEqual(
      new ErrorReply('ERR NX and XX, GT or LT options at the same time are not compatible'),
    );
    expect(run('EXPIRE', 'nokey', '1', 'GT', 'LT')).toEqual(new ErrorReply('ERR GT and LT options at the same time are not compatible'));
    expect(run('EXPIRE', 'nokey', '1', 'Sometimes')).toEqual(new ErrorReply('ERR Unsupported option Sometimes'));
  });
});

describe('what is logged and notified', () => {
  it('logs relative expiries as PEXPIREAT with the absolute time, keeping the options', () => {
    const { run, log, events } = setup();
    run('SET', 'k', 'v');
    run('EXPIRE', 'k', '10', 'NX');
    run('PEXPIRE', 'k', '5000');
    run('EXPIREAT', 'k', String(T0 / 1000 + 3));
    run('PEXPIREAT', 'k', String(T0 + 2000));
    expect(log.slice(1)).toEqual([
      ['0', 'PEXPIREAT', 'k', String(T0 + 10_000), 'NX'],
      ['0', 'PEXPIREAT', 'k', String(T0 + 5000)],
      ['0', 'PEXPIREAT', 'k', String(T0 + 3000)],
      ['0', 'PEXPIREAT', 'k', String(T0 + 2000)],
    ]);
    expect(events.filter((e) => e.includes('expire'))).toEqual(Array(4).fill('g:expire:k:0'));
  });

  it('does not log an EXPIRE that changed nothing', () => {
    const { run, log } = setup();
    run('EXPIRE', 'nokey', '10');
    run('SET', 'k', 'v');
    run('EXPIRE', 'k', '10', 'XX');
    run('PERSIST', 'k');
    expect(log).toEqual([['0', 'SET', 'k', 'v']]);
  });

  it('deletes on an expiry in the past: DEL logged, del event, not counted as expired', () => {
    const { run, log, events, server, modified } = setup();
    run('SET', 'k', 'v');
    expect(run('EXPIRE', 'k', '-1')).toBe(1);
    expect(run('EXISTS', 'k')).toBe(0);
    expect(log.at(-1)).toEqual(['0', 'DEL', 'k']);
    expect(events.at(-1)).toBe('g:del:k:0');
    expect(modified.at(-1)).toBe('0:k');
    expect(server.stats.expiredKeys).toBe(0);
  });

  it('logs UNLINK for such deletions with lazyfree-lazy-expire', () => {
    const { run, log } = setup({ 'lazyfree-lazy-expire': 'yes' });
    run('SET', 'k', 'v');
    run('PEXPIREAT', 'k', '1');
    expect(log.at(-1)).toEqual(['0', 'UNLINK', 'k']);
  });

  it('notifies persist', () => {
    const { run, events } = setup();
    run('SET', 'k', 'v');
    run('EXPIRE', 'k', '10');
    expect(run('PERSIST', 'k')).toBe(1);
    expect(events.at(-1)).toBe('g:persist:k:0');
    expect(run('TTL', 'k')).toBe(-1);
  });
});

describe('lazy expiry on the write path', () => {
  it('deletes an expired key a write touches: expired event, counted, logged', () => {
    const { run, clock, events, server, log } = setup();
    run('SET', 'k', 'v');
    run('PEXPIRE', 'k', '10');
    clock.advance(11);
    expect(server.engine.dbs[0]!.size).toBe(1); // still held until a write touches it
    expect(run('EXPIRE', 'k', '100')).toBe(0);
    expect(server.engine.dbs[0]!.size).toBe(0);
    expect(events.at(-1)).toBe('x:expired:k:0');
    expect(server.stats.expiredKeys).toBe(1);
    // Logged as Redis propagates it: the deletion only, the EXPIRE changed nothing.
    expect(log.at(-1)).toEqual(['0', 'DEL', 'k']);
  });

  it('logs the lazy deletion before a command that then writes', () => {
    const { run, clock, log, server } = setup({ 'lazyfree-lazy-expire': 'yes' });
    run('SET', 'k', 'v');
    run('SET', 'dst', 'old');
    run('PEXPIRE', 'k', '10');
    run('PEXPIRE', 'dst', '10');
    clock.advance(11);
    run('SET', 'k', 'v2');
    run('PEXPIRE', 'k', '10');
    clock.advance(11);
    log.length = 0;
    expect(run('PERSIST', 'k')).toBe(0);
    run('SET', 'src', 'x');
    expect(run('RENAME', 'src', 'dst')).toEqual(new SimpleString('OK'));
    expect(log).toEqual([
      ['0', 'UNLINK', 'k'],
      ['0', 'SET', 'src', 'x'],
      ['0', 'UNLINK', 'dst'],
      ['0', 'RENAME', 'src', 'dst'],
    ]);
    expect(server.stats.expiredKeys).toBe(2);
  });

  it('DEL of an expired key answers 0 and emits expired, not del', () => {
    const { run, clock, events, server } = setup();
    run('SET', 'k', 'v');
    run('PEXPIRE', 'k', '10');
    clock.advance(11);
    expect(run('DEL', 'k')).toBe(0);
    expect(events.filter((e) => e.startsWith('g:del'))).toEqual([]);
    expect(events.at(-1)).toBe('x:expired:k:0');
    expect(server.stats.expiredKeys).toBe(1);
  });

  it('reads never delete', () => {
    const { run, clock, server } = setup();
    run('SET', 'k', 'v');
    run('PEXPIRE', 'k', '10');
    clock.advance(11);
    run('GET', 'k');
    run('TTL', 'k');
    run('EXISTS', 'k');
    expect(server.engine.dbs[0]!.size).toBe(1);
    expect(server.stats.expiredKeys).toBe(0);
  });
});

describe('active expire cycle', () => {
  it('deletes expired keys on cron ticks through the write log', () => {
    const { run, clock, server, events, log } = setup();
    for (let i = 0; i < 100; i++) {
      run('SET', `t${i}`, 'v');
      run('PEXPIRE', `t${i}`, '100');
      run('SET', `p${i}`, 'v');
    }
    log.length = 0;
    clock.advance(50);
    server.runCron();
    expect(server.engine.dbs[0]!.size).toBe(200);
    clock.advance(51);
    server.runCron();
    expect(server.engine.dbs[0]!.size).toBe(100);
    expect(server.stats.expiredKeys).toBe(100);
    expect(events.filter((e) => e.startsWith('x:expired')).length).toBe(100);
    expect(log.length).toBe(100);
    expect(log.every(([db, cmd, key]) => db === '0' && cmd === 'DEL' && key!.startsWith('t'))).toBe(true);
    expect(run('DBSIZE')).toBe(100);
  });

  it('expires keys in every database, and samples a little per tick when few have expired', () => {
    const { run, clock, server } = setup();
    run('SELECT', '5');
    for (let i = 0; i < 1000; i++) {
      run('SET', `k${i}`, 'v');
      run('PEXPIRE', `k${i}`, i % 100 === 0 ? '10' : '100000');
    }
    clock.advance(20);
    server.runCron();
    const afterOne = server.engine.dbs[5]!.size;
    expect(afterOne).toBeGreaterThan(990); // a small sample, not a sweep
    let ticks = 1;
    while (server.engine.dbs[5]!.size > 990 && ticks < 200) {
      server.runCron();
      ticks++;
    }
    expect(server.engine.dbs[5]!.size).toBe(990);
    expect(server.engine.dbs[5]!.has('k1', clock.now())).toBe(true);
    expect(server.engine.dbs[5]!.data.has('k100')).toBe(false);
  });

  it('stops a tick when its time budget is used and resumes on the next', () => {
    const clock = manualClock(T0);
    // Every monotonic reading moves 5 ms: the 25 ms budget (hz 10) runs out within a tick.
    let elapsed = 0;
    const slowClock = { now: () => clock.now(), monotonic: () => (elapsed += 5) };
    const server = new Server({ clock: slowClock, logger: () => undefined });
    const client = server.connect({ kind: 'test' });
    for (let i = 0; i < 5000; i++) {
      server.dispatch(client, ['SET', `k${i}`, 'v']);
      server.dispatch(client, ['PEXPIRE', `k${i}`, '10']);
    }
    clock.advance(11);
    server.runCron();
    const left = server.engine.dbs[0]!.size;
    expect(left).toBeGreaterThan(0);
    expect(left).toBeLessThan(5000);
    expect((server.ext['activeExpireStats'] as { timeCapReached: number }).timeCapReached).toBe(1);
    for (let i = 0; i < 100 && server.engine.dbs[0]!.size > 0; i++) server.runCron();
    expect(server.engine.dbs[0]!.size).toBe(0);
    expect(server.stats.expiredKeys).toBe(5000);
  });

  it('can be switched off (DEBUG SET-ACTIVE-EXPIRE 0)', () => {
    const { run, clock, server } = setup();
    run('SET', 'k', 'v');
    run('PEXPIRE', 'k', '1');
    clock.advance(10);
    server.ext['activeExpire'] = false;
    server.runCron();
    expect(server.engine.dbs[0]!.size).toBe(1);
    server.ext['activeExpire'] = true;
    server.runCron();
    expect(server.engine.dbs[0]!.size).toBe(0);
  });

  it('applies a deletion entry only if the key is still expired at the entry time', () => {
    const { run, clock, server, log } = setup();
    run('SET', 'k', 'v');
    run('PEXPIRE', 'k', '10');
    // A replica applying a stale entry after a SET that dropped the TTL must keep the key.
    run('SET', 'k', 'new');
    clock.advance(20);
    const client = server.connect({ kind: 'internal' });
    const entry = { db: 0, args: [DEL_EXPIRED, 'k'], timeMs: clock.now(), seed: 0 };
    expect(server.replicator.submit(delExpiredCommand, entry, client)).toBe(0);
    expect(run('GET', 'k')).toBe('new');
    log.length = 0;
    run('PEXPIRE', 'k', '5');
    clock.advance(6);
    expect(server.replicator.submit(delExpiredCommand, { ...entry, timeMs: clock.now() }, client)).toBe(1);
    expect(log.at(-1)).toEqual(['0', 'DEL', 'k']);
  });

  it('is not a command clients can call', () => {
    const { run } = setup();
    const reply = run(DEL_EXPIRED, 'k');
    expect(reply).toBeInstanceOf(ErrorReply);
    expect((reply as ErrorReply).message).toMatch(/^ERR unknown command/);
  });
});
