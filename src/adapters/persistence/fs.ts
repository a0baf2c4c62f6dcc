/**
 * Storage in files through node:fs (Node, and Deno and Bun through their
 * node:fs): the log is one append-only file, the snapshot another; both are
 * replaced by writing aside, fsyncing, renaming, and fsyncing the directory.
 */
import { Buffer } from 'node:buffer';
import { constants, promises as fsp } from 'node:fs';
import process from 'node:process';
import { dirname, join } from 'node:path';
import type { Storage } from '../../core/persistence/storage.js';

export interface FsStorageOptions {
  dir: string;
  /** The log file's name (appendfilename). */
  logFile?: string;
  /** The snapshot file's name (dbfilename). */
  snapshotFile?: string;
  /** Read chunk size for replay. */
  chunkSize?: number;
}

async function syncDir(dir: string): Promise<void> {
  const h = await fsp.open(dir, constants.O_RDONLY);
  try {
    await h.sync();
  } finally {
    await h.close();
  }
}

async function replaceFile(path: string, bytes: Uint8Array): Promise<void> {
  const tmp = `${path}.tmp-${process.pid}`;
  const h = await fsp.open(tmp, 'w');
  try {
    await h.writeFile(bytes);
    await h.sync();
  } finally {
    await h.close();
  }
  await fsp.rename(tmp, path);
  await syncDir(dirname(path));
}

export function fsStorage(options: FsStorageOptions): Storage {
  const logPath = join(options.dir, options.logFile ?? 'appendonly.aof');
  const snapPath = join(options.dir, options.snapshotFile ?? 'dump.ubq');
  const chunkSize = options.chunkSize ?? 1 << 20;
  let handle: fsp.FileHandle | null = null;
  let queued: Uint8Array[] = [];
  let queuedBytes = 0;

  const requireOpen = () => {
    if (handle === null) throw new Error(`Cannot write ${logPath}: the storage is not open`);
    return handle;
  };

  return {
    location: logPath,
    snapshotLocation: snapPath,
    async open() {
      try {
        await fsp.mkdir(options.dir, { recursive: true });
      } catch (e) {
        throw new Error(`Cannot open ${options.dir}: ${(e as Error).message}`, { cause: e });
      }
      handle = await fsp.open(logPath, 'a');
      const [log, snap] = await Promise.all([handle.stat(), fsp.stat(snapPath).catch(() => null)]);
      return { logBytes: log.size, snapshotBytes: snap?.size ?? 0 };
    },
    append(bytes) {
      queued.push(bytes);
      queuedBytes += bytes.length;
    },
    async flush(sync) {
      const h = requireOpen();
      if (queuedBytes > 0) {
        const parts = queued;
        const total = queuedBytes;
        queued = [];
        queuedBytes = 0;
        const buf = parts.length === 1 ? parts[0]! : Buffer.concat(parts, total);
        let off = 0;
        while (off < buf.length) {
          const { bytesWritten } = await h.write(buf, off, buf.length - off);
          off += bytesWritten;
        }
      }
      if (sync) await h.datasync();
    },
    async readLog(onChunk) {
      const r = await fsp.open(logPath, 'r').catch((e: NodeJS.ErrnoException) => {
        if (e.code === 'ENOENT') return null;
        throw e;
      });
      if (r === null) return;
      try {
        const buf = Buffer.allocUnsafe(chunkSize);
        for (;;) {
          const { bytesRead } = await r.read(buf, 0, chunkSize, null);
          if (bytesRead === 0) break;
          await onChunk(buf.subarray(0, bytesRead));
        }
      } finally {
        await r.close();
      }
    },
    async truncateLog(length) {
      await requireOpen().truncate(length);
      await requireOpen().sync();
    },
    async writeSnapshot(bytes) {
      await fsp.mkdir(options.dir, { recursive: true });
      await replaceFile(snapPath, bytes);
    },
    async readSnapshot() {
      try {
        return new Uint8Array(await fsp.readFile(snapPath));
      } catch (e) {
        if ((e as NodeJS.ErrnoException).code === 'ENOENT') return null;
        throw e;
      }
    },
    async replaceLog(bytes) {
      queued = [];
      queuedBytes = 0;
      await handle?.close();
      await replaceFile(logPath, bytes);
      handle = await fsp.open(logPath, 'a');
    },
    async close() {
      if (handle === null) return;
      await this.flush(true);
      await handle.close();
      handle = null;
    },
  };
}
