/**
 * Runs every scenario file in test/diff/scenarios against ubique and a real
 * redis-server and compares the raw replies.
 */
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { listen, type ListeningServer } from '../../src/node.js';
import { startRedis, type RunningRedis } from '../helpers/redis-server.js';
import { compareScenario, describeMismatches, loadScenarios } from '../helpers/scenarios.js';

const dir = join(import.meta.dirname, 'scenarios');
const files = readdirSync(dir).filter((f) => f.endsWith('.txt')).sort();

let ubique: ListeningServer;
let redis: RunningRedis;

beforeAll(async () => {
  [ubique, redis] = await Promise.all([listen({ port: 0 }), startRedis()]);
});

afterAll(async () => {
  await Promise.all([ubique?.close(), redis?.stop()]);
});

for (const file of files) {
  describe(file, () => {
    for (const sc of loadScenarios(join(dir, file))) {
      it(sc.name, async () => {
        const mismatches = await compareScenario(ubique.port, redis.port, sc);
        expect(mismatches, describeMismatches(mismatches)).toEqual([]);
      });
    }
  });
}
