/**
 * Transports hand the core views of read buffers they reuse (Node's shared
 * `onread` buffer, fs reads into one chunk buffer). Whatever the core keeps
 * past the call must be its own copy: on a Node Buffer `slice()` is a view.
 * The first two failed when it was: an AOF over 1 MiB would not load again.
 * The third guards the input a connection holds while it waits for fsync
 * (kept as a copy for the same reason); it did not catch the old code on
 * this machine, where the timing rarely lines up.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Redis } from 'ioredis';
import { afterAll, describe, expect, it } from 'vitest';
import { AofReader } from '../../src/core/persistence/aof-loader.js';
import { listen } from '../../src/node.js';

const dirs: string[] = [];
afterAll(() => {
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

function tempDir(): string {
  const d = mkdtempSync(join(tmpdir(), 'ubique-reuse-'));
  dirs.push(d);
  return d;
}

const resp = (...args: string[]) => `*${args.length}\r\n${args.map((a) => `$${a.length}\r\n${a}\r\n`).join('')}`;

describe('reused read buffers', () => {
  it('the AOF reader keeps a command split across chunks read into one reused Buffer', () => {
    const file = Buffer.from(Array.from({ length: 50 }, (_, i) => resp('SET', `key:${i}`, `value:${i}:${'x'.repeat(i)}`)).join(''), 'latin1');
    const reader = new AofReader();
    const seen: string[][] = [];
    const chunk = Buffer.allocUnsafe(37);
    for (let off = 0; off < file.length; off += chunk.length) {
      const n = file.copy(chunk, 0, off, off + chunk.length);
      reader.feed(chunk.subarray(0, n), (args) => seen.push(args));
      chunk.fill(0x78); // what the next read would do to the buffer
    }
    expect(seen).toHaveLength(50);
    expect(seen[49]).toEqual(['SET', 'key:49', `value:49:${'x'.repeat(49)}`]);
    expect(reader.leftover).toBe(0);
  });

  it('an AOF of several MiB loads back after a restart', async () => {
    const dir = tempDir();
    const config = { appendonly: 'yes', appendfsync: 'no', dir };
    let srv = await listen({ port: 0, config });
    const c = new Redis({ port: srv.port, host: '127.0.0.1', lazyConnect: true });
    await c.connect();
    const value = 'v'.repeat(100);
    for (let batch = 0; batch < 5; batch++) {
      const p = c.pipeline();
      for (let i = 0; i < 5000; i++) p.set(`key:${batch}:${i}`, `${value}${i}`);
      await p.exec();
    }
    c.disconnect();
    await srv.close();
    srv = await listen({ port: 0, config });
    const d = new Redis({ port: srv.port, host: '127.0.0.1' });
    expect(await d.dbsize()).toBe(25_000);
    expect(await d.get('key:4:4999')).toBe(`${value}4999`);
    d.disconnect();
    await srv.close();
  });

  it('input that arrives while a connection waits for fsync is not overwritten by other connections', async () => {
    const srv = await listen({ port: 0, config: { appendonly: 'yes', appendfsync: 'always', dir: tempDir() } });
    const clients = Array.from({ length: 4 }, () => new Redis({ port: srv.port, host: '127.0.0.1' }));
    try {
      await Promise.all(
        clients.map(async (c, n) => {
          for (let round = 0; round < 4; round++) {
            const p = c.pipeline();
            for (let i = 0; i < 1000; i++) p.set(`c${n}:${round}:${i}`, `client ${n} round ${round} item ${i}`);
            const results = await p.exec();
            expect(results!.every(([err, ok]) => err === null && ok === 'OK')).toBe(true);
          }
        }),
      );
      const keys = Array.from({ length: 4 }, (_, n) => Array.from({ length: 1000 }, (_, i) => `c${n}:3:${i}`)).flat();
      const values = await clients[0]!.mget(...keys);
      expect(values).toEqual(keys.map((k) => {
        const [, round, i] = k.split(':');
        return `client ${k.slice(1, k.indexOf(':'))} round ${round} item ${i}`;
      }));
      expect(await clients[0]!.dbsize()).toBe(4 * 4 * 1000);
    } finally {
      for (const c of clients) c.disconnect();
      await srv.close();
    }
  });
});
