/**
 * Shared runner for the CI seed batches. CI runs seeds 1..10000 split across
 * four files (so vitest's two workers share them), 250 faulty steps plus 60
 * settling steps each — about 13-15 ms of CPU per seed.
 */
import { expect } from 'vitest';
import { runSeed } from './simulator.js';

export const SEEDS_PER_BATCH = 2500;
export const BATCH_TIMEOUT_MS = 600_000;

export function runBatch(batch: number): void {
  const from = batch * SEEDS_PER_BATCH + 1;
  const failures: string[] = [];
  let elections = 0;
  let acked = 0;
  let reads = 0;
  for (let seed = from; seed < from + SEEDS_PER_BATCH; seed++) {
    const res = runSeed({ seed });
    elections += res.stats.elections;
    acked += res.stats.acked;
    reads += res.stats.reads;
    if (!res.ok) failures.push(`seed ${seed} step ${res.step}: ${res.violation} (replay: npm run sim -- --seed ${seed} --trace)`);
  }
  expect(failures).toEqual([]);
  // The batch must actually exercise the system, not pass vacuously.
  expect(elections).toBeGreaterThan(SEEDS_PER_BATCH);
  expect(acked).toBeGreaterThan(SEEDS_PER_BATCH * 10);
  expect(reads).toBeGreaterThan(SEEDS_PER_BATCH * 5);
}
