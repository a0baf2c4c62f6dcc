/**
 * One client connection to a RESP server over any byte stream (WebSocket,
 * TCP): commands are written as soon as they are issued (pipelining) and
 * matched with replies in order; pushes go to a handler; a lost connection is
 * re-established with backoff, and commands that were not sent yet go out on
 * the new one. A command that was sent when the connection dropped fails with
 * CONNECTION_LOST: nobody can know whether it ran.
 * This module is browser compatible.
 */
import type { Bytes } from '../bytes.js';
import { UbiqueError } from '../errors.js';
import { ErrorReply, PushReply, type Reply } from '../resp/reply.js';
import { encodeCommand, ReplyParser } from './reply-parser.js';

/** What a connector hands back: a connected byte stream. */
export interface ByteStream {
  send(bytes: Uint8Array): void;
  close(): void;
}

/** What a connector reports to: bytes read, and the end of the stream. */
export interface StreamEvents {
  data(bytes: Uint8Array): void;
  closed(reason?: Error): void;
}

/** Opens a byte stream (one per connection attempt). Rejects if it cannot connect. */
export type Connector = (events: StreamEvents) => Promise<ByteStream>;

export interface ReconnectOptions {
  /** First delay before reconnecting, in ms (default 50); it doubles after each failure. */
  minDelay?: number;
  /** Longest delay between attempts, in ms (default 2000). */
  maxDelay?: number;
  /** Attempts before giving up (default: never give up). */
  maxAttempts?: number;
}

export interface ConnectionOptions {
  connector: Connector;
  /** RESP version to speak (HELLO 3 when 3). Default 2 here; the client defaults to 3. */
  protocol?: 2 | 3;
  username?: string;
  password?: string;
  /** Database to SELECT on every (re)connect. */
  db?: number;
  /** CLIENT SETNAME on every (re)connect. */
  name?: string;
  /** false turns reconnecting off. Default on. */
  reconnect?: boolean | ReconnectOptions;
  /** Fails a command whose reply takes longer than this many ms (0: never). */
  commandTimeout?: number;
  /** RESP3 pushes, and pub/sub messages on a subscribed RESP2 connection. */
  onPush?(push: Reply[]): void;
  /** Called after every successful (re)connect, before queued commands are sent. */
  onReady?(conn: Connection): void;
  /** Connection state changes, for logging. */
  onState?(state: ConnectionState, error?: Error): void;
}

export type ConnectionState = 'connecting' | 'ready' | 'reconnecting' | 'closed';

interface Pending {
  args: Bytes[];
  resolve(reply: Reply): void;
  reject(error: Error): void;
  /** Replies this command gets (SUBSCRIBE a b gets two). */
  replies: number;
  settled: boolean;
  timer?: ReturnType<typeof setTimeout>;
}

const SUBSCRIPTION_KINDS = new Set(['subscribe', 'psubscribe', 'ssubscribe', 'unsubscribe', 'punsubscribe', 'sunsubscribe']);
const MESSAGE_KINDS = new Set(['message', 'pmessage', 'smessage']);

export class Connection {
  state: ConnectionState = 'connecting';
  private stream: ByteStream | null = null;
  private readonly parser = new ReplyParser();
  /** Sent, waiting for replies, in order. */
  private readonly inFlight: Pending[] = [];
  /** Issued while there was no connection. */
  private readonly unsent: Pending[] = [];
  private out: Uint8Array[] = [];
  private flushScheduled = false;
  private attempts = 0;
  private retryTimer: ReturnType<typeof setTimeout> | null = null;
  /** Set once the connection has ever subscribed: RESP2 messages arrive as plain arrays then. */
  subscribed = false;

  constructor(readonly options: ConnectionOptions) {}

  /** Connects for the first time; rejects if that fails (no retry for the first attempt). */
  async open(): Promise<void> {
    try {
      await this.attempt();
    } catch (e) {
      this.close();
      throw e;
    }
  }

  /** Sends a command; resolves with its raw reply (error replies resolve too, as ErrorReply). */
  send(args: Bytes[], replies = 1): Promise<Reply> {
    return new Promise<Reply>((resolve, reject) => {
      if (this.state === 'closed') {
        reject(closedError());
        return;
      }
      const p: Pending = { args, resolve, reject, replies, settled: false };
      const timeout = this.options.commandTimeout ?? 0;
      if (timeout > 0) {
        p.timer = setTimeout(() => {
          if (p.settled) return;
          p.settled = true;
          const waiting = this.unsent.indexOf(p);
          if (waiting >= 0) {
            this.unsent.splice(waiting, 1);
            reject(new UbiqueError('TIMEOUT', `Cannot send command ${commandName(args)}: not connected within ${timeout} ms; it was not sent`));
            return;
          }
          // It stays in flight: its reply, when it comes, must still be matched and dropped.
          reject(new UbiqueError('TIMEOUT', `Cannot complete command ${commandName(args)}: no reply within ${timeout} ms; it may or may not have run`));
        }, timeout);
      }
      if (this.state === 'ready') this.write(p);
      else this.unsent.push(p);
    });
  }

  /** Closes now; commands still waiting fail with CONNECTION_CLOSED. */
  close(): void {
    if (this.state === 'closed') return;
    this.state = 'closed';
    if (this.retryTimer !== null) clearTimeout(this.retryTimer);
    this.flush();
    const stream = this.stream;
    this.stream = null;
    stream?.close();
    this.failAll(this.inFlight.splice(0), closedError());
    this.failAll(this.unsent.splice(0), closedError());
    this.options.onState?.('closed');
  }

  private write(p: Pending): void {
    this.inFlight.push(p);
    this.out.push(encodeCommand(p.args));
    if (this.flushScheduled) return;
    this.flushScheduled = true;
    // Commands issued in the same tick leave in one frame / one write.
    queueMicrotask(() => this.flush());
  }

  private flush(): void {
    this.flushScheduled = false;
    if (this.out.length === 0 || this.stream === null) return;
    const parts = this.out;
    this.out = [];
    if (parts.length === 1) {
      this.stream.send(parts[0]!);
      return;
    }
    let size = 0;
    for (const b of parts) size += b.length;
    const joined = new Uint8Array(size);
    let at = 0;
    for (const b of parts) {
      joined.set(b, at);
      at += b.length;
    }
    this.stream.send(joined);
  }

  private async attempt(): Promise<void> {
    this.state = this.attempts === 0 && this.stream === null ? 'connecting' : 'reconnecting';
    this.parser.reset();
    let stream: ByteStream | null = null;
    stream = await this.options.connector({
      data: (bytes) => {
        if (stream !== null && this.stream === stream) this.onData(bytes);
      },
      closed: (reason) => {
        if (stream !== null && this.stream === stream) this.onClosed(reason);
      },
    });
    if ((this.state as ConnectionState) === 'closed') {
      stream.close();
      return;
    }
    this.stream = stream;
    this.state = 'ready';
    this.attempts = 0;
    // The handshake goes before anything the user queued.
    const handshake = this.handshake();
    this.options.onReady?.(this);
    const queued = this.unsent.splice(0);
    for (const p of queued) if (!p.settled) this.write(p);
    this.flush();
    await handshake;
    this.options.onState?.('ready');
  }

  private handshake(): Promise<unknown> {
    const o = this.options;
    const steps: Promise<Reply>[] = [];
    if (o.protocol === 3 || o.password !== undefined) {
      const hello = ['HELLO', String(o.protocol ?? 2)];
      if (o.password !== undefined) hello.push('AUTH', o.username ?? 'default', o.password);
      steps.push(this.send(hello));
    }
    if (o.db !== undefined && o.db !== 0) steps.push(this.send(['SELECT', String(o.db)]));
    if (o.name !== undefined) steps.push(this.send(['CLIENT', 'SETNAME', o.name]));
    return Promise.all(steps).then((replies) => {
      for (const r of replies) {
        if (r instanceof ErrorReply) {
          throw new UbiqueError('HANDSHAKE_FAILED', `Cannot connect: the server refused the handshake: ${r.message}`);
        }
      }
    });
  }

  private onData(bytes: Uint8Array): void {
    try {
      this.parser.feed(bytes, this.onReply);
    } catch (e) {
      // Garbage on the wire: nothing after it can be matched safely.
      this.stream?.close();
      this.onClosed(e instanceof Error ? e : new Error(String(e)));
    }
  }

  private readonly onReply = (reply: Reply): void => {
    if (this.isPush(reply)) {
      this.options.onPush?.(reply instanceof PushReply ? reply.items : (reply as Reply[]));
      return;
    }
    const p = this.inFlight[0];
    if (p === undefined) return; // an unsolicited reply: nothing waits for it
    if (--p.replies > 0) return;
    this.inFlight.shift();
    if (p.timer !== undefined) clearTimeout(p.timer);
    if (p.settled) return;
    p.settled = true;
    p.resolve(reply);
  };

  /** Out-of-band messages: RESP3 pushes (except subscription confirmations), RESP2 messages once subscribed. */
  private isPush(reply: Reply): boolean {
    if (reply instanceof PushReply) {
      const kind = reply.items[0];
      return !(typeof kind === 'string' && SUBSCRIPTION_KINDS.has(kind) && this.inFlight.length > 0);
    }
    return this.subscribed && Array.isArray(reply) && typeof reply[0] === 'string' && MESSAGE_KINDS.has(reply[0]);
  }

  private onClosed(reason?: Error): void {
    this.stream = null;
    if (this.state === 'closed') return;
    this.failInFlight(reason);
    const policy = this.reconnectPolicy();
    if (policy === null) {
      this.state = 'closed';
      this.failAll(this.unsent.splice(0), new UbiqueError('CONNECTION_LOST', 'Cannot send command: the connection was lost and reconnecting is off', { cause: reason }));
      this.options.onState?.('closed', reason);
      return;
    }
    this.state = 'reconnecting';
    this.options.onState?.('reconnecting', reason);
    this.scheduleRetry(policy, reason);
  }

  /** The stream is gone: what was sent on it has an unknown outcome. */
  private failInFlight(reason?: Error): void {
    this.out = [];
    this.flushScheduled = false;
    for (const p of this.inFlight.splice(0)) {
      if (p.timer !== undefined) clearTimeout(p.timer);
      if (p.settled) continue;
      p.settled = true;
      p.reject(new UbiqueError('CONNECTION_LOST', `Cannot complete command ${commandName(p.args)}: the connection was lost after it was sent; it may or may not have run`, { cause: reason }));
    }
  }

  private scheduleRetry(policy: Required<ReconnectOptions>, reason?: Error): void {
    if (this.attempts >= policy.maxAttempts) {
      this.state = 'closed';
      this.failAll(this.unsent.splice(0), new UbiqueError('CONNECTION_LOST', `Cannot send command: could not reconnect after ${this.attempts} attempts`, { cause: reason }));
      this.options.onState?.('closed', reason);
      return;
    }
    const delay = Math.min(policy.maxDelay, policy.minDelay * 2 ** this.attempts);
    this.attempts++;
    this.retryTimer = setTimeout(() => {
      this.retryTimer = null;
      if (this.state === 'closed') return;
      this.attempt().catch((e: unknown) => {
        if (this.state === 'closed') return;
        const err = e instanceof Error ? e : new Error(String(e));
        // A refused handshake: drop that connection and what was sent on it.
        const stream = this.stream;
        this.stream = null;
        stream?.close();
        this.failInFlight(err);
        this.state = 'reconnecting';
        this.options.onState?.('reconnecting', err);
        this.scheduleRetry(policy, err);
      });
    }, delay);
  }

  private reconnectPolicy(): Required<ReconnectOptions> | null {
    const r = this.options.reconnect ?? true;
    if (r === false) return null;
    const o = r === true ? {} : r;
    return { minDelay: o.minDelay ?? 50, maxDelay: o.maxDelay ?? 2000, maxAttempts: o.maxAttempts ?? Infinity };
  }

  private failAll(list: Pending[], error: Error): void {
    for (const p of list) {
      if (p.timer !== undefined) clearTimeout(p.timer);
      if (p.settled) continue;
      p.settled = true;
      p.reject(error);
    }
  }
}

function closedError(): UbiqueError {
  return new UbiqueError('CONNECTION_CLOSED', 'Cannot send command: the client was closed');
}

function commandName(args: Bytes[]): string {
  return (args[0] ?? '').toUpperCase();
}
