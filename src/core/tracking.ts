/**
 * Client-side caching (CLIENT TRACKING). In the default mode the server
 * remembers which client read which key and tells it, once, when the key
 * changes; in BCAST mode it tells every client whose prefix matches. RESP3
 * clients get `invalidate` pushes on their own connection; RESP2 clients
 * redirect them to a connection subscribed to `__redis__:invalidate`.
 * This module is browser compatible.
 */
import type { Bytes } from './bytes.js';
import type { Client } from './client.js';
import { keyIndexes } from './commands/table.js';
import { PubSub } from './pubsub.js';
import { PushReply, type Reply } from './resp/reply.js';
import type { Server } from './server.js';

export interface TrackingState {
  redirect: number;
  bcast: boolean;
  optin: boolean;
  optout: boolean;
  noloop: boolean;
  prefixes: Bytes[];
  /** CLIENT CACHING YES/NO for the next command: 'yes' | 'no' | null. */
  caching: 'yes' | 'no' | null;
  /** The redirect target went away. */
  broken: boolean;
}

export const INVALIDATE_CHANNEL = '__redis__:invalidate';

export class Tracking {
  /** key -> ids of clients that may have it cached */
  private readonly table = new Map<Bytes, Set<number>>();
  private readonly bcast = new Set<Client>();
  private tracking = 0;
  /** Invalidations for the client running the current command: sent after its reply. */
  private readonly pendingSelf = new Map<Client, Bytes[]>();

  constructor(private readonly server: Server) {
    server.engine.onKeyModified((_db, key) => this.invalidate(key));
    server.engine.onFlush(() => this.invalidateAll());
    server.afterCommand((client, spec, args) => {
      const state = client.ext['tracking'] as TrackingState | undefined;
      if (state === undefined) return;
      if (!state.bcast && spec.flags.includes('readonly')) {
        const wanted = state.optin ? state.caching === 'yes' : state.optout ? state.caching !== 'no' : true;
        if (wanted) for (const i of keyIndexes(spec, args)) this.remember(args[i]!, client.id);
      }
      // CLIENT CACHING applies to the one command after it.
      if (!(spec.parentName === 'client' && spec.name === 'caching')) state.caching = null;
    });
    ((server.ext['resetHooks'] ??= []) as ((c: Client) => void)[]).push((c) => this.disable(c));
    server.onDisconnect((client) => {
      this.disable(client);
      for (const other of server.clients.values()) {
        const s = other.ext['tracking'] as TrackingState | undefined;
        if (s !== undefined && s.redirect === client.id && !s.broken) {
          s.broken = true;
          other.sink?.push(new PushReply(['tracking-redir-broken', client.id]));
        }
      }
    });
  }

  static of(server: Server): Tracking {
    return (server.ext['tracking'] ??= new Tracking(server)) as Tracking;
  }

  /** Number of keys in the tracking table (INFO tracking_total_keys). */
  get keys(): number {
    return this.table.size;
  }

  enable(client: Client, state: TrackingState): void {
    if (client.ext['tracking'] === undefined) this.tracking++;
    client.ext['tracking'] = state;
    if (state.bcast) this.bcast.add(client);
    else this.bcast.delete(client);
  }

  disable(client: Client): void {
    if (client.ext['tracking'] === undefined) return;
    delete client.ext['tracking'];
    this.bcast.delete(client);
    this.tracking--;
  }

  private remember(key: Bytes, id: number): void {
    let set = this.table.get(key);
    if (set === undefined) this.table.set(key, (set = new Set()));
    set.add(id);
  }

  private invalidate(key: Bytes): void {
    if (this.tracking === 0) return;
    const writer = this.server.engine.ctx.client;
    const ids = this.table.get(key);
    if (ids !== undefined) {
      this.table.delete(key);
      for (const id of ids) {
        const c = this.server.clients.get(id);
        if (c !== undefined) this.send(c, [key], writer);
      }
    }
    for (const c of this.bcast) {
      const s = c.ext['tracking'] as TrackingState;
      if (s.prefixes.length === 0 || s.prefixes.some((p) => key.startsWith(p))) this.send(c, [key], writer);
    }
  }

  /** FLUSHDB/FLUSHALL: every tracking client is told to drop everything (a null key list). */
  private invalidateAll(): void {
    if (this.tracking === 0) return;
    this.table.clear();
    for (const c of this.server.clients.values()) {
      if (c.ext['tracking'] !== undefined) this.deliver(c, null);
    }
  }

  private send(client: Client, keys: Bytes[], writer: Client | undefined): void {
    const s = client.ext['tracking'] as TrackingState | undefined;
    if (s === undefined) return;
    if (s.noloop && writer === client) return;
    if (writer === client && s.redirect === 0) {
      // Redis sends a client's own invalidations after the reply of the command that caused them.
      const pending = this.pendingSelf.get(client);
      if (pending !== undefined) pending.push(...keys);
      else {
        this.pendingSelf.set(client, [...keys]);
        queueMicrotask(() => {
          const k = this.pendingSelf.get(client);
          this.pendingSelf.delete(client);
          if (k !== undefined) this.deliver(client, k);
        });
      }
      return;
    }
    this.deliver(client, keys);
  }

  private deliver(client: Client, keys: Bytes[] | null): void {
    const s = client.ext['tracking'] as TrackingState | undefined;
    if (s === undefined) return;
    const payload: Reply = keys === null ? null : keys;
    if (s.redirect === 0) {
      if (client.resp === 3) client.sink?.push(new PushReply(['invalidate', payload]));
      return;
    }
    const target = this.server.clients.get(s.redirect);
    if (target === undefined) return;
    if (target.resp === 3) {
      target.sink?.push(new PushReply(['invalidate', payload]));
      return;
    }
    // RESP2: as a pub/sub message on __redis__:invalidate, if the target listens there.
    const subs = PubSub.of(this.server).channels.get(INVALIDATE_CHANNEL);
    if (subs?.has(target)) target.sink?.push(new PushReply(['message', INVALIDATE_CHANNEL, payload]));
  }
}
