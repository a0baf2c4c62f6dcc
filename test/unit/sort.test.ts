/**
 * SORT and SORT_RO through the embedded API: ordering rules, patterns, STORE
 * and what is logged.
 */
import { describe, expect, it } from 'vitest';
import { open } from '../../src/index.js';
import { seededRandom } from '../../src/core/random.js';

describe('SORT', () => {
  it('sorts numbers like a numeric comparison with ties broken by the bytes', async () => {
    const db = await open();
    const rnd = seededRandom(3);
    const values = Array.from({ length: 300 }, () => String(Math.floor(rnd() * 100) - 50));
    values.push('1.0', '01', '-0', '1e1', '10');
    db.commandSync('RPUSH', 'l', ...values);
    const expected = [...values].sort((a, b) => Number(a) - Number(b) || (a < b ? -1 : a > b ? 1 : 0));
    expect(db.commandSync('SORT', 'l')).toEqual(expected);
    expect(db.commandSync('SORT', 'l', 'DESC')).toEqual([...expected].reverse());
    expect(db.commandSync('SORT', 'l', 'LIMIT', 10, 5)).toEqual(expected.slice(10, 15));
    expect(db.commandSync('SORT_RO', 'l', 'ALPHA', 'LIMIT', 0, 3)).toEqual([...values].sort().slice(0, 3));
    await db.close();
  });

  it('sorts by external keys and fetches others, missing ones as null (or "" when stored)', async () => {
    const db = await open();
    db.commandSync('RPUSH', 'ids', '1', '2', '3');
    db.commandSync('SET', 'age_1', '30');
    db.commandSync('SET', 'age_2', '20');
    db.commandSync('SET', 'name_1', 'ann');
    db.commandSync('SET', 'name_3', 'cid');
    // A missing BY key scores 0.
    expect(db.commandSync('SORT', 'ids', 'BY', 'age_*', 'GET', '#', 'GET', 'name_*')).toEqual(['3', 'cid', '2', null, '1', 'ann']);
    expect(db.commandSync('SORT', 'ids', 'BY', 'age_*', 'GET', 'name_*', 'STORE', 'out')).toBe(3);
    expect(db.commandSync('LRANGE', 'out', 0, -1)).toEqual(['cid', '', 'ann']);
    await db.close();
  });

  it('keeps the stored order with BY nosort, from the tail for DESC', async () => {
    const db = await open();
    db.commandSync('RPUSH', 'l', 'c', 'a', 'b', 'd');
    expect(db.commandSync('SORT', 'l', 'BY', 'nosort')).toEqual(['c', 'a', 'b', 'd']);
    expect(db.commandSync('SORT', 'l', 'BY', 'nosort', 'DESC', 'LIMIT', 1, 2)).toEqual(['b', 'a']);
    await db.close();
  });

  it('STORE replaces the destination, deletes it for an empty result, and is logged as sent', async () => {
    const db = await open();
    const log: string[] = [];
    db.server.setWriteLog((_, commands) => {
      for (const c of commands) log.push(c.join(' '));
    });
    db.commandSync('RPUSH', 'l', '2', '1');
    db.commandSync('SET', 'dst', 'old');
    expect(db.commandSync('SORT', 'l', 'STORE', 'dst')).toBe(2);
    expect(db.commandSync('LRANGE', 'dst', 0, -1)).toEqual(['1', '2']);
    expect(db.commandSync('SORT', 'nothing', 'STORE', 'dst')).toBe(0);
    expect(db.commandSync('LLEN', 'dst')).toBe(0);
    expect(db.commandSync('SORT', 'l')).toEqual(['1', '2']);
    expect(log).toEqual(['RPUSH l 2 1', 'SET dst old', 'SORT l STORE dst', 'SORT nothing STORE dst']);
    await db.close();
  });

  it('declares its keys: the sorted key and the STORE destination', async () => {
    const db = await open();
    const spec = db.server.commands.lookup('sort')!;
    expect(spec.getKeys!(['SORT', 'src', 'BY', 'w_*', 'LIMIT', '0', '1', 'GET', 'store', 'STORE', 'dst'])).toEqual([1, 10]);
    expect(db.server.commands.lookup('sort_ro')!.flags).toContain('readonly');
    await db.close();
  });
});
