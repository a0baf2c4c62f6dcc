/**
 * The embedded API: a ubique database inside the program, in any runtime.
 * Calls go straight into the engine (no RESP encoding on the way).
 *
 *   const db = await open();
 *   await db.set('k', 'v', { ex: 10 });
 *   await db.get('k');             // 'v'
 *   await db.command('INCR', 'n'); // 1
 *   db.sync.get('k');              // 'v', without a Promise (standalone only)
 *   await db.bytes.get('k');       // Uint8Array
 *
 * Strings go in and come out as UTF-8 text; Uint8Array arguments are raw
 * bytes. Error replies throw ReplyError. The typed methods are generated
 * from the command table (scripts/gen-api.js); at run time every command in
 * the table gets its method, typed or not.
 * This module is browser compatible.
 */
import { utf8ToBytes, type Bytes } from '../bytes.js';
import { toArgs, type Arg, type Options } from './args.js';
import type { Client } from '../client.js';
import { authenticate } from '../commands/connection.js';
import type { CommandTable } from '../commands/table.js';
import type { ConfigInput } from '../config/config.js';
import { UbiqueError } from '../errors.js';
import type { Reply } from '../resp/reply.js';
import { Server, type Logger } from '../server.js';
import { toJs, type JsReply } from './convert.js';
import { iterate, subscribe, type IterateOptions, type Message, type SubscribeOptions } from './subscriptions.js';
import { beginMulti, beginWatch, type Watch } from './transaction.js';
import { watchKeys, type KeyChange } from './watch-keys.js';
import type { CommandMethods, SyncCommandMethods } from './commands.generated.js';

export { toArgs, type Arg, type Options } from './args.js';

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
  /**
   * Measure each command's duration for INFO commandstats and the slowlog
   * (default true). Off, an in-process call is markedly cheaper: the clock
   * reads cost more than a GET.
   */
  timeCommands?: boolean;
}

/**
 * Command names that keep their Database member instead of a typed method
 * (run them with `db.command('SYNC')` etc.).
 */
export const RESERVED_METHOD_NAMES: readonly string[] = [
  'command', 'sync', 'bytes', 'raw', 'close', 'server', 'constructor',
  // Connection-state commands have methods of their own (multi(), watch(), subscribe(), ...):
  // sent on the shared connection they would change it for every caller.
  'multi', 'exec', 'discard', 'watch', 'unwatch', 'subscribe', 'psubscribe', 'ssubscribe', 'unsubscribe',
  'punsubscribe', 'sunsubscribe', 'messages', 'watchKeys', 'monitor', 'quit', 'reset',
];

/** The camel-case method name of a command: `georadius_ro` -> `georadiusRo`. */
export function methodName(command: string): string {
  return command.toLowerCase().replace(/[-_|]([a-z0-9])/g, (_, c: string) => c.toUpperCase());
}

export class Database {
  readonly server: Server;
  /** @internal */
  readonly conn: Client;
  /** @internal */
  readonly asBytes: boolean;
  private syncView: SyncDb | undefined;
  private bytesView: BytesDb | undefined;

  constructor(server: Server, conn: Client, asBytes = false) {
    this.server = server;
    this.conn = conn;
    this.asBytes = asBytes;
  }

  /** Runs any command: `command('SET', 'k', 'v')`. Replies as JS values; errors throw ReplyError. */
  async command(name: string, ...args: unknown[]): Promise<JsReply> {
    return this.run(name, args);
  }

  /** @internal The promise-returning path every method shares. */
  run(name: string, params: readonly unknown[]): Promise<JsReply> {
    let args: Bytes[];
    try {
      args = toArgs(name, params);
    } catch (e) {
      return Promise.reject(e);
    }
    return this.runArgs(args);
  }

  /** @internal */
  runArgs(args: Bytes[]): Promise<JsReply> {
    let reply: Reply | Promise<Reply>;
    const dirty = this.server.dirty;
    try {
      reply = this.server.dispatch(this.conn, args);
    } catch (e) {
      return Promise.reject(e);
    }
    // Under appendfsync always a write resolves once it is durable, as a network reply would.
    const barrier = this.server.dirty !== dirty && this.server.durabilityBarrier !== null ? this.server.durabilityBarrier() : null;
    if (barrier !== null) return Promise.all([reply, barrier]).then(([r]) => toJs(r, this.asBytes));
    if (reply instanceof Promise) return reply.then((r) => toJs(r, this.asBytes));
    try {
      return Promise.resolve(toJs(reply, this.asBytes));
    } catch (e) {
      return Promise.reject(e);
    }
  }

  /** The same command without a Promise, where the reply is ready at once (standalone). */
  commandSync(name: string, ...args: unknown[]): JsReply {
    return this.runSync(name, args);
  }

  /** @internal */
  runSync(name: string, params: readonly unknown[]): JsReply {
    return this.runArgsSync(toArgs(name, params));
  }

  /** @internal */
  runArgsSync(args: Bytes[]): JsReply {
    const reply = this.server.dispatch(this.conn, args);
    if (reply instanceof Promise) {
      // A blocking command that had to wait is withdrawn, so a later push is not popped for nobody.
      this.server.blocking.withdraw(reply);
      reply.catch(() => {});
      throw new Error('Cannot run command synchronously: its reply is not ready yet (use the async methods)');
    }
    return toJs(reply, this.asBytes);
  }

  /** The raw reply value, for callers that want it unconverted. */
  raw(args: Bytes[]): Reply | Promise<Reply> {
    return this.server.dispatch(this.conn, args);
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
    return beginMulti(this.server, this.conn.db, toArgs, this.asBytes);
  }

  /** Watches keys for an optimistic transaction (see Watch). */
  watch(...keys: (string | Uint8Array)[]): Promise<Watch> {
    return beginWatch(this.server, this.conn.db, keys, toArgs, this.asBytes);
  }

  /** Calls `handler` with the new value of every key matching `pattern` after each change; returns the stop function. */
  watchKeys(pattern: string | Uint8Array, handler: (change: KeyChange) => void): () => void {
    return watchKeys(this.server, this.conn.db, pattern, handler);
  }

  /** Synchronous typed methods: `db.sync.get('k')`. Throws if a reply is not ready at once. */
  get sync(): SyncDb {
    return (this.syncView ??= createSync(this));
  }

  /** The same connection, with bulk replies as Uint8Array. */
  get bytes(): BytesDb {
    if (this.asBytes) return this as unknown as BytesDb;
    return (this.bytesView ??= createDb(this.server, this.conn, true) as unknown as BytesDb);
  }

  async close(): Promise<void> {
    this.server.disconnect(this.conn);
    await this.server.close();
  }
}

export type Db = Database & CommandMethods<string>;
export type SyncDb = SyncCommandMethods<string> & { command(name: string, ...args: unknown[]): JsReply };
export type SyncBytesDb = SyncCommandMethods<Uint8Array> & { command(name: string, ...args: unknown[]): JsReply };
/** `db.bytes`: bulk replies as Uint8Array, in the typed methods and under `.sync`. */
export type BytesDb = Omit<Database, 'sync'> & CommandMethods<Uint8Array> & { readonly sync: SyncBytesDb };

type DatabaseClass = new (server: Server, conn: Client, asBytes: boolean) => Database;
type SyncClass = new (db: Database) => SyncDb;

// One class per command table, methods on its prototype: cheap to create, fast to call.
const dbClasses = new WeakMap<CommandTable, DatabaseClass>();
const syncClasses = new WeakMap<CommandTable, SyncClass>();

function commandNames(table: CommandTable): [method: string, upper: string][] {
  const out: [string, string][] = [];
  for (const spec of table.all()) {
    const method = methodName(spec.name);
    if (RESERVED_METHOD_NAMES.includes(method)) continue;
    out.push([method, spec.name.toUpperCase()]);
  }
  return out;
}

function dbClassFor(table: CommandTable): DatabaseClass {
  let cls = dbClasses.get(table);
  if (cls !== undefined) return cls;
  const Typed = class extends Database {};
  for (const [method, upper] of commandNames(table)) {
    Object.defineProperty(Typed.prototype, method, {
      value: function (this: Database, a?: unknown, b?: unknown) {
        // One or two text arguments (GET k, SET k v) skip the generic conversion.
        const n = arguments.length;
        if (n === 1 && typeof a === 'string') return this.runArgs([upper, utf8ToBytes(a)]);
        if (n === 2 && typeof a === 'string' && typeof b === 'string') {
          return this.runArgs([upper, utf8ToBytes(a), utf8ToBytes(b)]);
        }
        // eslint-disable-next-line prefer-rest-params
        return this.run(upper, Array.prototype.slice.call(arguments));
      },
      writable: true,
      configurable: true,
    });
  }
  dbClasses.set(table, Typed);
  return Typed;
}

function syncClassFor(table: CommandTable): SyncClass {
  let cls = syncClasses.get(table);
  if (cls !== undefined) return cls;
  class Sync {
    constructor(readonly db: Database) {}
    command(name: string, ...args: unknown[]): JsReply {
      return this.db.runSync(name, args);
    }
  }
  for (const [method, upper] of commandNames(table)) {
    Object.defineProperty(Sync.prototype, method, {
      value: function (this: Sync, a?: unknown, b?: unknown) {
        const n = arguments.length;
        if (n === 1 && typeof a === 'string') return this.db.runArgsSync([upper, utf8ToBytes(a)]);
        if (n === 2 && typeof a === 'string' && typeof b === 'string') {
          return this.db.runArgsSync([upper, utf8ToBytes(a), utf8ToBytes(b)]);
        }
        // eslint-disable-next-line prefer-rest-params
        return this.db.runSync(upper, Array.prototype.slice.call(arguments));
      },
      writable: true,
      configurable: true,
    });
  }
  cls = Sync as unknown as SyncClass;
  syncClasses.set(table, cls);
  return cls;
}

function createDb(server: Server, conn: Client, asBytes: boolean): Db {
  const Cls = dbClassFor(server.commands);
  return new Cls(server, conn, asBytes) as Db;
}

function createSync(db: Database): SyncDb {
  return new (syncClassFor(db.server.commands))(db);
}

/** Opens an embedded database (in memory unless persistence is configured). */
export async function open(options: OpenOptions = {}): Promise<Db> {
  const server =
    options.server ?? new Server({ config: options.config, logger: options.logger, timeCommands: options.timeCommands });
  server.start();
  const conn = server.connect({ kind: 'embedded' });
  if (options.user !== undefined && !authenticate(server, conn, options.user, options.password ?? '')) {
    server.disconnect(conn);
    throw new UbiqueError('WRONGPASS', 'Cannot open database: invalid username-password pair or user is disabled');
  }
  return createDb(server, conn, false);
}
