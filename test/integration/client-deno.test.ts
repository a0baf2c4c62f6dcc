/**
 * Node clients against a Deno ubique server: the ubique client and ioredis
 * over TCP, the ubique client over WebSocket, pub/sub across them.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { createInterface } from 'node:readline';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { connect, type Client } from '../../src/client.js';

let child: ChildProcess;
let ports: { port: number; wsPort: number };
const closers: (() => unknown)[] = [];

beforeAll(async () => {
  child = spawn(
    'node_modules/.bin/deno',
    ['run', '--no-check', '--sloppy-imports', '--no-prompt', '--allow-read', '--allow-net=127.0.0.1', 'test/deno/serve.ts'],
    { stdio: ['pipe', 'pipe', 'inherit'] },
  );
  ports = await new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error('Deno server did not start within 20 s')), 20_000);
    createInterface({ input: child.stdout! }).once('line', (line) => {
      clearTimeout(timer);
      resolve(JSON.parse(line) as { port: number; wsPort: number });
    });
    child.once('exit', (code) => reject(new Error(`Deno server exited with ${code}`)));
  });
});

afterAll(async () => {
  for (const c of closers) await c();
  child.stdin!.end();
  const exited = new Promise((r) => child.once('exit', r));
  const timer = setTimeout(() => child.kill('SIGKILL'), 3000);
  await exited;
  clearTimeout(timer);
});

describe('a Deno ubique server', () => {
  it('serves the ubique client and ioredis over TCP', async () => {
    const c: Client = await connect(`redis://127.0.0.1:${ports.port}`);
    closers.push(() => c.close());
    expect(await c.command('SET', 'from-node', 'héllo')).toBe('OK');
    const redis = new Redis(ports.port, '127.0.0.1');
    closers.push(() => redis.disconnect());
    expect(await redis.get('from-node')).toBe('héllo');
    expect(await redis.incrby('n', 41)).toBe(41);
    expect(await c.command('INCR', 'n')).toBe(42);
    const many = await Promise.all(Array.from({ length: 200 }, (_, i) => c.command('ECHO', `m${i}`)));
    expect(many[199]).toBe('m199');
  });

  it('delivers what ioredis publishes over TCP to a WebSocket subscriber', async () => {
    const sub: Client = await connect(`ws://127.0.0.1:${ports.wsPort}`, { WebSocket: WebSocket as never });
    closers.push(() => sub.close());
    const got: string[] = [];
    await sub.subscribe('deno-news', (m) => got.push(m.message));
    const pub = new Redis(ports.port, '127.0.0.1');
    closers.push(() => pub.disconnect());
    expect(await pub.publish('deno-news', 'from ioredis')).toBe(1);
    await expect.poll(() => got).toEqual(['from ioredis']);
  });
});
