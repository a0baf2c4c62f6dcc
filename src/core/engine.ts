/**
 * The keyspace and the deterministic apply. `apply(entry)` depends only on the
 * keyspace and the entry (its db, args, time and seed), so every replica that
 * applies the same log holds the same data.
 * This module is browser compatible.
 */
import type { Bytes } from './bytes.js';
import type { Client } from './client.js';
import type { CommandSpec } from './commands/types.js';
import { CommandContext } from './context.js';
import { CommandError } from './errors.js';
import { Database } from './keyspace/database.js';
import { ErrorReply, type Reply } from './resp/reply.js';
import type { Server } from './server.js';

/** One write as the log carries it. */
export interface Entry {
  db: number;
  args: Bytes[];
  /** Unix ms at the node that accepted the write. */
  timeMs: number;
  /** Seeds the command's random choices. */
  seed: number;
  /** A transaction (MULTI/EXEC): the queued commands, applied as one unit; `args` is then ['EXEC']. */
  multi?: Bytes[][];
}

export type KeyListener = (db: number, key: Bytes) => void;
export type NotifyListener = (type: string, event: string, key: Bytes, db: number) => void;
export type FlushListener = (db: number | null) => void;

export class Engine {
  readonly dbs: Database[];
  readonly ctx: CommandContext;
  private readonly keyListeners: KeyListener[] = [];
  private readonly notifyListeners: NotifyListener[] = [];
  private readonly flushListeners: FlushListener[] = [];

  constructor(databases: number, server: Server) {
    this.dbs = Array.from({ length: databases }, (_, i) => new Database(i));
    this.ctx = new CommandContext(this, server);
  }

  /** Runs a write from the log. */
  apply(spec: CommandSpec, entry: Entry, client: Client): Reply {
    this.ctx.begin(client, this.dbs[entry.db]!, entry.timeMs, entry.seed, true);
    return this.run(spec, entry.args);
  }

  /**
   * Applies a transaction entry: every queued command in order, all with the
   * entry's time and one random stream. Returns each command's reply and what
   * to log (the dirty commands, with SELECTs where the database changed).
   */
  applyMulti(entry: Entry, client: Client): { replies: Reply[]; log: Bytes[][] } {
    const server = this.ctx.server;
    const replies: Reply[] = [];
    const log: Bytes[][] = [];
    let loggedDb = entry.db;
    client.db = entry.db;
    let seed = entry.seed;
    for (const args of entry.multi ?? []) {
      const spec = server.resolve(args);
      if (spec instanceof ErrorReply) {
        replies.push(spec);
        continue;
      }
      const db = client.db;
      this.ctx.begin(client, this.dbs[db]!, entry.timeMs, seed, true);
      this.ctx.denyBlocking = true;
      seed = (seed + 0x9e3779b9) >>> 0;
      replies.push(this.run(spec, args));
      if (this.ctx.dirty > 0) {
        if (db !== loggedDb) {
          log.push(['SELECT', String(db)]);
          loggedDb = db;
        }
        for (const cmd of this.ctx.rewritten ?? [args]) log.push(cmd);
      }
    }
    return { replies, log };
  }

  /** Runs a command that changes no key (reads, connection and server commands). */
  read(spec: CommandSpec, args: Bytes[], client: Client, now: number): Reply {
    this.ctx.begin(client, this.dbs[client.db]!, now, 0, false);
    return this.run(spec, args);
  }

  private run(spec: CommandSpec, args: Bytes[]): Reply {
    try {
      return spec.handler!(this.ctx, args);
    } catch (e) {
      if (e instanceof CommandError) return new ErrorReply(e.reply);
      const message = e instanceof Error ? e.message : String(e);
      this.ctx.server.log('warning', `Command '${spec.name}' failed: ${message}`);
      return new ErrorReply(`ERR ${message}`);
    }
  }

  onKeyModified(listener: KeyListener): void {
    this.keyListeners.push(listener);
  }

  offKeyModified(listener: KeyListener): void {
    const i = this.keyListeners.indexOf(listener);
    if (i !== -1) this.keyListeners.splice(i, 1);
  }

  offFlush(listener: FlushListener): void {
    const i = this.flushListeners.indexOf(listener);
    if (i !== -1) this.flushListeners.splice(i, 1);
  }

  onNotify(listener: NotifyListener): void {
    this.notifyListeners.push(listener);
  }

  onFlush(listener: FlushListener): void {
    this.flushListeners.push(listener);
  }

  keyModified(db: number, key: Bytes): void {
    const ls = this.keyListeners;
    for (let i = 0; i < ls.length; i++) ls[i]!(db, key);
  }

  notify(type: string, event: string, key: Bytes, db: number): void {
    const ls = this.notifyListeners;
    for (let i = 0; i < ls.length; i++) ls[i]!(type, event, key, db);
  }

  /** A whole database (or all of them, `null`) is about to be emptied or swapped: call before changing it. */
  flushed(db: number | null): void {
    for (const l of this.flushListeners) l(db);
  }
}
