/**
 * A ubique node: the engine plus everything around it that is not data —
 * clients, configuration, statistics, the command path, the server cron.
 * Runtime adapters (TCP, WebSocket, the embedded API) feed it commands.
 * This module is browser compatible.
 */
import { BlockingManager, BlockRequest } from './blocking.js';
import type { Bytes } from './bytes.js';
import { Client, type ClientInfo } from './client.js';
import { systemClock, type Clock } from './clock.js';
import { SERVER_SETUP, createCommandTable } from './commands/index.js';
import type { CommandTable } from './commands/table.js';
import type { CommandSpec } from './commands/types.js';
import { ConfigStore, type ConfigInput } from './config/config.js';
import { Engine } from './engine.js';
import { installActiveExpire } from './keyspace/expire-cycle.js';
import { Err, unknownCommand } from './errors.js';
import { freshSeed, randomHex, seededRandom } from './random.js';
import { standaloneReplicator, type Replicator, type WriteLog } from './replication/replicator.js';
import { AsyncReply, ErrorReply, type Reply } from './resp/reply.js';
import { unknownRuntime, type Runtime } from './runtime.js';

export type LogLevel = 'debug' | 'verbose' | 'notice' | 'warning';
export type Logger = (level: LogLevel, message: string) => void;

export interface ServerOptions {
  config?: ConfigInput;
  clock?: Clock;
  logger?: Logger;
  /** The command groups to serve (defaults to all of them). */
  commands?: CommandTable;
  /** Process facts for INFO (pid, memory, CPU); defaults to none known. */
  runtime?: Runtime;
  /**
   * Measure each command's duration (INFO commandstats usec, slowlog hooks).
   * Defaults to true; two monotonic clock reads per command are a large share
   * of an in-process call, so the embedded API lets callers turn it off.
   */
  timeCommands?: boolean;
}

export interface CommandStats {
  calls: number;
  usec: number;
  rejectedCalls: number;
  failedCalls: number;
}

/**
 * Hooks other modules install to take part in the command path
 * (transactions queue commands, subscriber mode restricts them, ACL checks them).
 * Returning a Reply answers the command without running it.
 */
export type CommandFilter = (client: Client, spec: CommandSpec, args: Bytes[]) => Reply | Promise<Reply> | undefined;

export class Server {
  readonly config: ConfigStore;
  readonly clock: Clock;
  readonly engine: Engine;
  readonly commands: CommandTable;
  readonly runtime: Runtime;
  readonly clients = new Map<number, Client>();
  readonly runId = randomHex(20);
  readonly startedAt: number;
  readonly startedMonotonic: number;
  readonly commandStats = new Map<string, CommandStats>();
  readonly errorStats = new Map<string, number>();
  readonly stats = {
    connectionsReceived: 0,
    commandsProcessed: 0,
    rejectedConnections: 0,
    expiredKeys: 0,
    evictedKeys: 0,
    keyspaceHits: 0,
    keyspaceMisses: 0,
    netInputBytes: 0,
    netOutputBytes: 0,
    errorReplies: 0,
    unexpectedErrorReplies: 0,
    clientOutputBufferLimitDisconnections: 0,
    clientQueryBufferLimitDisconnections: 0,
    aclAccessDeniedAuth: 0,
    aclAccessDeniedCmd: 0,
    aclAccessDeniedKey: 0,
    aclAccessDeniedChannel: 0,
  };
  /** Extension slots for modules that keep server-wide state (pubsub, slowlog, ...). */
  readonly ext: Record<string, unknown> = {};
  /** Set when the node serves TCP; INFO reports it. */
  tcpPort = 0;
  /** See ServerOptions.timeCommands; when off, commands are counted with 0 usec. */
  timeCommands: boolean;
  dirty = 0;
  replicator: Replicator;
  /** Clients waiting in blocking commands (BLPOP, BLMOVE, ...). */
  readonly blocking: BlockingManager;
  /**
   * Set by a durability policy that holds replies (appendfsync always):
   * returns a promise that resolves once every write so far is durable, or
   * null when nothing is pending.
   */
  durabilityBarrier: (() => Promise<void> | null) | null = null;
  private writeLog: WriteLog | null = null;
  private readonly filters: CommandFilter[] = [];
  private readonly seeds: () => number;
  private nextClientId = 1;
  private readonly logger: Logger;
  private readonly closers: (() => void | Promise<void>)[] = [];
  private cron: ReturnType<typeof setInterval> | undefined;
  private readonly cronJobs: ((now: number) => void)[] = [];

  constructor(options: ServerOptions = {}) {
    this.config = new ConfigStore(options.config);
    this.clock = options.clock ?? systemClock;
    this.logger = options.logger ?? defaultLogger;
    this.commands = options.commands ?? createCommandTable();
    this.runtime = options.runtime ?? unknownRuntime;
    this.timeCommands = options.timeCommands ?? true;
    this.engine = new Engine(this.config.int('databases'), this);
    this.startedAt = this.clock.now();
    this.startedMonotonic = this.clock.monotonic();
    const seedSource = seededRandom(freshSeed());
    this.seeds = () => (seedSource() * 4294967296) >>> 0;
    this.replicator = standaloneReplicator(this.engine, () => this.writeLog);
    this.blocking = new BlockingManager(this);
    installActiveExpire(this);
    // A new hz takes effect at once: restart the cron if it runs.
    this.config.onChange((name) => {
      if (name !== 'hz' || this.cron === undefined) return;
      clearInterval(this.cron);
      this.cron = undefined;
      this.start();
    });
    for (const setup of SERVER_SETUP) setup(this);
  }

  log(level: LogLevel, message: string): void {
    // `loglevel` can change at run time (CONFIG SET); the host logger may filter further.
    if (LOG_LEVELS[level] < LOG_LEVELS[this.config.str('loglevel') as LogLevel | 'nothing']) return;
    this.logger(level, message);
  }

  /** The persistence log that standalone writes go to. */
  setWriteLog(log: WriteLog | null): void {
    this.writeLog = log;
  }

  addFilter(filter: CommandFilter): void {
    this.filters.push(filter);
  }

  onClose(fn: () => void | Promise<void>): void {
    this.closers.push(fn);
  }

  /** Runs `job` on every server cron tick (`hz` times a second) once started. */
  addCronJob(job: (now: number) => void): void {
    this.cronJobs.push(job);
  }

  /** Starts background work (the server cron). Idempotent. */
  start(): void {
    if (this.cron !== undefined) return;
    // Redis clamps hz to 1..500.
    const period = Math.round(1000 / Math.min(500, Math.max(1, this.config.int('hz'))));
    this.cron = setInterval(() => this.runCron(), period);
    // Never keep a process alive just for the cron (Node/Deno/Bun all have unref on timers).
    (this.cron as { unref?: () => void }).unref?.();
  }

  runCron(): void {
    const now = this.clock.now();
    for (const job of this.cronJobs) {
      try {
        job(now);
      } catch (e) {
        this.log('warning', `Cron job failed: ${e instanceof Error ? e.message : String(e)}`);
      }
    }
  }

  async close(): Promise<void> {
    if (this.cron !== undefined) clearInterval(this.cron);
    this.cron = undefined;
    for (const fn of this.closers.splice(0).reverse()) await fn();
  }

  connect(info: ClientInfo): Client {
    const client = new Client(this.nextClientId++, info, this.clock.now());
    const auto = this.ext['autoAuthenticate'] as (() => boolean) | undefined;
    client.authenticated = auto !== undefined ? auto() : this.config.str('requirepass') === '';
    this.clients.set(client.id, client);
    this.stats.connectionsReceived++;
    return client;
  }

  disconnect(client: Client): void {
    this.clients.delete(client.id);
    const hooks = this.ext['disconnectHooks'] as ((c: Client) => void)[] | undefined;
    if (hooks) for (const h of hooks) h(client);
  }

  /** Registers a hook run when any client goes away. */
  onDisconnect(hook: (c: Client) => void): void {
    ((this.ext['disconnectHooks'] ??= []) as ((c: Client) => void)[]).push(hook);
  }

  /** Resolves a command (and subcommand) or answers the error Redis would. */
  resolve(args: Bytes[]): CommandSpec | ErrorReply {
    let spec = this.commands.lookup(args[0]!);
    if (spec === undefined) return new ErrorReply(unknownCommand(args));
    if (spec.subcommands !== undefined && (args.length >= 2 || spec.handler === undefined)) {
      if (args.length < 2) return new ErrorReply(Err.wrongArity(spec.name));
      const sub = this.commands.subcommand(spec, args[1]!);
      if (sub === undefined) return new ErrorReply(Err.unknownSubcommand(args[1]!, spec.name));
      spec = sub;
    }
    const n = args.length;
    if ((spec.arity > 0 && n !== spec.arity) || n < -spec.arity) {
      return new ErrorReply(Err.wrongArity(spec.parentName ? `${spec.parentName}|${spec.name}` : spec.name));
    }
    return spec;
  }

  /** Runs one command for a client: the one path every transport uses. */
  dispatch(client: Client, args: Bytes[]): Reply | Promise<Reply> {
    const now = this.clock.now();
    client.lastInteraction = now;
    const resolved = this.resolve(args);
    if (resolved instanceof ErrorReply) return this.reject(client, resolved);
    const spec = resolved;
    client.lastCommand = spec.parentName === undefined ? spec.name : `${spec.parentName}|${spec.name}`;
    if (!client.authenticated && !spec.flags.includes('no_auth')) {
      this.statsFor(spec).rejectedCalls++;
      return this.reject(client, new ErrorReply(Err.noAuth));
    }
    for (let i = 0; i < this.filters.length; i++) {
      const r = this.filters[i]!(client, spec, args);
      if (r !== undefined) {
        this.blocking.serveReady();
        return r;
      }
    }
    const reply = this.execute(client, spec, args, now);
    // Clients blocked on keys this command (or EXEC) made ready are served after it, in order.
    this.blocking.serveReady();
    return reply;
  }

  /** A seed for the next log entry's random choices. */
  nextSeed(): number {
    return this.seeds();
  }

  /** Refuses a command before it runs; a transaction being queued is marked failed (EXECABORT). */
  reject(client: Client, reply: ErrorReply): ErrorReply {
    this.stats.errorReplies++;
    this.countError(reply.message);
    const multi = client.ext['multi'] as { aborted: boolean } | undefined;
    if (multi !== undefined) multi.aborted = true;
    return reply;
  }

  /** Runs a resolved command, counting it (also used by EXEC for queued commands). */
  execute(client: Client, spec: CommandSpec, args: Bytes[], now = this.clock.now()): Reply | Promise<Reply> {
    const timed = this.timeCommands;
    const t0 = timed ? performance.now() : 0;
    let reply: Reply | Promise<Reply>;
    if (spec.flags.includes('write')) {
      reply = this.replicator.submit(spec, { db: client.db, args, timeMs: now, seed: this.nextSeed() }, client);
      if (this.engine.ctx.dirty > 0) this.dirty += this.engine.ctx.dirty;
    } else {
      reply = this.engine.read(spec, args, client, now);
      // A command that finishes later (SAVE waiting for its file) answers through the session's ordered wait.
      if (reply instanceof AsyncReply) reply = reply.promise;
    }
    const usec = timed ? (performance.now() - t0) * 1000 : 0;
    this.stats.commandsProcessed++;
    const stats = this.statsFor(spec);
    stats.calls++;
    stats.usec += usec;
    if (reply instanceof ErrorReply) {
      stats.failedCalls++;
      this.stats.errorReplies++;
      this.countError(reply.message);
    }
    const hooks = this.ext['afterCommand'] as ((c: Client, s: CommandSpec, a: Bytes[], usec: number, now: number) => void)[] | undefined;
    if (hooks) for (const h of hooks) h(client, spec, args, usec, now);
    if (reply instanceof BlockRequest) return this.blocking.block(client, spec, args, reply);
    if (reply instanceof Promise && spec.flags.includes('blocking')) {
      return reply.then((r) => (r instanceof BlockRequest ? this.blocking.block(client, spec, args, r) : r));
    }
    return reply;
  }

  /** Registers a hook run after every executed command (slowlog, latency, monitor). */
  afterCommand(hook: (c: Client, s: CommandSpec, a: Bytes[], usec: number, now: number) => void): void {
    ((this.ext['afterCommand'] ??= []) as unknown[]).push(hook);
  }

  statsFor(spec: CommandSpec): CommandStats {
    const key = spec.parentName ? `${spec.parentName}|${spec.name}` : spec.name;
    let s = this.commandStats.get(key);
    if (s === undefined) {
      s = { calls: 0, usec: 0, rejectedCalls: 0, failedCalls: 0 };
      this.commandStats.set(key, s);
    }
    return s;
  }

  private countError(message: string): void {
    const code = message.split(' ', 1)[0]!;
    this.errorStats.set(code, (this.errorStats.get(code) ?? 0) + 1);
  }
}

const LOG_LEVELS: Record<LogLevel | 'nothing', number> = { debug: 0, verbose: 1, notice: 2, warning: 3, nothing: 4 };

const defaultLogger: Logger = (level, message) => {
  if (level === 'debug' || level === 'verbose') return;
  console.log(`${level === 'warning' ? '#' : '*'} ${message}`);
};
