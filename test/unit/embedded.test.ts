/**
 * The embedded API: open(), db.command, the generated typed methods (and a
 * check that the generated file matches the command table), UTF-8 text in and
 * out, raw bytes through Uint8Array and db.bytes, the synchronous path, and
 * ReplyError with its code.
 */
import { describe, expect, it } from 'vitest';
import { createCommandTable } from '../../src/core/commands/index.js';
import { GENERATED_COMMANDS } from '../../src/core/api/commands.generated.js';
import { RESERVED_METHOD_NAMES, methodName } from '../../src/core/api/embedded.js';
import { ReplyError, Server, open, toArgs } from '../../src/index.js';
import { manualClock } from '../../src/core/clock.js';

describe('generated typed methods', () => {
  it('commands.generated.ts is up to date with the command table (run `npm run gen`)', () => {
    const inTable = createCommandTable()
      .all()
      .map((s) => s.name)
      .filter((n) => !RESERVED_METHOD_NAMES.includes(methodName(n)))
      .sort();
    expect([...GENERATED_COMMANDS].sort()).toEqual(inTable);
  });

  it('every command in the table has a method at run time', async () => {
    const db = await open();
    for (const spec of db.server.commands.all()) {
      const name = methodName(spec.name);
      if (RESERVED_METHOD_NAMES.includes(name)) continue;
      expect(typeof (db as unknown as Record<string, unknown>)[name]).toBe('function');
      expect(typeof (db.sync as unknown as Record<string, unknown>)[name]).toBe('function');
    }
    await db.close();
  });

  it('camel-cases command names', () => {
    expect(methodName('georadius_ro')).toBe('georadiusRo');
    expect(methodName('GET')).toBe('get');
    expect(methodName('client|list')).toBe('clientList');
  });
});

describe('embedded API', () => {
  it('typed methods and db.command run commands', async () => {
    const db = await open();
    expect(await db.ping()).toBe('PONG');
    expect(await db.set('k', 'v')).toBe('OK');
    expect(await db.get('k')).toBe('v');
    expect(await db.command('GET', 'k')).toBe('v');
    expect(await db.command('get', 'k')).toBe('v');
    expect(await db.get('nothing')).toBeNull();
    expect(await db.dbsize()).toBe(1);
    expect(await db.del('k', 'other')).toBe(1);
    expect(await db.echo('hi')).toBe('hi');
    await db.close();
  });

  it('strings are UTF-8 in and out', async () => {
    const db = await open();
    await db.set('clé', 'naïve ☃ 😀');
    expect(await db.get('clé')).toBe('naïve ☃ 😀');
    // Stored as UTF-8 bytes: the key is 4 bytes, the value's bytes come back raw under db.bytes.
    const raw = await db.bytes.get('clé');
    expect(raw).toEqual(new TextEncoder().encode('naïve ☃ 😀'));
    expect(db.server.engine.dbs[0]!.data.has('cl\xc3\xa9')).toBe(true);
    await db.close();
  });

  it('Uint8Array arguments are raw bytes; db.bytes replies with Uint8Array', async () => {
    const db = await open();
    const value = Uint8Array.from({ length: 256 }, (_, i) => i);
    const key = new Uint8Array([0xff, 0x00, 0x80]);
    await db.set(key, value);
    const back = await db.bytes.get(key);
    expect(back).toBeInstanceOf(Uint8Array);
    expect(Array.from(back as Uint8Array)).toEqual(Array.from(value));
    expect(db.bytes.sync.get(key)).toEqual(value);
    // The same view each time, and bytes of bytes is itself.
    expect(db.bytes).toBe(db.bytes);
    expect(db.bytes.bytes).toBe(db.bytes);
    await db.close();
  });

  it('numbers and bigints become decimal arguments', async () => {
    const db = await open();
    await db.set('n', 42);
    expect(await db.get('n')).toBe('42');
    await db.set('b', 12345678901234567890n);
    expect(await db.get('b')).toBe('12345678901234567890');
    await db.close();
  });

  it('options objects become Redis arguments', () => {
    expect(toArgs('SET', ['k', 'v', { ex: 10, nx: true, xx: false, get: undefined }])).toEqual(['SET', 'k', 'v', 'EX', '10', 'NX']);
    expect(toArgs('SCAN', ['0', { match: 'user:*', count: 100, type: 'string' }])).toEqual(['SCAN', '0', 'MATCH', 'user:*', 'COUNT', '100', 'TYPE', 'string']);
    expect(toArgs('ZRANGE', ['z', 0, 10, { byscore: true, limit: [0, 5] }])).toEqual(['ZRANGE', 'z', '0', '10', 'BYSCORE', 'LIMIT', '0', '5']);
    expect(toArgs('DEL', [['a', 'b'], 'c'])).toEqual(['DEL', 'a', 'b', 'c']);
  });

  it('error replies throw ReplyError with the code', async () => {
    const db = await open();
    await expect(db.command('NOSUCHCMD')).rejects.toBeInstanceOf(ReplyError);
    const err = await db.command('GET').catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ReplyError);
    expect((err as ReplyError).code).toBe('ERR');
    expect((err as ReplyError).message).toBe("ERR wrong number of arguments for 'get' command");
    await expect(db.select(9999)).rejects.toThrow('ERR DB index is out of range');
    expect(() => db.sync.command('GET')).toThrow(ReplyError);
    expect(() => db.commandSync('NOSUCHCMD')).toThrow(/^ERR unknown command 'NOSUCHCMD'/);
    await db.close();
  });

  it('the sync path runs without a Promise', async () => {
    const db = await open();
    expect(db.sync.set('a', '1')).toBe('OK');
    expect(db.sync.get('a')).toBe('1');
    expect(db.commandSync('DBSIZE')).toBe(1);
    expect(db.sync.command('ECHO', 'x')).toBe('x');
    expect(db.sync).toBe(db.sync);
    await db.close();
  });

  it('the sync path refuses a reply that is not ready', async () => {
    const db = await open();
    db.server.replicator = { submit: () => Promise.resolve('later') };
    expect(() => db.sync.set('k', 'v')).toThrow(/not ready yet/);
    expect(await db.set('k', 'v')).toBe('later');
    await db.close();
  });

  it('SELECT is per handle; handles on one server share data', async () => {
    const server = new Server({ clock: manualClock(), logger: () => {} });
    const a = await open({ server });
    const b = await open({ server });
    await a.set('k', 'from a');
    expect(await b.get('k')).toBe('from a');
    await b.select(1);
    expect(await b.get('k')).toBeNull();
    expect(await a.get('k')).toBe('from a');
    await server.close();
  });

  it('timeCommands: false still counts commands', async () => {
    const db = await open({ timeCommands: false });
    db.sync.set('k', 'v');
    db.sync.get('k');
    expect(db.server.commandStats.get('get')?.calls).toBe(1);
    expect(db.server.commandStats.get('get')?.usec).toBe(0);
    await db.close();
  });
});

describe('embedded API types', () => {
  it('db.bytes is typed with Uint8Array replies, also under .sync', async () => {
    const db = await open();
    db.sync.set('k', 'v');
    const a: Uint8Array | null = await db.bytes.get('k');
    const b: Uint8Array | null = db.bytes.sync.get('k');
    const c: string | null = db.sync.get('k');
    expect(a).toEqual(new Uint8Array([118]));
    expect(b).toEqual(new Uint8Array([118]));
    expect(c).toBe('v');
    await db.close();
  });
});
