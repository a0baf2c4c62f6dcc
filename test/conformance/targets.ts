/**
 * Conformance targets: the embedded engine, and the network client. Used by
 * every runtime's runner.
 */
import type { Client } from '../../src/client.js';
import type { Db } from '../../src/index.js';
import type { Target } from './run.js';

export function embeddedTarget(db: Db): Target {
  const stops: (() => void)[] = [];
  return {
    command: (args) => db.command(String(args[0]), ...args.slice(1)),
    subscribe: async (channel, onMessage) => {
      stops.push(db.subscribe(channel, (m) => onMessage(m.channel, m.message)));
    },
    reset: async () => {
      for (const stop of stops.splice(0)) stop();
      await db.command('SELECT', 0);
      await db.command('FLUSHALL');
    },
  };
}

export function clientTarget(client: Client): Target {
  const stops: (() => Promise<void>)[] = [];
  return {
    command: (args) => client.command(String(args[0]), ...args.slice(1)),
    subscribe: async (channel, onMessage) => {
      stops.push(await client.subscribe(channel, (m) => onMessage(m.channel, m.message)));
    },
    reset: async () => {
      for (const stop of stops.splice(0)) await stop();
      await client.command('SELECT', 0);
      await client.command('FLUSHALL');
    },
  };
}
