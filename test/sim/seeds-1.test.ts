import { it } from 'vitest';
import { BATCH_TIMEOUT_MS, SEEDS_PER_BATCH, runBatch } from './seeds.js';

it(`holds every invariant for seeds 0 * ${SEEDS_PER_BATCH} + 1 onwards`, () => runBatch(0), BATCH_TIMEOUT_MS);
