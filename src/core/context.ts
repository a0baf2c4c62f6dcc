/**
 * What a command handler may see and do. One context object is reused for
 * every command (handlers run to completion one at a time). On the write path
 * `now` and `random()` come from the log entry, which is what keeps every
 * replica identical: handlers never read a clock or Math.random.
 * This module is browser compatible.
 */
import type { Bytes } from './bytes.js';
import type { Client } from './client.js';
import type { Engine } from './engine.js';
import type { Database } from './keyspace/database.js';
import { freshSeed, seededRandom } from './random.js';
import type { Server } from './server.js';

export class CommandContext {
  client!: Client;
  db!: Database;
  /** Unix ms: the entry's time on the write path, the local clock on reads. */
  now = 0;
  /** Writes done by this command (keys changed); zero means nothing is logged. */
  dirty = 0;
  /** True when the command runs as part of a log entry (write path). */
  writing = false;
  /** What to log instead of the command itself (relative TTLs made absolute, SPOP as SREM...). */
  rewritten: Bytes[][] | null = null;
  /** Expired keys of this database the command deleted first (lazy expiry): logged before it, as Redis does. */
  expiredDeletions: Bytes[][] | null = null;
  private seed = 0;
  private rng: (() => number) | null = null;
  /** Seeds reads' random choices (SRANDMEMBER, HRANDFIELD): they need not agree across replicas, only vary. */
  private readSeeds: (() => number) | null = null;

  constructor(readonly engine: Engine, readonly server: Server) {}

  begin(client: Client, db: Database, now: number, seed: number, writing: boolean): this {
    this.client = client;
    this.db = db;
    this.now = now;
    this.seed = seed;
    this.rng = null;
    this.dirty = 0;
    this.writing = writing;
    this.rewritten = null;
    this.expiredDeletions = null;
    return this;
  }

  /** A deterministic number in [0, 1) drawn from the entry's seed (on reads: a fresh seed per command). */
  random(): number {
    if (this.rng === null) this.rng = seededRandom(this.writing ? this.seed : this.readSeed());
    return this.rng();
  }

  private readSeed(): number {
    this.readSeeds ??= seededRandom(freshSeed());
    return (this.readSeeds() * 4294967296) >>> 0;
  }

  /** Records that `key` changed: WATCH, client tracking and blocked clients hear of it. */
  modified(key: Bytes, db: Database = this.db): void {
    this.dirty++;
    this.engine.keyModified(db.id, key);
  }

  /** Emits a keyspace notification of class `type` ('g', '$', 'l', ...) if enabled. */
  notify(type: string, event: string, key: Bytes, db: Database = this.db): void {
    this.engine.notify(type, event, key, db.id);
  }

  /**
   * What the write log records for this command: its lazy deletions, then the
   * command itself (or its rewrite) if it changed anything beyond them.
   */
  loggedCommands(args: Bytes[]): Bytes[][] {
    const own = this.rewritten ?? [args];
    const deletions = this.expiredDeletions;
    if (deletions === null) return own;
    return this.dirty > deletions.length ? [...deletions, ...own] : deletions;
  }

  /** Logs these commands for this one (call once per command to log). */
  propagate(args: Bytes[]): void {
    (this.rewritten ??= []).push(args);
  }
}
