/**
 * Bounded resources with real sockets: maxclients, idle timeout, the
 * normal class's output-buffer limit, the query-buffer limit and
 * proto-max-bulk-len. Each offending connection is closed; the server stays
 * up and keeps serving, and INFO counts what happened.
 */
import net from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { manualClock } from '../../src/core/clock.js';
import { Limits, parseOutputLimits } from '../../src/core/limits.js';
import { Server } from '../../src/core/server.js';
import { listen, type ListeningServer } from '../../src/node.js';
import { RawClient } from '../helpers/resp-client.js';

let srv: ListeningServer | undefined;
afterEach(async () => {
  await srv?.close();
  srv = undefined;
});

/** A socket that records everything it receives and tells when it is closed. */
function rawSocket(port: number, opts: { paused?: boolean } = {}) {
  const socket = net.connect({ port, host: '127.0.0.1' });
  let data = '';
  let bytes = 0;
  socket.on('error', () => {});
  if (opts.paused) socket.pause();
  socket.on('data', (d) => {
    bytes += d.length;
    if (data.length < 4096) data += d.toString('latin1');
  });
  const closed = new Promise<void>((resolve) => socket.on('close', () => resolve()));
  const connected = new Promise<void>((resolve) => socket.once('connect', () => resolve()));
  return { socket, closed, connected, get data() { return data; }, get bytes() { return bytes; } };
}

async function infoField(port: number, field: string): Promise<string> {
  const c = await RawClient.connect(port);
  const info = await c.call('INFO', 'everything');
  c.close();
  return new RegExp(`${field}:(\\S+)`).exec(info)![1]!;
}

describe('limits', () => {
  it('maxclients: the extra client gets the error and is closed', async () => {
    srv = await listen({ port: 0, config: { maxclients: 2 } });
    const a = await RawClient.connect(srv.port);
    const b = await RawClient.connect(srv.port);
    const c = rawSocket(srv.port);
    await c.closed;
    expect(c.data).toBe('-ERR max number of clients reached\r\n');
    expect(await a.call('PING')).toBe('+PONG\r\n');
    const info = await a.call('INFO', 'stats');
    expect(info).toMatch(/rejected_connections:1\r\n/);
    expect(await a.call('CONFIG', 'GET', 'maxclients')).toContain('$1\r\n2\r\n');
    a.close();
    b.close();
  });

  it('timeout: an idle client is closed by the cron, a subscriber is not', async () => {
    srv = await listen({ port: 0, config: { timeout: 1, hz: 100 } });
    const idle = rawSocket(srv.port);
    await idle.connected;
    const sub = await RawClient.connect(srv.port);
    await sub.call('SUBSCRIBE', 'ch');
    await idle.closed;
    expect(sub.isClosed).toBe(false);
    const fresh = await RawClient.connect(srv.port);
    expect(await fresh.call('PUBLISH', 'ch', 'm')).toBe(':1\r\n');
    fresh.close();
    sub.close();
  });

  it('client-output-buffer-limit normal: a client that does not read its pipelined replies is dropped', async () => {
    srv = await listen({ port: 0, config: { 'client-output-buffer-limit': 'normal 1mb 0 0 replica 0 0 0 pubsub 32mb 8mb 60' } });
    const setup = await RawClient.connect(srv.port);
    expect(await setup.call('SET', 'big', 'x'.repeat(512 * 1024))).toBe('+OK\r\n');
    const slow = rawSocket(srv.port, { paused: true });
    await slow.connected;
    const gets = '*2\r\n$3\r\nGET\r\n$3\r\nbig\r\n'.repeat(400);
    slow.socket.write(gets);
    // Wait (without a clock) until the server has counted the disconnection.
    while ((await infoField(srv.port, 'client_output_buffer_limit_disconnections')) !== '1') {
      await new Promise((r) => setImmediate(r));
    }
    slow.socket.resume();
    await slow.closed;
    expect(slow.bytes).toBeLessThan(400 * 512 * 1024);
    expect(await setup.call('PING')).toBe('+PONG\r\n');
    setup.close();
  });

  it('client-output-buffer-limit pubsub: a subscriber that does not read is dropped', async () => {
    srv = await listen({ port: 0, config: { 'client-output-buffer-limit': 'normal 0 0 0 replica 0 0 0 pubsub 1mb 0 0' } });
    const sub = rawSocket(srv.port);
    await sub.connected;
    sub.socket.write('SUBSCRIBE news\r\n');
    const pub = await RawClient.connect(srv.port);
    while ((await pub.call('PUBSUB', 'NUMSUB', 'news')) !== '*2\r\n$4\r\nnews\r\n:1\r\n') await new Promise((r) => setImmediate(r));
    sub.socket.pause();
    const message = 'm'.repeat(256 * 1024);
    while ((await infoField(srv.port, 'client_output_buffer_limit_disconnections')) !== '1') {
      await pub.call('PUBLISH', 'news', message);
    }
    sub.socket.resume();
    await sub.closed;
    expect(await pub.call('PUBSUB', 'NUMSUB', 'news')).toBe('*2\r\n$4\r\nnews\r\n:0\r\n');
    pub.close();
  });

  it('client-query-buffer-limit: an oversized unfinished request closes the connection', async () => {
    srv = await listen({ port: 0, config: { 'client-query-buffer-limit': '1mb' } });
    const c = rawSocket(srv.port);
    await c.connected;
    c.socket.write('*2\r\n$3\r\nGET\r\n$4000000\r\n');
    c.socket.write(Buffer.alloc(2 * 1024 * 1024, 0x61));
    await c.closed;
    expect(await infoField(srv.port, 'client_query_buffer_limit_disconnections')).toBe('1');
    const ok = await RawClient.connect(srv.port);
    expect(await ok.call('CONFIG', 'GET', 'client-query-buffer-limit')).toContain('1048576');
    ok.close();
  });

  it('CONFIG SET proto-max-bulk-len applies to connections already open', async () => {
    srv = await listen({ port: 0 });
    const c = rawSocket(srv.port);
    await c.connected;
    const admin = await RawClient.connect(srv.port);
    expect(await admin.call('CONFIG', 'SET', 'proto-max-bulk-len', '1mb')).toBe('+OK\r\n');
    c.socket.write('*2\r\n$3\r\nGET\r\n$2000000\r\n');
    await c.closed;
    expect(c.data).toBe('-ERR Protocol error: invalid bulk length\r\n');
    admin.close();
  });

  it('proto-max-bulk-len: a bulk over the limit is a protocol error', async () => {
    srv = await listen({ port: 0, config: { 'proto-max-bulk-len': '1mb' } });
    const c = rawSocket(srv.port);
    await c.connected;
    c.socket.write('*2\r\n$3\r\nGET\r\n$2000000\r\n');
    await c.closed;
    expect(c.data).toBe('-ERR Protocol error: invalid bulk length\r\n');
    const ok = await RawClient.connect(srv.port);
    expect(await ok.call('PING')).toBe('+PONG\r\n');
    ok.close();
  });
});

describe('output-buffer limit rules', () => {
  it('parses every class, with units, and slave as replica', () => {
    const m = parseOutputLimits('normal 1mb 512kb 10 slave 256mb 64mb 60 pubsub 32mb 8mb 60');
    expect(m.get('normal')).toEqual({ hard: 1024 * 1024, soft: 512 * 1024, softSeconds: 10 });
    expect(m.get('replica')).toEqual({ hard: 256 * 1024 * 1024, soft: 64 * 1024 * 1024, softSeconds: 60 });
    expect(m.get('pubsub')!.hard).toBe(32 * 1024 * 1024);
  });

  it('the soft limit closes a client only after staying over it for its seconds', () => {
    const clock = manualClock();
    const server = new Server({ clock, logger: () => undefined, config: { 'client-output-buffer-limit': 'normal 0 1000 10' } });
    const limits = Limits.of(server);
    const c = server.connect({ kind: 'test' });
    expect(limits.checkOutput(c, 2000)).toBe(false);
    clock.advance(9000);
    expect(limits.checkOutput(c, 2000)).toBe(false);
    // Dropping under the soft limit starts the count again.
    expect(limits.checkOutput(c, 10)).toBe(false);
    clock.advance(5000);
    expect(limits.checkOutput(c, 2000)).toBe(false);
    clock.advance(10_000);
    expect(limits.checkOutput(c, 2000)).toBe(true);
    expect(server.stats.clientOutputBufferLimitDisconnections).toBe(1);
  });

  it('follows CONFIG SET, and normal limits skip subscribers', () => {
    const server = new Server({ logger: () => undefined });
    const limits = Limits.of(server);
    const c = server.connect({ kind: 'test' });
    expect(limits.checkOutput(c, 1e9)).toBe(false);
    server.config.set('client-output-buffer-limit', 'normal 100 0 0 pubsub 100 0 0');
    c.ext['subscribed'] = true;
    expect(limits.checkOutput(c, 1000)).toBe(false);
    expect(limits.checkOutput(c, 1000, 'pubsub')).toBe(true);
    c.ext['subscribed'] = false;
    expect(limits.checkOutput(c, 1000)).toBe(true);
  });
});
