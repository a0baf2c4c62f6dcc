/**
 * One contract for every Storage adapter: what is flushed comes back in
 * order, truncation and replacement hold, snapshots round-trip, and a
 * reopened store sees what was made durable.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import 'fake-indexeddb/auto';
import { afterAll, describe, expect, it } from 'vitest';
import { fsStorage } from '../../src/adapters/persistence/fs.js';
import { indexedDbStorage } from '../../src/adapters/persistence/indexeddb.js';
import { memoryStorage } from '../../src/adapters/persistence/memory.js';
import type { Storage } from '../../src/core/persistence/storage.js';

const dirs: string[] = [];
afterAll(() => {
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

let databases = 0;

/** Each adapter: a factory that reopens the same underlying store. */
const adapters: Record<string, () => () => Storage> = {
  memory: () => {
    const s = memoryStorage();
    return () => s;
  },
  fs: () => {
    const dir = mkdtempSync(join(tmpdir(), 'ubique-storage-'));
    dirs.push(dir);
    return () => fsStorage({ dir, chunkSize: 7 });
  },
  indexeddb: () => {
    const name = `contract-${++databases}`;
    return () => indexedDbStorage({ name });
  },
};

const bytes = (s: string) => new TextEncoder().encode(s);
const text = (u: Uint8Array) => new TextDecoder().decode(u);

async function readAll(s: Storage): Promise<string> {
  const parts: string[] = [];
  await s.readLog((c) => {
    parts.push(text(c));
  });
  return parts.join('');
}

for (const [name, make] of Object.entries(adapters)) {
  describe(`Storage contract: ${name}`, () => {
    it('starts empty', async () => {
      const s = make()();
      expect(await s.open()).toEqual({ logBytes: 0, snapshotBytes: 0 });
      expect(await readAll(s)).toBe('');
      expect(await s.readSnapshot()).toBeNull();
      await s.close();
    });

    it('returns flushed appends in order, across reopening', async () => {
      const reopen = make();
      const s = reopen();
      await s.open();
      s.append(bytes('hello '));
      s.append(bytes('world'));
      await s.flush(true);
      s.append(bytes('!'));
      await s.flush(false);
      expect(await readAll(s)).toBe('hello world!');
      await s.close();
      const again = reopen();
      expect((await again.open()).logBytes).toBe(12);
      expect(await readAll(again)).toBe('hello world!');
      await again.close();
    });

    it('truncates a torn tail', async () => {
      const reopen = make();
      const s = reopen();
      await s.open();
      s.append(bytes('complete|torn'));
      await s.flush(true);
      await s.truncateLog(9);
      expect(await readAll(s)).toBe('complete|');
      s.append(bytes('next'));
      await s.flush(true);
      expect(await readAll(s)).toBe('complete|next');
      await s.close();
    });

    it('replaces the log whole', async () => {
      const reopen = make();
      const s = reopen();
      await s.open();
      s.append(bytes('old old old'));
      await s.flush(true);
      await s.replaceLog(bytes('new'));
      s.append(bytes('+more'));
      await s.flush(true);
      await s.close();
      const again = reopen();
      await again.open();
      expect(await readAll(again)).toBe('new+more');
      await again.close();
    });

    it('keeps one snapshot, replaced whole', async () => {
      const reopen = make();
      const s = reopen();
      await s.open();
      await s.writeSnapshot(bytes('first'));
      await s.writeSnapshot(bytes('second'));
      await s.close();
      const again = reopen();
      expect((await again.open()).snapshotBytes).toBe(6);
      expect(text((await again.readSnapshot())!)).toBe('second');
      await again.close();
    });

    it('keeps binary bytes exactly', async () => {
      const s = make()();
      await s.open();
      const all = new Uint8Array(256).map((_, i) => i);
      s.append(all);
      await s.flush(true);
      const got: number[] = [];
      await s.readLog((c) => {
        got.push(...c);
      });
      expect(got).toEqual([...all]);
      await s.close();
    });
  });
}
