/**
 * Hashes: field expiration (Redis 7.4, which the 7.0 oracle lacks, so these
 * follow the documentation), encodings, HSCAN over large hashes, HRANDFIELD's
 * RESP3 shape, logging, and a random-operation model check.
 */
import { describe, expect, it } from 'vitest';
import { manualClock } from '../../src/core/clock.js';
import type { CommandSpec } from '../../src/core/commands/types.js';
import { seededRandom } from '../../src/core/random.js';
import { ErrorReply, MapReply, type Reply } from '../../src/core/resp/reply.js';
import { Server } from '../../src/core/server.js';
import { HashValue } from '../../src/core/types/hash.js';

function setup() {
  const clock = manualClock(1_700_000_000_000);
  const server = new Server({ clock });
  const client = server.connect({ kind: 'test' });
  const logged: string[][] = [];
  server.setWriteLog((_db, cmds) => {
    for (const c of cmds) logged.push(c);
  });
  const run = (...args: (string | number)[]): Reply => server.dispatch(client, args.map(String)) as Reply;
  const hash = (key: string) => server.engine.dbs[0]!.data.get(key) as HashValue | undefined;
  const limits = { get: (name: string) => server.config.get(name) as number };
  return { clock, server, client, run, logged, hash, limits };
}

const err = (r: Reply): string => (r instanceof ErrorReply ? r.message : `not an error: ${JSON.stringify(r)}`);

describe('hash field expiration', () => {
  it('sets, reports and honours field TTLs', () => {
    const { run, clock } = setup();
    run('HSET', 'h', 'f1', 'v1', 'f2', 'v2', 'f3', 'v3');
    expect(run('HEXPIRE', 'h', 10, 'FIELDS', 2, 'f1', 'nope')).toEqual([1, -2]);
    expect(run('HPEXPIRE', 'h', 2500, 'FIELDS', 1, 'f2')).toEqual([1]);
    expect(run('HTTL', 'h', 'FIELDS', 4, 'f1', 'f2', 'f3', 'nope')).toEqual([10, 3, -1, -2]);
    expect(run('HPTTL', 'h', 'FIELDS', 2, 'f1', 'f2')).toEqual([10_000, 2500]);
    const now = clock.now();
    expect(run('HPEXPIRETIME', 'h', 'FIELDS', 2, 'f1', 'f3')).toEqual([now + 10_000, -1]);
    expect(run('HEXPIRETIME', 'h', 'FIELDS', 1, 'f1')).toEqual([Math.floor((now + 10_000 + 999) / 1000)]);
    clock.advance(2500);
    expect(run('HGET', 'h', 'f2')).toBe(null);
    expect(run('HEXISTS', 'h', 'f2')).toBe(0);
    expect(run('HLEN', 'h')).toBe(2);
    expect(run('HKEYS', 'h')).toEqual(['f1', 'f3']);
    expect(run('HMGET', 'h', 'f1', 'f2')).toEqual(['v1', null]);
    expect(run('HTTL', 'h', 'FIELDS', 2, 'f2', 'f1')).toEqual([-2, 8]);
    expect(run('HSTRLEN', 'h', 'f2')).toBe(0);
    clock.advance(7500);
    expect(run('HGETALL', 'h')).toEqual(new MapReply(['f3', 'v3']));
  });

  it('the key disappears when its last field expires, and a write removes it', () => {
    const { run, clock, server, logged } = setup();
    run('HSET', 'h', 'a', '1', 'b', '2');
    run('HPEXPIRE', 'h', 100, 'FIELDS', 2, 'a', 'b');
    clock.advance(100);
    expect(run('HLEN', 'h')).toBe(0);
    expect(run('HGETALL', 'h')).toEqual(new MapReply([]));
    expect(run('HRANDFIELD', 'h')).toBe(null);
    expect(run('HTTL', 'h', 'FIELDS', 1, 'a')).toEqual([-2]);
    // Reads do not delete: the value is still there until a write comes.
    expect(server.engine.dbs[0]!.data.has('h')).toBe(true);
    logged.length = 0;
    expect(run('HDEL', 'h', 'a')).toBe(0);
    expect(server.engine.dbs[0]!.data.has('h')).toBe(false);
    expect(run('HSET', 'h', 'c', '3')).toBe(1);
    expect(run('HGETALL', 'h')).toEqual(new MapReply(['c', '3']));
  });

  it('zero or past times delete the field (code 2) and the key with the last one', () => {
    const { run, server, clock } = setup();
    run('HSET', 'h', 'a', '1', 'b', '2');
    expect(run('HEXPIRE', 'h', 0, 'FIELDS', 1, 'a')).toEqual([2]);
    expect(run('HGETALL', 'h')).toEqual(new MapReply(['b', '2']));
    expect(run('HPEXPIREAT', 'h', clock.now() - 1, 'FIELDS', 2, 'b', 'zz')).toEqual([2, -2]);
    expect(server.engine.dbs[0]!.data.has('h')).toBe(false);
    expect(run('HEXPIRE', 'h', 10, 'FIELDS', 2, 'a', 'b')).toEqual([-2, -2]);
  });

  it('NX, XX, GT and LT (a field without TTL counts as infinite)', () => {
    const { run } = setup();
    run('HSET', 'h', 'a', '1', 'b', '2');
    expect(run('HEXPIRE', 'h', 100, 'XX', 'FIELDS', 1, 'a')).toEqual([0]);
    expect(run('HEXPIRE', 'h', 100, 'GT', 'FIELDS', 1, 'a')).toEqual([0]);
    expect(run('HEXPIRE', 'h', 100, 'LT', 'FIELDS', 1, 'a')).toEqual([1]);
    expect(run('HEXPIRE', 'h', 50, 'NX', 'FIELDS', 2, 'a', 'b')).toEqual([0, 1]);
    expect(run('HEXPIRE', 'h', 200, 'gt', 'FIELDS', 2, 'a', 'b')).toEqual([1, 1]);
    expect(run('HEXPIRE', 'h', 150, 'GT', 'FIELDS', 1, 'a')).toEqual([0]);
    expect(run('HEXPIRE', 'h', 150, 'LT', 'FIELDS', 1, 'a')).toEqual([1]);
    expect(run('HEXPIRE', 'h', 150, 'LT', 'FIELDS', 1, 'a')).toEqual([0]);
    expect(run('HEXPIRE', 'h', 300, 'XX', 'FIELDS', 1, 'a')).toEqual([1]);
    expect(run('HTTL', 'h', 'FIELDS', 2, 'a', 'b')).toEqual([300, 200]);
  });

  it('HPERSIST answers 1, -1 or -2 per field', () => {
    const { run } = setup();
    run('HSET', 'h', 'a', '1', 'b', '2');
    run('HEXPIRE', 'h', 100, 'FIELDS', 1, 'a');
    expect(run('HPERSIST', 'h', 'FIELDS', 3, 'a', 'b', 'c')).toEqual([1, -1, -2]);
    expect(run('HTTL', 'h', 'FIELDS', 1, 'a')).toEqual([-1]);
    expect(run('HPERSIST', 'missing', 'FIELDS', 1, 'a')).toEqual([-2]);
  });

  it('HSET replaces a field and its TTL; HINCRBY keeps the TTL', () => {
    const { run } = setup();
    run('HSET', 'h', 'a', '1', 'n', '5');
    run('HEXPIRE', 'h', 100, 'FIELDS', 2, 'a', 'n');
    run('HSET', 'h', 'a', '2');
    run('HINCRBY', 'h', 'n', 1);
    run('HINCRBYFLOAT', 'h', 'n', '0.5');
    expect(run('HTTL', 'h', 'FIELDS', 2, 'a', 'n')).toEqual([-1, 100]);
    expect(run('HGET', 'h', 'n')).toBe('6.5');
  });

  it('answers errors as Redis 7.4 does', () => {
    const { run } = setup();
    run('HSET', 'h', 'a', '1');
    run('SET', 's', 'x');
    expect(err(run('HEXPIRE', 's', 10, 'FIELDS', 1, 'a'))).toMatch(/^WRONGTYPE/);
    expect(err(run('HTTL', 's', 'FIELDS', 1, 'a'))).toMatch(/^WRONGTYPE/);
    expect(err(run('HEXPIRE', 'h', 'x', 'FIELDS', 1, 'a'))).toBe('ERR value is not an integer or out of range');
    expect(err(run('HEXPIRE', 'h', -1, 'FIELDS', 1, 'a'))).toBe('ERR invalid expire time, must be >= 0');
    expect(err(run('HEXPIRE', 'h', 70368744177664, 'FIELDS', 1, 'a'))).toBe("ERR invalid expire time in 'hexpire' command");
    expect(err(run('HPEXPIREAT', 'h', 2 ** 48, 'FIELDS', 1, 'a'))).toBe("ERR invalid expire time in 'hpexpireat' command");
    expect(err(run('HEXPIRE', 'h', 10, 'BAD', 'FIELDS', 1, 'a'))).toBe('ERR Mandatory argument FIELDS is missing or not at the right position');
    expect(err(run('HEXPIRE', 'h', 10, 'FIELDS', 0, 'a'))).toBe('ERR Parameter `numFields` should be greater than 0');
    expect(err(run('HEXPIRE', 'h', 10, 'FIELDS', 'x', 'a'))).toBe('ERR Parameter `numFields` should be greater than 0');
    expect(err(run('HEXPIRE', 'h', 10, 'FIELDS', 2, 'a'))).toBe('ERR The `numfields` parameter must match the number of arguments');
    expect(err(run('HTTL', 'h', 'NOTFIELDS', 1, 'a'))).toBe('ERR Mandatory argument FIELDS is missing or not at the right position');
    expect(err(run('HTTL', 'h', 'FIELDS', 0, 'a'))).toBe('ERR Number of fields must be a positive integer');
    expect(err(run('HPERSIST', 'h', 'FIELDS', 'x', 'a'))).toBe('ERR Number of fields must be a positive integer');
    expect(err(run('HPTTL', 'h', 'FIELDS', 1, 'a', 'b'))).toBe('ERR The `numfields` parameter must match the number of arguments');
    expect(err(run('HEXPIRE', 'h', 10, 'FIELDS', 1))).toBe("ERR wrong number of arguments for 'hexpire' command");
  });

  it('logs relative field TTLs as HPEXPIREAT with the absolute time', () => {
    const { run, logged, clock } = setup();
    run('HSET', 'h', 'a', '1');
    logged.length = 0;
    run('HEXPIRE', 'h', 10, 'NX', 'FIELDS', 1, 'a');
    expect(logged).toEqual([['HPEXPIREAT', 'h', String(clock.now() + 10_000), 'NX', 'FIELDS', '1', 'a']]);
    logged.length = 0;
    run('HEXPIRE', 'h', 10, 'NX', 'FIELDS', 1, 'a');
    run('HTTL', 'h', 'FIELDS', 1, 'a');
    expect(logged).toEqual([]);
  });

  it('OBJECT ENCODING says listpackex while a listpack hash has field TTLs', () => {
    const { run, hash, limits } = setup();
    run('HSET', 'h', 'a', '1');
    expect(hash('h')!.encoding(limits)).toBe('listpack');
    run('HEXPIRE', 'h', 10, 'FIELDS', 1, 'a');
    expect(hash('h')!.encoding(limits)).toBe('listpackex');
  });
});

describe('hash encodings', () => {
  it('converts to hashtable past the entry or value limits and never back', () => {
    const { run, hash, limits, server } = setup();
    server.config.set('hash-max-listpack-entries', '4');
    for (let i = 0; i < 4; i++) run('HSET', 'h', `f${i}`, 'v');
    expect(hash('h')!.encoding(limits)).toBe('listpack');
    run('HSET', 'h', 'f4', 'v');
    expect(hash('h')!.encoding(limits)).toBe('hashtable');
    run('HDEL', 'h', 'f4', 'f3');
    expect(hash('h')!.encoding(limits)).toBe('hashtable');
    run('HSET', 'g', 'f', 'x'.repeat(64));
    expect(hash('g')!.encoding(limits)).toBe('listpack');
    run('HSET', 'g', 'f', 'x'.repeat(65));
    expect(hash('g')!.encoding(limits)).toBe('hashtable');
    run('HSET', 'g', 'f', 'short');
    expect(hash('g')!.encoding(limits)).toBe('hashtable');
    run('HINCRBY', 'k', 'x'.repeat(65), 1);
    expect(hash('k')!.encoding(limits)).toBe('hashtable');
  });
});

describe('HSCAN on a hashtable', () => {
  it('visits every field that stays for the whole scan, even with changes in between', () => {
    const { run } = setup();
    for (let i = 0; i < 1000; i++) run('HSET', 'h', `field:${i}`, String(i));
    const seen = new Map<string, string>();
    let cursor = '0';
    let calls = 0;
    do {
      const [next, items] = run('HSCAN', 'h', cursor, 'COUNT', 25) as [string, string[]];
      expect(items.length).toBeLessThan(60);
      for (let i = 0; i < items.length; i += 2) seen.set(items[i]!, items[i + 1]!);
      cursor = next;
      calls++;
      // Churn: remove some fields not yet seen and add new ones.
      run('HDEL', 'h', `field:${999 - calls}`);
      run('HSET', 'h', `extra:${calls}`, 'x');
    } while (cursor !== '0');
    expect(calls).toBeGreaterThan(10);
    for (let i = 0; i < 1000 - calls - 1; i++) expect(seen.get(`field:${i}`)).toBe(String(i));
  });

  it('NOVALUES returns only fields; MATCH filters', () => {
    const { run } = setup();
    run('HSET', 'h', 'a1', 'x', 'b1', 'y', 'a2', 'z');
    expect(run('HSCAN', 'h', 0, 'NOVALUES')).toEqual(['0', ['a1', 'b1', 'a2']]);
    expect(run('HSCAN', 'h', 0, 'MATCH', 'a*')).toEqual(['0', ['a1', 'x', 'a2', 'z']]);
  });
});

describe('HRANDFIELD', () => {
  it('RESP3 WITHVALUES answers pairs as arrays', () => {
    const { run, client } = setup();
    run('HSET', 'h', 'a', '1', 'b', '2', 'c', '3');
    client.resp = 3;
    const all = run('HRANDFIELD', 'h', 10, 'WITHVALUES') as string[][];
    expect(all.map((p) => p.join('=')).sort()).toEqual(['a=1', 'b=2', 'c=3']);
    const rep = run('HRANDFIELD', 'h', -5, 'WITHVALUES') as string[][];
    expect(rep).toHaveLength(5);
    for (const p of rep) expect(['a=1', 'b=2', 'c=3']).toContain(p.join('='));
    client.resp = 2;
    expect(run('HRANDFIELD', 'h', -5, 'WITHVALUES') as string[]).toHaveLength(10);
  });

  it('picks distinct fields for a positive count, and varies between reads', () => {
    const { run } = setup();
    for (let i = 0; i < 50; i++) run('HSET', 'h', `f${i}`, 'v');
    const pick = run('HRANDFIELD', 'h', 10) as string[];
    expect(new Set(pick).size).toBe(10);
    const picks = new Set<string>();
    for (let i = 0; i < 20; i++) picks.add(run('HRANDFIELD', 'h') as string);
    expect(picks.size).toBeGreaterThan(3);
  });

  it('same seed, same choices on two servers applying the same entries', () => {
    const results = [0, 1].map(() => {
      const server = new Server({ clock: manualClock() });
      const client = server.connect({ kind: 'test' });
      const apply = (seed: number, ...args: string[]) =>
        server.engine.apply(server.resolve(args) as CommandSpec, { db: 0, args, timeMs: 1_700_000_000_000, seed }, client);
      const fields: string[] = [];
      for (let i = 0; i < 40; i++) fields.push(`f${i}`, String(i));
      apply(1, 'HSET', 'h', ...fields);
      return [apply(7, 'HRANDFIELD', 'h'), apply(8, 'HRANDFIELD', 'h', '5'), apply(9, 'HRANDFIELD', 'h', '-5', 'WITHVALUES')];
    });
    expect(results[0]).toEqual(results[1]);
  });
});

describe('HINCRBYFLOAT', () => {
  it('is logged as HSET of the result', () => {
    const { run, logged } = setup();
    run('HINCRBYFLOAT', 'h', 'f', '10.5');
    run('HINCRBYFLOAT', 'h', 'f', '0.1');
    expect(logged).toEqual([['HSET', 'h', 'f', '10.5'], ['HSET', 'h', 'f', '10.6']]);
  });
});

describe('hash model check', () => {
  it('random operations agree with a Map', () => {
    const { run } = setup();
    const rnd = seededRandom(42);
    const pick = (n: number) => Math.floor(rnd() * n);
    const model = new Map<string, Map<string, string>>();
    const keys = ['h1', 'h2'];
    const fields = ['a', 'b', 'c', 'd', 'e', 'f'];
    for (let step = 0; step < 3000; step++) {
      const key = keys[pick(keys.length)]!;
      const f = fields[pick(fields.length)]!;
      const m = model.get(key);
      switch (pick(8)) {
        case 0: {
          const v = String(pick(100));
          const isNew = !m?.has(f);
          expect(run('HSET', key, f, v)).toBe(isNew ? 1 : 0);
          if (!model.has(key)) model.set(key, new Map());
          model.get(key)!.set(f, v);
          break;
        }
        case 1: {
          const existed = m?.delete(f) ?? false;
          expect(run('HDEL', key, f)).toBe(existed ? 1 : 0);
          if (m && m.size === 0) model.delete(key);
          break;
        }
        case 2: {
          const by = pick(21) - 10;
          const cur = m?.get(f);
          const next = BigInt(cur ?? '0') + BigInt(by);
          expect(run('HINCRBY', key, f, by)).toBe(next);
          if (!model.has(key)) model.set(key, new Map());
          model.get(key)!.set(f, next.toString());
          break;
        }
        case 3:
          expect(run('HSETNX', key, f, '7')).toBe(m?.has(f) ? 0 : 1);
          if (!m?.has(f)) {
            if (!model.has(key)) model.set(key, new Map());
            model.get(key)!.set(f, '7');
          }
          break;
        case 4:
          expect(run('HGET', key, f)).toBe(m?.get(f) ?? null);
          break;
        case 5:
          expect(run('HLEN', key)).toBe(m?.size ?? 0);
          break;
        case 6:
          expect(run('HGETALL', key)).toEqual(new MapReply(m ? [...m].flat() : []));
          break;
        default:
          expect(run('HEXISTS', key, f)).toBe(m?.has(f) ? 1 : 0);
      }
    }
  });
});

describe('hash keyspace events', () => {
  it('emits what Redis emits, where it emits it', () => {
    const { run, server } = setup();
    const events: string[] = [];
    server.engine.onNotify((type, event, key) => events.push(`${type} ${event} ${key}`));
    run('HSET', 'h', 'a', '1', 'b', '2');
    run('HSETNX', 'h', 'a', '1');
    run('HSETNX', 'h', 'c', '1');
    run('HINCRBY', 'h', 'n', 1);
    run('HINCRBYFLOAT', 'h', 'n', 1);
    run('HDEL', 'h', 'nope');
    run('HEXPIRE', 'h', 100, 'FIELDS', 1, 'a');
    run('HPERSIST', 'h', 'FIELDS', 1, 'a');
    run('HDEL', 'h', 'a', 'b', 'c', 'n');
    expect(events).toEqual([
      'h hset h', 'h hset h', 'h hincrby h', 'h hincrbyfloat h', 'h hexpire h', 'h hpersist h', 'h hdel h', 'g del h',
    ]);
  });
});

describe('RESP3 wire shapes', () => {
  it('HGETALL is a map, SMEMBERS a set, HRANDFIELD WITHVALUES pairs of arrays', async () => {
    const { RespWriter } = await import('../../src/core/resp/encoder.js');
    const { run, client } = setup();
    const wire = (r: Reply, proto: 2 | 3) => {
      const w = new RespWriter();
      w.write(r, proto);
      return Buffer.from(w.take()).toString('latin1');
    };
    run('HSET', 'h', 'a', '1');
    run('SADD', 's', 'x');
    expect(wire(run('HGETALL', 'h'), 3)).toBe('%1\r\n$1\r\na\r\n$1\r\n1\r\n');
    expect(wire(run('HGETALL', 'h'), 2)).toBe('*2\r\n$1\r\na\r\n$1\r\n1\r\n');
    expect(wire(run('HGETALL', 'missing'), 3)).toBe('%0\r\n');
    expect(wire(run('SMEMBERS', 's'), 3)).toBe('~1\r\n$1\r\nx\r\n');
    expect(wire(run('SINTER', 's', 'missing'), 3)).toBe('~0\r\n');
    client.resp = 3;
    expect(wire(run('HRANDFIELD', 'h', 1, 'WITHVALUES'), 3)).toBe('*1\r\n*2\r\n$1\r\na\r\n$1\r\n1\r\n');
  });
});

describe('hash field expiration model check', () => {
  it('random operations with field TTLs and a moving clock agree with a model', () => {
    const { run, clock } = setup();
    const rnd = seededRandom(99);
    const pick = (n: number) => Math.floor(rnd() * n);
    // field -> [value, expiry or Infinity]
    let model = new Map<string, [string, number]>();
    const fields = ['a', 'b', 'c', 'd', 'e'];
    const live = () => {
      const now = clock.now();
      return new Map([...model].filter(([, [, at]]) => at > now));
    };
    for (let step = 0; step < 4000; step++) {
      const f = fields[pick(fields.length)]!;
      const now = clock.now();
      switch (pick(9)) {
        case 0: {
          const v = String(pick(10));
          const m = live();
          expect(run('HSET', 'h', f, v)).toBe(m.has(f) ? 0 : 1);
          model = m;
          model.set(f, [v, Infinity]);
          break;
        }
        case 1: {
          const m = live();
          expect(run('HDEL', 'h', f)).toBe(m.delete(f) ? 1 : 0);
          model = m;
          break;
        }
        case 2: {
          const ms = pick(50);
          const m = live();
          const got = run('HPEXPIRE', 'h', ms, 'FIELDS', 1, f);
          if (!m.has(f)) expect(got).toEqual([-2]);
          else if (ms === 0) {
            expect(got).toEqual([2]);
            m.delete(f);
          } else {
            expect(got).toEqual([1]);
            m.get(f)![1] = now + ms;
          }
          model = m;
          break;
        }
        case 3: {
          const m = live();
          const entry = m.get(f);
          const got = run('HPERSIST', 'h', 'FIELDS', 1, f);
          expect(got).toEqual([entry === undefined ? -2 : entry[1] === Infinity ? -1 : 1]);
          if (entry) entry[1] = Infinity;
          model = m;
          break;
        }
        case 4:
          clock.advance(pick(20));
          break;
        case 5:
          expect(run('HGET', 'h', f)).toBe(live().get(f)?.[0] ?? null);
          break;
        case 6:
          expect(run('HLEN', 'h')).toBe(live().size);
          break;
        case 7: {
          const entry = live().get(f);
          expect(run('HPTTL', 'h', 'FIELDS', 1, f)).toEqual([entry === undefined ? -2 : entry[1] === Infinity ? -1 : entry[1] - now]);
          break;
        }
        default:
          expect(run('HGETALL', 'h')).toEqual(new MapReply([...live()].flatMap(([k, [v]]) => [k, v])));
      }
    }
  });
});
