/**
 * Blocking commands (BLPOP, BLMOVE, BZPOPMIN, ...): clients that wait for a
 * key to get data.
 *
 * A blocking command's handler, when it cannot be served at once, returns a
 * `BlockRequest`; the server turns it into a Promise that the client's session
 * waits on (which holds that client's later commands and keeps replies in
 * order). Clients wait first-come first-served in one queue per (db, key).
 *
 * When a write touches a key that somebody waits for, the key is marked ready.
 * Ready keys are served once the writing command (or the whole EXEC) has
 * finished, never in its middle: the first waiting client's command is run
 * again through `server.execute` as an ordinary write. That makes serving a
 * deterministic, logged write (the handler propagates what Redis would: LPOP,
 * LMOVE, ZPOPMIN, ...), which is what a replicated log needs. A timeout
 * writes nothing, so it may be a plain timer.
 *
 * When the replicator answers later (a Promise: Raft applies on commit), a
 * re-run that finds the key emptied in the meantime blocks again, at the end
 * of the queue. Inside MULTI/EXEC (and anywhere else `blockOn` is told the
 * client cannot wait) a blocking command answers as if it timed out.
 * This module is browser compatible.
 */
import type { Bytes } from './bytes.js';
import type { Client } from './client.js';
import type { CommandSpec } from './commands/types.js';
import type { CommandContext } from './context.js';
import { parseDouble } from './commands/parse.js';
import { CommandError } from './errors.js';
import { typeOf, type TypeName } from './keyspace/value.js';
import { ErrorReply, NoReply, type Reply } from './resp/reply.js';
import type { Server } from './server.js';

export const UNBLOCKED_ERROR = 'UNBLOCKED client unblocked via CLIENT UNBLOCK';

/** What a blocking handler returns when it has to wait. Never reaches the wire. */
export class BlockRequest extends NoReply {
  constructor(
    readonly keys: readonly Bytes[],
    /** Relative milliseconds; 0 waits forever. */
    readonly timeoutMs: number,
    /** The type a key must hold to serve this client. */
    readonly valueType: TypeName,
    /** The reply on timeout (a null array, or a null bulk for BLMOVE). */
    readonly timeoutReply: Reply,
  ) {
    super();
  }
}

/**
 * Parses a blocking timeout in seconds (fractions allowed) into milliseconds,
 * as Redis 7.0 does: read as a long double, scaled to ms and rounded up; a
 * value too large for a 64-bit integer wraps negative there, so it is
 * answered as negative here too.
 */
export function parseTimeout(arg: Bytes): number {
  const seconds = parseDouble(arg);
  if (seconds === null) throw new CommandError('ERR timeout is not a float or out of range');
  const ms = Math.ceil(seconds * 1000);
  if (!(ms < 9223372036854775807) || ms < 0) throw new CommandError('ERR timeout is negative');
  return ms;
}

/**
 * The reply of a blocking handler that found nothing to serve: wait, or when
 * the client cannot wait (inside MULTI/EXEC) answer as on a timeout at once.
 */
export function blockOn(
  ctx: CommandContext, keys: readonly Bytes[], timeoutMs: number, valueType: TypeName,
  timeoutReply: Reply, immediateReply: Reply = timeoutReply,
): Reply {
  if (ctx.denyBlocking || ctx.client.ext['multi']) return immediateReply;
  return new BlockRequest(keys, timeoutMs, valueType, timeoutReply);
}

interface Waiter {
  readonly client: Client;
  readonly spec: CommandSpec;
  readonly args: Bytes[];
  readonly db: number;
  readonly keys: readonly Bytes[];
  readonly valueType: TypeName;
  readonly timeoutReply: Reply;
  readonly resolve: (reply: Reply | Promise<Reply>) => void;
  timer: ReturnType<typeof setTimeout> | undefined;
}

export class BlockingManager {
  /** db -> key -> waiting clients in arrival order (a Set keeps insertion order). */
  private readonly queues = new Map<number, Map<Bytes, Set<Waiter>>>();
  /** Client id -> its waits (one for a connection; the embedded API may start several at once). */
  private readonly byClient = new Map<number, Set<Waiter>>();
  /** The waiter whose command is being run again right now. */
  private rerunning: Waiter | null = null;
  private readonly waiterOf = new WeakMap<Promise<Reply>, Waiter>();
  private ready: { db: number; key: Bytes }[] = [];
  private readonly readyMarks = new Map<number, Set<Bytes>>();
  private serving = false;
  private scheduled = false;
  /** A whole database changed (SWAPDB, FLUSHDB...): look at every waited key again. */
  private rescan = false;

  constructor(private readonly server: Server) {
    server.engine.onKeyModified((db, key) => this.keyModified(db, key));
    server.engine.onFlush(() => {
      if (this.byClient.size === 0) return;
      this.rescan = true;
      this.schedule();
    });
    server.onDisconnect((client) => {
      const waits = this.byClient.get(client.id);
      if (waits !== undefined) for (const w of [...waits]) this.release(w);
    });
    server.onClose(() => {
      for (const waits of [...this.byClient.values()]) for (const w of [...waits]) this.release(w);
    });
    server.ext['unblockClient'] = (id: number, mode: 'TIMEOUT' | 'ERROR') => this.unblock(id, mode);
    Object.defineProperty(server.ext, 'blockedClients', { get: () => this.byClient.size, enumerable: true });
  }

  /** Clients waiting now (INFO's blocked_clients). */
  get blockedClients(): number {
    return this.byClient.size;
  }

  isBlocked(client: Client): boolean {
    return this.byClient.has(client.id);
  }

  /**
   * Makes a client wait. A waiter whose command was run again for a ready key
   * and still cannot be served keeps its place: the request comes back unchanged.
   */
  block(client: Client, spec: CommandSpec, args: Bytes[], request: BlockRequest): Reply | Promise<Reply> {
    if (this.rerunning !== null && this.rerunning.client === client) return request;
    let waiter: Waiter;
    const promise = new Promise<Reply>((resolve) => {
      const w: Waiter = (waiter = {
        client, spec, args, db: client.db, keys: request.keys, valueType: request.valueType,
        timeoutReply: request.timeoutReply, resolve, timer: undefined,
      });
      let byKey = this.queues.get(w.db);
      if (byKey === undefined) this.queues.set(w.db, (byKey = new Map()));
      for (const key of w.keys) {
        let queue = byKey.get(key);
        if (queue === undefined) byKey.set(key, (queue = new Set()));
        queue.add(w);
      }
      let waits = this.byClient.get(client.id);
      if (waits === undefined) this.byClient.set(client.id, (waits = new Set()));
      waits.add(w);
      // CLIENT LIST shows the 'b' flag while this is set.
      client.ext['blocked'] = true;
      if (request.timeoutMs > 0) {
        w.timer = setTimeout(() => this.finish(w, w.timeoutReply), request.timeoutMs);
      }
    });
    this.waiterOf.set(promise, waiter!);
    return promise;
  }

  /** Drops the wait behind a reply `block` gave, without answering it (its caller went away). */
  withdraw(reply: Promise<Reply>): void {
    const w = this.waiterOf.get(reply);
    if (w !== undefined) this.release(w);
  }

  /** CLIENT UNBLOCK: true when the client was waiting. */
  unblock(clientId: number, mode: 'TIMEOUT' | 'ERROR'): boolean {
    const waits = this.byClient.get(clientId);
    if (waits === undefined) return false;
    for (const w of [...waits]) this.finish(w, mode === 'ERROR' ? new ErrorReply(UNBLOCKED_ERROR) : w.timeoutReply);
    return true;
  }

  /**
   * Serves the clients waiting for keys that became ready, until no key is
   * ready (serving BLMOVE pushes to another key, which may wake someone else).
   * The server calls it after each top-level command.
   */
  serveReady(): void {
    if ((this.ready.length === 0 && !this.rescan) || this.serving) return;
    this.serving = true;
    try {
      if (this.rescan) this.markExistingKeysReady();
      while (this.ready.length > 0) {
        const batch = this.ready;
        this.ready = [];
        this.readyMarks.clear();
        for (let i = 0; i < batch.length; i++) this.serveKey(batch[i]!.db, batch[i]!.key);
      }
    } finally {
      this.serving = false;
    }
  }

  private keyModified(db: number, key: Bytes): void {
    if (this.byClient.size === 0) return;
    if (this.queues.get(db)?.has(key) !== true) return;
    let marks = this.readyMarks.get(db);
    if (marks === undefined) this.readyMarks.set(db, (marks = new Set()));
    if (marks.has(key)) return;
    marks.add(key);
    this.ready.push({ db, key });
    this.schedule();
  }

  /** Writes outside a client's command (replicated entries, timers) are served soon after. */
  private schedule(): void {
    if (this.scheduled) return;
    this.scheduled = true;
    queueMicrotask(() => {
      this.scheduled = false;
      this.serveReady();
    });
  }

  /** After a database swap: every waited key that now holds data is ready. */
  private markExistingKeysReady(): void {
    this.rescan = false;
    const now = this.server.clock.now();
    for (const [db, byKey] of this.queues) {
      for (const key of byKey.keys()) {
        if (this.server.engine.dbs[db]!.get(key, now) !== undefined) this.keyModified(db, key);
      }
    }
  }

  private serveKey(db: number, key: Bytes): void {
    const queue = this.queues.get(db)?.get(key);
    if (queue === undefined) return;
    const database = this.server.engine.dbs[db]!;
    // Only clients that were waiting when the key became ready.
    let remaining = queue.size;
    for (const w of queue) {
      if (remaining-- <= 0) break;
      const value = database.get(key, this.server.clock.now());
      if (value === undefined) break;
      // A client waiting for another type (BLPOP and BZPOPMIN on one key) keeps waiting.
      if (typeOf(value) !== w.valueType) continue;
      if (!this.serve(w)) break;
    }
  }

  /** Runs a waiter's command again; false when it still cannot be served. */
  private serve(w: Waiter): boolean {
    const client = w.client;
    const db = client.db;
    client.db = w.db;
    this.rerunning = w;
    let reply: Reply | Promise<Reply>;
    try {
      reply = this.server.execute(client, w.spec, w.args);
    } finally {
      client.db = db;
      this.rerunning = null;
    }
    // The command was counted when it first ran: one call however often it is run again.
    this.server.statsFor(w.spec).calls--;
    this.server.stats.commandsProcessed--;
    if (reply instanceof BlockRequest) return false;
    this.finish(w, reply);
    return true;
  }

  private finish(w: Waiter, reply: Reply | Promise<Reply>): void {
    this.release(w);
    w.resolve(reply);
  }

  private release(w: Waiter): void {
    const waits = this.byClient.get(w.client.id);
    if (waits === undefined || !waits.delete(w)) return;
    if (waits.size === 0) {
      this.byClient.delete(w.client.id);
      delete w.client.ext['blocked'];
    }
    if (w.timer !== undefined) clearTimeout(w.timer);
    const byKey = this.queues.get(w.db);
    if (byKey === undefined) return;
    for (const key of w.keys) {
      const queue = byKey.get(key);
      if (queue === undefined) continue;
      queue.delete(w);
      if (queue.size === 0) byKey.delete(key);
    }
    if (byKey.size === 0) this.queues.delete(w.db);
  }
}
