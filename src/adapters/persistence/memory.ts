/**
 * Storage in memory: the default for the embedded API and `npm start`, and
 * the reference the contract test holds the others to.
 * This module is browser compatible (runs in every runtime).
 */
import type { Storage } from '../../core/persistence/storage.js';
import { copyU8 } from '../../core/bytes.js';

export function memoryStorage(name = 'memory'): Storage {
  let log: Uint8Array[] = [];
  let queued: Uint8Array[] = [];
  let snapshot: Uint8Array | null = null;
  const logBytes = () => log.reduce((n, c) => n + c.length, 0);
  return {
    location: name,
    async open() {
      return { logBytes: logBytes(), snapshotBytes: snapshot?.length ?? 0 };
    },
    append(bytes) {
      queued.push(copyU8(bytes));
    },
    async flush() {
      log.push(...queued);
      queued = [];
    },
    async readLog(onChunk) {
      for (const c of log) await onChunk(c);
    },
    async truncateLog(length) {
      const all = concat(log);
      log = [all.slice(0, length)];
    },
    async writeSnapshot(bytes) {
      snapshot = copyU8(bytes);
    },
    async readSnapshot() {
      return snapshot === null ? null : snapshot.slice();
    },
    async replaceLog(bytes) {
      log = [bytes.slice()];
      queued = [];
    },
    async close() {},
  };
}

function concat(chunks: Uint8Array[]): Uint8Array {
  const out = new Uint8Array(chunks.reduce((n, c) => n + c.length, 0));
  let p = 0;
  for (const c of chunks) {
    out.set(c, p);
    p += c.length;
  }
  return out;
}
