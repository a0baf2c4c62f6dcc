/**
 * The append-only file with real files and fsync: writes survive a restart,
 * a reply under `appendfsync always` is sent only once its write is in the
 * file, a torn tail is cut off, damage in the middle stops start-up with the
 * file and byte offset named, and redis-check-aof and redis-server accept
 * the file we write.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { listen, type ListeningServer } from '../../src/node.js';
import { startRedis } from '../helpers/redis-server.js';
import { RawClient } from '../helpers/resp-client.js';

const dirs: string[] = [];
afterAll(() => {
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

function tempDir(): string {
  const d = mkdtempSync(join(tmpdir(), 'ubique-aof-'));
  dirs.push(d);
  return d;
}

function start(dir: string, extra: Record<string, string> = {}): Promise<ListeningServer> {
  return listen({ port: 0, config: { appendonly: 'yes', appendfsync: 'always', dir, ...extra } });
}

describe('AOF', () => {
  it('keeps writes across a restart, transactions and databases included', async () => {
    const dir = tempDir();
    let srv = await start(dir);
    let c = await RawClient.connect(srv.port);
    await c.call('SET', 'a', '1');
    await c.call('SET', 'bin', '\x00\xff\r\n');
    await c.call('MULTI');
    await c.call('SET', 'b', '2');
    await c.call('SELECT', '3');
    await c.call('SET', 'c', '3');
    await c.call('EXEC');
    // SELECT inside the transaction holds after it: this DEL is in db 3.
    await c.call('DEL', 'a');
    await c.call('SELECT', '0');
    await c.call('DEL', 'b');
    c.close();
    await srv.close();

    srv = await start(dir);
    c = await RawClient.connect(srv.port);
    expect(await c.call('GET', 'a')).toBe('$1\r\n1\r\n');
    expect(await c.call('GET', 'bin')).toBe('$4\r\n\x00\xff\r\n\r\n');
    expect(await c.call('GET', 'b')).toBe('$-1\r\n');
    expect(await c.call('SELECT', '3')).toBe('+OK\r\n');
    expect(await c.call('GET', 'c')).toBe('$1\r\n3\r\n');
    c.close();
    await srv.close();
    const text = readFileSync(join(dir, 'appendonly.aof'), 'latin1');
    expect(text).toContain('*1\r\n$5\r\nMULTI\r\n');
    expect(text).toContain('*1\r\n$4\r\nEXEC\r\n');
  });

  it('with appendfsync always, the OK is sent only after the write is in the file', async () => {
    const dir = tempDir();
    const srv = await start(dir);
    const c = await RawClient.connect(srv.port);
    const file = join(dir, 'appendonly.aof');
    for (let i = 0; i < 20; i++) {
      expect(await c.call('SET', `key${i}`, `value${i}`)).toBe('+OK\r\n');
      expect(readFileSync(file, 'latin1')).toContain(`$5\r\nkey${i}\r\n$6\r\nvalue${i}\r\n`.replace('$6', `$${`value${i}`.length}`).replace('$5', `$${`key${i}`.length}`));
    }
    // Reads do not wait; writes that change nothing are not logged.
    const size = statSync(file).size;
    await c.call('GET', 'key1');
    await c.call('DEL', 'nothing');
    expect(statSync(file).size).toBe(size);
    c.close();
    await srv.close();
  });

  it('cuts a torn last command and says so', async () => {
    const dir = tempDir();
    const file = join(dir, 'appendonly.aof');
    writeFileSync(file, '*3\r\n$3\r\nSET\r\n$1\r\na\r\n$1\r\n1\r\n*3\r\n$3\r\nSET\r\n$1\r\nb\r\n$3\r\n12');
    const logs: string[] = [];
    const srv = await listen({ port: 0, config: { appendonly: 'yes', dir }, logger: (_l, m) => logs.push(m) });
    const c = await RawClient.connect(srv.port);
    expect(await c.call('GET', 'a')).toBe('$1\r\n1\r\n');
    expect(await c.call('GET', 'b')).toBe('$-1\r\n');
    c.close();
    await srv.close();
    expect(logs.join('\n')).toMatch(/Truncating the AOF at offset 27/);
    expect(statSync(file).size).toBe(27);
  });

  it('refuses a torn file when aof-load-truncated is no', async () => {
    const dir = tempDir();
    writeFileSync(join(dir, 'appendonly.aof'), '*3\r\n$3\r\nSET\r\n$1\r\na\r\n$1\r\n1\r\n*2\r\n$3\r\nDEL');
    await expect(listen({ port: 0, config: { appendonly: 'yes', dir, 'aof-load-truncated': 'no' } })).rejects.toThrow(
      /ends in the middle of a command at byte offset 27/,
    );
  });

  it('stops on damage in the middle, naming the file and offset, and leaves the file alone', async () => {
    const dir = tempDir();
    const file = join(dir, 'appendonly.aof');
    const good = '*3\r\n$3\r\nSET\r\n$1\r\na\r\n$1\r\n1\r\n';
    const damaged = `${good}*3\r\n$3\r\nSET\r\n#1\r\nb\r\n$1\r\n2\r\n${good}`;
    writeFileSync(file, damaged);
    await expect(listen({ port: 0, config: { appendonly: 'yes', dir } })).rejects.toThrow(
      new RegExp(`${file.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}: the file is damaged at byte offset 40`),
    );
    expect(readFileSync(file, 'latin1')).toBe(damaged);
  });

  it('writes a file redis-check-aof accepts and redis-server loads to the same data', async () => {
    const dir = tempDir();
    const srv = await start(dir);
    const c = await RawClient.connect(srv.port);
    for (let i = 0; i < 50; i++) await c.call('SET', `k${i}`, `v${i}`);
    await c.call('DEL', 'k0');
    await c.call('MULTI');
    await c.call('SET', 'tx', 'yes');
    await c.call('EXEC');
    c.close();
    await srv.close();

    const check = spawnSync('redis-check-aof', [join(dir, 'appendonly.aof')], { encoding: 'utf8' });
    expect(check.stdout + check.stderr).toMatch(/AOF .* is valid/);

    const redis = await startRedis(['--appendonly', 'yes', '--dir', dir, '--appendfilename', 'appendonly.aof']);
    try {
      const r = await RawClient.connect(redis.port);
      // redis-server accepts connections while it loads, answering -LOADING until done.
      let size = await r.call('DBSIZE');
      for (let i = 0; i < 100 && size.startsWith('-LOADING'); i++) {
        await new Promise((res) => setTimeout(res, 50));
        size = await r.call('DBSIZE');
      }
      expect(size).toBe(':50\r\n');
      expect(await r.call('GET', 'k0')).toBe('$-1\r\n');
      expect(await r.call('GET', 'k49')).toBe('$3\r\nv49\r\n');
      expect(await r.call('GET', 'tx')).toBe('$3\r\nyes\r\n');
      r.close();
    } finally {
      await redis.stop();
    }
  });
});
