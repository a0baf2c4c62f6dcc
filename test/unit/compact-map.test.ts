import { describe, expect, it } from 'vitest';
import { COMPACT_LIMIT, CompactMap } from '../../src/core/types/compact-map.js';

/** The same operations on a CompactMap and a Map must give the same answers and order. */
function model(ops: number, seed: number) {
  const m = new CompactMap<string>();
  const ref = new Map<string, string>();
  let x = seed;
  const next = (n: number) => {
    x = (x * 1103515245 + 12345) & 0x7fffffff;
    return x % n;
  };
  for (let i = 0; i < ops; i++) {
    const key = `k${next(COMPACT_LIMIT * 2)}`;
    const op = next(10);
    if (op < 6) {
      m.set(key, `v${i}`);
      ref.set(key, `v${i}`);
    } else if (op < 9) {
      expect(m.delete(key)).toBe(ref.delete(key));
    } else {
      expect(m.get(key)).toBe(ref.get(key));
      expect(m.has(key)).toBe(ref.has(key));
    }
    expect(m.size).toBe(ref.size);
  }
  expect([...m]).toEqual([...ref]);
  expect([...m.keys()]).toEqual([...ref.keys()]);
  expect([...m.values()]).toEqual([...ref.values()]);
}

describe('CompactMap', () => {
  it('keeps insertion order through updates and deletes, small and large', () => {
    const m = new CompactMap<string>();
    m.set('a', '1').set('b', '2').set('c', '3');
    m.set('a', 'one');
    m.delete('b');
    m.set('b', 'two');
    expect([...m]).toEqual([['a', 'one'], ['c', '3'], ['b', 'two']]);
    for (let i = 0; i < COMPACT_LIMIT + 5; i++) m.set(`f${i}`, String(i));
    expect(m.size).toBe(COMPACT_LIMIT + 8);
    expect([...m.keys()].slice(0, 4)).toEqual(['a', 'c', 'b', 'f0']);
    expect(m.get(`f${COMPACT_LIMIT + 4}`)).toBe(String(COMPACT_LIMIT + 4));
    m.clear();
    expect(m.size).toBe(0);
    expect(m.get('a')).toBeUndefined();
  });

  it('agrees with a Map on random operations across the move to a Map', () => {
    for (const seed of [1, 7, 42, 1234]) model(2000, seed);
  });
});
