import { it } from 'vitest';
import { BATCH_TIMEOUT_MS, runBatch } from './seeds.js';

it('holds every invariant for seeds 2501..5000', () => runBatch(1), BATCH_TIMEOUT_MS);
