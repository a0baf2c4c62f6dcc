/**
 * Bitmap commands: events, WATCH signals and logging only when a bit
 * changes, offset limits from proto-max-bulk-len, WRONGTYPE, and exact
 * 64-bit BITFIELD values.
 */
import { describe, expect, it } from 'vitest';
import { manualClock } from '../../src/core/clock.js';
import type { ConfigInput } from '../../src/core/config/config.js';
import type { TypedValue } from '../../src/core/keyspace/value.js';
import { ErrorReply, type Reply } from '../../src/core/resp/reply.js';
import { Server } from '../../src/core/server.js';

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
  return { clock, run, logged, events, modified, db: server.engine.dbs[0]! };
}

const listLike: TypedValue = { type: 'list', encoding: () => 'listpack', clone: () => listLike };

function errorOf(reply: Reply): string {
  expect(reply).toBeInstanceOf(ErrorReply);
  return (reply as ErrorReply).message;
}

describe('SETBIT', () => {
  it('signals, emits and logs only when the string changes', () => {
    const t = setup();
    expect(t.run('SETBIT', 'k', '3', '1')).toBe(0);
    expect(t.run('SETBIT', 'k', '3', '1')).toBe(1);
    expect(t.run('SETBIT', 'k', '2', '0')).toBe(0);
    expect(t.run('SETBIT', 'k', '9', '0')).toBe(0);
    expect(t.run('GET', 'k')).toBe('\x10\x00');
    expect(t.events).toEqual(['$ setbit k', '$ setbit k']);
    expect(t.modified).toEqual(['k', 'k']);
    expect(t.logged).toEqual([['SETBIT', 'k', '3', '1'], ['SETBIT', 'k', '9', '0']]);
  });

  it('keeps the TTL of the key it changes', () => {
    const t = setup();
    t.run('SET', 'k', 'a', 'EX', '10');
    t.run('SETBIT', 'k', '7', '0');
    expect(t.db.getExpire('k')).toBe(T0 + 10_000);
  });

  it('limits offsets by proto-max-bulk-len', () => {
    const t = setup({ 'proto-max-bulk-len': '1mb' });
    const lastBit = 1024 * 1024 * 8 - 1;
    expect(t.run('SETBIT', 'k', String(lastBit), '1')).toBe(0);
    expect(t.run('STRLEN', 'k')).toBe(1024 * 1024);
    expect(errorOf(t.run('SETBIT', 'k', String(lastBit + 1), '1'))).toBe('ERR bit offset is not an integer or out of range');
    expect(errorOf(t.run('GETBIT', 'k', String(lastBit + 1)))).toBe('ERR bit offset is not an integer or out of range');
    expect(errorOf(t.run('BITFIELD', 'k', 'SET', 'u8', '#1048576', '1'))).toBe(
      'ERR bit offset is not an integer or out of range');
    expect(t.run('BITFIELD', 'k', 'GET', 'u8', '#1048575')).toEqual([1]);
  });
});

describe('WRONGTYPE', () => {
  it('every bitmap command refuses a non-string value', () => {
    const t = setup();
    t.db.set('l', listLike);
    t.run('SET', 's', 'x');
    const wrong = 'WRONGTYPE Operation against a key holding the wrong kind of value';
    for (const cmd of [
      ['SETBIT', 'l', '0', '1'], ['GETBIT', 'l', '0'], ['BITCOUNT', 'l'], ['BITPOS', 'l', '1'],
      ['BITOP', 'AND', 'd', 's', 'l'], ['BITFIELD', 'l', 'GET', 'u8', '0'], ['BITFIELD', 'l', 'INCRBY', 'u8', '0', '1'],
      ['BITFIELD_RO', 'l', 'GET', 'u8', '0'],
    ]) {
      expect(errorOf(t.run(...cmd)), cmd.join(' ')).toBe(wrong);
    }
    // BITOP overwrites a destination of any type.
    expect(t.run('BITOP', 'OR', 'l', 's')).toBe(1);
    expect(t.run('GET', 'l')).toBe('x');
  });
});

describe('BITOP', () => {
  it('stores with a set event, or deletes the destination when every source is empty', () => {
    const t = setup();
    t.run('SET', 'a', '\xf0');
    t.run('SET', 'd', 'old', 'EX', '10');
    expect(t.run('BITOP', 'NOT', 'd', 'a')).toBe(1);
    expect(t.run('GET', 'd')).toBe('\x0f');
    expect(t.db.getExpire('d')).toBeUndefined();
    expect(t.run('BITOP', 'AND', 'd', 'missing')).toBe(0);
    expect(t.db.data.has('d')).toBe(false);
    expect(t.events.slice(-2)).toEqual(['$ set d', 'g del d']);
    t.logged.length = 0;
    expect(t.run('BITOP', 'AND', 'd', 'missing')).toBe(0);
    expect(t.logged).toEqual([]);
  });
});

describe('BITFIELD', () => {
  it('reads and writes 64-bit fields exactly', () => {
    const t = setup();
    expect(t.run('BITFIELD', 'k', 'SET', 'i64', '3', '-9223372036854775807', 'GET', 'i64', '3', 'GET', 'u63', '4'))
      .toEqual([0, -9223372036854775807n, 1]);
    expect(t.run('BITFIELD', 'k', 'INCRBY', 'i64', '3', '9007199254740993')).toEqual([-9214364837600034814n]);
  });

  it('emits setbit once per call with writes, even when FAIL writes nothing', () => {
    const t = setup();
    expect(t.run('BITFIELD', 'k', 'OVERFLOW', 'FAIL', 'SET', 'u2', '0', '9', 'INCRBY', 'u2', '0', '5')).toEqual([null, null]);
    expect(t.run('GET', 'k')).toBe('\x00');
    expect(t.events).toEqual(['$ setbit k']);
    t.run('BITFIELD', 'k', 'GET', 'u8', '0');
    expect(t.events).toEqual(['$ setbit k']);
    expect(t.logged).toHaveLength(1);
  });

  it('BITFIELD_RO refuses writes before looking at the key', () => {
    const t = setup();
    expect(errorOf(t.run('BITFIELD_RO', 'k', 'GET', 'u8', '0', 'SET', 'u8', '0', '1'))).toBe(
      'ERR BITFIELD_RO only supports the GET subcommand');
    expect(t.db.data.has('k')).toBe(false);
  });
});
