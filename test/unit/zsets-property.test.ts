/**
 * Random ZADD/ZREM/ZINCRBY sequences against a sorted-array model: after
 * every step ZRANGE, ZRANK, ZCOUNT and ZRANGEBYLEX must agree with it.
 */
import { describe, expect, it } from 'vitest';
import type { Bytes } from '../../src/core/bytes.js';
import { DoubleReply, type Reply } from '../../src/core/resp/reply.js';
import { seededRandom } from '../../src/core/random.js';
import { Server } from '../../src/core/server.js';

type Entry = { member: string; score: number };

function compare(a: Entry, b: Entry): number {
  if (a.score !== b.score) return a.score < b.score ? -1 : 1;
  return a.member < b.member ? -1 : a.member > b.member ? 1 : 0;
}

class Model {
  entries: Entry[] = [];
  private find(member: string): number {
    return this.entries.findIndex((e) => e.member === member);
  }
  set(member: string, score: number): void {
    const i = this.find(member);
    if (i >= 0) this.entries.splice(i, 1);
    this.entries.push({ member, score });
    this.entries.sort(compare);
  }
  score(member: string): number | undefined {
    const i = this.find(member);
    return i >= 0 ? this.entries[i]!.score : undefined;
  }
  remove(member: string): void {
    const i = this.find(member);
    if (i >= 0) this.entries.splice(i, 1);
  }
  rank(member: string): number | null {
    const i = this.find(member);
    return i >= 0 ? i : null;
  }
}

function setup() {
  const server = new Server({ config: { 'zset-max-listpack-entries': 16 } });
  const client = server.connect({ kind: 'test' });
  return (...args: Bytes[]): Reply => server.dispatch(client, args) as Reply;
}

const SCORES = [-Infinity, -2, -0.5, 0, 0, 1, 1, 1, 2.25, 3, 7, Infinity];

function scoreText(s: number): string {
  return s === Infinity ? '+inf' : s === -Infinity ? '-inf' : String(s);
}

describe('sorted sets against a sorted-array model', () => {
  for (const seed of [1, 2, 3]) {
    it(`seed ${seed}: ZADD/ZREM/ZINCRBY keep ZRANGE, ZRANK and ZCOUNT right`, () => {
      const rnd = seededRandom(seed);
      const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rnd() * xs.length)]!;
      const run = setup();
      const model = new Model();
      const members = Array.from({ length: 40 }, (_, i) => `m${String.fromCharCode(97 + (i % 26))}${i}`);
      for (let step = 0; step < 600; step++) {
        const op = rnd();
        const member = pick(members);
        if (op < 0.5) {
          const s = pick(SCORES);
          run('ZADD', 'z', scoreText(s), member);
          model.set(member, s);
        } else if (op < 0.75) {
          run('ZREM', 'z', member);
          model.remove(member);
        } else {
          const by = pick([1, -1, 0.5, 3]);
          const cur = model.score(member);
          const next = (cur ?? 0) + by;
          const r = run('ZINCRBY', 'z', String(by), member);
          if (Number.isNaN(next)) continue;
          expect(r).toEqual(new DoubleReply(next));
          model.set(member, next);
        }
        const flat: Reply[] = [];
        for (const e of model.entries) flat.push(e.member, new DoubleReply(e.score));
        expect(run('ZRANGE', 'z', '0', '-1', 'WITHSCORES')).toEqual(flat);
        expect(run('ZCARD', 'z')).toBe(model.entries.length);
        const probe = pick(members);
        expect(run('ZRANK', 'z', probe)).toBe(model.rank(probe));
        const rev = model.rank(probe);
        expect(run('ZREVRANK', 'z', probe)).toBe(rev === null ? null : model.entries.length - 1 - rev);
        const lo = pick(SCORES);
        const hi = pick(SCORES);
        const loEx = rnd() < 0.5;
        const hiEx = rnd() < 0.5;
        const inRange = model.entries.filter((e) =>
          (loEx ? e.score > lo : e.score >= lo) && (hiEx ? e.score < hi : e.score <= hi));
        const min = (loEx ? '(' : '') + scoreText(lo);
        const max = (hiEx ? '(' : '') + scoreText(hi);
        expect(run('ZCOUNT', 'z', min, max)).toBe(inRange.length);
        expect(run('ZRANGEBYSCORE', 'z', min, max)).toEqual(inRange.map((e) => e.member));
        expect(run('ZREVRANGEBYSCORE', 'z', max, min)).toEqual(inRange.map((e) => e.member).reverse());
        const start = Math.floor(rnd() * 50) - 25;
        const stop = Math.floor(rnd() * 50) - 25;
        const n = model.entries.length;
        let a = start < 0 ? Math.max(0, n + start) : start;
        const b = Math.min(n - 1, stop < 0 ? n + stop : stop);
        if (a > b) a = n;
        expect(run('ZRANGE', 'z', String(start), String(stop))).toEqual(model.entries.slice(a, b + 1).map((e) => e.member));
      }
    });

    it(`seed ${seed}: ZRANGEBYLEX and ZLEXCOUNT on equal scores`, () => {
      const rnd = seededRandom(seed * 7919);
      const run = setup();
      const present = new Set<string>();
      const alphabet = ['a', 'b', 'c', 'ab', 'ba', 'abc', '', '\xff', '\x00', 'b\x00'];
      for (let step = 0; step < 300; step++) {
        const m = alphabet[Math.floor(rnd() * alphabet.length)]! + alphabet[Math.floor(rnd() * alphabet.length)]!;
        if (rnd() < 0.65) {
          run('ZADD', 'lex', '0', m);
          present.add(m);
        } else {
          run('ZREM', 'lex', m);
          present.delete(m);
        }
        const sorted = [...present].sort((x, y) => (x < y ? -1 : x > y ? 1 : 0));
        const bound = (): [string, (s: string) => boolean, (s: string) => boolean] => {
          const r = rnd();
          if (r < 0.1) return ['-', () => true, () => false];
          if (r < 0.2) return ['+', () => false, () => true];
          const v = alphabet[Math.floor(rnd() * alphabet.length)]!;
          return r < 0.6
            ? [`[${v}`, (s) => s >= v, (s) => s <= v]
            : [`(${v}`, (s) => s > v, (s) => s < v];
        };
        const [minText, gteMin] = bound();
        const [maxText, , lteMax] = bound();
        const expected = sorted.filter((s) => gteMin(s) && lteMax(s));
        expect(run('ZRANGEBYLEX', 'lex', minText, maxText)).toEqual(expected);
        expect(run('ZLEXCOUNT', 'lex', minText, maxText)).toBe(expected.length);
        expect(run('ZREVRANGEBYLEX', 'lex', maxText, minText)).toEqual([...expected].reverse());
      }
    });
  }
});
