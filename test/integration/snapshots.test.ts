/**
 * Snapshots and AOF rewrites with real files: SAVE and BGSAVE write a
 * checksummed snapshot that a restart loads; a damaged snapshot stops
 * start-up with a clear error; BGREWRITEAOF rebuilds the AOF while writes
 * keep arriving, and nothing is lost or applied twice; DEBUG RELOAD keeps the
 * data; INFO persistence reports it.
 */
import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { listen, type ListeningServer } from '../../src/node.js';
import { RawClient } from '../helpers/resp-client.js';

const dirs: string[] = [];
afterAll(() => {
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

function tempDir(): string {
  const d = mkdtempSync(join(tmpdir(), 'ubique-snap-'));
  dirs.push(d);
  return d;
}

async function info(c: RawClient): Promise<Record<string, string>> {
  const raw = await c.call('INFO', 'persistence');
  const body = raw.slice(raw.indexOf('\r\n') + 2);
  return Object.fromEntries(
    body
      .split('\r\n')
      .filter((l) => l.includes(':'))
      .map((l) => l.split(':') as [string, string]),
  );
}

async function until(check: () => Promise<boolean>, ms = 10_000): Promise<void> {
  const deadline = Date.now() + ms;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await new Promise((r) => setTimeout(r, 20));
  }
}

describe('snapshots', () => {
  it('SAVE writes a snapshot that a restart loads, TTLs and databases included', async () => {
    const dir = tempDir();
    let srv: ListeningServer = await listen({ port: 0, config: { dir } });
    let c = await RawClient.connect(srv.port);
    await c.call('SET', 'a', '1');
    await c.call('SET', 'bin', '\x00\r\n\xff');
    await c.call('SET', 'ttl', 'x', 'EX', '1000');
    await c.call('SELECT', '5');
    await c.call('SET', 'five', '5');
    expect((await info(c))['rdb_changes_since_last_save']).toBe('4');
    expect(await c.call('SAVE')).toBe('+OK\r\n');
    expect((await info(c))['rdb_changes_since_last_save']).toBe('0');
    const lastsave = Number((await c.call('LASTSAVE')).slice(1, -2));
    expect(Math.abs(lastsave - Date.now() / 1000)).toBeLessThan(5);
    c.close();
    await srv.close();

    srv = await listen({ port: 0, config: { dir } });
    c = await RawClient.connect(srv.port);
    expect(await c.call('GET', 'a')).toBe('$1\r\n1\r\n');
    expect(await c.call('GET', 'bin')).toBe('$4\r\n\x00\r\n\xff\r\n');
    const ttl = Number((await c.call('TTL', 'ttl')).slice(1, -2));
    expect(ttl).toBeGreaterThan(990);
    expect(await c.call('SELECT', '5')).toBe('+OK\r\n');
    expect(await c.call('GET', 'five')).toBe('$1\r\n5\r\n');
    c.close();
    await srv.close();
  });

  it('BGSAVE answers at once and finishes in the background', async () => {
    const dir = tempDir();
    const srv = await listen({ port: 0, config: { dir } });
    const c = await RawClient.connect(srv.port);
    for (let i = 0; i < 2000; i++) c.write(`*3\r\n$3\r\nSET\r\n$${`k${i}`.length}\r\nk${i}\r\n$1\r\nv\r\n`);
    for (let i = 0; i < 2000; i++) await c.next();
    expect(await c.call('BGSAVE')).toBe('+Background saving started\r\n');
    await until(async () => (await info(c))['rdb_bgsave_in_progress'] === '0');
    expect((await info(c))['rdb_last_bgsave_status']).toBe('ok');
    expect(statSync(join(dir, 'dump.ubq')).size).toBeGreaterThan(2000 * 10);
    expect(await c.call('BGSAVE', 'NOW')).toBe('-ERR syntax error\r\n');
    c.close();
    await srv.close();
  });

  it('refuses a damaged snapshot, naming it', async () => {
    const dir = tempDir();
    let srv = await listen({ port: 0, config: { dir } });
    let c = await RawClient.connect(srv.port);
    await c.call('SET', 'a', 'some value');
    await c.call('SAVE');
    c.close();
    await srv.close();
    const file = join(dir, 'dump.ubq');
    const bytes = readFileSync(file);
    bytes[bytes.length - 10] ^= 0xff;
    writeFileSync(file, bytes);
    await expect(listen({ port: 0, config: { dir } })).rejects.toThrow(/Cannot load snapshot .*dump\.ubq: its checksum does not match/);
    writeFileSync(file, 'not a snapshot at all');
    await expect(listen({ port: 0, config: { dir } })).rejects.toThrow(/it is not a ubique snapshot/);
    // A good one again loads.
    rmSync(file);
    srv = await listen({ port: 0, config: { dir } });
    c = await RawClient.connect(srv.port);
    expect(await c.call('DBSIZE')).toBe(':0\r\n');
    c.close();
    await srv.close();
  });

  it('DEBUG RELOAD keeps the data', async () => {
    const dir = tempDir();
    const srv = await listen({ port: 0, config: { dir } });
    const c = await RawClient.connect(srv.port);
    await c.call('SET', 'a', '1');
    await c.call('SET', 'b', '2', 'PX', '500000');
    const digest = await c.call('DEBUG', 'DIGEST');
    expect(await c.call('DEBUG', 'RELOAD')).toBe('+OK\r\n');
    expect(await c.call('DEBUG', 'DIGEST')).toBe(digest);
    expect(Number((await c.call('PTTL', 'b')).slice(1, -2))).toBeGreaterThan(490_000);
    c.close();
    await srv.close();
  });
});

describe('every type survives', () => {
  async function fill(c: RawClient) {
    await c.call('HSET', 'h', 'f1', 'v1', 'f2', 'v2', 'bin', '\x00\xff');
    await c.call('HPEXPIRE', 'h', '900000', 'FIELDS', '1', 'f2');
    await c.call('SADD', 'ints', '3', '1', '2');
    await c.call('SADD', 'words', 'b', 'a', 'c');
    await c.call('ZADD', 'z', '1.5', 'a', '-inf', 'low', '0.1', 'b');
    await c.call('PFADD', 'hll', 'x', 'y', 'z');
    for (let i = 0; i < 300; i++) await c.call('SADD', 'big', `m${i}`);
  }

  for (const mode of ['snapshot', 'aof-rewrite'] as const) {
    it(`hashes (with field TTLs), sets, sorted sets and HyperLogLogs through a ${mode}`, async () => {
      const dir = tempDir();
      const config = mode === 'snapshot' ? { dir } : { dir, appendonly: 'yes' };
      let srv = await listen({ port: 0, config });
      let c = await RawClient.connect(srv.port);
      await fill(c);
      const digest = await c.call('DEBUG', 'DIGEST');
      if (mode === 'snapshot') expect(await c.call('SAVE')).toBe('+OK\r\n');
      else {
        await c.call('BGREWRITEAOF');
        await until(async () => (await info(c))['aof_rewrite_in_progress'] === '0');
      }
      const members = await c.call('SMEMBERS', 'big');
      c.close();
      await srv.close();
      srv = await listen({ port: 0, config });
      c = await RawClient.connect(srv.port);
      expect(await c.call('DEBUG', 'DIGEST')).toBe(digest);
      expect(await c.call('SMEMBERS', 'big')).toBe(members);
      expect(Number((await c.call('HPTTL', 'h', 'FIELDS', '1', 'f2')).split('\r\n')[1]!.slice(1))).toBeGreaterThan(800_000);
      expect(await c.call('ZSCORE', 'z', 'low')).toBe('$4\r\n-inf\r\n');
      expect(await c.call('PFCOUNT', 'hll')).toBe(':3\r\n');
      c.close();
      await srv.close();
    });
  }
});

describe('AOF rewrite', () => {
  it('rebuilds the file while writes keep arriving; a restart sees every write exactly once', async () => {
    const dir = tempDir();
    let srv = await listen({ port: 0, config: { dir, appendonly: 'yes', appendfsync: 'always' } });
    let c = await RawClient.connect(srv.port);
    const w = await RawClient.connect(srv.port);
    for (let i = 0; i < 3000; i++) c.write(`*2\r\n$4\r\nINCR\r\n$${`n${i % 100}`.length}\r\nn${i % 100}\r\n`);
    for (let i = 0; i < 3000; i++) await c.next();
    // Overwrite many times so the rewrite has something to shrink.
    const sizeBefore = statSync(join(dir, 'appendonly.aof')).size;
    expect(await c.call('BGREWRITEAOF')).toBe('+Background append only file rewriting started\r\n');
    // Writes during the rewrite: counters go on, a key is deleted, another created.
    const during: Promise<string>[] = [];
    for (let i = 0; i < 500; i++) during.push(w.call('INCR', `n${i % 100}`));
    during.push(w.call('DEL', 'n99'), w.call('SET', 'fresh', 'yes'), w.call('SELECT', '2'), w.call('SET', 'other-db', '1'));
    await Promise.all(during);
    await until(async () => (await info(c))['aof_rewrite_in_progress'] === '0');
    expect((await info(c))['aof_last_bgrewrite_status']).toBe('ok');
    expect((await info(c))['aof_rewrites']).toBe('1');
    for (let i = 0; i < 50; i++) await c.call('INCR', 'n0');
    const sizeAfter = statSync(join(dir, 'appendonly.aof')).size;
    expect(sizeAfter).toBeLessThan(sizeBefore);
    c.close();
    w.close();
    await srv.close();

    srv = await listen({ port: 0, config: { dir, appendonly: 'yes' } });
    c = await RawClient.connect(srv.port);
    expect(await c.call('GET', 'n0')).toBe(`$2\r\n${30 + 5 + 50}\r\n`);
    expect(await c.call('GET', 'n1')).toBe('$2\r\n35\r\n');
    expect(await c.call('GET', 'n99')).toBe('$-1\r\n');
    expect(await c.call('GET', 'fresh')).toBe('$3\r\nyes\r\n');
    expect(await c.call('SELECT', '2')).toBe('+OK\r\n');
    expect(await c.call('GET', 'other-db')).toBe('$1\r\n1\r\n');
    c.close();
    await srv.close();
  });

  it('without appendonly, BGREWRITEAOF says why it cannot run', async () => {
    const srv = await listen({ port: 0, config: { dir: tempDir() } });
    const c = await RawClient.connect(srv.port);
    expect(await c.call('BGREWRITEAOF')).toMatch(/^-ERR appendonly is off/);
    c.close();
    await srv.close();
  });
});
