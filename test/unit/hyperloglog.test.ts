/**
 * HyperLogLog: accuracy, and byte compatibility with redis-server in both
 * directions (an HLL written by one counts the same in the other).
 */
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { manualClock } from '../../src/core/clock.js';
import type { CommandSpec } from '../../src/core/commands/types.js';
import type { Reply } from '../../src/core/resp/reply.js';
import { Server } from '../../src/core/server.js';
import { startRedis, type RunningRedis } from '../helpers/redis-server.js';

function setup() {
  const server = new Server({ clock: manualClock() });
  const client = server.connect({ kind: 'test' });
  const run = (...args: string[]): Reply => server.dispatch(client, args) as Reply;
  return { server, client, run };
}

function batches(prefix: string, total: number, size = 1000): string[][] {
  const out: string[][] = [];
  for (let i = 0; i < total; i += size) out.push(Array.from({ length: Math.min(size, total - i) }, (_, j) => `${prefix}${i + j}`));
  return out;
}

let redis: RunningRedis;
let oracle: Redis;

beforeAll(async () => {
  redis = await startRedis();
  oracle = new Redis({ port: redis.port, host: '127.0.0.1' });
});

afterAll(async () => {
  oracle?.disconnect();
  await redis?.stop();
});

describe('HyperLogLog accuracy', () => {
  it('estimates 100k distinct elements within 3%', () => {
    const { run } = setup();
    for (const b of batches('element:', 100_000)) run('PFADD', 'h', ...b);
    const n = run('PFCOUNT', 'h') as number;
    expect(Math.abs(n - 100_000) / 100_000).toBeLessThan(0.03);
    // Adding the same elements again changes nothing.
    expect(run('PFADD', 'h', 'element:5', 'element:99999')).toBe(0);
  });

  it('counts a union over several keys and PFMERGE agrees', () => {
    const { run } = setup();
    for (const b of batches('a', 20_000)) run('PFADD', 'x', ...b);
    for (const b of batches('a', 20_000)) run('PFADD', 'y', ...b.map((e) => e + 'y'));
    const union = run('PFCOUNT', 'x', 'y') as number;
    expect(Math.abs(union - 40_000) / 40_000).toBeLessThan(0.03);
    run('PFMERGE', 'z', 'x', 'y');
    expect(run('PFCOUNT', 'z')).toBe(union);
  });

  it('PFCOUNT refreshes the cached count only on the write path', () => {
    const server = new Server({ clock: manualClock() });
    const client = server.connect({ kind: 'test' });
    server.dispatch(client, ['PFADD', 'h', 'a', 'b', 'c']);
    const before = server.engine.dbs[0]!.data.get('h') as string;
    expect(server.dispatch(client, ['PFCOUNT', 'h'])).toBe(3);
    expect(server.engine.dbs[0]!.data.get('h')).toBe(before);
    const args = ['PFCOUNT', 'h'];
    expect(server.engine.apply(server.resolve(args) as CommandSpec, { db: 0, args, timeMs: 0, seed: 0 }, client)).toBe(3);
    const after = server.engine.dbs[0]!.data.get('h') as string;
    expect(after.charCodeAt(8)).toBe(3);
    expect(after.charCodeAt(15) & 0x80).toBe(0);
    expect(server.dispatch(client, ['PFCOUNT', 'h'])).toBe(3);
  });
});

describe('HyperLogLog parse cache', () => {
  it('keys holding equal bytes stay independent', () => {
    const { run } = setup();
    for (const b of batches('k', 5000)) run('PFADD', 'a', ...b);
    run('SET', 'b', run('GET', 'a') as string);
    const before = run('PFCOUNT', 'b') as number;
    for (let i = 0; i < 200; i++) {
      run('PFADD', 'a', `extra${i}`);
      run('PFADD', 'c', `other${i}`);
    }
    expect(run('PFCOUNT', 'b')).toBe(before);
    expect(run('PFCOUNT', 'a') as number).toBeGreaterThan(before);
    // A fresh parse of the stored bytes agrees with what the cache answered.
    const fresh = setup();
    fresh.run('SET', 'a', run('GET', 'a') as string);
    expect(fresh.run('PFCOUNT', 'a')).toBe(run('PFCOUNT', 'a'));
    const rebuilt = setup();
    // One big PFADD rewrites the whole string instead of splicing small changes in.
    rebuilt.run('PFADD', 'a', ...batches('k', 5000).flat(), ...Array.from({ length: 200 }, (_, i) => `extra${i}`));
    expect((rebuilt.run('GET', 'a') as string)).toBe(run('GET', 'a'));
  });
});

describe('HyperLogLog bytes match redis-server', () => {
  for (const [label, total] of [['sparse', 500], ['dense', 20_000]] as const) {
    it(`a ${label} HLL written by redis-server counts the same here`, async () => {
      const { run } = setup();
      await oracle.del('h');
      for (const b of batches('el', total)) await oracle.pfadd('h', ...b);
      const bytes = (await oracle.getBuffer('h'))!.toString('latin1');
      run('SET', 'h', bytes);
      expect(run('PFCOUNT', 'h')).toBe(await oracle.pfcount('h'));
      // And adding the same elements here gives the same bytes as there.
      for (const b of batches('el', total)) run('PFADD', 'mine', ...b);
      const mine = run('GET', 'mine') as string;
      const theirs = (await oracle.getBuffer('h'))!.toString('latin1');
      expect(mine.slice(16)).toBe(theirs.slice(16));
    });
  }

  it('an HLL written here counts the same in redis-server', async () => {
    const { run } = setup();
    for (const b of batches('u', 5000)) run('PFADD', 'h', ...b);
    const bytes = run('GET', 'h') as string;
    await oracle.set('copy', Buffer.from(bytes, 'latin1'));
    expect(await oracle.pfcount('copy')).toBe(run('PFCOUNT', 'h'));
  });
});
