/**
 * The embedded API: a ubique database inside the program, in any runtime.
 * Calls go straight into the engine (no RESP encoding on the way).
 *
 *   const db = await open();
 *   await db.set('k', 'v', { ex: 10 });
 *   await db.get('k');             // 'v'
 *   await db.command('INCR', 'n'); // 1
 * This module is browser compatible.
 */
import { toBytes, type Bytes } from '../bytes.js';
import type { Client } from '../client.js';
import { authenticate } from '../commands/connection.js';
import type { ConfigInput } from '../config/config.js';
import { UbiqueError } from '../errors.js';
import type { Reply } from '../resp/reply.js';
import { Server, type Logger } from '../server.js';
import { toJs, type JsReply } from './convert.js';
import { iterate, subscribe, type IterateOptions, type Message, type SubscribeOptions } from './subscriptions.js';
import { beginMulti, beginWatch, type Watch } from './transaction.js';
import { watchKeys, type KeyChange } from './watch-keys.js';
import type { CommandMethods } from './commands.generated.js';

export type Arg = string | Uint8Array | number | bigint;
/** Trailing options become Redis arguments: `{ ex: 10, nx: true }` -> `EX 10 NX`. */
export type Options = { [option: string]: Arg | boolean | Arg[] | undefined | null };

export interface OpenOptions {
  /** Any redis.conf parameter by name. */
  config?: ConfigInput;
  logger?: Logger;
  /** An existing server to attach to (another handle on the same data). */
  server?: Server;
  /** Run every call as this ACL user, checked as a network client would be. */
  user?: string;
  /** The user's password (not needed for a nopass user). */
  password?: string;
}

function isOptions(v: unknown): v is Options {
  return typeof v === 'object' && v !== null && !(v instanceof Uint8Array) && !Array.isArray(v);
}

/** Turns call arguments (with an optional trailing options object) into Redis arguments. */
export function toArgs(name: string, params: unknown[]): Bytes[] {
  const args: Bytes[] = [name];
  for (const p of params) {
    if (isOptions(p)) {
      for (const [key, value] of Object.entries(p)) {
        if (value === undefined || value === null || value === false) continue;
        args.push(key.toUpperCase());
        if (value === true) continue;
        if (Array.isArray(value)) for (const v of value) args.push(toBytes(v));
        else args.push(toBytes(value as Arg));
      }
    } else if (Array.isArray(p)) {
      for (const v of p) args.push(toBytes(v as Arg));
    } else {
      args.push(toBytes(p as Arg));
    }
  }
  return args;
}

export class Database {
  readonly server: Server;
  readonly client: Client;
  private readonly asBytes: boolean;

  constructor(server: Server, client: Client, asBytes = false) {
    this.server = server;
    this.client = client;
    this.asBytes = asBytes;
  }

  /** Runs any command: `command('SET', 'k', 'v')`. Replies as JS values; errors throw ReplyError. */
  async command(name: string, ...args: unknown[]): Promise<JsReply> {
    const dirty = this.server.dirty;
    let reply = this.server.dispatch(this.client, toArgs(name, args));
    if (reply instanceof Promise) reply = await reply;
    // Under appendfsync always a write resolves once it is durable, as a network reply would.
    if (this.server.dirty !== dirty && this.server.durabilityBarrier !== null) await this.server.durabilityBarrier();
    return toJs(reply, this.asBytes);
  }

  /** The same command without awaiting, where the reply is ready at once (standalone). */
  commandSync(name: string, ...args: unknown[]): JsReply {
    const reply = this.server.dispatch(this.client, toArgs(name, args));
    if (reply instanceof Promise) throw new Error('Cannot run command synchronously: its reply is not ready yet');
    return toJs(reply, this.asBytes);
  }

  /** The raw reply value, for callers that want it unconverted. */
  raw(args: Bytes[]): Reply | Promise<Reply> {
    return this.server.dispatch(this.client, args);
  }

  /** Calls `handler` for every message on these channels (patterns with `{ pattern: true }`); returns the unsubscribe function. */
  subscribe(channels: string | Uint8Array | (string | Uint8Array)[], handler: (m: Message<string>) => void, options: Omit<SubscribeOptions, 'bytes'> = {}): () => void {
    return subscribe(this.server, Array.isArray(channels) ? channels : [channels], handler as (m: Message<string | Uint8Array>) => void, {
      ...options,
      bytes: this.asBytes,
    });
  }

  /** Messages on these channels as an async iterator (`for await`); breaking out unsubscribes. */
  messages(channels: string | Uint8Array | (string | Uint8Array)[], options: Omit<IterateOptions, 'bytes'> = {}): AsyncIterableIterator<Message<string>> {
    return iterate(this.server, Array.isArray(channels) ? channels : [channels], { ...options, bytes: this.asBytes }) as AsyncIterableIterator<Message<string>>;
  }

  /** Starts a transaction: queue commands as methods, then `exec()`. */
  multi() {
    return beginMulti(this.server, this.client.db, toArgs, this.asBytes);
  }

  /** Watches keys for an optimistic transaction (see Watch). */
  watch(...keys: (string | Uint8Array)[]): Promise<Watch> {
    return beginWatch(this.server, this.client.db, keys, toArgs, this.asBytes);
  }

  /** Calls `handler` with the new value of every key matching `pattern` after each change; returns the stop function. */
  watchKeys(pattern: string | Uint8Array, handler: (change: KeyChange) => void): () => void {
    return watchKeys(this.server, this.client.db, pattern, handler);
  }

  /** The same database, with bulk replies as Uint8Array. */
  get bytes(): Db {
    return createDb(this.server, this.client, true);
  }

  async close(): Promise<void> {
    this.server.disconnect(this.client);
    await this.server.close();
  }
}

export type Db = Database & CommandMethods;

const methodCache = new Map<string, (this: Database, ...args: unknown[]) => Promise<JsReply>>();

function createDb(server: Server, client: Client, asBytes: boolean): Db {
  const db = new Database(server, client, asBytes);
  for (const spec of server.commands.all()) {
    const name = camel(spec.name);
    if (name in db) continue;
    let fn = methodCache.get(spec.name);
    if (fn === undefined) {
      const upper = spec.name.toUpperCase();
      fn = function (this: Database, ...args: unknown[]) {
        return this.command(upper, ...args);
      };
      methodCache.set(spec.name, fn);
    }
    Object.defineProperty(db, name, { value: fn, enumerable: false });
  }
  return db as Db;
}

function camel(name: string): string {
  return name.replace(/[-_|]([a-z])/g, (_, c: string) => c.toUpperCase());
}

/** Opens an embedded database (in memory unless persistence is configured). */
export async function open(options: OpenOptions = {}): Promise<Db> {
  const server = options.server ?? new Server({ config: options.config, logger: options.logger });
  server.start();
  const client = server.connect({ kind: 'embedded' });
  if (options.user !== undefined && !authenticate(server, client, options.user, options.password ?? '')) {
    server.disconnect(client);
    throw new UbiqueError('WRONGPASS', 'Cannot open database: invalid username-password pair or user is disabled');
  }
  return createDb(server, client, false);
}
