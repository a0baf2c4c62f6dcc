/**
 * The RESP client for any runtime: the embedded API's calling convention
 * (`client.set('k', 'v', { ex: 10 })`, `client.command('INCR', 'n')`, replies
 * as JS values, error replies thrown as ReplyError) over a network connection.
 * Pub/sub uses a second connection of its own, made on first subscribe and
 * re-subscribed after every reconnect.
 * This module is browser compatible.
 */
import { toBytes, type Bytes } from '../bytes.js';
import { toArgs } from '../api/args.js';
import { toJs, type JsReply } from '../api/convert.js';
import type { CommandMethods } from '../api/commands.generated.js';
import type { Message } from '../api/subscriptions.js';
import { bytesToU8, bytesToUtf8 } from '../bytes.js';
import type { Reply } from '../resp/reply.js';
import { Connection, type ConnectionOptions } from './connection.js';

export type ClientOptions = Omit<ConnectionOptions, 'onReady' | 'onPush'> & {
  /** Bulk replies as Uint8Array instead of UTF-8 text. */
  bytes?: boolean;
  /** RESP3 pushes on the command connection (CLIENT TRACKING invalidations...). */
  onPush?(push: JsReply[]): void;
};

type Handler = (m: Message<string | Uint8Array>) => void;

export interface ClientSubscribeOptions {
  /** Channels are glob patterns (PSUBSCRIBE). */
  pattern?: boolean;
}

export class RespClient {
  private readonly main: Connection;
  private sub: Connection | null = null;
  private subReady: Promise<void> | null = null;
  private readonly channels = new Map<Bytes, Set<Handler>>();
  private readonly patterns = new Map<Bytes, Set<Handler>>();

  private readonly options: ClientOptions;

  constructor(options: ClientOptions) {
    // RESP3 by default: its maps, sets and doubles convert to the same JS values the embedded API returns.
    this.options = { ...options, protocol: options.protocol ?? 3 };
    this.main = new Connection({
      ...this.options,
      onPush: options.onPush === undefined ? undefined : (items) => options.onPush!(items.map((r) => this.js(r))),
    });
  }

  /** Connects; the client is usable once this resolves. */
  async connect(): Promise<void> {
    await this.main.open();
  }

  /** Runs any command: `command('SET', 'k', 'v')`. Replies as JS values; error replies throw ReplyError. */
  async command(name: string, ...args: unknown[]): Promise<JsReply> {
    return this.js(await this.main.send(toArgs(name, args)));
  }

  /** Sends several commands at once and returns every reply (errors as ReplyError values, not thrown). */
  async pipeline(commands: [string, ...unknown[]][]): Promise<(JsReply | Error)[]> {
    const sent = commands.map(([name, ...args]) => this.main.send(toArgs(name, args)));
    const replies = await Promise.all(sent);
    return replies.map((r) => {
      try {
        return this.js(r);
      } catch (e) {
        return e as Error;
      }
    });
  }

  /** MULTI ... EXEC in one write: resolves with EXEC's replies (null if a WATCH aborted it). */
  transaction(commands: [string, ...unknown[]][]): Promise<JsReply> {
    return this.runTransaction(this.main, commands);
  }

  /**
   * Queues commands as methods and runs them with `exec()` as one MULTI/EXEC
   * write, like the embedded API's `db.multi().set('a', '1').incr('n').exec()`.
   * (MULTI sent as a plain command would take in every caller's commands on
   * the shared, pipelined connection.)
   */
  multi(): ClientMulti {
    return this.chain(this.main, () => {});
  }

  /**
   * Optimistic locking on a connection of its own (WATCH holds per connection):
   * read through the returned object, then `multi()...exec()` resolves null if
   * a watched key changed. The connection closes after exec() or unwatch().
   */
  async watch(...keys: (string | Uint8Array)[]): Promise<ClientWatch> {
    const conn = new Connection({ ...this.options, reconnect: false, onPush: undefined, onReady: undefined });
    await conn.open();
    try {
      this.js(await conn.send(toArgs('WATCH', keys)));
    } catch (e) {
      conn.close();
      throw e;
    }
    const command = async (name: string, ...args: unknown[]) => this.js(await conn.send(toArgs(name, args)));
    return {
      command,
      get: (key) => command('GET', key),
      multi: () => this.chain(conn, () => conn.close()),
      unwatch: () => conn.close(),
    };
  }

  private chain(conn: Connection, done: () => void): ClientMulti {
    const queued: [string, ...unknown[]][] = [];
    let finished = false;
    const chain: ClientMulti = new Proxy({} as ClientMulti, {
      get: (_t, prop) => {
        if (prop === 'exec') {
          return async () => {
            if (finished) throw new Error('Cannot execute transaction: it has already run');
            finished = true;
            try {
              return await this.runTransaction(conn, queued);
            } finally {
              done();
            }
          };
        }
        if (prop === 'discard') {
          return () => {
            finished = true;
            done();
          };
        }
        if (typeof prop !== 'string' || prop === 'then') return undefined;
        return (...args: unknown[]) => {
          queued.push([commandOf(prop), ...args]);
          return chain;
        };
      },
    });
    return chain;
  }

  private async runTransaction(conn: Connection, commands: [string, ...unknown[]][]): Promise<JsReply> {
    const sent: Promise<Reply>[] = [conn.send(['MULTI'])];
    for (const [name, ...args] of commands) sent.push(conn.send(toArgs(name, args)));
    const exec = conn.send(['EXEC']);
    // Queue errors surface through EXEC's EXECABORT; wait for them so none goes unhandled.
    await Promise.allSettled(sent);
    const reply = await exec;
    if (!Array.isArray(reply)) return this.js(reply);
    return reply.map((r) => {
      try {
        return this.js(r);
      } catch (e) {
        return e as JsReply & Error;
      }
    });
  }

  /** Calls `handler` for each message on these channels; resolves, once subscribed, with the unsubscribe function. */
  async subscribe(
    channels: string | Uint8Array | (string | Uint8Array)[],
    handler: (m: Message<string>) => void,
    options: ClientSubscribeOptions = {},
  ): Promise<() => Promise<void>> {
    const names = (Array.isArray(channels) ? channels : [channels]).map(toBytes);
    const table = options.pattern ? this.patterns : this.channels;
    const fresh = names.filter((n) => !table.has(n));
    for (const n of names) {
      let set = table.get(n);
      if (set === undefined) table.set(n, (set = new Set()));
      set.add(handler as Handler);
    }
    const sub = await this.subscriber();
    if (fresh.length > 0) await sub.send([options.pattern ? 'PSUBSCRIBE' : 'SUBSCRIBE', ...fresh], fresh.length);
    return async () => {
      const gone: Bytes[] = [];
      for (const n of names) {
        const set = table.get(n);
        if (set === undefined || !set.delete(handler as Handler) || set.size > 0) continue;
        table.delete(n);
        gone.push(n);
      }
      if (gone.length > 0 && sub.state !== 'closed') {
        await sub.send([options.pattern ? 'PUNSUBSCRIBE' : 'UNSUBSCRIBE', ...gone], gone.length);
      }
    };
  }

  /** Closes both connections; commands still waiting fail with CONNECTION_CLOSED. */
  close(): void {
    this.main.close();
    this.sub?.close();
  }

  /** The command connection's state. */
  get state() {
    return this.main.state;
  }

  private subscriber(): Promise<Connection> {
    if (this.sub !== null) return this.subReady!.then(() => this.sub!);
    const sub = new Connection({
      ...this.options,
      onPush: (items) => this.deliver(items),
      onReady: (conn) => {
        conn.subscribed = true;
        // Re-subscribe after a reconnect, before anything else is sent.
        const channels = [...this.channels.keys()];
        const patterns = [...this.patterns.keys()];
        if (channels.length > 0) void conn.send(['SUBSCRIBE', ...channels], channels.length).catch(() => {});
        if (patterns.length > 0) void conn.send(['PSUBSCRIBE', ...patterns], patterns.length).catch(() => {});
      },
    });
    this.sub = sub;
    this.subReady = sub.open();
    return this.subReady.then(() => sub);
  }

  private deliver(items: Reply[]): void {
    const kind = items[0];
    let handlers: Set<Handler> | undefined;
    let m: Message<string | Uint8Array>;
    if (kind === 'message' || kind === 'smessage') {
      handlers = this.channels.get(items[1] as Bytes);
      m = { channel: this.text(items[1] as Bytes), message: this.text(items[2] as Bytes) };
    } else if (kind === 'pmessage') {
      handlers = this.patterns.get(items[1] as Bytes);
      m = { pattern: this.text(items[1] as Bytes), channel: this.text(items[2] as Bytes), message: this.text(items[3] as Bytes) };
    } else return;
    if (handlers === undefined) return;
    for (const h of handlers) {
      try {
        h(m);
      } catch {
        // A failing handler must not stop the others or the connection.
      }
    }
  }

  private text(b: Bytes): string | Uint8Array {
    return this.options.bytes ? bytesToU8(b) : bytesToUtf8(b);
  }

  private js(reply: Reply): JsReply {
    return toJs(reply, this.options.bytes ?? false);
  }
}

export type Client = RespClient & CommandMethods;

/** A transaction being built: any command name queues that command. */
export type ClientMulti = {
  exec(): Promise<JsReply>;
  discard(): void;
} & { [command: string]: (...args: unknown[]) => ClientMulti };

/** Reads under WATCH, then a transaction that fails (null) if a watched key changed. */
export interface ClientWatch {
  command(name: string, ...args: unknown[]): Promise<JsReply>;
  get(key: string | Uint8Array): Promise<JsReply>;
  multi(): ClientMulti;
  /** Gives up without a transaction (closes the watching connection). */
  unwatch(): void;
}

const NOT_COMMANDS = new Set(['then', 'catch', 'finally', 'toJSON', 'constructor', 'inspect']);

/**
 * Wraps a client so that any other method name runs the command of that name,
 * named as the embedded API names them: `client.hset(...)` is HSET,
 * `client.bitfieldRo(...)` is BITFIELD_RO, `client.client('SETNAME', 'x')` is
 * CLIENT SETNAME.
 */
export function withCommandMethods(client: RespClient): Client {
  const cache = new Map<string, (...args: unknown[]) => Promise<JsReply>>();
  return new Proxy(client, {
    get(target, prop, receiver) {
      if (typeof prop !== 'string' || prop in target || NOT_COMMANDS.has(prop)) return Reflect.get(target, prop, receiver);
      let fn = cache.get(prop);
      if (fn === undefined) {
        const name = commandOf(prop);
        fn = (...args: unknown[]) => target.command(name, ...args);
        cache.set(prop, fn);
      }
      return fn;
    },
  }) as Client;
}

/** The command a method name stands for: the inverse of the embedded API's naming. */
function commandOf(method: string): string {
  if (method === 'restoreAsking') return 'RESTORE-ASKING';
  return method.replace(/[A-Z]/g, (c) => `_${c}`).toUpperCase();
}
