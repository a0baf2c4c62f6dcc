/**
 * String commands: what the differential scenarios cannot see — expiry from
 * the entry's time, what is logged for replicas, keyspace events, WATCH
 * signals, size limits, 64-bit edges and the long double arithmetic.
 */
import { describe, expect, it } from 'vitest';
import { manualClock } from '../../src/core/clock.js';
import {
  addLongDouble, formatLongDouble, parseLongDouble, type LongDouble,
} from '../../src/core/commands/long-double.js';
import type { TypedValue } from '../../src/core/keyspace/value.js';
import { ErrorReply, MapReply, type Reply } from '../../src/core/resp/reply.js';
import { Server } from '../../src/core/server.js';
import type { ConfigInput } from '../../src/core/config/config.js';

const T0 = 1_700_000_000_000;

function setup(config?: ConfigInput) {
  const clock = manualClock(T0);
  const server = new Server({ clock, config });
  const client = server.connect({ kind: 'test' });
  const logged: string[][] = [];
  server.setWriteLog((_db, commands) => logged.push(...commands));
  const events: string[] = [];
  server.engine.onNotify((type, event, key) => events.push(`${type} ${event} ${key}`));
  const modified: string[] = [];
  server.engine.onKeyModified((_db, key) => modified.push(key));
  const run = (...args: string[]): Reply => server.dispatch(client, args) as Reply;
  return { clock, server, run, logged, events, modified, db: server.engine.dbs[0]! };
}

/** A non-string value, to check WRONGTYPE without depending on other groups. */
const listLike: TypedValue = { type: 'list', encoding: () => 'listpack', clone: () => listLike };

function errorOf(reply: Reply): string {
  expect(reply).toBeInstanceOf(ErrorReply);
  return (reply as ErrorReply).message;
}

describe('SET expiry is absolute, from the entry time', () => {
  it('EX and PX count from ctx.now and are logged as PXAT', () => {
    const t = setup();
    t.run('SET', 'a', 'v', 'EX', '10');
    t.run('SET', 'b', 'v', 'PX', '1500', 'NX');
    expect(t.db.getExpire('a')).toBe(T0 + 10_000);
    expect(t.db.getExpire('b')).toBe(T0 + 1500);
    expect(t.logged).toEqual([
      ['SET', 'a', 'v', 'PXAT', String(T0 + 10_000)],
      ['SET', 'b', 'v', 'PXAT', String(T0 + 1500)],
    ]);
    // Alive up to and at its deadline, as in Redis; gone one millisecond later.
    t.clock.advance(1500);
    expect(t.run('GET', 'b')).toBe('v');
    t.clock.advance(1);
    expect(t.run('GET', 'b')).toBe(null);
    expect(t.run('GET', 'a')).toBe('v');
    t.clock.advance(8500);
    expect(t.run('GET', 'a')).toBe(null);
  });

  it('EXAT and PXAT are taken as given; a past time leaves the key expired', () => {
    const t = setup();
    t.run('SET', 'a', 'v', 'EXAT', String(T0 / 1000 + 5));
    expect(t.db.getExpire('a')).toBe(T0 + 5000);
    t.run('SET', 'b', 'v', 'PXAT', String(T0 - 1));
    expect(t.run('GET', 'b')).toBe(null);
    expect(t.logged[1]).toEqual(['SET', 'b', 'v', 'PXAT', String(T0 - 1)]);
  });

  it('SETEX and PSETEX log SET ... PXAT and name themselves in errors', () => {
    const t = setup();
    t.run('SETEX', 'a', '3', 'x');
    t.run('PSETEX', 'b', '30', 'y');
    expect(t.logged).toEqual([
      ['SET', 'a', 'x', 'PXAT', String(T0 + 3000)],
      ['SET', 'b', 'y', 'PXAT', String(T0 + 30)],
    ]);
    expect(errorOf(t.run('SETEX', 'a', '0', 'x'))).toBe("ERR invalid expire time in 'setex' command");
    expect(errorOf(t.run('PSETEX', 'a', '-1', 'x'))).toBe("ERR invalid expire time in 'psetex' command");
  });

  it('a PXAT beyond 2^53 is logged exactly', () => {
    const t = setup();
    t.run('SET', 'a', 'v', 'EXAT', '9223372036854775');
    expect(t.logged[0]).toEqual(['SET', 'a', 'v', 'PXAT', '9223372036854775000']);
    expect(errorOf(t.run('SET', 'a', 'v', 'EX', '9223372036854775'))).toBe("ERR invalid expire time in 'set' command");
  });

  it('plain SET drops a TTL, KEEPTTL keeps it, and an expired key does not come back with KEEPTTL', () => {
    const t = setup();
    t.run('SET', 'a', 'v', 'EX', '10');
    t.run('SET', 'a', 'w', 'KEEPTTL');
    expect(t.db.getExpire('a')).toBe(T0 + 10_000);
    t.run('SET', 'a', 'x');
    expect(t.db.getExpire('a')).toBeUndefined();
    t.run('SET', 'b', 'v', 'PX', '5');
    t.clock.advance(10);
    t.run('SET', 'b', 'new', 'KEEPTTL');
    expect(t.run('GET', 'b')).toBe('new');
    expect(t.db.getExpire('b')).toBeUndefined();
  });

  it('NX and XX treat an expired key as missing', () => {
    const t = setup();
    t.run('SET', 'a', 'old', 'PX', '5');
    t.clock.advance(6);
    expect(t.run('SET', 'a', 'x', 'XX')).toBe(null);
    expect(t.run('SET', 'a', 'new', 'NX', 'GET')).toBe(null);
    expect(t.run('GET', 'a')).toBe('new');
  });

  it('SET GET is logged without GET; a refused write logs nothing', () => {
    const t = setup();
    t.run('SET', 'a', '1');
    t.run('SET', 'a', '2', 'GET', 'XX', 'get');
    t.run('SET', 'a', '3', 'NX', 'GET');
    expect(t.logged).toEqual([['SET', 'a', '1'], ['SET', 'a', '2', 'XX']]);
  });

  it('emits set, then expire', () => {
    const t = setup();
    t.run('SET', 'a', 'v', 'EX', '1');
    t.run('SET', 'a', 'v', 'NX');
    t.run('MSET', 'b', '1', 'c', '2');
    expect(t.events).toEqual(['$ set a', 'g expire a', '$ set b', '$ set c']);
  });
});

describe('GETEX, GETDEL, GETSET', () => {
  it('GETEX EX logs PEXPIREAT with the absolute time', () => {
    const t = setup();
    t.run('SET', 'a', 'v');
    t.logged.length = 0;
    expect(t.run('GETEX', 'a', 'EX', '7')).toBe('v');
    expect(t.db.getExpire('a')).toBe(T0 + 7000);
    expect(t.run('GETEX', 'a', 'PXAT', String(T0 + 100))).toBe('v');
    expect(t.logged).toEqual([['PEXPIREAT', 'a', String(T0 + 7000)], ['PEXPIREAT', 'a', String(T0 + 100)]]);
    expect(t.events.slice(-2)).toEqual(['g expire a', 'g expire a']);
  });

  it('GETEX PERSIST removes the TTL once, logged as PERSIST', () => {
    const t = setup();
    t.run('SET', 'a', 'v', 'EX', '100');
    t.logged.length = 0;
    expect(t.run('GETEX', 'a', 'PERSIST')).toBe('v');
    expect(t.run('GETEX', 'a', 'PERSIST')).toBe('v');
    expect(t.db.getExpire('a')).toBeUndefined();
    expect(t.logged).toEqual([['PERSIST', 'a']]);
    expect(t.events.at(-1)).toBe('g persist a');
  });

  it('GETEX with an absolute time already past deletes the key and logs DEL', () => {
    const t = setup();
    t.run('SET', 'a', 'v');
    t.logged.length = 0;
    expect(t.run('GETEX', 'a', 'EXAT', String(T0 / 1000))).toBe('v');
    expect(t.db.data.has('a')).toBe(false);
    expect(t.logged).toEqual([['DEL', 'a']]);
    expect(t.events.at(-1)).toBe('g del a');
  });

  it('GETEX without options changes nothing and logs nothing', () => {
    const t = setup();
    t.run('SET', 'a', 'v', 'EX', '5');
    t.logged.length = 0;
    t.modified.length = 0;
    expect(t.run('GETEX', 'a')).toBe('v');
    expect(t.logged).toEqual([]);
    expect(t.modified).toEqual([]);
  });

  it('GETDEL logs DEL; GETSET logs SET and drops the TTL', () => {
    const t = setup();
    t.run('SET', 'a', 'v', 'EX', '5');
    t.logged.length = 0;
    expect(t.run('GETSET', 'a', 'w')).toBe('v');
    expect(t.db.getExpire('a')).toBeUndefined();
    expect(t.run('GETDEL', 'a')).toBe('w');
    expect(t.run('GETDEL', 'a')).toBe(null);
    expect(t.logged).toEqual([['SET', 'a', 'w'], ['DEL', 'a']]);
    expect(t.events.slice(-2)).toEqual(['$ set a', 'g del a']);
  });
});

describe('WRONGTYPE', () => {
  it('every string command refuses a non-string value', () => {
    const t = setup();
    t.db.set('l', listLike);
    const wrong = 'WRONGTYPE Operation against a key holding the wrong kind of value';
    for (const cmd of [
      ['GET', 'l'], ['GETEX', 'l', 'EX', '1'], ['GETDEL', 'l'], ['GETSET', 'l', 'x'], ['SET', 'l', 'x', 'GET'],
      ['APPEND', 'l', 'x'], ['STRLEN', 'l'], ['GETRANGE', 'l', '0', '1'], ['SUBSTR', 'l', '0', '1'],
      ['SETRANGE', 'l', '0', 'x'], ['SETRANGE', 'l', '0', ''], ['INCR', 'l'], ['DECRBY', 'l', '2'],
      ['INCRBYFLOAT', 'l', '1'],
    ]) {
      expect(errorOf(t.run(...cmd)), cmd.join(' ')).toBe(wrong);
    }
    expect(errorOf(t.run('LCS', 'l', 'x'))).toBe('ERR The specified keys must contain string values');
    expect(t.run('MGET', 'l', 'missing')).toEqual([null, null]);
    expect(t.db.get('l', T0)).toBe(listLike);
    // SET without GET overwrites any type; SETNX sees the key as present.
    expect(t.run('SETNX', 'l', 'x')).toBe(0);
    t.run('SET', 'l', 'x');
    expect(t.run('GET', 'l')).toBe('x');
  });
});

describe('counters', () => {
  it('stay exact beyond 2^53 and reply bigints there', () => {
    const t = setup();
    t.run('SET', 'n', '9007199254740991');
    expect(t.run('INCR', 'n')).toBe(9007199254740992n);
    expect(t.run('INCR', 'n')).toBe(9007199254740993n);
    expect(t.run('GET', 'n')).toBe('9007199254740993');
    expect(t.run('DECRBY', 'n', '9007199254740993')).toBe(0);
    expect(t.run('INCRBY', 'n', '-9223372036854775808')).toBe(-9223372036854775808n);
    expect(errorOf(t.run('DECR', 'n'))).toBe('ERR increment or decrement would overflow');
    expect(t.run('GET', 'n')).toBe('-9223372036854775808');
    expect(errorOf(t.run('DECRBY', 'n', '-9223372036854775808'))).toBe('ERR decrement would overflow');
    expect(t.run('INCRBY', 'm', '9223372036854775807')).toBe(9223372036854775807n);
    expect(errorOf(t.run('INCR', 'm'))).toBe('ERR increment or decrement would overflow');
  });

  it('keep the TTL, emit incrby, and are logged as sent', () => {
    const t = setup();
    t.run('SET', 'n', '1', 'EX', '10');
    t.logged.length = 0;
    t.run('INCRBY', 'n', '5');
    expect(t.db.getExpire('n')).toBe(T0 + 10_000);
    expect(t.events.at(-1)).toBe('$ incrby n');
    expect(t.logged).toEqual([['INCRBY', 'n', '5']]);
  });

  it('start from zero on an expired key (its TTL is gone)', () => {
    const t = setup();
    t.run('SET', 'n', '41', 'PX', '5');
    t.clock.advance(6);
    expect(t.run('INCR', 'n')).toBe(1);
    expect(t.db.getExpire('n')).toBeUndefined();
  });

  it('a failed increment changes nothing and logs nothing', () => {
    const t = setup();
    t.run('SET', 's', 'abc');
    t.logged.length = 0;
    t.modified.length = 0;
    expect(errorOf(t.run('INCR', 's'))).toBe('ERR value is not an integer or out of range');
    expect(t.logged).toEqual([]);
    expect(t.modified).toEqual([]);
  });
});

describe('INCRBYFLOAT', () => {
  it('is logged as SET key value KEEPTTL with the text it replied', () => {
    const t = setup();
    t.run('SET', 'f', '10.5', 'EX', '100');
    t.logged.length = 0;
    expect(t.run('INCRBYFLOAT', 'f', '0.1')).toBe('10.6');
    expect(t.logged).toEqual([['SET', 'f', '10.6', 'KEEPTTL']]);
    expect(t.db.getExpire('f')).toBe(T0 + 100_000);
    expect(t.events.at(-1)).toBe('$ incrbyfloat f');
  });

  it('refuses NaN and infinite results', () => {
    const t = setup();
    expect(errorOf(t.run('INCRBYFLOAT', 'f', 'inf'))).toBe('ERR increment would produce NaN or Infinity');
    t.run('SET', 'g', '1e4932');
    expect(errorOf(t.run('INCRBYFLOAT', 'g', '1e4932'))).toBe('ERR increment would produce NaN or Infinity');
    expect(t.db.has('f', T0)).toBe(false);
  });
});

describe('the long double', () => {
  const ld = (s: string): LongDouble => parseLongDouble(s)!;
  const add = (a: string, b: string) => formatLongDouble(addLongDouble(ld(a), ld(b))!);

  it('prints with 17 decimals and trims as Redis does', () => {
    expect(add('0.1', '0.2')).toBe('0.3');
    expect(add('10.5', '0.1')).toBe('10.6');
    expect(add('1', '1e-17')).toBe('1.00000000000000001');
    expect(add('0', '1e-18')).toBe('0');
    expect(add('0', '-1e-18')).toBe('0');
    expect(add('0', '5e-18')).toBe('0');
    expect(add('0', '6e-18')).toBe('0.00000000000000001');
    expect(add('-1', '0.5')).toBe('-0.5');
    expect(add('1e20', '10.6')).toBe('100000000000000000008');
    expect(add('3.0e2', '-300')).toBe('0');
  });

  it('keeps 64 significant bits where a double keeps 53', () => {
    expect(add('9007199254740993', '0')).toBe('9007199254740993');
    expect(add('18446744073709551615', '0')).toBe('18446744073709551615');
    expect(add('18446744073709551615', '1')).toBe('18446744073709551616');
  });

  it('parses what strtold parses, and only that', () => {
    for (const ok of ['1', '+1', '-1', '.5', '5.', '1e3', '1E+3', '0x10', '0x1.8p1', 'inf', '-Infinity', '00012']) {
      expect(parseLongDouble(ok), ok).not.toBeNull();
    }
    for (const bad of ['', ' 1', '1 ', '.', 'e1', '1e', '1.2.3', '0x', '0x1p', 'nan', 'infin', '1e5000', '1e-5000', '- 1']) {
      expect(parseLongDouble(bad), bad).toBeNull();
    }
    expect(formatLongDouble(ld('0x1.8p1'))).toBe('3');
    expect(formatLongDouble(ld('1e-4940'))).toBe('0');
  });
});

describe('size limits (proto-max-bulk-len)', () => {
  it('APPEND and SETRANGE refuse to grow past the limit and change nothing', () => {
    const t = setup({ 'proto-max-bulk-len': '1mb' });
    const limit = 1024 * 1024;
    expect(t.run('SETRANGE', 'k', String(limit - 1), 'x')).toBe(limit);
    expect(errorOf(t.run('APPEND', 'k', 'y'))).toBe('ERR string exceeds maximum allowed size (proto-max-bulk-len)');
    expect(errorOf(t.run('SETRANGE', 'k', String(limit), 'y'))).toBe(
      'ERR string exceeds maximum allowed size (proto-max-bulk-len)');
    expect(errorOf(t.run('SETRANGE', 'new', String(limit - 1), 'yy'))).toBe(
      'ERR string exceeds maximum allowed size (proto-max-bulk-len)');
    expect(t.run('STRLEN', 'k')).toBe(limit);
    expect(t.db.has('new', T0)).toBe(false);
  });
});

describe('APPEND and SETRANGE', () => {
  it('keep the TTL of the key they change', () => {
    const t = setup();
    t.run('SET', 'k', 'abc', 'EX', '10');
    t.run('APPEND', 'k', 'def');
    t.run('SETRANGE', 'k', '1', 'XY');
    expect(t.run('GET', 'k')).toBe('aXYdef');
    expect(t.db.getExpire('k')).toBe(T0 + 10_000);
    expect(t.events.slice(-2)).toEqual(['$ append k', '$ setrange k']);
  });

  it('SETRANGE with an empty value does not touch the key', () => {
    const t = setup();
    t.run('SET', 'k', 'abc');
    t.modified.length = 0;
    expect(t.run('SETRANGE', 'k', '10', '')).toBe(3);
    expect(t.modified).toEqual([]);
  });
});

describe('LCS', () => {
  it('answers IDX as a map (RESP3) with matches and len', () => {
    const t = setup();
    t.run('MSET', 'a', 'ohmytext', 'b', 'mynewtext');
    const reply = t.run('LCS', 'a', 'b', 'IDX', 'MINMATCHLEN', '4', 'WITHMATCHLEN');
    expect(reply).toEqual(new MapReply(['matches', [[[4, 7], [5, 8], 4]], 'len', 6]));
  });

  it('refuses a table larger than proto-max-bulk-len', () => {
    const t = setup({ 'proto-max-bulk-len': '1mb' });
    t.run('SET', 'a', 'x'.repeat(600));
    t.run('SET', 'b', 'y'.repeat(600));
    expect(errorOf(t.run('LCS', 'a', 'b', 'LEN'))).toBe(
      'ERR Insufficient memory, transient memory for LCS exceeds proto-max-bulk-len');
  });
});
