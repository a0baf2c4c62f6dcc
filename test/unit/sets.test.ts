/**
 * Sets: encodings (7.2+ rules: intset, listpack, hashtable), RESP3 set
 * replies, SPOP logging and determinism across servers, SSCAN over large
 * sets, and a random-operation model check.
 */
import { describe, expect, it } from 'vitest';
import { manualClock } from '../../src/core/clock.js';
import type { CommandSpec } from '../../src/core/commands/types.js';
import { seededRandom } from '../../src/core/random.js';
import { ErrorReply, SetReply, type Reply } from '../../src/core/resp/reply.js';
import { Server } from '../../src/core/server.js';
import { SetValue } from '../../src/core/types/set.js';

function setup() {
  const server = new Server({ clock: manualClock() });
  const client = server.connect({ kind: 'test' });
  const logged: string[][] = [];
  server.setWriteLog((_db, cmds) => {
    for (const c of cmds) logged.push(c);
  });
  const run = (...args: (string | number)[]): Reply => server.dispatch(client, args.map(String)) as Reply;
  const enc = (key: string) => (server.engine.dbs[0]!.data.get(key) as SetValue).encoding();
  return { server, client, run, logged, enc };
}

const members = (r: Reply): string[] => ((r instanceof SetReply ? r.items : r) as string[]).slice().sort();

describe('set encodings', () => {
  it('intset, then listpack for a short string, then hashtable; never back', () => {
    const { run, enc, server } = setup();
    run('SADD', 's', 1, 2, 3);
    expect(enc('s')).toBe('intset');
    run('SADD', 's', 'abc');
    expect(enc('s')).toBe('listpack');
    run('SADD', 's', 'x'.repeat(65));
    expect(enc('s')).toBe('hashtable');
    run('SREM', 's', 'x'.repeat(65), 'abc');
    expect(enc('s')).toBe('hashtable');
    run('SADD', 'l', 'a');
    expect(enc('l')).toBe('listpack');
    server.config.set('set-max-intset-entries', '3');
    run('SADD', 'i', 1, 2, 3);
    expect(enc('i')).toBe('intset');
    run('SADD', 'i', 4);
    expect(enc('i')).toBe('hashtable');
    run('SADD', 'big', ...Array.from({ length: 200 }, (_, i) => `m${i}`));
    expect(enc('big')).toBe('hashtable');
    run('SADD', 'j', ' 1');
    expect(enc('j')).toBe('listpack');
  });
});

describe('set replies', () => {
  it('SMEMBERS, SINTER, SUNION, SDIFF and SPOP with a count are RESP3 sets', () => {
    const { run } = setup();
    run('SADD', 'a', 'x', 'y');
    run('SADD', 'b', 'y');
    expect(run('SMEMBERS', 'a')).toBeInstanceOf(SetReply);
    expect(run('SINTER', 'a', 'b')).toEqual(new SetReply(['y']));
    expect(members(run('SUNION', 'a', 'b'))).toEqual(['x', 'y']);
    expect(run('SDIFF', 'a', 'b')).toEqual(new SetReply(['x']));
    expect(run('SPOP', 'missing', 2)).toEqual(new SetReply([]));
    expect(run('SPOP', 'a', 1)).toBeInstanceOf(SetReply);
    expect(Array.isArray(run('SRANDMEMBER', 'b', 2))).toBe(true);
  });
});

describe('SPOP', () => {
  it('is logged as SREM of the popped members, or DEL when it takes them all', () => {
    const { run, logged } = setup();
    run('SADD', 's', 'a', 'b', 'c', 'd');
    logged.length = 0;
    const one = run('SPOP', 's') as string;
    const two = (run('SPOP', 's', 2) as SetReply).items as string[];
    expect(logged).toEqual([['SREM', 's', one], ['SREM', 's', ...two]]);
    logged.length = 0;
    const rest = run('SPOP', 's', 5) as SetReply;
    expect(rest.items).toHaveLength(1);
    expect(logged).toEqual([['DEL', 's']]);
    expect(run('SCARD', 's')).toBe(0);
  });

  it('same seed, same members on two servers applying the same entries', () => {
    const results = [0, 1].map(() => {
      const server = new Server({ clock: manualClock() });
      const client = server.connect({ kind: 'test' });
      const apply = (seed: number, ...args: string[]) =>
        server.engine.apply(server.resolve(args) as CommandSpec, { db: 0, args, timeMs: 1_700_000_000_000, seed }, client);
      apply(1, 'SADD', 's', ...Array.from({ length: 300 }, (_, i) => `m${i}`));
      apply(2, 'SREM', 's', 'm5', 'm77', 'm200');
      const out: Reply[] = [];
      for (let i = 0; i < 20; i++) out.push(apply(100 + i, 'SPOP', 's'));
      out.push(apply(3, 'SPOP', 's', '30'), apply(4, 'SRANDMEMBER', 's', '10'), apply(5, 'SRANDMEMBER', 's', '-10'));
      out.push(apply(6, 'SMEMBERS', 's'));
      return out;
    });
    expect(results[0]).toEqual(results[1]);
    // And the draws are not all the same member.
    expect(new Set(results[0]!.slice(0, 20)).size).toBe(20);
  });

  it('distinct SRANDMEMBER picks for positive counts, repeats allowed for negative', () => {
    const { run } = setup();
    run('SADD', 's', ...Array.from({ length: 100 }, (_, i) => `m${i}`));
    for (const n of [1, 10, 40, 99, 100, 150]) {
      const r = run('SRANDMEMBER', 's', n) as string[];
      expect(r).toHaveLength(Math.min(n, 100));
      expect(new Set(r).size).toBe(r.length);
    }
    expect(run('SRANDMEMBER', 's', -300) as string[]).toHaveLength(300);
    const seen = new Set<string>();
    for (let i = 0; i < 20; i++) seen.add(run('SRANDMEMBER', 's') as string);
    expect(seen.size).toBeGreaterThan(3);
  });
});

describe('SSCAN on a hashtable', () => {
  it('returns every member present for the whole scan', () => {
    const { run } = setup();
    run('SADD', 's', ...Array.from({ length: 2000 }, (_, i) => `member:${i}`));
    const seen = new Set<string>();
    let cursor = '0';
    let calls = 0;
    do {
      const [next, items] = run('SSCAN', 's', cursor, 'COUNT', 50) as [string, string[]];
      for (const m of items) seen.add(m);
      cursor = next;
      calls++;
      run('SREM', 's', `member:${1999 - calls}`);
      run('SADD', 's', `new:${calls}`);
    } while (cursor !== '0');
    expect(calls).toBeGreaterThan(20);
    for (let i = 0; i < 1999 - calls; i++) expect(seen.has(`member:${i}`)).toBe(true);
    const [, matched] = run('SSCAN', 's', 0, 'MATCH', 'member:1?', 'COUNT', 100000) as [string, string[]];
    expect(matched.sort()).toEqual(Array.from({ length: 10 }, (_, i) => `member:1${i}`).sort());
  });
});

describe('set model check', () => {
  it('random operations agree with JS Sets', () => {
    const { run } = setup();
    const rnd = seededRandom(7);
    const pick = (n: number) => Math.floor(rnd() * n);
    const model = new Map<string, Set<string>>();
    const keys = ['a', 'b', 'c'];
    const universe = ['1', '2', '3', '10', 'x', 'y', 'z', '-5'];
    const get = (k: string) => model.get(k) ?? new Set<string>();
    const put = (k: string, s: Set<string>) => (s.size === 0 ? model.delete(k) : model.set(k, s));
    for (let step = 0; step < 3000; step++) {
      const k = keys[pick(keys.length)]!;
      const k2 = keys[pick(keys.length)]!;
      const m = universe[pick(universe.length)]!;
      switch (pick(10)) {
        case 0: {
          const s = new Set(get(k));
          expect(run('SADD', k, m)).toBe(s.has(m) ? 0 : 1);
          s.add(m);
          put(k, s);
          break;
        }
        case 1: {
          const s = new Set(get(k));
          expect(run('SREM', k, m)).toBe(s.delete(m) ? 1 : 0);
          put(k, s);
          break;
        }
        case 2: {
          const src = new Set(get(k));
          const dst = new Set(get(k2));
          const moved = src.has(m) ? 1 : 0;
          expect(run('SMOVE', k, k2, m)).toBe(moved);
          if (moved && k !== k2) {
            src.delete(m);
            dst.add(m);
            put(k, src);
            put(k2, dst);
          }
          break;
        }
        case 3: {
          const popped = run('SPOP', k);
          const s = new Set(get(k));
          if (s.size === 0) expect(popped).toBe(null);
          else {
            expect(s.delete(popped as string)).toBe(true);
            put(k, s);
          }
          break;
        }
        case 4:
          expect(members(run('SINTER', k, k2))).toEqual([...get(k)].filter((x) => get(k2).has(x)).sort());
          break;
        case 5:
          expect(members(run('SUNION', k, k2))).toEqual([...new Set([...get(k), ...get(k2)])].sort());
          break;
        case 6: {
          const diff = [...get(k)].filter((x) => !get(k2).has(x));
          expect(run('SDIFFSTORE', 'd', k, k2)).toBe(diff.length);
          put('d', new Set(diff));
          break;
        }
        case 7:
          expect(run('SCARD', k)).toBe(get(k).size);
          break;
        case 8:
          expect(run('SISMEMBER', k, m)).toBe(get(k).has(m) ? 1 : 0);
          break;
        default:
          expect(members(run('SMEMBERS', k))).toEqual([...get(k)].sort());
      }
    }
  });
});

describe('set keyspace events', () => {
  it('emits what Redis emits, where it emits it', () => {
    const { run, server } = setup();
    const events: string[] = [];
    server.engine.onNotify((type, event, key) => events.push(`${type} ${event} ${key}`));
    run('SADD', 'a', 'x', 'y');
    run('SADD', 'a', 'x');
    run('SREM', 'a', 'nope');
    run('SMOVE', 'a', 'b', 'x');
    run('SREM', 'a', 'y');
    run('SADD', 'c', '1', '2');
    run('SINTERSTORE', 'd', 'b', 'b');
    run('SINTERSTORE', 'd', 'b', 'missing');
    run('SPOP', 'c');
    run('SPOP', 'c', 5);
    expect(events).toEqual([
      's sadd a',
      's srem a', 's sadd b',
      's srem a', 'g del a',
      's sadd c',
      's sinterstore d',
      'g del d',
      's spop c',
      's spop c', 'g del c',
    ]);
  });
});

describe('huge negative counts', () => {
  it('are refused instead of exhausting memory', () => {
    const { run } = setup();
    run('SADD', 's', 'a');
    run('HSET', 'h', 'a', '1');
    expect(run('SRANDMEMBER', 's', -(2 ** 40))).toEqual(new ErrorReply('ERR value is out of range'));
    expect(run('HRANDFIELD', 'h', -(2 ** 40))).toEqual(new ErrorReply('ERR value is out of range'));
    expect(run('SRANDMEMBER', 's', -1000) as string[]).toHaveLength(1000);
  });
});

describe('small set order', () => {
  it('a listpack set keeps insertion order across removals, as Redis 7.2+ does', () => {
    const { run, enc } = setup();
    run('SADD', 's', 'c', 'a', 'b', 'd');
    expect(enc('s')).toBe('listpack');
    run('SREM', 's', 'a');
    run('SADD', 's', 'a');
    expect(run('SMEMBERS', 's')).toEqual(new SetReply(['c', 'b', 'd', 'a']));
    run('SADD', 'i', 3, 1, 2);
    run('SADD', 'i', 'x');
    expect(enc('i')).toBe('listpack');
    expect(run('SMEMBERS', 'i')).toEqual(new SetReply(['1', '2', '3', 'x']));
  });
});
