/**
 * Transactions for the embedded API:
 *
 *   const replies = await db.multi().set('a', '1').incr('n').exec();
 *
 *   const tx = await db.watch('balance');        // optimistic locking
 *   const balance = Number(await tx.get('balance'));
 *   const replies = await tx.multi().set('balance', String(balance - 10)).exec();
 *   // replies === null when 'balance' changed in between
 *
 * Each transaction runs on a client of its own, so concurrent async code
 * cannot slip commands into it.
 * This module is browser compatible.
 */
import type { Bytes } from '../bytes.js';
import type { Client } from '../client.js';
import { ErrorReply, NullArray, type Reply } from '../resp/reply.js';
import type { Server } from '../server.js';
import { ReplyError, toJs, type JsReply } from './convert.js';

export type ArgsOf = (name: string, params: unknown[]) => Bytes[];

/** A transaction being built: every command is a chainable method. */
export type MultiChain = Multi & { [command: string]: (...args: unknown[]) => MultiChain };

async function run(server: Server, client: Client, args: Bytes[]): Promise<Reply> {
  const r = server.dispatch(client, args);
  return r instanceof Promise ? await r : r;
}

/** Queued commands; `exec()` runs them as one unit. Any command name works as a method. */
export class Multi {
  private readonly queued: Bytes[][] = [];
  private done = false;

  constructor(
    private readonly server: Server,
    private readonly client: Client,
    private readonly toArgs: ArgsOf,
    private readonly asBytes: boolean,
    private readonly release: () => void,
  ) {
    return new Proxy(this, {
      get(target, prop, receiver) {
        if (typeof prop !== 'string' || prop in target) return Reflect.get(target, prop, receiver);
        const name = prop.replace(/[A-Z]/g, (c) => `_${c}`).toUpperCase();
        return (...params: unknown[]) => {
          target.add(name, ...params);
          return receiver;
        };
      },
    });
  }

  /** Queues any command. */
  add(name: string, ...params: unknown[]): MultiChain {
    this.queued.push(this.toArgs(name, params));
    return this as unknown as MultiChain;
  }

  /**
   * Runs the queue as one unit. Resolves to each command's reply (a failed
   * command's slot holds its ReplyError), or null when a watched key changed.
   */
  async exec(): Promise<(JsReply | ReplyError)[] | null> {
    if (this.done) throw new Error('Cannot execute transaction: it has already run');
    this.done = true;
    try {
      const begun = await run(this.server, this.client, ['MULTI']);
      if (begun instanceof ErrorReply) throw new ReplyError(begun.message);
      for (const args of this.queued) {
        const r = await run(this.server, this.client, args);
        if (r instanceof ErrorReply) {
          await run(this.server, this.client, ['DISCARD']);
          throw new ReplyError(r.message);
        }
      }
      const replies = await run(this.server, this.client, ['EXEC']);
      if (replies instanceof NullArray) return null;
      if (replies instanceof ErrorReply) throw new ReplyError(replies.message);
      return (replies as Reply[]).map((r) => (r instanceof ErrorReply ? new ReplyError(r.message) : toJs(r, this.asBytes)));
    } finally {
      this.release();
    }
  }

  discard(): void {
    this.done = true;
    this.release();
  }
}

/** A client with watched keys: read through it, then `multi()` to write. */
export class Watch {
  constructor(
    private readonly server: Server,
    private readonly client: Client,
    private readonly toArgs: ArgsOf,
    private readonly asBytes: boolean,
  ) {}

  async command(name: string, ...params: unknown[]): Promise<JsReply> {
    return toJs(await run(this.server, this.client, this.toArgs(name, params)), this.asBytes);
  }

  get(key: string | Uint8Array): Promise<JsReply> {
    return this.command('GET', key);
  }

  multi(): MultiChain {
    return new Multi(this.server, this.client, this.toArgs, this.asBytes, () => this.server.disconnect(this.client)) as MultiChain;
  }

  /** Gives up without a transaction. */
  unwatch(): void {
    this.server.disconnect(this.client);
  }
}

export function beginMulti(server: Server, db: number, toArgs: ArgsOf, asBytes: boolean) {
  const client = server.connect({ kind: 'embedded' });
  client.db = db;
  return new Multi(server, client, toArgs, asBytes, () => server.disconnect(client)) as MultiChain;
}

export async function beginWatch(server: Server, db: number, keys: (string | Uint8Array)[], toArgs: ArgsOf, asBytes: boolean): Promise<Watch> {
  const client = server.connect({ kind: 'embedded' });
  client.db = db;
  const r = await run(server, client, toArgs('WATCH', keys));
  if (r instanceof ErrorReply) {
    server.disconnect(client);
    throw new ReplyError(r.message);
  }
  return new Watch(server, client, toArgs, asBytes);
}
