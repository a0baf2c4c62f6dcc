/**
 * A connection's protocol driver: bytes in, commands through the server,
 * replies out. All replies to one read leave in one write. A reply that is
 * not ready yet (a Promise: replicated writes, blocking commands) holds the
 * commands behind it, so replies keep their order.
 * This module is browser compatible.
 */
import { copyU8, portableCodec, type ByteCodec, type Bytes } from './bytes.js';
import type { Client, ClientInfo } from './client.js';
import { ProtocolError, RequestParser, type ParserLimits } from './resp/decoder.js';
import { RespWriter } from './resp/encoder.js';
import { ErrorReply, NoReply, type Reply } from './resp/reply.js';
import { Limits, admissionRefusal } from './limits.js';
import type { Server } from './server.js';

/** The transport port: how a session hands bytes back to its socket. */
export interface ByteSink {
  write(bytes: Uint8Array): void;
  /** Closes after what was written has been sent. */
  close(): void;
  /** Bytes the transport still holds unsent, if it knows. */
  pending?(): number;
  /** Drops the connection at once, unsent output included (output-buffer limits). */
  abort?(): void;
}

export class Session {
  readonly client: Client;
  private readonly parser: RequestParser;
  private readonly writer: RespWriter;
  private waiting: Promise<void> | null = null;
  private held: Uint8Array[] = [];
  private inReceive = false;
  /** Output held until a durability barrier passes; later output queues behind it. */
  private outputChain: Promise<void> | null = null;
  private chained = 0;
  private dirtyAtStart = 0;
  private flushScheduled = false;
  private closed = false;
  private readonly limits: Limits;

  constructor(
    readonly server: Server,
    private readonly sink: ByteSink,
    info: ClientInfo,
    codec: ByteCodec = portableCodec,
  ) {
    this.client = server.connect(info);
    this.parser = new RequestParser(parserLimits(server), codec);
    this.writer = new RespWriter(codec);
    this.client.sink = {
      push: (reply) => this.push(reply),
      close: () => this.kill(),
      outputBytes: () => this.writer.length + (this.sink.pending?.() ?? 0),
    };
    this.limits = Limits.of(server);
    const refusal = admissionRefusal(server, this.client);
    if (refusal !== null) {
      this.writer.write(new ErrorReply(refusal), 2);
      this.kill();
    }
  }

  /** Feeds bytes read from the connection. */
  receive(chunk: Uint8Array): void {
    if (this.closed) return;
    this.server.stats.netInputBytes += chunk.length;
    if (this.waiting !== null) {
      // Copy: transports may reuse their read buffer.
      this.held.push(copyU8(chunk));
      return;
    }
    this.inReceive = true;
    this.dirtyAtStart = this.server.dirty;
    try {
      this.parser.feed(chunk, this.onCommand);
    } catch (e) {
      this.protocolError(e);
    } finally {
      this.inReceive = false;
    }
    this.client.queryBuffer = this.parser.buffered;
    this.flush();
  }

  /** The connection went away. */
  closed_(): void {
    if (this.closed) return;
    this.closed = true;
    this.server.disconnect(this.client);
  }

  private readonly onCommand = (args: Bytes[]): boolean => {
    if (this.closed || this.client.closing) return false;
    const mode = this.client.replyMode;
    const reply = this.server.dispatch(this.client, args);
    if (reply instanceof Promise) {
      this.waiting = reply.then(
        (r) => this.resumeAfter(r, mode),
        (e: unknown) => this.resumeAfter(new ErrorReply(`ERR ${e instanceof Error ? e.message : String(e)}`), mode),
      );
      return false;
    }
    this.reply(reply, mode);
    return !this.client.closing;
  };

  private resumeAfter(reply: Reply, mode: Client['replyMode']): void {
    this.waiting = null;
    if (this.closed) return;
    this.reply(reply, mode);
    if (!this.client.closing) {
      this.inReceive = true;
      this.dirtyAtStart = this.server.dirty;
      try {
        this.parser.resume(this.onCommand);
        while (this.waiting === null && this.held.length > 0 && !this.closed) {
          this.parser.feed(this.held.shift()!, this.onCommand);
        }
      } catch (e) {
        this.protocolError(e);
      } finally {
        this.inReceive = false;
      }
    }
    this.flush();
  }

  /** `mode` is the reply mode from before the command ran (CLIENT REPLY changes it). */
  private reply(reply: Reply, mode: Client['replyMode']): void {
    if (mode === 'skip') {
      if (this.client.replyMode === 'skip') this.client.replyMode = 'on';
      return;
    }
    // Under OFF only CLIENT REPLY ON (which turns it back on) is answered.
    if (mode === 'off' && this.client.replyMode !== 'on') return;
    if (reply instanceof NoReply) return;
    this.writer.write(reply, this.client.resp);
  }

  /** A message outside the request/reply flow (pub/sub, invalidation, monitor). */
  push(reply: Reply): void {
    if (this.closed) return;
    this.writer.write(reply, this.client.resp);
    if (this.inReceive || this.flushScheduled) return;
    this.flushScheduled = true;
    const later = this.server.runtime.afterIo;
    if (later !== undefined) later(this.flushLater);
    else queueMicrotask(this.flushLater);
  }

  private readonly flushLater = (): void => {
    this.flushScheduled = false;
    this.flush();
  };

  private flush(): void {
    if (this.writer.length > 0 && !this.closed) {
      const out = this.writer.take();
      this.server.stats.netOutputBytes += out.length;
      const wrote = this.server.dirty !== this.dirtyAtStart;
      this.dirtyAtStart = this.server.dirty;
      const barrier = wrote && this.server.durabilityBarrier !== null ? this.server.durabilityBarrier() : null;
      if (barrier === null && this.outputChain === null) this.sink.write(out);
      else this.hold(out, barrier);
      if (this.limits.normal !== null && this.limits.checkOutput(this.client, this.writer.length + (this.sink.pending?.() ?? 0))) {
        this.abort();
        return;
      }
    }
    if (this.client.closing && this.waiting === null && this.outputChain === null) this.kill();
  }

  /** Sends `out` once `barrier` (and all output held before it) has passed. */
  private hold(out: Uint8Array, barrier: Promise<void> | null): void {
    this.chained++;
    const prev = this.outputChain ?? Promise.resolve();
    this.outputChain = prev
      .then(() => barrier)
      .then(
        () => {
          if (!this.closed) this.sink.write(out);
        },
        () => {
          // The write could not be made durable: the client must not see its OK.
          this.closed_();
          this.sink.close();
        },
      )
      .finally(() => {
        if (--this.chained === 0) {
          this.outputChain = null;
          if (this.client.closing && this.waiting === null) this.kill();
        }
      });
  }

  private protocolError(e: unknown): void {
    if (!(e instanceof ProtocolError)) throw e;
    if (e.replyToClient) this.writer.write(new ErrorReply(`ERR ${e.reply}`), this.client.resp);
    else if (e.reply === 'client reached the query buffer limit') this.server.stats.clientQueryBufferLimitDisconnections++;
    this.server.log('verbose', `Protocol error from client ${this.client.id}: ${e.reply}`);
    this.client.closing = true;
  }

  /** Drops the connection without sending what is pending. */
  private abort(): void {
    if (this.closed) return;
    this.closed_();
    if (this.sink.abort !== undefined) this.sink.abort();
    else this.sink.close();
  }

  /** Closes the connection once pending output is written. */
  kill(): void {
    if (this.closed) return;
    if (this.writer.length > 0) {
      const out = this.writer.take();
      this.sink.write(out);
    }
    this.closed_();
    this.sink.close();
  }
}

/**
 * One limits object per server, shared by every parser and updated in place
 * by CONFIG SET, so a new proto-max-bulk-len or client-query-buffer-limit
 * applies to connections already open (as in Redis).
 */
function parserLimits(server: Server): ParserLimits {
  let limits = server.ext['parserLimits'] as ParserLimits | undefined;
  if (limits !== undefined) return limits;
  const read = (l: ParserLimits) => {
    l.maxBulkLen = server.config.int('proto-max-bulk-len');
    l.maxQueryBuffer = server.config.int('client-query-buffer-limit');
  };
  limits = { maxBulkLen: 0, maxQueryBuffer: 0, maxMultibulkLen: 2147483647 };
  read(limits);
  const shared = limits;
  server.ext['parserLimits'] = shared;
  server.config.onChange((name) => {
    if (name === 'proto-max-bulk-len' || name === 'client-query-buffer-limit') read(shared);
  });
  return shared;
}
