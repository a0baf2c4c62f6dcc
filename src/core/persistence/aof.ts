/**
 * The append-only file: every write that changed data, as RESP commands,
 * the same format Redis writes (redis-check-aof accepts it, redis-server
 * loads it). Durability follows appendfsync:
 * - always: replies wait for the fsync that covers them; one fsync covers
 *   every write of an event-loop turn (group commit);
 * - everysec: fsync once a second in the background;
 * - no: the operating system decides.
 * This module is browser compatible.
 */
import { writeBytes, type Bytes } from '../bytes.js';
import { UbiqueError } from '../errors.js';
import type { Server } from '../server.js';
import { AofDamage, AofReader } from './aof-loader.js';
import type { Storage } from './storage.js';

export type FsyncPolicy = 'always' | 'everysec' | 'no';

export function encodeCommands(commands: Bytes[][]): Uint8Array {
  let size = 0;
  for (const args of commands) {
    size += 16;
    for (const a of args) size += a.length + 16;
  }
  const out = new Uint8Array(size);
  let p = 0;
  for (const args of commands) {
    p = writeBytes(out, `*${args.length}\r\n`, p);
    for (const a of args) {
      p = writeBytes(out, `$${a.length}\r\n`, p);
      p = writeBytes(out, a, p);
      out[p++] = 13;
      out[p++] = 10;
    }
  }
  return out.subarray(0, p);
}

export interface LoadProgress {
  bytes: number;
  totalBytes: number;
  commands: number;
}

export interface AofStatus {
  enabled: boolean;
  policy: FsyncPolicy;
  /** Bytes in the file. */
  size: number;
  lastWriteOk: boolean;
  lastFsyncMs: number;
  pendingBytes: number;
  delayedFsync: number;
}

export class AppendOnlyFile {
  private selectedDb = -1;
  private appended = 0; // bytes queued since open
  private durable = 0; // bytes known durable
  private flushing: Promise<void> | null = null;
  private waiters: { upTo: number; resolve: () => void; reject: (e: Error) => void }[] = [];
  private timer: ReturnType<typeof setInterval> | undefined;
  private scheduled = false;
  private size = 0;
  private lastWriteOk = true;
  private lastError: Error | null = null;
  private lastFsyncMs = 0;
  private delayedFsync = 0;

  constructor(
    readonly storage: Storage,
    private readonly server: Server,
    public policy: FsyncPolicy,
  ) {}

  /** Loads the file into the server's keyspace, then starts logging new writes. */
  async open(onProgress?: (p: LoadProgress) => void): Promise<LoadProgress> {
    const info = await this.storage.open();
    this.size = info.logBytes;
    const progress = await this.load(info.logBytes, onProgress);
    this.server.setWriteLog((db, commands) => this.log(db, commands));
    if (this.policy === 'everysec') {
      this.timer = setInterval(() => void this.flushNow(true).catch(() => {}), 1000);
      (this.timer as { unref?: () => void }).unref?.();
    }
    return progress;
  }

  private async load(totalBytes: number, onProgress?: (p: LoadProgress) => void): Promise<LoadProgress> {
    const server = this.server;
    const client = server.connect({ kind: 'aof-loader' });
    client.authenticated = true;
    const reader = new AofReader(this.server.runtime.codec);
    const progress: LoadProgress = { bytes: 0, totalBytes, commands: 0 };
    let inMulti = false;
    try {
      await this.storage.readLog((chunk) => {
        reader.feed(chunk, (args) => {
          const name = args[0]!.toLowerCase();
          // MULTI/EXEC in the file mark a transaction that was logged whole; apply its commands.
          if (name === 'multi') inMulti = true;
          else if (name === 'exec') inMulti = false;
          else {
            const reply = server.dispatch(client, args);
            if (reply instanceof Promise) throw new UbiqueError('AOF_LOAD', `Cannot load ${this.storage.location}: command '${name}' did not complete synchronously`);
          }
          progress.commands++;
        });
        progress.bytes += chunk.length;
        onProgress?.(progress);
      });
    } catch (e) {
      if (e instanceof AofDamage) {
        throw new UbiqueError('AOF_DAMAGED', `Cannot load ${this.storage.location}: the file is damaged at byte offset ${e.offset} (${e.reason}); it was left as it is. redis-check-aof --fix can cut it there.`, { cause: e });
      }
      throw e;
    } finally {
      server.disconnect(client);
    }
    if (reader.leftover > 0 || inMulti) {
      const at = reader.goodLength;
      if (!server.config.bool('aof-load-truncated')) {
        throw new UbiqueError('AOF_TRUNCATED', `Cannot load ${this.storage.location}: the file ends in the middle of a command at byte offset ${at} (aof-load-truncated is no)`);
      }
      // A transaction cut short is dropped whole, as Redis does.
      server.log('warning', `!!! Warning: short read while loading the AOF file ${this.storage.location}!!! Truncating the AOF at offset ${at}.`);
      await this.storage.truncateLog(at);
      this.size = at;
    }
    server.dirty = 0;
    return progress;
  }

  /** While a rewrite switches files, new writes wait here. */
  private held: [number, Bytes[][]][] | null = null;
  private switching: Promise<void> | null = null;
  private endSwitch: (() => void) | null = null;

  /** From now until switchTo/releaseWrites, writes are held in memory (the rewrite's cut-off). */
  holdWrites(): void {
    this.held = [];
    this.switching = new Promise((resolve) => (this.endSwitch = resolve));
  }

  /** The rewrite failed: the held writes go to the old file, as if nothing happened. */
  releaseWrites(): void {
    const held = this.held;
    this.held = null;
    if (held !== null) for (const [db, cmds] of held) this.log(db, cmds);
    this.endSwitch?.();
    this.switching = null;
  }

  /** Replaces the file with a rewritten one, then appends the writes held since the cut-off. */
  async switchTo(chunks: Uint8Array[], lastDb: number): Promise<void> {
    while (this.flushing) await this.flushing;
    await this.flushNow(true);
    const size = chunks.reduce((n, c) => n + c.length, 0);
    const all = new Uint8Array(size);
    let p = 0;
    for (const c of chunks) {
      all.set(c, p);
      p += c.length;
    }
    const replacing = this.storage.replaceLog(all);
    this.flushing = replacing;
    try {
      await replacing;
    } finally {
      this.flushing = null;
    }
    this.size = size;
    this.baseSize = size;
    this.selectedDb = lastDb;
    // Everything logged before the cut-off is in the new file, durably.
    this.durable = this.appended;
    const held = this.held ?? [];
    this.held = null;
    for (const [db, cmds] of held) this.log(db, cmds);
    this.endSwitch?.();
    this.switching = null;
    this.settle();
  }

  /** Size of the file right after the last rewrite (aof_base_size). */
  baseSize = 0;

  private log(db: number, commands: Bytes[][]): void {
    if (this.held !== null) {
      this.held.push([db, commands]);
      return;
    }
    if (db !== this.selectedDb) commands = [['SELECT', String(db)], ...commands];
    this.selectedDb = db;
    // A transaction may switch databases inside; the file is left on its last SELECT.
    for (const c of commands) if (c.length === 2 && c[0] === 'SELECT') this.selectedDb = Number(c[1]);
    const bytes = encodeCommands(commands);
    this.storage.append(bytes);
    this.appended += bytes.length;
    this.size += bytes.length;
    if (this.policy === 'always') this.schedule();
    else if (!this.scheduled) {
      // Writes still leave the process promptly; only the fsync is deferred.
      this.scheduled = true;
      setTimeout(() => {
        this.scheduled = false;
        void this.flushNow(false).catch(() => {});
      }, 0);
    }
  }

  private schedule(): void {
    if (this.scheduled) return;
    this.scheduled = true;
    // One fsync for everything appended in this turn of the event loop.
    setTimeout(() => {
      this.scheduled = false;
      void this.flushNow(true).catch(() => {});
    }, 0);
  }

  /** Writes (and with `sync`, fsyncs) everything appended so far. */
  async flushNow(sync: boolean): Promise<void> {
    while (this.flushing) await this.flushing;
    const upTo = this.appended;
    const run = (async () => {
      const t0 = this.server.clock.monotonic();
      try {
        await this.storage.flush(sync);
        this.lastWriteOk = true;
        if (sync) {
          this.durable = Math.max(this.durable, upTo);
          this.lastFsyncMs = this.server.clock.monotonic() - t0;
        }
      } catch (e) {
        this.lastWriteOk = false;
        this.lastError = e as Error;
        this.server.log('warning', `Error writing to the AOF file ${this.storage.location}: ${(e as Error).message}`);
        throw e;
      }
    })();
    this.flushing = run;
    try {
      await run;
    } finally {
      this.flushing = null;
      this.settle();
    }
  }

  private settle(): void {
    const pending = this.waiters;
    this.waiters = [];
    for (const w of pending) {
      if (this.durable >= w.upTo) w.resolve();
      else if (!this.lastWriteOk) w.reject(new UbiqueError('AOF_WRITE', `Cannot persist write: ${this.lastError?.message ?? 'AOF write failed'}`));
      else this.waiters.push(w);
    }
    if (this.waiters.length > 0) this.schedule();
  }

  /** With appendfsync always: resolves once everything logged so far is durable; otherwise null. */
  barrier(): Promise<void> | null {
    if (this.policy !== 'always') return null;
    // Writes held during a rewrite's switch are durable only once they reach the new file.
    if (this.switching !== null) return this.switching.then(() => this.barrier() ?? undefined);
    if (this.durable >= this.appended) return null;
    const upTo = this.appended;
    return new Promise((resolve, reject) => this.waiters.push({ upTo, resolve, reject }));
  }

  status(): AofStatus {
    return {
      enabled: true,
      policy: this.policy,
      size: this.size,
      lastWriteOk: this.lastWriteOk,
      lastFsyncMs: this.lastFsyncMs,
      pendingBytes: this.appended - this.durable,
      delayedFsync: this.delayedFsync,
    };
  }

  async close(): Promise<void> {
    if (this.timer !== undefined) clearInterval(this.timer);
    this.server.setWriteLog(null);
    await this.flushNow(true);
    await this.storage.close();
  }
}
