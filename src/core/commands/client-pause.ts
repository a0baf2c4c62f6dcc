/**
 * CLIENT PAUSE: while a pause lasts, matching commands (all, or only those
 * that may write) wait; they run in arrival order when the pause ends (at
 * CLIENT UNPAUSE or its timeout). A waiting command answers a Promise, which
 * holds the rest of that connection's pipeline behind it.
 * This module is browser compatible.
 */
import type { Bytes } from '../bytes.js';
import type { Client } from '../client.js';
import type { Reply } from '../resp/reply.js';
import type { Server } from '../server.js';
import type { CommandSpec } from './types.js';

export type PauseMode = 'write' | 'all';

interface Waiting {
  client: Client;
  args: Bytes[];
  resolve: (r: Reply | Promise<Reply>) => void;
}

export class ClientPause {
  mode: PauseMode | null = null;
  /** Unix ms at which the pause ends. */
  until = 0;
  private timer: ReturnType<typeof setTimeout> | undefined;
  private readonly waiting: Waiting[] = [];

  constructor(private readonly server: Server) {
    server.addFilter((client, spec, args) => this.filter(client, spec, args));
    server.onClose(() => this.unpause());
  }

  /** Pauses for `ms`; a longer or stronger pause already running is kept. */
  pause(mode: PauseMode, ms: number): void {
    const now = this.server.clock.now();
    const until = now + ms;
    if (this.mode === 'all' && mode === 'write') mode = 'all';
    this.mode = mode;
    if (until > this.until || this.timer === undefined) {
      this.until = Math.max(until, this.until);
      if (this.timer !== undefined) clearTimeout(this.timer);
      this.timer = setTimeout(() => this.unpause(), Math.max(0, this.until - now));
    }
  }

  unpause(): void {
    if (this.timer !== undefined) clearTimeout(this.timer);
    this.timer = undefined;
    this.mode = null;
    this.until = 0;
    this.resumeNext(this.waiting.splice(0));
  }

  /**
   * Resumed commands go through dispatch again, in arrival order; each
   * client's pipelined commands run before the next client is resumed (a
   * macrotask later), as Redis processes one unblocked client's buffer at a time.
   */
  private resumeNext(queue: Waiting[]): void {
    const w = queue.shift();
    if (w === undefined) return;
    if (w.client.closing || !this.server.clients.has(w.client.id)) w.resolve(null);
    else w.resolve(this.server.dispatch(w.client, w.args));
    if (queue.length > 0) setTimeout(() => this.resumeNext(queue), 0);
  }

  /** Commands held right now (INFO blocked_clients counts them, as Redis does). */
  get waitingCount(): number {
    return this.waiting.length;
  }

  private filter(client: Client, spec: CommandSpec, args: Bytes[]): Promise<Reply> | undefined {
    if (this.mode === null) return undefined;
    if (this.mode === 'write' && !spec.flags.includes('write') && !spec.flags.includes('may_replicate')) return undefined;
    return new Promise<Reply>((resolve) => this.waiting.push({ client, args, resolve }));
  }
}

export function clientPause(server: Server): ClientPause {
  return (server.ext['clientPause'] ??= new ClientPause(server)) as ClientPause;
}
