/**
 * SCAN's guarantee under mutation: a key present for the whole scan is
 * returned at least once, whatever is added or deleted between calls.
 */
import { describe, expect, it } from 'vitest';
import { manualClock } from '../../src/core/clock.js';
import { Database } from '../../src/core/keyspace/database.js';
import { parseCursor, ScanCursors } from '../../src/core/keyspace/scan.js';
import { ErrorReply, type Reply } from '../../src/core/resp/reply.js';
import { seededRandom } from '../../src/core/random.js';
import { Server } from '../../src/core/server.js';

function setup() {
  const clock = manualClock();
  const server = new Server({ clock, logger: () => undefined });
  const client = server.connect({ kind: 'test' });
  const run = (...args: string[]): Reply => server.dispatch(client, args) as Reply;
  return { clock, server, client, run };
}

/** Runs a whole scan, calling `between` after every step; returns every key returned and the number of calls. */
function fullScan(run: (...a: string[]) => Reply, count: number, between: (step: number) => void, extra: string[] = []) {
  const seen = new Map<string, number>();
  let cursor = '0';
  let calls = 0;
  do {
    const [next, keys] = run('SCAN', cursor, 'COUNT', String(count), ...extra) as [string, string[]];
    for (const k of keys) seen.set(k, (seen.get(k) ?? 0) + 1);
    cursor = next;
    calls++;
    if (calls > 100_000) throw new Error('SCAN did not terminate');
    if (cursor !== '0') between(calls);
  } while (cursor !== '0');
  return { seen, calls };
}

describe('SCAN', () => {
  it('returns every key exactly once when nothing changes', () => {
    const { run } = setup();
    for (let i = 0; i < 1000; i++) run('SET', `k${i}`, 'v');
    const { seen, calls } = fullScan(run, 7, () => undefined);
    expect(seen.size).toBe(1000);
    expect([...seen.values()].every((n) => n === 1)).toBe(true);
    expect(calls).toBe(Math.ceil(1000 / 7));
  });

  it('returns every key present throughout, while keys are added and deleted between calls', () => {
    const { run } = setup();
    const random = seededRandom(42);
    const stable: string[] = [];
    for (let i = 0; i < 500; i++) {
      run('SET', `stable${i}`, 'v');
      stable.push(`stable${i}`);
    }
    const churn: string[] = [];
    for (let i = 0; i < 500; i++) {
      run('SET', `churn${i}`, 'v');
      churn.push(`churn${i}`);
    }
    let next = 500;
    const { seen } = fullScan(run, 5, () => {
      // Delete a few churn keys (possibly the one read ahead), re-create some, add new ones.
      for (let j = 0; j < 4; j++) {
        const k = churn[Math.floor(random() * churn.length)]!;
        run('DEL', k);
        if (random() < 0.5) run('SET', k, 'again');
      }
      run('SET', `churn${next++}`, 'v');
      churn.push(`churn${next - 1}`);
      // Overwriting a stable key keeps it present.
      run('SET', stable[Math.floor(random() * stable.length)]!, 'updated');
    });
    for (const k of stable) expect(seen.has(k), k).toBe(true);
  });

  it('still returns every stable key when the keyspace grows a lot and shrinks mid-scan', () => {
    const { run } = setup();
    for (let i = 0; i < 200; i++) run('SET', `s${i}`, 'v');
    let phase = 0;
    const { seen } = fullScan(run, 10, (step) => {
      if (step === 3) for (let i = 0; i < 5000; i++) run('SET', `grow${i}`, 'v');
      if (step === 6) for (let i = 0; i < 5000; i++) run('DEL', `grow${i}`);
      phase = step;
    });
    expect(phase).toBeGreaterThan(6);
    for (let i = 0; i < 200; i++) expect(seen.has(`s${i}`)).toBe(true);
  });

  it('restarts soundly from a cursor it does not know', () => {
    const { run } = setup();
    for (let i = 0; i < 30; i++) run('SET', `k${i}`, 'v');
    const seen = new Set<string>();
    let cursor = '123456789';
    do {
      const [next, keys] = run('SCAN', cursor) as [string, string[]];
      for (const k of keys) seen.add(k);
      cursor = next;
    } while (cursor !== '0');
    expect(seen.size).toBe(30);
  });

  it('restarts on the current database after SWAPDB or SELECT', () => {
    const { run } = setup();
    for (let i = 0; i < 30; i++) run('SET', `a${i}`, 'v');
    run('SELECT', '1');
    for (let i = 0; i < 30; i++) run('SET', `b${i}`, 'v');
    run('SELECT', '0');
    const [cursor] = run('SCAN', '0', 'COUNT', '5') as [string, string[]];
    run('SWAPDB', '0', '1');
    const seen = new Set<string>();
    let c = cursor;
    do {
      const [next, keys] = run('SCAN', c, 'COUNT', '5') as [string, string[]];
      for (const k of keys) seen.add(k);
      c = next;
    } while (c !== '0');
    for (let i = 0; i < 30; i++) expect(seen.has(`b${i}`)).toBe(true);
  });

  it('continues soundly after FLUSHDB forgets the walks in progress', () => {
    const { run } = setup();
    for (let i = 0; i < 30; i++) run('SET', `old${i}`, 'v');
    const [cursor] = run('SCAN', '0', 'COUNT', '5') as [string, string[]];
    run('FLUSHDB');
    for (let i = 0; i < 30; i++) run('SET', `new${i}`, 'v');
    const seen = new Set<string>();
    let c = cursor;
    do {
      const [next, keys] = run('SCAN', c, 'COUNT', '5') as [string, string[]];
      for (const k of keys) seen.add(k);
      c = next;
    } while (c !== '0');
    expect([...seen].sort()).toEqual(Array.from({ length: 30 }, (_, i) => `new${i}`).sort());
  });

  it('filters with MATCH and TYPE and skips expired keys', () => {
    const { run, clock } = setup();
    for (let i = 0; i < 50; i++) run('SET', `user:${i}`, 'v');
    for (let i = 0; i < 50; i++) run('SET', `item:${i}`, 'v');
    run('PEXPIRE', 'user:7', '10');
    clock.advance(11);
    const { seen } = fullScan(run, 9, () => undefined, ['MATCH', 'user:*']);
    expect(seen.size).toBe(49);
    expect(seen.has('user:7')).toBe(false);
    const none = fullScan(run, 1000, () => undefined, ['TYPE', 'hash']);
    expect(none.seen.size).toBe(0);
  });

  it('keeps a bounded table of walks in progress', () => {
    const cursors = new ScanCursors(16);
    const db = new Database(0);
    for (let i = 0; i < 100; i++) db.set(`k${i}`, 'v');
    const first = cursors.step(db, '0', 1, () => true)[0];
    for (let i = 0; i < 40; i++) cursors.step(db, '0', 1, () => true);
    expect(cursors.size).toBe(16);
    // The oldest walk was evicted: its cursor now restarts from the beginning.
    expect(cursors.step(db, first, 1, () => true)[1]).toEqual(['k0']);
  });

  it('a cursor is single use: continuing it twice restarts the second', () => {
    const cursors = new ScanCursors();
    const db = new Database(0);
    for (let i = 0; i < 10; i++) db.set(`k${i}`, 'v');
    const [c] = cursors.step(db, '0', 3, () => true);
    expect(cursors.step(db, c, 3, () => true)[1]).toEqual(['k3', 'k4', 'k5']);
    expect(cursors.step(db, c, 3, () => true)[1]).toEqual(['k0', 'k1', 'k2']);
  });

  it('answers cursor 0 in one call when COUNT covers the keyspace', () => {
    const { run } = setup();
    for (let i = 0; i < 10; i++) run('SET', `k${i}`, 'v');
    const [cursor, keys] = run('SCAN', '0', 'COUNT', '10') as [string, string[]];
    expect(cursor).toBe('0');
    expect(keys.length).toBe(10);
  });

  it('rejects bad cursors as Redis does', () => {
    const { run } = setup();
    expect(run('SCAN', 'x')).toEqual(new ErrorReply('ERR invalid cursor'));
  });
});

describe('parseCursor', () => {
  it('reads cursors as strtoul does and Redis accepts them', () => {
    expect(parseCursor('')).toBe('0');
    expect(parseCursor('0')).toBe('0');
    expect(parseCursor('-0')).toBe('0');
    expect(parseCursor('+17')).toBe('17');
    expect(parseCursor('007')).toBe('7');
    expect(parseCursor('-1')).toBe('18446744073709551615');
    expect(parseCursor('18446744073709551615')).toBe('18446744073709551615');
    expect(parseCursor('18446744073709551616')).toBe(null);
    expect(parseCursor(' 1')).toBe(null);
    expect(parseCursor('1 ')).toBe(null);
    expect(parseCursor('-')).toBe(null);
    expect(parseCursor('0x1')).toBe(null);
  });
});
