/**
 * MULTI/EXEC/WATCH. Commands sent after MULTI are checked and queued; EXEC
 * hands them to the replicator as ONE entry, so the log (AOF or Raft) sees the
 * transaction whole and every replica applies it as a unit. WATCH marks a
 * client's transaction as failed when any watched key changes (from any
 * client, the embedded API, expiry, FLUSH or SWAPDB) before EXEC.
 * This module is browser compatible.
 */
import type { Bytes } from './bytes.js';
import type { Client } from './client.js';
import type { CommandSpec } from './commands/types.js';
import { ErrorReply, NULL_ARRAY, QUEUED, type Reply } from './resp/reply.js';
import type { Server } from './server.js';

export interface MultiState {
  queue: { spec: CommandSpec; args: Bytes[] }[];
  /** A command was refused while queuing: EXEC answers EXECABORT. */
  aborted: boolean;
}

interface Watched {
  db: number;
  key: Bytes;
  /** The key was live when watched and had a TTL (expiry before EXEC breaks the watch). */
  expiresAt: number | undefined;
}

interface WatchState {
  keys: Watched[];
  dirty: boolean;
}

/** Commands a client in MULTI runs at once instead of queuing. */
const IMMEDIATE = new Set(['exec', 'discard', 'multi', 'watch', 'unwatch', 'quit', 'reset']);

export const MULTI_KEY = 'multi';
const WATCH_KEY = 'watch';

/** Puts refused commands' errors back in their places among the replies of those that ran. */
function withRefused(refused: (ErrorReply | undefined)[] | null, replies: Reply): Reply {
  if (refused === null || !Array.isArray(replies)) return replies;
  const out: Reply[] = [];
  let j = 0;
  const total = replies.length + refused.filter((e) => e !== undefined).length;
  for (let i = 0; i < total; i++) out.push(refused[i] ?? replies[j++]!);
  return out;
}

export class Transactions {
  /** db -> key -> clients watching it */
  private readonly watchers = new Map<number, Map<Bytes, Set<Client>>>();

  constructor(private readonly server: Server) {
    server.addFilter((client, spec, args) => this.filter(client, spec, args));
    server.engine.onKeyModified((db, key) => this.touch(db, key));
    server.engine.onFlush((db) => this.touchDb(db));
    server.onDisconnect((client) => this.unwatch(client));
    ((server.ext['resetHooks'] ??= []) as ((c: Client) => void)[]).push((c) => this.discard(c));
  }

  static of(server: Server): Transactions {
    return (server.ext['transactions'] ??= new Transactions(server)) as Transactions;
  }

  multi(client: Client): MultiState | undefined {
    return client.ext[MULTI_KEY] as MultiState | undefined;
  }

  begin(client: Client): void {
    client.ext[MULTI_KEY] = { queue: [], aborted: false } satisfies MultiState;
  }

  discard(client: Client): void {
    delete client.ext[MULTI_KEY];
    this.unwatch(client);
  }

  private filter(client: Client, spec: CommandSpec, args: Bytes[]): Reply | Promise<Reply> | undefined {
    const state = client.ext[MULTI_KEY] as MultiState | undefined;
    if (state === undefined) return undefined;
    if (spec.name === 'exec') return this.exec(client, state);
    if (IMMEDIATE.has(spec.parentName ?? spec.name)) return undefined;
    if (spec.flags.includes('no_multi')) {
      state.aborted = true;
      return new ErrorReply(`ERR Command not allowed inside a transaction`);
    }
    state.queue.push({ spec, args });
    return QUEUED;
  }

  private exec(client: Client, state: MultiState): Reply | Promise<Reply> {
    const broken = this.isBroken(client);
    this.discard(client);
    if (state.aborted) return new ErrorReply('EXECABORT Transaction discarded because of previous errors.');
    if (broken) return NULL_ARRAY;
    const server = this.server;
    const now = server.clock.now();
    // ACL rules may have changed since queuing: a refused command answers NOPERM in its place and does not run.
    const recheck = server.ext['aclRecheck'] as ((c: Client, s: CommandSpec, a: Bytes[]) => ErrorReply | undefined) | undefined;
    let refused: (ErrorReply | undefined)[] | null = null;
    let queue = state.queue;
    if (recheck !== undefined) {
      queue.forEach((q, i) => {
        const e = recheck(client, q.spec, q.args);
        if (e !== undefined) (refused ??= [])[i] = e;
      });
      if (refused !== null) queue = queue.filter((_, i) => refused![i] === undefined);
    }
    if (!queue.some((q) => q.spec.flags.includes('write'))) {
      // Nothing to log: run the reads where they are.
      const replies: Reply[] = [];
      for (const q of queue) {
        const r = server.execute(client, q.spec, q.args, now);
        replies.push(r instanceof Promise ? new ErrorReply('ERR command could not complete inside a transaction') : r);
      }
      return withRefused(refused, replies);
    }
    for (const q of queue) server.statsFor(q.spec).calls++;
    server.stats.commandsProcessed += queue.length;
    const entry = { db: client.db, args: ['EXEC'], timeMs: now, seed: server.nextSeed(), multi: queue.map((q) => q.args) };
    const reply = server.replicator.submit(queue[0]!.spec, entry, client);
    if (refused === null) return reply;
    const r = refused;
    return reply instanceof Promise ? reply.then((x) => withRefused(r, x)) : withRefused(r, reply);
  }

  watch(client: Client, keys: Bytes[]): void {
    let w = client.ext[WATCH_KEY] as WatchState | undefined;
    if (w === undefined) client.ext[WATCH_KEY] = w = { keys: [], dirty: false };
    const db = this.server.engine.dbs[client.db]!;
    const now = this.server.clock.now();
    for (const key of keys) {
      if (w.keys.some((k) => k.db === client.db && k.key === key)) continue;
      const live = db.get(key, now) !== undefined;
      w.keys.push({ db: client.db, key, expiresAt: live ? db.getExpire(key) : undefined });
      let byKey = this.watchers.get(client.db);
      if (byKey === undefined) this.watchers.set(client.db, (byKey = new Map()));
      let set = byKey.get(key);
      if (set === undefined) byKey.set(key, (set = new Set()));
      set.add(client);
    }
  }

  unwatch(client: Client): void {
    const w = client.ext[WATCH_KEY] as WatchState | undefined;
    if (w === undefined) return;
    for (const { db, key } of w.keys) {
      const byKey = this.watchers.get(db);
      const set = byKey?.get(key);
      if (set === undefined) continue;
      set.delete(client);
      if (set.size === 0) byKey!.delete(key);
    }
    delete client.ext[WATCH_KEY];
  }

  private isBroken(client: Client): boolean {
    const w = client.ext[WATCH_KEY] as WatchState | undefined;
    if (w === undefined) return false;
    if (w.dirty) return true;
    const now = this.server.clock.now();
    // A watched key that was live and has expired since counts as changed.
    return w.keys.some((k) => k.expiresAt !== undefined && k.expiresAt < now);
  }

  private touch(db: number, key: Bytes): void {
    if (this.watchers.size === 0) return;
    const set = this.watchers.get(db)?.get(key);
    if (set === undefined) return;
    for (const c of set) (c.ext[WATCH_KEY] as WatchState).dirty = true;
  }

  /**
   * SWAPDB, before the swap: watchers of keys that exist now are touched (the
   * flush hook after it touches those that exist then), so a watched key that
   * exists on either side of the swap breaks the WATCH, as in Redis.
   */
  beforeSwap(a: number, b: number): void {
    this.touchDb(a);
    this.touchDb(b);
  }

  /** FLUSHDB/FLUSHALL (before they act): watchers of keys that exist there are touched. */
  private touchDb(db: number | null): void {
    const dbs = this.server.engine.dbs;
    for (const [id, byKey] of this.watchers) {
      if (db !== null && id !== db) continue;
      for (const [key, set] of byKey) {
        if (!dbs[id]!.data.has(key)) continue;
        for (const c of set) (c.ext[WATCH_KEY] as WatchState).dirty = true;
      }
    }
  }
}
