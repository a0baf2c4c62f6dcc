/**
 * ZSCAN over skiplist-encoded sets: paging, cursors that sort like scores,
 * and the SCAN guarantee (a member present for the whole scan is returned)
 * while members are removed between calls.
 */
import { describe, expect, it } from 'vitest';
import type { Bytes } from '../../src/core/bytes.js';
import { cursorScore, scoreCursor } from '../../src/core/commands/zset-scan.js';
import type { Reply } from '../../src/core/resp/reply.js';
import { Server } from '../../src/core/server.js';

function setup() {
  const server = new Server({ config: { 'zset-max-listpack-entries': 4 } });
  const client = server.connect({ kind: 'test' });
  return (...args: Bytes[]): Reply => server.dispatch(client, args) as Reply;
}

function scanAll(run: (...args: Bytes[]) => Reply, count: number, onPage?: (members: string[]) => void): string[] {
  const seen: string[] = [];
  let cursor = '0';
  let calls = 0;
  do {
    const [next, items] = run('ZSCAN', 'z', cursor, 'COUNT', String(count)) as [string, string[]];
    const members = items.filter((_, i) => i % 2 === 0);
    seen.push(...members);
    onPage?.(members);
    cursor = next;
    if (++calls > 10_000) throw new Error('scan does not end');
  } while (cursor !== '0');
  return seen;
}

describe('score cursors', () => {
  it('order like the scores and map back to them', () => {
    const scores = [-Infinity, -1e308, -2.5, -1e-310, 0, 1e-310, 1, 2.5, 1e308, Infinity];
    const cursors = scores.map(scoreCursor);
    for (let i = 1; i < cursors.length; i++) expect(cursors[i]! > cursors[i - 1]!).toBe(true);
    for (let i = 0; i < scores.length; i++) expect(cursorScore(cursors[i]!)).toBe(scores[i]);
    expect(scoreCursor(-0)).toBe(scoreCursor(0));
    expect(scoreCursor(-Infinity)).toBe(2n ** 52n - 1n);
  });
});

describe('ZSCAN on a skiplist-encoded set', () => {
  it('returns every member once over a full iteration, in pages of about COUNT', () => {
    const run = setup();
    const args: Bytes[] = ['ZADD', 'z'];
    for (let i = 0; i < 100; i++) args.push(String(i - 50), `m${i}`);
    run(...args);
    const pages: number[] = [];
    const seen = scanAll(run, 7, (m) => pages.push(m.length));
    expect(seen.sort()).toEqual(Array.from({ length: 100 }, (_, i) => `m${i}`).sort());
    expect(Math.max(...pages)).toBe(7);
  });

  it('keeps returning the members that stay while the scan removes what it saw', () => {
    const run = setup();
    const args: Bytes[] = ['ZADD', 'z'];
    for (let i = 0; i < 200; i++) args.push(String(i % 60), `m${i}`);
    run(...args);
    const seen = scanAll(run, 5, (members) => {
      if (members.length) run('ZREM', 'z', ...members);
    });
    expect(new Set(seen).size).toBe(200);
    expect(run('ZCARD', 'z')).toBe(0);
  });

  it('pages through a long run of equal scores by rank', () => {
    const run = setup();
    const args: Bytes[] = ['ZADD', 'z'];
    for (let i = 0; i < 50; i++) args.push('0', `m${String(i).padStart(2, '0')}`);
    run(...args);
    const [cursor, items] = run('ZSCAN', 'z', '0', 'COUNT', '10') as [string, string[]];
    expect(items).toHaveLength(40);
    expect(cursor).toBe('20');
    expect(scanAll(run, 10).sort()).toEqual(Array.from({ length: 50 }, (_, i) => `m${String(i).padStart(2, '0')}`));
  });

  it('accepts any unsigned 64-bit cursor, and refuses what is not one', () => {
    const run = setup();
    run('ZADD', 'z', '1', 'a', '2', 'b', '3', 'c', '4', 'd', '5', 'e');
    expect(run('ZSCAN', 'z', '18446744073709551615')).toEqual(['0', []]);
    expect(run('ZSCAN', 'z', String(scoreCursor(3)), 'COUNT', '2')).toEqual([String(scoreCursor(5)), ['c', '3', 'd', '4']]);
    expect(run('ZSCAN', 'z', '18446744073709551616')).toMatchObject({ message: 'ERR invalid cursor' });
    expect(run('ZSCAN', 'z', '1x')).toMatchObject({ message: 'ERR invalid cursor' });
  });
});
