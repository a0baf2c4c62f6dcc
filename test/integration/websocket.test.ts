/**
 * RESP over WebSocket against the Node server: same port as RESP and a port
 * of its own, pipelining, pub/sub with a TCP publisher, RESP3 push, origin and
 * message size limits.
 */
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { connect, type Client } from '../../src/client.js';
import { listen, type ListeningServer } from '../../src/node.js';

let srv: ListeningServer;
const clients: Client[] = [];

async function wsClient(url: string, options = {}): Promise<Client> {
  const c = await connect(url, { WebSocket: WebSocket as never, ...options });
  clients.push(c);
  return c;
}

beforeAll(async () => {
  srv = await listen({ port: 0, ws: { allowedOrigins: ['http://good.example'], maxMessageSize: 64 * 1024 }, wsPort: 0 });
});

afterAll(async () => {
  for (const c of clients) c.close();
  await srv.close();
});

describe('RESP over WebSocket (Node server)', () => {
  it('answers on the RESP port and on the separate port', async () => {
    const a = await wsClient(`ws://127.0.0.1:${srv.port}`);
    const b = await wsClient(`ws://127.0.0.1:${srv.wsPort}`);
    expect(await a.set('ws:k', 'v1')).toBe('OK');
    expect(await b.get('ws:k')).toBe('v1');
    // Plain RESP clients still work on the shared port.
    const redis = new Redis(srv.port, '127.0.0.1', { lazyConnect: true });
    await redis.connect();
    expect(await redis.get('ws:k')).toBe('v1');
    redis.disconnect();
  });

  it('an inline GET on the RESP port is still a command', async () => {
    const net = await import('node:net');
    const reply = await new Promise<string>((resolve) => {
      const s = net.connect(srv.port, '127.0.0.1', () => s.write('GET ws:k\r\n'));
      s.on('data', (d) => {
        resolve(d.toString('latin1'));
        s.destroy();
      });
    });
    expect(reply).toBe('$2\r\nv1\r\n');
  });

  it('reads an upgrade request split across reads, and answers plain HTTP with 426', async () => {
    const net = await import('node:net');
    const talk = (parts: string[]) =>
      new Promise<string>((resolve) => {
        const s = net.connect(srv.port, '127.0.0.1', async () => {
          for (const p of parts) {
            s.write(p);
            await new Promise((r) => setTimeout(r, 30));
          }
        });
        s.once('data', (d) => {
          resolve(d.toString('latin1').split('\r\n')[0]!);
          s.destroy();
        });
      });
    const key = 'dGhlIHNhbXBsZSBub25jZQ==';
    expect(await talk(['GET / HTTP/1.1\r\nHost: x\r\n', `Upgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Key: ${key}\r\nSec-WebSocket-Version: 13\r\n\r\n`])).toBe('HTTP/1.1 101 Switching Protocols');
    expect(await talk(['GET /index.html HTTP/1.1\r\nHost: x\r\n\r\n'])).toBe('HTTP/1.1 426 Upgrade Required');
  });

  it('pipelines many commands written without waiting', async () => {
    const c = await wsClient(`ws://127.0.0.1:${srv.port}`);
    const replies = await Promise.all(Array.from({ length: 500 }, (_, i) => c.command('INCR', 'ws:n').then((r) => [i, r] as const)));
    expect(replies.every(([i, r]) => r === i + 1)).toBe(true);
    const [set, wrong, get] = await c.pipeline([['SET', 'ws:p', 'x'], ['INCR', 'ws:p'], ['GET', 'ws:p']]);
    expect([set, get]).toEqual(['OK', 'x']);
    expect(wrong).toBeInstanceOf(Error);
    expect((wrong as Error).message).toBe('ERR value is not an integer or out of range');
  });

  it('runs a transaction and throws error replies as ReplyError', async () => {
    const c = await wsClient(`ws://127.0.0.1:${srv.port}`);
    expect(await c.transaction([['SET', 'ws:t', '1'], ['INCRBY', 'ws:t', 5]])).toEqual(['OK', 6]);
    // Commands from other callers in the same tick stay outside the transaction.
    const tx = c.multi().set('ws:t2', 'a').append('ws:t2', 'b').get('ws:t2').exec();
    const outside = c.command('ECHO', 'not queued');
    expect(await tx).toEqual(['OK', 2, 'ab']);
    expect(await outside).toBe('not queued');
    await expect(c.command('INCR', 'ws:k')).rejects.toMatchObject({ name: 'ReplyError', code: 'ERR' });
  });

  it('watch(): a transaction on a connection of its own fails when a watched key changed', async () => {
    const c = await wsClient(`ws://127.0.0.1:${srv.port}`);
    await c.set('ws:bal', '100');
    const tx = await c.watch('ws:bal');
    const bal = Number(await tx.get('ws:bal'));
    expect(await tx.multi().set('ws:bal', String(bal - 10)).exec()).toEqual(['OK']);
    expect(await c.get('ws:bal')).toBe('90');
    const tx2 = await c.watch('ws:bal');
    await c.set('ws:bal', '0'); // another writer between the read and the transaction
    expect(await tx2.multi().set('ws:bal', '80').exec()).toBe(null);
    expect(await c.get('ws:bal')).toBe('0');
  });

  it('carries binary values and a command split across messages', async () => {
    const bin = new Uint8Array(256).map((_, i) => i);
    const c = await wsClient(`ws://127.0.0.1:${srv.port}`, { bytes: true });
    await c.set('ws:bin', bin);
    expect(await c.get('ws:bin')).toEqual(bin);
    const raw = new WebSocket(`ws://127.0.0.1:${srv.port}`);
    await new Promise((r) => raw.once('open', r));
    const got = new Promise<string>((r) => raw.once('message', (d: Buffer) => r(d.toString('latin1'))));
    raw.send(Buffer.from('*2\r\n$4\r\nECHO\r\n$5\r\nhe'));
    raw.send(Buffer.from('llo\r\n'));
    expect(await got).toBe('$5\r\nhello\r\n');
    raw.close();
  });

  it.each([2, 3])('delivers pub/sub messages from a TCP publisher, channels and patterns (RESP%i)', async (protocol) => {
    const c = await wsClient(`ws://127.0.0.1:${srv.port}`, { protocol });
    const got: string[] = [];
    const stop = await c.subscribe('news', (m) => got.push(`${m.channel}:${m.message}`));
    const stopP = await c.subscribe('n*', (m) => got.push(`${m.pattern}|${m.channel}:${m.message}`), { pattern: true });
    const pub = new Redis(srv.port, '127.0.0.1');
    expect(await pub.publish('news', 'hello')).toBe(2);
    await expect.poll(() => got.length).toBe(2);
    expect(got.sort()).toEqual(['n*|news:hello', 'news:hello']);
    await stop();
    await stopP();
    expect(await pub.publish('news', 'again')).toBe(0);
    pub.disconnect();
  });

  it('speaks RESP3 and hands pushes (tracking invalidations) to onPush', async () => {
    const pushes: unknown[] = [];
    const c = await wsClient(`ws://127.0.0.1:${srv.port}`, { protocol: 3, onPush: (p: unknown[]) => pushes.push(p) });
    expect(await c.command('CONFIG', 'GET', 'maxmemory')).toEqual({ maxmemory: '0' });
    await c.command('CLIENT', 'TRACKING', 'ON');
    await c.get('ws:tracked');
    const other = await wsClient(`ws://127.0.0.1:${srv.port}`);
    await other.set('ws:tracked', '1');
    await expect.poll(() => pushes.length).toBeGreaterThan(0);
    expect(pushes[0]).toEqual(['invalidate', ['ws:tracked']]);
  });

  it('refuses origins that are not allowed, accepts allowed ones', async () => {
    const bad = new WebSocket(`ws://127.0.0.1:${srv.port}`, { origin: 'http://evil.example' });
    const status = await new Promise<number>((r) => bad.once('unexpected-response', (_req, res) => r(res.statusCode ?? 0)));
    expect(status).toBe(403);
    bad.on('error', () => {});
    const good = new WebSocket(`ws://127.0.0.1:${srv.port}`, { origin: 'http://good.example' });
    await new Promise((r) => good.once('open', r));
    good.close();
  });

  it('closes with 1009 when a message is over the size limit', async () => {
    const raw = new WebSocket(`ws://127.0.0.1:${srv.port}`);
    await new Promise((r) => raw.once('open', r));
    const closed = new Promise<number>((r) => raw.once('close', (code) => r(code)));
    raw.send(Buffer.alloc(65 * 1024, 0x61));
    expect(await closed).toBe(1009);
  });
});

describe('RESP over WebSocket from the config (as the CLI sets it)', () => {
  it('reads ws, ws-port, ws-allowed-origins and ws-max-message-size', async () => {
    const s = await listen({ port: 0, config: { ws: 'yes', 'ws-port': 0, 'ws-allowed-origins': 'http://a.example', 'ws-max-message-size': '1kb' } });
    try {
      expect(s.wsPort).toBeGreaterThan(0);
      const c = await connect(`ws://127.0.0.1:${s.port}`, { WebSocket: WebSocket as never });
      expect(await c.command('CONFIG', 'GET', 'ws-max-message-size')).toEqual({ 'ws-max-message-size': '1024' });
      c.close();
      const bad = new WebSocket(`ws://127.0.0.1:${s.wsPort}`, { origin: 'http://b.example' });
      bad.on('error', () => {});
      expect(await new Promise<number>((r) => bad.once('unexpected-response', (_q, res) => r(res.statusCode ?? 0)))).toBe(403);
      const big = new WebSocket(`ws://127.0.0.1:${s.port}`);
      await new Promise((r) => big.once('open', r));
      const closed = new Promise<[number, string]>((r) => big.once('close', (code, reason) => r([code, reason.toString()])));
      big.send(Buffer.alloc(2048));
      expect((await closed)[0]).toBe(1009);
    } finally {
      await s.close();
    }
  });
});
