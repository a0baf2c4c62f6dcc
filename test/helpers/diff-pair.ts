/**
 * Differential runs that need several connections: the same script runs
 * against ubique and a real redis-server, and returns what it observed.
 */
import { afterAll, beforeAll } from 'vitest';
import { listen, type ListeningServer } from '../../src/node.js';
import { startRedis, type RunningRedis } from './redis-server.js';
import { RawClient } from './resp-client.js';

export type Script = (connect: () => Promise<RawClient>) => Promise<unknown>;

export function differentialServers(): { run(script: Script): Promise<{ ubique: unknown; redis: unknown }> } {
  let ubique: ListeningServer;
  let redis: RunningRedis;
  beforeAll(async () => {
    [ubique, redis] = await Promise.all([listen({ port: 0 }), startRedis()]);
  });
  afterAll(async () => {
    await Promise.all([ubique?.close(), redis?.stop()]);
  });
  async function on(port: number, script: Script): Promise<unknown> {
    const opened: RawClient[] = [];
    const connect = async () => {
      const c = await RawClient.connect(port);
      opened.push(c);
      return c;
    };
    const first = await connect();
    await first.call('FLUSHALL');
    try {
      return await script(connect);
    } finally {
      for (const c of opened) c.close();
    }
  }
  return {
    async run(script) {
      return { ubique: await on(ubique.port, script), redis: await on(redis.port, script) };
    },
  };
}
