/**
 * Snapshots and AOF rewrites, without fork: the keyspace is walked in short
 * slices so the server keeps answering, keys changed meanwhile are noted, and
 * at the end they are written again as they are then (DEL, then rebuilt). The
 * result is the dataset as it stood at that last moment; writes after it
 * follow in the new AOF.
 * This module is browser compatible.
 */
import type { Bytes } from '../bytes.js';
import { UbiqueError } from '../errors.js';
import type { Server } from '../server.js';
import { AofReader } from './aof-loader.js';
import { encodeCommands, type AppendOnlyFile } from './aof.js';
import { rebuildKey } from './serialize.js';
import { decodeSnapshot, encodeSnapshot } from './snapshot.js';
import type { Storage } from './storage.js';

/** How long one slice may run before yielding to the event loop. */
const SLICE_MS = 8;

export interface DumpResult {
  chunks: Uint8Array[];
  keys: number;
  /** The database the commands leave selected. */
  lastDb: number;
}

export interface PersistenceStatus {
  lastSave: number;
  lastBgsaveOk: boolean;
  lastBgsaveSeconds: number;
  bgsaveStartedAt: number | null;
  rewriteStartedAt: number | null;
  lastRewriteOk: boolean;
  lastRewriteSeconds: number;
  rewrites: number;
  changesSinceSave: number;
  loading: boolean;
}

export class Persistence {
  aof: AppendOnlyFile | null = null;
  lastSave: number;
  private dirtyAtSave = 0;
  private bgsave: Promise<void> | null = null;
  private rewrite: Promise<void> | null = null;
  private bgsaveStartedAt: number | null = null;
  private rewriteStartedAt: number | null = null;
  private lastBgsaveOk = true;
  private lastBgsaveSeconds = -1;
  private lastRewriteOk = true;
  private lastRewriteSeconds = -1;
  private rewrites = 0;
  loading = false;

  constructor(
    private readonly server: Server,
    /** Where snapshots go (its log side is unused unless it is also the AOF's storage). */
    readonly snapshots: Storage,
  ) {
    this.lastSave = Math.floor(server.clock.now() / 1000);
    server.ext['persistence'] = this;
    server.addCronJob((now) => this.checkSaveRules(now));
  }

  static of(server: Server): Persistence | undefined {
    return server.ext['persistence'] as Persistence | undefined;
  }

  get changesSinceSave(): number {
    return this.server.dirty - this.dirtyAtSave;
  }

  status(): PersistenceStatus {
    return {
      lastSave: this.lastSave,
      lastBgsaveOk: this.lastBgsaveOk,
      lastBgsaveSeconds: this.lastBgsaveSeconds,
      bgsaveStartedAt: this.bgsaveStartedAt,
      rewriteStartedAt: this.rewriteStartedAt,
      lastRewriteOk: this.lastRewriteOk,
      lastRewriteSeconds: this.lastRewriteSeconds,
      rewrites: this.rewrites,
      changesSinceSave: this.changesSinceSave,
      loading: this.loading,
    };
  }

  get saving(): boolean {
    return this.bgsave !== null;
  }

  get rewriting(): boolean {
    return this.rewrite !== null;
  }

  /** Every key as rebuilding commands, all at once (SAVE, DEBUG RELOAD). */
  dumpNow(): DumpResult {
    const reader = this.reader();
    const now = this.server.clock.now();
    const chunks: Uint8Array[] = [];
    let keys = 0;
    let lastDb = 0;
    try {
      for (const db of this.server.engine.dbs) {
        if (db.size === 0) continue;
        reader.db = db.id;
        const cmds: Bytes[][] = [['SELECT', String(db.id)]];
        for (const key of db.data.keys()) {
          const rebuilt = rebuildKey(this.server, reader, key, now);
          if (rebuilt.length > 0) keys++;
          cmds.push(...rebuilt);
          if (cmds.length > 4096) chunks.push(encodeCommands(cmds.splice(0)));
        }
        chunks.push(encodeCommands(cmds));
        lastDb = db.id;
      }
    } finally {
      this.server.disconnect(reader);
    }
    return { chunks, keys, lastDb };
  }

  /**
   * Every key as rebuilding commands, walked in slices. `atEnd` runs in the
   * same turn as the final fix-ups, so nothing can change in between.
   */
  async dumpSliced(atEnd?: () => void): Promise<DumpResult> {
    const server = this.server;
    const touched = new Map<number, Set<Bytes>>();
    const flushed = new Set<number>();
    const onKey = (db: number, key: Bytes) => {
      let s = touched.get(db);
      if (s === undefined) touched.set(db, (s = new Set()));
      s.add(key);
    };
    const onFlush = (db: number | null) => {
      for (const d of server.engine.dbs) if (db === null || d.id === db) flushed.add(d.id);
    };
    server.engine.onKeyModified(onKey);
    server.engine.onFlush(onFlush);
    const reader = this.reader();
    const chunks: Uint8Array[] = [];
    let keys = 0;
    let lastDb = 0;
    try {
      for (const db of server.engine.dbs) {
        if (db.size === 0) continue;
        const cmds: Bytes[][] = [['SELECT', String(db.id)]];
        lastDb = db.id;
        let t0 = server.clock.monotonic();
        // A Map iterator survives the inserts and deletes that happen while we yield.
        for (const key of db.data.keys()) {
          reader.db = db.id;
          const rebuilt = rebuildKey(server, reader, key, server.clock.now());
          if (rebuilt.length > 0) keys++;
          cmds.push(...rebuilt);
          if (server.clock.monotonic() - t0 > SLICE_MS) {
            chunks.push(encodeCommands(cmds.splice(0)));
            await new Promise((r) => setTimeout(r, 0));
            t0 = server.clock.monotonic();
            if (db !== server.engine.dbs[db.id]) break; // swapped away: the fix-ups rewrite it whole
          }
        }
        chunks.push(encodeCommands(cmds));
      }
      // The fix-ups: every key changed while we walked, as it is now.
      const now = server.clock.now();
      const fix: Bytes[][] = [];
      for (const id of flushed) {
        const db = server.engine.dbs[id]!;
        reader.db = id;
        fix.push(['SELECT', String(id)], ['FLUSHDB']);
        for (const key of db.data.keys()) fix.push(...rebuildKey(server, reader, key, now));
        touched.delete(id);
        lastDb = id;
      }
      for (const [id, set] of touched) {
        reader.db = id;
        fix.push(['SELECT', String(id)]);
        for (const key of set) fix.push(['DEL', key], ...rebuildKey(server, reader, key, now));
        lastDb = id;
      }
      if (fix.length > 0) chunks.push(encodeCommands(fix));
      atEnd?.();
    } finally {
      server.engine.offKeyModified(onKey);
      server.engine.offFlush(onFlush);
      server.disconnect(reader);
    }
    return { chunks, keys, lastDb };
  }

  private reader() {
    const reader = this.server.connect({ kind: 'persistence' });
    reader.authenticated = true;
    return reader;
  }

  /** SAVE: a snapshot written at once, the server waiting for it. */
  async save(): Promise<void> {
    const dump = this.dumpNow();
    await this.snapshots.writeSnapshot(encodeSnapshot(dump.chunks, this.server.clock.now()));
    this.saved();
  }

  private saved(): void {
    this.lastSave = Math.floor(this.server.clock.now() / 1000);
    this.dirtyAtSave = this.server.dirty;
  }

  /** BGSAVE: a snapshot written in the background. Returns false when one is already running. */
  startBgsave(): boolean {
    if (this.bgsave !== null) return false;
    const started = this.server.clock.monotonic();
    this.bgsaveStartedAt = started;
    const dirtyAtStart = this.server.dirty;
    this.bgsave = (async () => {
      try {
        const dump = await this.dumpSliced();
        await this.snapshots.writeSnapshot(encodeSnapshot(dump.chunks, this.server.clock.now()));
        this.lastSave = Math.floor(this.server.clock.now() / 1000);
        this.dirtyAtSave = dirtyAtStart;
        this.lastBgsaveOk = true;
        this.server.log('notice', 'Background saving terminated with success');
      } catch (e) {
        this.lastBgsaveOk = false;
        this.server.log('warning', `Background saving error: ${(e as Error).message}`);
      } finally {
        this.lastBgsaveSeconds = Math.round((this.server.clock.monotonic() - started) / 1000);
        this.bgsaveStartedAt = null;
        this.bgsave = null;
      }
    })();
    return true;
  }

  /** Resolves when the running background save (if any) is over. */
  async waitBgsave(): Promise<void> {
    await this.bgsave;
  }

  /** BGREWRITEAOF: the AOF rebuilt from the data, in the background. */
  startRewrite(): boolean {
    const aof = this.aof;
    if (aof === null || this.rewrite !== null) return false;
    const started = this.server.clock.monotonic();
    this.rewriteStartedAt = started;
    this.rewrite = (async () => {
      try {
        const dump = await this.dumpSliced(() => aof.holdWrites());
        await aof.switchTo(dump.chunks, dump.lastDb);
        this.rewrites++;
        this.lastRewriteOk = true;
        this.server.log('notice', 'Background AOF rewrite finished successfully');
      } catch (e) {
        this.lastRewriteOk = false;
        aof.releaseWrites();
        this.server.log('warning', `Background AOF rewrite failed: ${(e as Error).message}`);
      } finally {
        this.lastRewriteSeconds = Math.round((this.server.clock.monotonic() - started) / 1000);
        this.rewriteStartedAt = null;
        this.rewrite = null;
      }
    })();
    return true;
  }

  async waitRewrite(): Promise<void> {
    await this.rewrite;
  }

  /** Loads the snapshot, if there is one, into empty databases. Returns the keys loaded. */
  async loadSnapshot(): Promise<number> {
    const bytes = await this.snapshots.readSnapshot();
    return bytes === null ? 0 : this.loadBytes(bytes);
  }

  /** Applies a snapshot's commands; returns how many there were. */
  private loadBytes(bytes: Uint8Array): number {
    const { body } = decodeSnapshot(bytes, this.snapshots.snapshotLocation ?? this.snapshots.location);
    const client = this.reader();
    let commands = 0;
    this.loading = true;
    try {
      new AofReader().feed(body, (args) => {
        const r = this.server.dispatch(client, args);
        if (r instanceof Promise) throw new UbiqueError('SNAPSHOT_LOAD', `Cannot load snapshot: '${args[0]}' did not complete at once`);
        commands++;
      });
    } finally {
      this.loading = false;
      this.server.disconnect(client);
    }
    this.dirtyAtSave = this.server.dirty;
    this.lastSave = Math.floor(this.server.clock.now() / 1000);
    return commands;
  }

  /**
   * DEBUG RELOAD: serialize, empty everything, load it back — all in one
   * turn, so no other client's write falls in between — then write the
   * snapshot file; resolves once it is written.
   */
  reload(): Promise<void> {
    const dump = this.dumpNow();
    const bytes = encodeSnapshot(dump.chunks, this.server.clock.now());
    this.server.engine.flushed(null);
    for (const db of this.server.engine.dbs) db.clear();
    this.loadBytes(bytes);
    return this.snapshots.writeSnapshot(bytes).then(() => this.saved());
  }

  /** `save <seconds> <changes> ...`: start a BGSAVE when a rule is met. */
  private checkSaveRules(now: number): void {
    const rules = this.server.config.str('save').trim();
    if (rules === '' || this.bgsave !== null) return;
    const words = rules.split(/\s+/).map(Number);
    const changes = this.changesSinceSave;
    if (changes === 0) return;
    const elapsed = now / 1000 - this.lastSave;
    for (let i = 0; i + 1 < words.length; i += 2) {
      if (elapsed >= words[i]! && changes >= words[i + 1]!) {
        this.server.log('notice', `${words[i + 1]} changes in ${words[i]} seconds. Saving...`);
        this.startBgsave();
        return;
      }
    }
  }
}
