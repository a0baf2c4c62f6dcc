/**
 * The ubique/client over TCP against the Node server and a real redis-server:
 * commands, reconnect after a server restart (with re-subscription), lost
 * connections, timeouts.
 */
import { Redis } from 'ioredis';
import { afterEach, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { connect, type Client } from '../../src/client.js';
import { listen, type ListeningServer } from '../../src/node.js';
import { freePort, startRedis } from '../helpers/redis-server.js';

const cleanup: (() => unknown)[] = [];
afterEach(async () => {
  for (const f of cleanup.splice(0).reverse()) await f();
});

async function server(port = 0, ws = true): Promise<ListeningServer> {
  const s = await listen({ port, ws });
  cleanup.push(() => s.close());
  return s;
}

async function client(url: string, options = {}): Promise<Client> {
  const c = await connect(url, { WebSocket: WebSocket as never, ...options });
  cleanup.push(() => c.close());
  return c;
}

describe('ubique/client', () => {
  it('speaks TCP to ubique and to a real redis-server alike', async () => {
    const redis = await startRedis();
    cleanup.push(() => redis.stop());
    const srv = await server();
    for (const port of [srv.port, redis.port]) {
      const c = await client(`redis://127.0.0.1:${port}`);
      expect(await c.command('SET', 'c:k', 'héllo', { ex: 100 })).toBe('OK');
      expect(await c.command('GET', 'c:k')).toBe('héllo');
      expect(await c.command('TTL', 'c:k')).toBe(100);
      await expect(c.command('NOSUCH')).rejects.toThrow(/unknown command/);
      expect(await c.command('CLIENT', 'SETNAME', 'x')).toBe('OK');
      expect(await c.client('GETNAME')).toBe('x');
      expect(await c.bitfieldRo('c:bits', 'GET', 'u8', 0)).toEqual([0]);
    }
  });

  it('subscribes to a real redis-server too, in RESP2 and RESP3, channels and patterns', async () => {
    const redis = await startRedis();
    cleanup.push(() => redis.stop());
    const pub = new Redis(redis.port, '127.0.0.1');
    cleanup.push(() => pub.disconnect());
    for (const protocol of [2, 3] as const) {
      const c = await client(`redis://127.0.0.1:${redis.port}`, { protocol });
      const got: string[] = [];
      const stop = await c.subscribe(['a', 'b'], (m) => got.push(`${m.channel}=${m.message}`));
      const stopP = await c.subscribe('p.*', (m) => got.push(`${m.pattern}:${m.channel}=${m.message}`), { pattern: true });
      await pub.publish('a', '1');
      await pub.publish('p.x', '2');
      await expect.poll(() => got.length).toBe(2);
      expect(got).toEqual(['a=1', 'p.*:p.x=2']);
      await stop();
      await stopP();
      expect(await pub.publish('a', 'gone')).toBe(0);
      // The command connection was never in subscribe mode.
      expect(await c.command('GET', 'nothing')).toBe(null);
    }
  });

  it('reconnects after a server restart, re-subscribes, and sends what was queued meanwhile', async () => {
    const port = await freePort();
    let srv: ListeningServer | null = await listen({ port, ws: true });
    cleanup.push(() => srv?.close());
    const states: string[] = [];
    const c = await client(`ws://127.0.0.1:${port}`, { reconnect: { minDelay: 20, maxDelay: 100 }, onState: (s: string) => states.push(s) });
    const got: string[] = [];
    await c.subscribe('events', (m) => got.push(m.message));
    await c.command('SET', 'before', '1');

    await srv.close();
    srv = null;
    await expect.poll(() => c.state).toBe('reconnecting');
    // Issued while disconnected: held, then sent on the new connection.
    const pending = c.command('SET', 'during', '2');
    srv = await listen({ port, ws: true });
    expect(await pending).toBe('OK');
    expect(states).toContain('reconnecting');

    const pub = new Redis(port, '127.0.0.1');
    cleanup.push(() => pub.disconnect());
    // The subscriber connection reconnects on its own schedule; publish until it is back.
    await expect.poll(async () => {
      await pub.publish('events', 'after-restart');
      return got.length;
    }, { timeout: 5000, interval: 50 }).toBeGreaterThan(0);
    expect(got[0]).toBe('after-restart');
  });

  it('fails a command that was sent when the connection dropped with CONNECTION_LOST', async () => {
    const srv = await server();
    const admin = new Redis(srv.port, '127.0.0.1');
    cleanup.push(() => admin.disconnect());
    const c = await client(`ws://127.0.0.1:${srv.port}`, { reconnect: false });
    await admin.call('CLIENT', 'PAUSE', '10000', 'ALL');
    const held = c.command('GET', 'k');
    held.catch(() => {}); // checked below; it fails while the server closes
    await new Promise((r) => setTimeout(r, 50));
    await srv.close();
    await expect(held).rejects.toMatchObject({ name: 'UbiqueError', code: 'CONNECTION_LOST' });
    await expect(held).rejects.toThrow('may or may not have run');
    await expect(c.command('GET', 'k')).rejects.toMatchObject({ code: 'CONNECTION_CLOSED' });
  });

  it('times out a command that gets no reply, and keeps later replies in order', async () => {
    const srv = await server();
    const admin = new Redis(srv.port, '127.0.0.1');
    cleanup.push(() => admin.disconnect());
    const c = await client(`redis://127.0.0.1:${srv.port}`, { commandTimeout: 100 });
    await admin.call('CLIENT', 'PAUSE', '300', 'ALL');
    const slow = c.command('GET', 'k');
    await expect(slow).rejects.toMatchObject({ code: 'TIMEOUT' });
    // After the pause, the late reply to GET is dropped; ECHO gets its own.
    await new Promise((r) => setTimeout(r, 300));
    expect(await c.command('ECHO', 'mine')).toBe('mine');
  });

  it('authenticates on connect, from options or the URL, and refuses a wrong password clearly', async () => {
    const srv = await listen({ port: 0, config: { requirepass: 'secret' } });
    cleanup.push(() => srv.close());
    await expect(connect(`redis://127.0.0.1:${srv.port}`, { password: 'wrong' })).rejects.toMatchObject({ code: 'HANDSHAKE_FAILED' });
    const a = await client(`redis://:secret@127.0.0.1:${srv.port}`);
    expect(await a.command('PING')).toBe('PONG');
    const b = await client(`redis://127.0.0.1:${srv.port}`, { password: 'secret', protocol: 2, db: 3, name: 'app' });
    expect(await b.command('CLIENT', 'GETNAME')).toBe('app');
    await b.command('SET', 'in3', 'x');
    expect(await a.command('EXISTS', 'in3')).toBe(0);
  });

  it('times out a command waiting for a reconnect, saying it was not sent', async () => {
    const srv = await listen({ port: 0 });
    const c = await client(`redis://127.0.0.1:${srv.port}`, { commandTimeout: 150, reconnect: { minDelay: 1000 } });
    await srv.close();
    await expect.poll(() => c.state).toBe('reconnecting');
    await expect(c.command('GET', 'k')).rejects.toThrow(/not connected within 150 ms; it was not sent/);
  });

  it('finds a WebSocket class on Node 20 (the ws package) when none is passed', async () => {
    const srv = await server();
    const c = await connect(`ws://127.0.0.1:${srv.port}`);
    cleanup.push(() => c.close());
    expect(await c.command('PING')).toBe('PONG');
  });

  it('fails to connect with a clear error', async () => {
    const port = await freePort();
    await expect(connect(`redis://127.0.0.1:${port}`)).rejects.toMatchObject({ code: 'CONNECT_FAILED' });
    await expect(connect(`ws://127.0.0.1:${port}`, { WebSocket: WebSocket as never })).rejects.toMatchObject({ code: 'CONNECT_FAILED' });
    await expect(connect('http://127.0.0.1:1')).rejects.toMatchObject({ code: 'BAD_URL' });
  });
});
