/**
 * Keyspace commands beyond what the differential scenarios can reach:
 * typed values (COPY's deep copy, TYPE, OBJECT ENCODING), notifications,
 * expired keys, SWAPDB's signals, RANDOMKEY, OBJECT under other policies.
 */
import { describe, expect, it } from 'vitest';
import { manualClock } from '../../src/core/clock.js';
import type { ConfigInput } from '../../src/core/config/config.js';
import type { EncodingLimits, TypedValue } from '../../src/core/keyspace/value.js';
import { ErrorReply, SimpleString, type Reply } from '../../src/core/resp/reply.js';
import { Server } from '../../src/core/server.js';

/** A minimal list-like value, to check that commands go through the TypedValue interface. */
class FakeList implements TypedValue {
  readonly type = 'list' as const;
  constructor(readonly items: string[]) {}
  encoding(config: EncodingLimits): string {
    return this.items.length > Number(config.get('list-max-listpack-size') ?? 0) ? 'quicklist' : 'listpack';
  }
  clone(): FakeList {
    return new FakeList([...this.items]);
  }
}

function setup(config: ConfigInput = {}) {
  const clock = manualClock();
  const server = new Server({ clock, config, logger: () => undefined });
  const client = server.connect({ kind: 'test' });
  const events: string[] = [];
  server.engine.onNotify((type, event, key, db) => events.push(`${type}:${event}:${key}:${db}`));
  const flushed: (number | null)[] = [];
  server.engine.onFlush((db) => flushed.push(db));
  const log: string[][] = [];
  server.setWriteLog((db, commands) => {
    for (const c of commands) log.push([String(db), ...c]);
  });
  const run = (...args: string[]): Reply => server.dispatch(client, args) as Reply;
  const db = (i: number) => server.engine.dbs[i]!;
  return { clock, server, events, flushed, log, run, db };
}

describe('typed values', () => {
  it('COPY deep-copies through clone() and keeps the TTL', () => {
    const { run, db } = setup();
    const original = new FakeList(['a', 'b']);
    db(0).set('l', original);
    run('PEXPIRE', 'l', '5000');
    expect(run('COPY', 'l', 'c')).toBe(1);
    const copied = db(0).get('c', 0) as FakeList;
    expect(copied).not.toBe(original);
    original.items.push('c');
    expect(copied.items).toEqual(['a', 'b']);
    expect(run('PTTL', 'c')).toBe(5000);
    expect(run('COPY', 'l', 'c', 'DB', '2')).toBe(1);
    expect(db(2).get('c', 0)).not.toBe(original);
  });

  it('TYPE, OBJECT ENCODING and SCAN TYPE see the value type', () => {
    const { run, db } = setup();
    db(0).set('l', new FakeList(['a']));
    run('SET', 's', 'v');
    expect(run('TYPE', 'l')).toEqual(new SimpleString('list'));
    expect(run('OBJECT', 'ENCODING', 'l')).toBe('quicklist'); // list-max-listpack-size is -2
    expect(run('SCAN', '0', 'TYPE', 'list')).toEqual(['0', ['l']]);
    expect(run('SCAN', '0', 'TYPE', 'STRING')).toEqual(['0', ['s']]);
  });

  it('RENAME and MOVE move the same object', () => {
    const { run, db } = setup();
    const v = new FakeList(['x']);
    db(0).set('a', v);
    run('RENAME', 'a', 'b');
    expect(db(0).get('b', 0)).toBe(v);
    run('MOVE', 'b', '1');
    expect(db(1).get('b', 0)).toBe(v);
  });
});

describe('notifications', () => {
  it('RENAME, MOVE and COPY emit Redis events in the right databases', () => {
    const { run, events } = setup();
    run('SET', 'a', '1');
    events.length = 0;
    run('RENAME', 'a', 'b');
    run('MOVE', 'b', '3');
    run('SELECT', '3');
    run('COPY', 'b', 'c', 'DB', '4');
    run('UNLINK', 'b');
    expect(events).toEqual([
      'g:rename_from:a:0', 'g:rename_to:b:0', 'g:move_from:b:0', 'g:move_to:b:3', 'g:copy_to:c:4', 'g:del:b:3',
    ]);
  });

  it('SWAPDB signals both databases and is logged', () => {
    const { run, flushed, log } = setup();
    run('SET', 'a', '1');
    run('SWAPDB', '0', '7');
    expect(flushed).toEqual([0, 7]);
    expect(log.at(-1)).toEqual(['0', 'SWAPDB', '0', '7']);
    expect(run('GET', 'a')).toBe(null);
    run('SELECT', '7');
    expect(run('GET', 'a')).toBe('1');
  });

  it('logs nothing for writes that changed nothing', () => {
    const { run, log } = setup();
    run('DEL', 'nokey');
    run('RENAMENX', 'nokey', 'x');
    run('MOVE', 'nokey', '1');
    run('COPY', 'nokey', 'x');
    run('SET', 'a', '1');
    run('SET', 'b', '1');
    run('RENAMENX', 'a', 'b');
    expect(log).toEqual([['0', 'SET', 'a', '1'], ['0', 'SET', 'b', '1']]);
  });
});

describe('expired keys', () => {
  it('are missing for reads, KEYS and RANDOMKEY, counted by DBSIZE until deleted', () => {
    const { run, clock } = setup();
    run('SET', 'live', '1');
    run('SET', 'dead', '1');
    run('PEXPIRE', 'dead', '10');
    clock.advance(11);
    expect(run('KEYS', '*')).toEqual(['live']);
    expect(run('EXISTS', 'dead', 'live')).toBe(1);
    expect(run('TYPE', 'dead')).toEqual(new SimpleString('none'));
    expect(run('TOUCH', 'dead')).toBe(0);
    expect(run('OBJECT', 'ENCODING', 'dead')).toBe(null);
    expect(run('DBSIZE')).toBe(2);
    for (let i = 0; i < 20; i++) expect(run('RANDOMKEY')).toBe('live');
    expect(run('SCAN', '0')).toEqual(['0', ['live']]);
  });

  it('RENAME of an expired key is "no such key"; COPY/MOVE of one answer 0', () => {
    const { run, clock, server } = setup();
    for (const k of ['a', 'b', 'c']) {
      run('SET', k, '1');
      run('PEXPIRE', k, '10');
    }
    clock.advance(11);
    expect(run('RENAME', 'a', 'x')).toEqual(new ErrorReply('ERR no such key'));
    expect(run('COPY', 'b', 'x')).toBe(0);
    expect(run('MOVE', 'c', '1')).toBe(0);
    expect(server.stats.expiredKeys).toBe(3);
    expect(run('DBSIZE')).toBe(0);
  });

  it('an expired destination does not block RENAMENX or MOVE', () => {
    const { run, clock } = setup();
    run('SET', 'dst', 'old');
    run('PEXPIRE', 'dst', '10');
    run('SELECT', '1');
    run('SET', 'm', 'old');
    run('PEXPIRE', 'm', '10');
    run('SELECT', '0');
    clock.advance(11);
    run('SET', 'src', 'new');
    expect(run('RENAMENX', 'src', 'dst')).toBe(1);
    expect(run('GET', 'dst')).toBe('new');
    expect(run('TTL', 'dst')).toBe(-1);
    run('SET', 'm', 'moved');
    expect(run('MOVE', 'm', '1')).toBe(1);
  });

  it('RANDOMKEY answers null when every key is expired, and terminates', () => {
    const { run, clock } = setup();
    for (let i = 0; i < 500; i++) {
      run('SET', `k${i}`, '1');
      run('PEXPIRE', `k${i}`, '10');
    }
    clock.advance(11);
    expect(run('RANDOMKEY')).toBe(null);
  });
});

describe('RANDOMKEY', () => {
  it('spreads over the keyspace', () => {
    const { run } = setup();
    for (let i = 0; i < 100; i++) run('SET', `k${i}`, '1');
    const seen = new Set<Reply>();
    for (let i = 0; i < 200; i++) seen.add(run('RANDOMKEY'));
    expect(seen.size).toBeGreaterThan(50);
    for (const k of seen) expect(k).toMatch(/^k\d+$/);
  });
});

describe('OBJECT under maxmemory policies', () => {
  it('FREQ works and IDLETIME errors with an LFU policy', () => {
    const { run } = setup({ 'maxmemory-policy': 'allkeys-lfu' });
    run('SET', 'k', 'v');
    expect(run('OBJECT', 'FREQ', 'k')).toBe(5);
    expect((run('OBJECT', 'IDLETIME', 'k') as ErrorReply).message).toMatch(/^ERR An LFU maxmemory policy is selected/);
    expect(run('OBJECT', 'IDLETIME', 'nokey')).toBe(null);
  });

  it('IDLETIME answers as for a key just touched otherwise', () => {
    const { run } = setup();
    run('SET', 'k', 'v');
    expect(run('OBJECT', 'IDLETIME', 'k')).toBe(0);
  });

  it('small integers are not shared under an LRU policy with maxmemory', () => {
    const shared = setup();
    shared.run('SET', 'k', '7');
    expect(shared.run('OBJECT', 'REFCOUNT', 'k')).toBe(2147483647);
    const lru = setup({ maxmemory: '100mb', 'maxmemory-policy': 'allkeys-lru' });
    lru.run('SET', 'k', '7');
    expect(lru.run('OBJECT', 'REFCOUNT', 'k')).toBe(1);
    expect(lru.run('OBJECT', 'ENCODING', 'k')).toBe('int');
  });
});
