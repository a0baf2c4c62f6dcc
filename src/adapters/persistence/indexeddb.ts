/**
 * Storage in IndexedDB, for browsers and workers (dedicated, shared, service):
 * one database `<name>` with one object store holding
 * - `log:<seq>` records (seq zero-padded so keys sort): one flushed batch each;
 *   the log is their concatenation, from `meta.first` to `meta.next - 1`;
 * - `meta`: which records exist, the log's and the snapshot's sizes;
 * - `snapshot`: the snapshot bytes.
 *
 * idb-keyval is loaded on first `open()` (never at module load, so the core
 * stays bundle-friendly) unless passed as `lib`. It opens the database and
 * does the reads. Its writes cannot ask for a durability, so the write path
 * takes the IDBDatabase from idb-keyval's store and opens its own
 * transactions: strict durability for `flush(true)` and every replacement
 * (the browser flushes to disk before `oncomplete`, IndexedDB's fsync),
 * relaxed for `flush(false)`. Each flush is one transaction carrying one
 * record plus `meta`, so one event-loop turn of the AOF costs one commit.
 *
 * One writer per origin: `open()` takes the Web Lock `ubique:<name>`
 * (navigator.locks, or `locks` when passed) and holds it until `close()`; a
 * second tab or worker gets STORAGE_LOCKED instead of interleaving its
 * records. Where there is no Web Locks API (Node with fake-indexeddb, old
 * browsers) or `locks: null` is passed, it opens without a lock.
 */
import type * as IdbKeyval from 'idb-keyval';
import { UbiqueError } from '../../core/errors.js';
import type { Storage } from '../../core/persistence/storage.js';

export type IdbKeyvalLib = Pick<typeof IdbKeyval, 'createStore' | 'get' | 'getMany'>;

/** The part of the Web Locks API used here (navigator.locks). */
export interface LockManagerLike {
  request(name: string, options: { ifAvailable: boolean }, callback: (lock: unknown) => Promise<void> | void): Promise<unknown>;
}

export interface IndexedDbStorageOptions {
  /** The IndexedDB database's name (and the lock's). */
  name?: string;
  /** The idb-keyval module; imported on first use when absent. */
  lib?: IdbKeyvalLib;
  /** The Web Locks API; defaults to navigator.locks; null opens without a lock. */
  locks?: LockManagerLike | null;
}

interface Meta {
  first: number;
  next: number;
  logBytes: number;
  snapshotBytes: number;
}

const STORE = 'storage';
const META = 'meta';
const SNAPSHOT = 'snapshot';
const READ_PAGE = 64;
const logKey = (seq: number) => `log:${String(seq).padStart(16, '0')}`;

export function indexedDbStorage(options: IndexedDbStorageOptions = {}): Storage {
  const name = options.name ?? 'ubique';
  const location = `indexeddb:${name}`;
  let lib: IdbKeyvalLib | null = null;
  let store: IdbKeyval.UseStore | null = null;
  let db: IDBDatabase | null = null;
  let meta: Meta = { first: 0, next: 0, logBytes: 0, snapshotBytes: 0 };
  let queued: Uint8Array[] = [];
  let releaseLock: (() => void) | null = null;
  // A relaxed commit since the last strict one: a strict flush with nothing new must still sync it.
  let relaxedPending = false;
  // Writes run one after another: each builds `meta` from the state the previous one left.
  let tail: Promise<unknown> = Promise.resolve();

  const fail = (verb: string, e: unknown) =>
    e instanceof UbiqueError ? e : new UbiqueError('STORAGE_IO', `Cannot ${verb} IndexedDB storage '${name}': ${(e as Error)?.message ?? String(e)}`, { cause: e });

  const requireOpen = (verb: string) => {
    if (store === null || lib === null) throw new UbiqueError('STORAGE_CLOSED', `Cannot ${verb} IndexedDB storage '${name}': it is not open`);
    return { store, lib };
  };

  function serial<T>(verb: string, op: () => Promise<T>): Promise<T> {
    const run = tail.then(op).catch((e: unknown) => {
      throw fail(verb, e);
    });
    tail = run.catch(() => {});
    return run;
  }

  async function database(): Promise<IDBDatabase> {
    if (db !== null) return db;
    const opened = await requireOpen('write').store('readonly', (s) => s.transaction.db);
    opened.addEventListener('close', () => {
      if (db === opened) db = null;
    });
    return (db = opened);
  }

  /** One readwrite transaction; resolves once it has committed. */
  async function transact(durability: IDBTransactionDurability, fill: (s: IDBObjectStore) => void): Promise<void> {
    const tx = (await database()).transaction(STORE, 'readwrite', { durability });
    await new Promise<void>((resolve, reject) => {
      tx.oncomplete = () => resolve();
      tx.onabort = () => reject(tx.error ?? new Error('the transaction was aborted'));
      try {
        fill(tx.objectStore(STORE));
      } catch (e) {
        tx.abort();
        reject(e);
      }
    });
  }

  /** Commits `fill` plus the new meta; the in-memory meta changes only once that is durable. */
  async function commit(durability: IDBTransactionDurability, next: Meta, fill: (s: IDBObjectStore) => void): Promise<void> {
    await transact(durability, (s) => {
      fill(s);
      s.put(next, META);
    });
    meta = next;
    relaxedPending = durability === 'relaxed';
  }

  async function acquireLock(): Promise<void> {
    const locks = options.locks === undefined ? ((globalThis as { navigator?: { locks?: LockManagerLike } }).navigator?.locks ?? null) : options.locks;
    if (locks === null) return;
    const granted = await new Promise<boolean>((resolve, reject) => {
      locks
        .request(`ubique:${name}`, { ifAvailable: true }, (lock) => {
          if (lock === null) return resolve(false);
          resolve(true);
          return new Promise<void>((release) => (releaseLock = release));
        })
        .catch(reject);
    });
    if (!granted) {
      throw new UbiqueError('STORAGE_LOCKED', `Cannot open IndexedDB storage '${name}': another tab or worker of this origin has it open; only one writer per origin`);
    }
  }

  function unlock(): void {
    releaseLock?.();
    releaseLock = null;
  }

  /** Reads records `from`..`to - 1` in pages, in order. */
  async function eachRecord(from: number, to: number, onRecord: (bytes: Uint8Array, seq: number) => void | Promise<void>): Promise<void> {
    const { store, lib } = requireOpen('read');
    for (let seq = from; seq < to; seq += READ_PAGE) {
      const keys: string[] = [];
      for (let s = seq; s < Math.min(to, seq + READ_PAGE); s++) keys.push(logKey(s));
      const records = await lib.getMany<Uint8Array | undefined>(keys, store);
      for (let i = 0; i < records.length; i++) {
        const r = records[i];
        if (r === undefined) throw new UbiqueError('STORAGE_DAMAGED', `Cannot read IndexedDB storage '${name}': log record ${seq + i} is missing`);
        await onRecord(r, seq + i);
      }
    }
  }

  return {
    location,
    async open() {
      await acquireLock();
      try {
        lib = options.lib ?? (await import('idb-keyval'));
        store = lib.createStore(name, STORE);
        meta = (await lib.get<Meta>(META, store)) ?? { first: 0, next: 0, logBytes: 0, snapshotBytes: 0 };
      } catch (e) {
        unlock();
        store = null;
        throw fail('open', e);
      }
      return { logBytes: meta.logBytes, snapshotBytes: meta.snapshotBytes };
    },
    append(bytes) {
      queued.push(bytes);
    },
    flush(sync) {
      return serial('write', async () => {
        if (queued.length === 0) {
          // Nothing new, but a strict flush still makes earlier relaxed commits durable.
          if (sync && relaxedPending) await commit('strict', meta, () => {});
          return;
        }
        const parts = queued;
        queued = [];
        const record = concat(parts);
        const seq = meta.next;
        try {
          await commit(sync ? 'strict' : 'relaxed', { ...meta, next: seq + 1, logBytes: meta.logBytes + record.length }, (s) => s.put(record, logKey(seq)));
        } catch (e) {
          // Not written: kept for the next flush, in order.
          queued = [...parts, ...queued];
          throw e;
        }
      });
    },
    readLog(onChunk) {
      return eachRecord(meta.first, meta.next, (bytes) => onChunk(bytes));
    },
    truncateLog(length) {
      return serial('truncate', async () => {
        if (length >= meta.logBytes) return;
        // The record the cut falls in keeps its head (rewritten unless whole); the ones after go.
        let start = 0;
        let from = meta.first;
        let head: Uint8Array | null = null;
        await eachRecord(meta.first, meta.next, (bytes, seq) => {
          if (start < length && start + bytes.length >= length) {
            from = seq + 1;
            if (start + bytes.length > length) head = bytes.slice(0, length - start);
          }
          start += bytes.length;
        });
        const rewrite = head as Uint8Array | null;
        const last = meta.next - 1;
        await commit('strict', { ...meta, next: from, logBytes: length }, (s) => {
          if (rewrite !== null) s.put(rewrite, logKey(from - 1));
          if (from <= last) s.delete(IDBKeyRange.bound(logKey(from), logKey(last)));
        });
      });
    },
    writeSnapshot(bytes) {
      const copy = bytes.slice();
      return serial('write the snapshot of', () => commit('strict', { ...meta, snapshotBytes: copy.length }, (s) => s.put(copy, SNAPSHOT)));
    },
    async readSnapshot() {
      const { store, lib } = requireOpen('read');
      try {
        return (await lib.get<Uint8Array>(SNAPSHOT, store)) ?? null;
      } catch (e) {
        throw fail('read the snapshot of', e);
      }
    },
    replaceLog(bytes) {
      queued = [];
      const copy = bytes.slice();
      return serial('replace the log of', () => {
        // The new base and the old records' removal commit together: a crash leaves one or the other.
        const seq = meta.next;
        const next = { ...meta, first: seq, next: copy.length > 0 ? seq + 1 : seq, logBytes: copy.length };
        return commit('strict', next, (s) => {
          if (meta.next > meta.first) s.delete(IDBKeyRange.bound(logKey(meta.first), logKey(meta.next - 1)));
          if (copy.length > 0) s.put(copy, logKey(seq));
        });
      });
    },
    async close() {
      if (store === null) return;
      try {
        await this.flush(true);
      } finally {
        (await database().catch(() => null))?.close();
        db = null;
        store = null;
        unlock();
      }
    },
  };
}

/** One exact-length copy: a view would be stored with its whole underlying buffer. */
function concat(parts: Uint8Array[]): Uint8Array {
  if (parts.length === 1) return parts[0]!.slice();
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}
