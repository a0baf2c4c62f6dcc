/**
 * Proves the simulator can fail: with each planted bug switched on, some seed
 * among the first 2000 must break an invariant.
 */
import { describe, expect, it } from 'vitest';
import { RawNode } from '../../src/core/raft/raw-node.js';
import { PLANT_NAMES } from '../../src/core/raft/plants.js';
import { MemoryStorage } from '../../src/core/raft/storage.js';
import { runSeed } from './simulator.js';

const MAX_SEEDS = 2000;

describe('planted bugs', () => {
  for (const plant of PLANT_NAMES) {
    it(`catches ${plant}`, () => {
      let caught: string | undefined;
      for (let seed = 1; seed <= MAX_SEEDS && caught === undefined; seed++) {
        const res = runSeed({ seed, plant });
        if (!res.ok) caught = `seed ${seed}: ${res.violation}`;
      }
      expect(caught, `${plant} survived ${MAX_SEEDS} seeds`).toBeDefined();
    }, 600_000);
  }

  it('refuses planted bugs unless explicitly allowed', () => {
    expect(
      () => new RawNode({ id: 'a', storage: new MemoryStorage({ voters: ['a'], learners: [] }), electionTick: 10, heartbeatTick: 1, plants: new Set(['vote-ignores-log']) }),
    ).toThrow(/allowPlantedBugs/);
  });
});

describe('determinism', () => {
  it('replays a seed exactly', () => {
    const trace1: string[] = [];
    const trace2: string[] = [];
    const a = runSeed({ seed: 4242, trace: (l) => trace1.push(l) });
    const b = runSeed({ seed: 4242, trace: (l) => trace2.push(l) });
    expect(a).toEqual(b);
    expect(trace1).toEqual(trace2);
    expect(trace1.length).toBeGreaterThan(0);
  });

  it('differs between seeds', () => {
    expect(runSeed({ seed: 1 }).stats).not.toEqual(runSeed({ seed: 2 }).stats);
  });
});
