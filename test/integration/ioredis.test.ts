/**
 * ioredis against a real ubique TCP server: plain commands, pipelines, binary
 * values as Buffers, error replies as ReplyError, reconnecting after the
 * server drops the connection. Add a `describe` block per command group as
 * groups land.
 */
import { Redis, ReplyError, type RedisOptions } from 'ioredis';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { listen, type ListeningServer } from '../../src/node.js';

let srv: ListeningServer;
let redis: Redis;

beforeAll(async () => {
  srv = await listen({ port: 0 });
});

afterAll(async () => {
  await srv.close();
});

function connect(options: RedisOptions = {}): Redis {
  // The ready check sends INFO; keep it off so the test does not depend on INFO existing.
  return new Redis({ port: srv.port, host: '127.0.0.1', enableReadyCheck: false, lazyConnect: false, ...options });
}

afterEach(() => {
  redis?.disconnect();
});

describe('ioredis: connection and strings', () => {
  it('PING, ECHO, SET and GET', async () => {
    redis = connect();
    expect(await redis.ping()).toBe('PONG');
    expect(await redis.ping('hello')).toBe('hello');
    expect(await redis.echo('über')).toBe('über');
    expect(await redis.set('k', 'v')).toBe('OK');
    expect(await redis.get('k')).toBe('v');
    expect(await redis.get('missing')).toBeNull();
  });

  it('DEL, DBSIZE, SELECT, FLUSHALL', async () => {
    redis = connect();
    await redis.flushall();
    await redis.set('a', '1');
    await redis.set('b', '2');
    expect(await redis.dbsize()).toBe(2);
    expect(await redis.del('a', 'b', 'c')).toBe(2);
    await redis.set('x', 'in db 0');
    expect(await redis.select(1)).toBe('OK');
    expect(await redis.get('x')).toBeNull();
    await redis.set('x', 'in db 1');
    await redis.select(0);
    expect(await redis.get('x')).toBe('in db 0');
    expect(await redis.flushall()).toBe('OK');
    expect(await redis.dbsize()).toBe(0);
  });

  it('binary values round-trip as Buffers', async () => {
    redis = connect();
    const value = Buffer.from(Array.from({ length: 256 }, (_, i) => i));
    const key = Buffer.from([0, 0xff, 0x0d, 0x0a, 0x80]);
    await redis.set(key, value);
    const back = await redis.getBuffer(key);
    expect(Buffer.isBuffer(back)).toBe(true);
    expect(back!.equals(value)).toBe(true);
  });

  it('large values (1 MiB) survive being split across reads', async () => {
    redis = connect();
    const value = 'x'.repeat(1 << 20) + 'end';
    await redis.set('big', value);
    expect(await redis.get('big')).toBe(value);
  });
});

describe('ioredis: pipelines', () => {
  it('runs a pipeline in order, with per-command errors', async () => {
    redis = connect();
    await redis.flushall();
    const results = await redis
      .pipeline()
      .set('p1', 'a')
      .get('p1')
      .call('nosuchcommand')
      .del('p1')
      .get('p1')
      .exec();
    expect(results!.map(([err, value]) => (err ? 'error' : value))).toEqual(['OK', 'a', 'error', 1, null]);
    const [err] = results![2]!;
    expect(err).toBeInstanceOf(ReplyError);
  });

  it('a pipeline of 10,000 SETs then GETs', async () => {
    redis = connect();
    await redis.flushall();
    const p = redis.pipeline();
    for (let i = 0; i < 10_000; i++) p.set(`key:${i}`, `value:${i}`);
    const sets = await p.exec();
    expect(sets!.every(([err, v]) => err === null && v === 'OK')).toBe(true);
    const q = redis.pipeline();
    for (let i = 0; i < 10_000; i++) q.get(`key:${i}`);
    const gets = await q.exec();
    expect(gets!.every(([, v], i) => v === `value:${i}`)).toBe(true);
    expect(await redis.dbsize()).toBe(10_000);
  });
});

describe('ioredis: errors', () => {
  it('error replies reject with ReplyError carrying the message', async () => {
    redis = connect();
    await expect(redis.call('nosuchcommand', 'a')).rejects.toBeInstanceOf(ReplyError);
    await expect(redis.call('nosuchcommand', 'a')).rejects.toThrow(/^ERR unknown command 'nosuchcommand'/);
    await expect(redis.call('get')).rejects.toThrow("ERR wrong number of arguments for 'get' command");
    await expect(redis.call('select', 'notanumber')).rejects.toThrow('ERR value is not an integer or out of range');
    // The connection stays usable after errors.
    expect(await redis.ping()).toBe('PONG');
  });
});

describe('ioredis: reconnect', () => {
  it('reconnects after the server closes the connection', async () => {
    redis = connect({ retryStrategy: () => 20 });
    await redis.set('survives', 'yes');
    const reconnected = new Promise<void>((resolve) => redis.once('ready', () => resolve()));
    // Drop every client connection from the server side.
    const closed = new Promise<void>((resolve) => redis.once('close', () => resolve()));
    for (const client of srv.server.clients.values()) client.sink?.close();
    await closed;
    await reconnected;
    expect(await redis.get('survives')).toBe('yes');
  });
});
