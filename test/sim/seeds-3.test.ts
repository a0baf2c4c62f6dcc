import { it } from 'vitest';
import { BATCH_TIMEOUT_MS, runBatch } from './seeds.js';

it('holds every invariant for seeds 5001..7500', () => runBatch(2), BATCH_TIMEOUT_MS);
