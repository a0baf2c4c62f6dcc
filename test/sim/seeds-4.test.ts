import { it } from 'vitest';
import { BATCH_TIMEOUT_MS, runBatch } from './seeds.js';

it('holds every invariant for seeds 7501..10000', () => runBatch(3), BATCH_TIMEOUT_MS);
