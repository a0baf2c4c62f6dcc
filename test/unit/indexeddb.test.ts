/**
 * The IndexedDB adapter beyond the shared contract (fake-indexeddb in Node):
 * one transaction per flushed batch with the asked durability, atomic log
 * replacement, a server's data surviving a reopen, and one writer per name.
 */
import 'fake-indexeddb/auto';
import * as idbKeyval from 'idb-keyval';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { indexedDbStorage, type LockManagerLike } from '../../src/adapters/persistence/indexeddb.js';
import type { Bytes } from '../../src/core/bytes.js';
import { UbiqueError } from '../../src/core/errors.js';
import { AppendOnlyFile } from '../../src/core/persistence/aof.js';
import { Persistence } from '../../src/core/persistence/persistence.js';
import type { Storage } from '../../src/core/persistence/storage.js';
import { DoubleReply, type Reply } from '../../src/core/resp/reply.js';
import { Server } from '../../src/core/server.js';

let databases = 0;
const fresh = () => `unit-${++databases}`;
const bytes = (s: string) => new TextEncoder().encode(s);
const text = (u: Uint8Array) => new TextDecoder().decode(u);

async function readAll(s: Storage): Promise<string> {
  let out = '';
  await s.readLog((c) => {
    out += text(c);
  });
  return out;
}

/** The store as it is in IndexedDB, read beside the adapter. */
async function rawKeys(name: string): Promise<string[]> {
  return (await idbKeyval.keys(idbKeyval.createStore(name, 'storage'))).map(String).sort();
}

/** Every transaction opened from now on: its mode and durability. */
function watchTransactions() {
  const seen: { mode: string; durability: string }[] = [];
  const original = IDBDatabase.prototype.transaction;
  vi.spyOn(IDBDatabase.prototype, 'transaction').mockImplementation(function (this: IDBDatabase, names, mode, options) {
    seen.push({ mode: mode ?? 'readonly', durability: options?.durability ?? 'default' });
    return original.call(this, names, mode, options);
  });
  return { writes: () => seen.filter((t) => t.mode === 'readwrite') };
}

/** Web Locks in memory: a name is granted to one holder until its callback settles. */
function memoryLocks(): LockManagerLike & { held: Set<string> } {
  const held = new Set<string>();
  return {
    held,
    async request(name, options, callback) {
      if (held.has(name)) {
        if (!options.ifAvailable) throw new Error('this fake only does ifAvailable');
        return callback(null);
      }
      held.add(name);
      try {
        return await callback({ name });
      } finally {
        held.delete(name);
      }
    },
  };
}

async function serverOn(name: string) {
  const server = new Server({ logger: () => {} });
  const storage = indexedDbStorage({ name, locks: null });
  const persistence = new Persistence(server, storage);
  const aof = new AppendOnlyFile(storage, server, 'always');
  await aof.open();
  persistence.aof = aof;
  server.durabilityBarrier = () => aof.barrier();
  const client = server.connect({ kind: 'test' });
  const run = (...args: Bytes[]): Reply => {
    const r = server.dispatch(client, args);
    if (r instanceof Promise) throw new Error('async reply');
    return r;
  };
  return { server, aof, persistence, run };
}

afterEach(() => {
  vi.restoreAllMocks();
});

describe('IndexedDB storage: batching', () => {
  it('writes the appends of one flush as one record in one strict transaction', async () => {
    const name = fresh();
    const s = indexedDbStorage({ name, locks: null });
    await s.open();
    const tx = watchTransactions();
    s.append(bytes('a'));
    s.append(bytes('b'));
    s.append(bytes('c'));
    await s.flush(true);
    expect(tx.writes()).toEqual([{ mode: 'readwrite', durability: 'strict' }]);
    expect(await rawKeys(name)).toEqual(['log:0000000000000000', 'meta']);
    expect(await readAll(s)).toBe('abc');
    await s.close();
  });

  it('commits flush(false) relaxed, and a later strict flush with nothing new makes it durable once', async () => {
    const s = indexedDbStorage({ name: fresh(), locks: null });
    await s.open();
    const tx = watchTransactions();
    s.append(bytes('x'));
    await s.flush(false);
    await s.flush(true);
    await s.flush(true);
    expect(tx.writes().map((t) => t.durability)).toEqual(['relaxed', 'strict']);
    await s.close();
  });

  it('gives one AOF record per event-loop turn of a server with appendfsync always', async () => {
    const name = fresh();
    const { aof, run } = await serverOn(name);
    const tx = watchTransactions();
    run('SET', 'a', '1');
    run('INCR', 'a');
    run('ZADD', 'z', '1', 'm');
    await aof.barrier();
    expect(tx.writes()).toHaveLength(1);
    run('SET', 'b', '2');
    await aof.barrier();
    expect(tx.writes()).toHaveLength(2);
    expect((await rawKeys(name)).filter((k) => k.startsWith('log:'))).toHaveLength(2);
    await aof.close();
  });

  it('keeps a failed batch queued and writes it with the next flush, in order', async () => {
    const s = indexedDbStorage({ name: fresh(), locks: null });
    await s.open();
    s.append(bytes('first'));
    const put = vi.spyOn(IDBObjectStore.prototype, 'put').mockImplementationOnce(() => {
      throw new DOMException('quota', 'QuotaExceededError');
    });
    const failed = await s.flush(true).catch((e: unknown) => e);
    expect(failed).toBeInstanceOf(UbiqueError);
    expect((failed as UbiqueError).message).toMatch(/^Cannot write IndexedDB storage 'unit-\d+': quota$/);
    put.mockRestore();
    s.append(bytes('+second'));
    await s.flush(true);
    expect(await readAll(s)).toBe('first+second');
    await s.close();
  });
});

describe('IndexedDB storage: log surgery', () => {
  it('replaces the log in one transaction that drops every old record', async () => {
    const name = fresh();
    const s = indexedDbStorage({ name, locks: null });
    await s.open();
    for (const part of ['one', 'two', 'three']) {
      s.append(bytes(part));
      await s.flush(true);
    }
    const tx = watchTransactions();
    await s.replaceLog(bytes('base'));
    expect(tx.writes()).toEqual([{ mode: 'readwrite', durability: 'strict' }]);
    expect(await rawKeys(name)).toEqual(['log:0000000000000003', 'meta']);
    await s.close();
  });

  it('leaves the old log whole when the replacement fails midway', async () => {
    const name = fresh();
    const s = indexedDbStorage({ name, locks: null });
    await s.open();
    s.append(bytes('old'));
    await s.flush(true);
    s.append(bytes('-log'));
    await s.flush(true);
    // The delete of the old records is queued first; the put of the new base then fails.
    vi.spyOn(IDBObjectStore.prototype, 'put').mockImplementationOnce(() => {
      throw new DOMException('disk full', 'QuotaExceededError');
    });
    await expect(s.replaceLog(bytes('new'))).rejects.toThrow(/^Cannot replace the log of IndexedDB storage/);
    vi.restoreAllMocks();
    expect(await readAll(s)).toBe('old-log');
    await s.close();
    const again = indexedDbStorage({ name, locks: null });
    expect(await again.open()).toEqual({ logBytes: 7, snapshotBytes: 0 });
    expect(await readAll(again)).toBe('old-log');
    await again.close();
  });

  it('truncates inside an earlier record, rewriting it and dropping the later ones', async () => {
    const name = fresh();
    const s = indexedDbStorage({ name, locks: null });
    await s.open();
    for (const part of ['aaa', 'bbb', 'ccc']) {
      s.append(bytes(part));
      await s.flush(true);
    }
    await s.truncateLog(4);
    expect(await readAll(s)).toBe('aaab');
    expect(await rawKeys(name)).toEqual(['log:0000000000000000', 'log:0000000000000001', 'meta']);
    await s.truncateLog(3);
    expect(await rawKeys(name)).toEqual(['log:0000000000000000', 'meta']);
    s.append(bytes('!'));
    await s.flush(true);
    await s.close();
    const again = indexedDbStorage({ name, locks: null });
    expect((await again.open()).logBytes).toBe(4);
    expect(await readAll(again)).toBe('aaa!');
    await again.close();
  });
});

describe('IndexedDB storage under a server', () => {
  it('brings a closed server’s data back in a new server on the same database', async () => {
    const name = fresh();
    const first = await serverOn(name);
    first.run('SET', 'greeting', 'hello');
    first.run('SET', 'binary', '\x00\xff\r\n');
    first.run('INCRBY', 'counter', '41');
    first.run('INCR', 'counter');
    first.run('ZADD', 'scores', '1.5', 'ann', '2', 'bob');
    first.run('SELECT', '3');
    first.run('SET', 'elsewhere', 'db3');
    await first.aof.close();

    const second = await serverOn(name);
    expect(second.run('GET', 'greeting')).toBe('hello');
    expect(second.run('GET', 'binary')).toBe('\x00\xff\r\n');
    expect(second.run('GET', 'counter')).toBe('42');
    expect(second.run('ZSCORE', 'scores', 'ann')).toEqual(new DoubleReply(1.5));
    second.run('SELECT', '3');
    expect(second.run('GET', 'elsewhere')).toBe('db3');
    await second.aof.close();
  });

  it('survives an AOF rewrite (replaceLog) and keeps the writes made after it', async () => {
    const name = fresh();
    const first = await serverOn(name);
    for (let i = 0; i < 20; i++) first.run('SET', 'k', String(i));
    await first.aof.barrier();
    expect(first.persistence.startRewrite()).toBe(true);
    await first.persistence.waitRewrite();
    first.run('SET', 'after', 'yes');
    await first.aof.barrier();
    await first.aof.close();
    expect((await rawKeys(name)).filter((k) => k.startsWith('log:')).length).toBeLessThanOrEqual(2);

    const second = await serverOn(name);
    expect(second.run('GET', 'k')).toBe('19');
    expect(second.run('GET', 'after')).toBe('yes');
    await second.aof.close();
  });

  it('keeps a snapshot beside the log and loads it', async () => {
    const name = fresh();
    const first = await serverOn(name);
    first.run('SET', 'snap', 'shot');
    await first.persistence.save();
    await first.aof.close();
    const server = new Server({ logger: () => {} });
    const storage = indexedDbStorage({ name, locks: null });
    expect((await storage.open()).snapshotBytes).toBeGreaterThan(0);
    expect(await new Persistence(server, storage).loadSnapshot()).toBeGreaterThan(0);
    const client = server.connect({ kind: 'test' });
    expect(server.dispatch(client, ['GET', 'snap'])).toBe('shot');
    await storage.close();
  });
});

describe('IndexedDB storage: one writer per name', () => {
  it('refuses a second opener with STORAGE_LOCKED while the first holds the lock, then lets it in', async () => {
    const name = fresh();
    const locks = memoryLocks();
    const first = indexedDbStorage({ name, locks });
    await first.open();
    expect(locks.held.has(`ubique:${name}`)).toBe(true);
    const second = indexedDbStorage({ name, locks });
    const refused = await second.open().catch((e: unknown) => e);
    expect(refused).toBeInstanceOf(UbiqueError);
    expect((refused as UbiqueError).code).toBe('STORAGE_LOCKED');
    expect((refused as UbiqueError).message).toBe(
      `Cannot open IndexedDB storage '${name}': another tab or worker of this origin has it open; only one writer per origin`,
    );
    await first.close();
    await vi.waitFor(() => expect(locks.held.size).toBe(0));
    await second.open();
    await second.close();
  });

  it('takes the lock named after the database and asks only if it is available', async () => {
    const request = vi.fn<LockManagerLike['request']>(async (_name, _options, callback) => callback(null));
    const refused = await indexedDbStorage({ name: 'app', locks: { request } })
      .open()
      .catch((e: unknown) => e);
    expect((refused as UbiqueError).code).toBe('STORAGE_LOCKED');
    expect(request).toHaveBeenCalledWith('ubique:app', { ifAvailable: true }, expect.any(Function));
  });

  it('uses the idb-keyval module it is given', async () => {
    const createStore = vi.fn(idbKeyval.createStore);
    const s = indexedDbStorage({ name: fresh(), locks: null, lib: { ...idbKeyval, createStore } });
    await s.open();
    s.append(bytes('via lib'));
    await s.flush(true);
    expect(await readAll(s)).toBe('via lib');
    expect(createStore).toHaveBeenCalledTimes(1);
    await s.close();
  });
});
