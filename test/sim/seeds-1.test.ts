import { it } from 'vitest';
import { BATCH_TIMEOUT_MS, runBatch } from './seeds.js';

it('holds every invariant for seeds 1..2500', () => runBatch(0), BATCH_TIMEOUT_MS);
