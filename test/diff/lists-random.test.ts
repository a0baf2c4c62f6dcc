/**
 * Seeded random sequences of list commands (and SORT) run against ubique and
 * a real redis-server: every reply must be the same, byte for byte.
 */
import { describe, expect, it } from 'vitest';
import { seededRandom } from '../../src/core/random.js';
import { differentialServers } from '../helpers/diff-pair.js';

const servers = differentialServers();

function randomCommands(seed: number, n: number): string[][] {
  const rnd = seededRandom(seed);
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rnd() * xs.length)]!;
  const int = (lo: number, hi: number) => String(lo + Math.floor(rnd() * (hi - lo + 1)));
  const keys = ['a', 'b', 'c', 's'];
  const values = ['x', 'y', 'z', '1', '2', '10', '-3', ''];
  const end = () => pick(['LEFT', 'RIGHT']);
  const gens: (() => string[])[] = [
    () => ['LPUSH', pick(keys), pick(values), pick(values)],
    () => ['RPUSH', pick(keys), pick(values)],
    () => ['LPUSHX', pick(keys), pick(values)],
    () => ['RPUSHX', pick(keys), pick(values)],
    () => ['LPOP', pick(keys)],
    () => ['RPOP', pick(keys), int(0, 3)],
    () => ['LLEN', pick(keys)],
    () => ['LRANGE', pick(keys), int(-5, 5), int(-5, 5)],
    () => ['LINDEX', pick(keys), int(-5, 5)],
    () => ['LSET', pick(keys), int(-4, 4), pick(values)],
    () => ['LINSERT', pick(keys), pick(['BEFORE', 'AFTER']), pick(values), pick(values)],
    () => ['LREM', pick(keys), int(-2, 2), pick(values)],
    () => ['LTRIM', pick(keys), int(-4, 3), int(-4, 6)],
    () => ['LPOS', pick(keys), pick(values), 'RANK', pick(['1', '2', '-1', '-2']), 'COUNT', int(0, 2)],
    () => ['LMOVE', pick(keys), pick(keys), end(), end()],
    () => ['RPOPLPUSH', pick(keys), pick(keys)],
    () => ['LMPOP', '2', pick(keys), pick(keys), end(), 'COUNT', int(1, 3)],
    () => ['BLPOP', pick(keys), pick(keys), '0.001'],
    () => ['BLMOVE', pick(keys), pick(keys), end(), end(), '0.001'],
    () => ['SORT', pick(keys), 'ALPHA', 'LIMIT', int(0, 2), int(-1, 3), pick(['ASC', 'DESC'])],
    () => ['SORT', pick(keys), 'BY', 'nosort', pick(['ASC', 'DESC'])],
    () => ['SET', 's', pick(values)],
    () => ['DEL', pick(keys)],
  ];
  return Array.from({ length: n }, () => pick(gens)());
}

describe('random list command sequences', () => {
  for (const seed of [1, 2, 3, 4]) {
    it(`seed ${seed}`, async () => {
      const commands = randomCommands(seed, 400);
      const { ubique, redis } = await servers.run(async (connect) => {
        const c = await connect();
        const out: string[] = [];
        for (const cmd of commands) out.push(`${cmd.join(' ')} -> ${await c.call(...cmd)}`);
        return out;
      });
      expect(ubique).toEqual(redis);
    });
  }
});
