/**
 * node-redis (v5) against a real ubique TCP server, in its default RESP2
 * mode; RESP3 once the server answers HELLO. Add a `describe` block per
 * command group as groups land.
 */
import { createClient, RESP_TYPES } from 'redis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { listen, type ListeningServer } from '../../src/node.js';

let srv: ListeningServer;

beforeAll(async () => {
  srv = await listen({ port: 0 });
});

afterAll(async () => {
  await srv.close();
});

async function connect(options: { RESP?: 2 | 3 } = {}) {
  const client = createClient({ socket: { port: srv.port, host: '127.0.0.1', reconnectStrategy: false }, ...options });
  client.on('error', () => {});
  await client.connect();
  return client;
}

async function withClient<T>(fn: (c: Awaited<ReturnType<typeof connect>>) => Promise<T>): Promise<T> {
  const client = await connect();
  try {
    return await fn(client);
  } finally {
    client.destroy();
  }
}

describe('node-redis: RESP2', () => {
  it('PING, ECHO, SET, GET, DEL, DBSIZE', () =>
    withClient(async (c) => {
      await c.flushAll();
      expect(await c.ping()).toBe('PONG');
      expect(await c.echo('héllo')).toBe('héllo');
      expect(await c.set('k', 'v')).toBe('OK');
      expect(await c.get('k')).toBe('v');
      expect(await c.get('missing')).toBeNull();
      expect(await c.dbSize()).toBe(1);
      expect(await c.del(['k', 'other'])).toBe(1);
      expect(await c.dbSize()).toBe(0);
    }));

  it('SELECT keeps databases apart', () =>
    withClient(async (c) => {
      await c.flushAll();
      await c.set('x', '0');
      await c.select(2);
      expect(await c.get('x')).toBeNull();
      await c.select(0);
      expect(await c.get('x')).toBe('0');
    }));

  it('binary values as Buffers', () =>
    withClient(async (c) => {
      const value = Buffer.from([0, 1, 2, 0xfe, 0xff, 13, 10]);
      await c.set('bin', value);
      const back = await c.withTypeMapping({ [RESP_TYPES.BLOB_STRING]: Buffer }).get('bin');
      expect(Buffer.isBuffer(back)).toBe(true);
      expect(Buffer.compare(back as Buffer, value)).toBe(0);
    }));

  it('a multi-command pipeline (auto-pipelined Promise.all)', () =>
    withClient(async (c) => {
      await c.flushAll();
      const n = 2000;
      await Promise.all(Array.from({ length: n }, (_, i) => c.set(`k${i}`, String(i))));
      const values = await Promise.all(Array.from({ length: n }, (_, i) => c.get(`k${i}`)));
      expect(values).toEqual(Array.from({ length: n }, (_, i) => String(i)));
    }));

  it('error replies reject with the server message', () =>
    withClient(async (c) => {
      await expect(c.sendCommand(['NOSUCHCOMMAND'])).rejects.toThrow(/^ERR unknown command 'NOSUCHCOMMAND'/);
      await expect(c.sendCommand(['GET'])).rejects.toThrow("ERR wrong number of arguments for 'get' command");
      expect(await c.ping()).toBe('PONG');
    }));
});

describe('node-redis: RESP3', () => {
  it('connects with RESP: 3 when the server answers HELLO', async () => {
    const hello = srv.server.commands.lookup('hello');
    if (hello === undefined) {
      // Without HELLO, node-redis must fail the handshake rather than hang.
      await expect(connect({ RESP: 3 })).rejects.toThrow(/unknown command 'HELLO'/);
      return;
    }
    const c = await connect({ RESP: 3 });
    try {
      expect(await c.set('k3', 'v')).toBe('OK');
      expect(await c.get('k3')).toBe('v');
      expect(await c.get('nothing')).toBeNull();
    } finally {
      c.destroy();
    }
  });
});
