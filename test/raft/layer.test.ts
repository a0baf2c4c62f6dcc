/**
 * The Raft core must run in every JS runtime and be deterministic: no Node
 * modules or globals, no clocks, timers or ambient randomness.
 */
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

const dir = join(import.meta.dirname, '../../src/core/raft');
const files = readdirSync(dir).filter((f) => f.endsWith('.ts'));

const forbidden: [string, RegExp][] = [
  ['node: imports', /from ['"]node:/],
  ['Buffer', /\bBuffer\b/],
  ['process', /\bprocess\./],
  ['Deno', /\bDeno\./],
  ['Math.random', /Math\.random/],
  ['Date', /\bDate\.now|new Date\b/],
  ['performance', /\bperformance\./],
  ['timers', /\bset(Timeout|Interval|Immediate)\b/],
  ['DOM globals', /\b(window|document|localStorage)\./],
];

describe('layer rule for src/core/raft', () => {
  it('has source files to check', () => {
    expect(files.length).toBeGreaterThan(10);
  });
  for (const f of files) {
    it(`${f} uses only web-standard, deterministic APIs`, () => {
      const src = readFileSync(join(dir, f), 'utf8')
        .replace(/\/\*[\s\S]*?\*\//g, '')
        .replace(/\/\/.*$/gm, '');
      const hits = forbidden.filter(([, re]) => re.test(src)).map(([name]) => name);
      expect(hits).toEqual([]);
    });
    it(`${f} starts with a module comment and imports with .js extensions`, () => {
      const src = readFileSync(join(dir, f), 'utf8');
      expect(src.startsWith('/**')).toBe(true);
      for (const m of src.matchAll(/from '(\.[^']+)'/g)) expect(m[1]).toMatch(/\.js$/);
    });
  }
});
