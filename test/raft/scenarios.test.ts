/**
 * Runs every scenario script in test/raft/scenarios and compares the output
 * block by block. UPDATE_SCENARIOS=1 rewrites the expected output instead.
 */
import { readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { Interaction, parseScript, rewriteScript, runBlock } from './interaction.js';

const dir = join(import.meta.dirname, 'scenarios');
const files = readdirSync(dir).filter((f) => f.endsWith('.txt')).sort();

describe('scenario scripts', () => {
  it('finds scenario files', () => {
    expect(files.length).toBeGreaterThan(5);
  });
  for (const file of files) {
    it(file, () => {
      const path = join(dir, file);
      const text = readFileSync(path, 'utf8');
      const blocks = parseScript(text);
      const sim = new Interaction();
      const actual = blocks.map((b) => runBlock(sim, b.command));
      if (process.env.UPDATE_SCENARIOS === '1') {
        writeFileSync(path, rewriteScript(text, actual));
        return;
      }
      blocks.forEach((b, i) => {
        expect(actual[i], `${file}:${b.line}: ${b.command}`).toBe(b.expected);
      });
    });
  }
});
