/**
 * RESP over TCP with node:net (Node, and Bun/Deno through their node:net).
 * All replies to a read leave in one write; a slow reader pauses our reading
 * from it.
 */
import { Buffer } from 'node:buffer';
import net from 'node:net';
import process from 'node:process';
import type { Server } from '../../core/server.js';
import type { ClientInfo } from '../../core/client.js';
import { Session, type ByteSink } from '../../core/session.js';
import { bufferCodec } from '../node/buffer-codec.js';

export interface TcpListenOptions {
  port: number;
  host?: string | string[];
  backlog?: number;
  /**
   * Given, connections whose first bytes are an HTTP request line (a
   * WebSocket upgrade) are handed over to it instead of a RESP session.
   */
  onHttp?: (socket: net.Socket, first: Uint8Array) => void;
  /** Recognises an HTTP request from a connection's first read. */
  isHttp?: (first: Uint8Array) => boolean;
}

export interface TcpEndpoint {
  /** The ports bound (one per host). */
  readonly port: number;
  readonly addresses: { address: string; port: number }[];
  close(): Promise<void>;
}

/** Output held for a client before we stop reading its requests. */
const HIGH_WATER = 4 * 1024 * 1024;

/**
 * One read buffer for every connection: a read is parsed synchronously and
 * the parser copies whatever it keeps, so the buffer is free again when the
 * callback returns. This spares Node a fresh Buffer per read.
 */
const READ_BUFFER_SIZE = 64 * 1024;
let readBuffer: Buffer | undefined;

const IS_BUN = typeof (globalThis as { Bun?: unknown }).Bun !== 'undefined';

let lastView: Buffer | undefined;

/**
 * The first `n` bytes of the read buffer. Requests of one kind arrive in reads
 * of one size, so the last view is usually the one wanted; views only live
 * while a read is parsed (the parser copies what it keeps), so sharing is safe.
 */
function viewOf(buf: Buffer, n: number): Buffer {
  if (lastView !== undefined && lastView.length === n && lastView.buffer === buf.buffer && lastView.byteOffset === buf.byteOffset) {
    return lastView;
  }
  return (lastView = buf.subarray(0, n));
}

type Internal = net.Socket & { _handle: unknown; _server: net.Server | null; server: net.Server | null };

/**
 * Node only offers `onread` (reading into a caller's buffer) to sockets it
 * constructs, not to the ones a server accepts. So the accepted socket is
 * taken before it starts reading (pauseOnConnect), and its handle is moved
 * into a socket constructed with `onread`.
 */
function adoptWithStaticBuffer(
  accepted: net.Socket,
  srv: net.Server,
  onData: (chunk: Buffer) => void,
): net.Socket {
  const old = accepted as Internal;
  const handle = old._handle;
  // Moving a handle between sockets is Node internals; Bun's node:net is read the plain way.
  if (handle === null || handle === undefined || IS_BUN) return accepted;
  readBuffer ??= Buffer.allocUnsafe(READ_BUFFER_SIZE);
  const socket = new net.Socket({
    handle,
    readable: true,
    writable: true,
    onread: { buffer: readBuffer, callback: (n: number, buf: Buffer) => void onData(viewOf(buf, n)) },
  } as net.SocketConstructorOpts) as Internal;
  old._handle = null;
  // The server counts the accepted socket; the new one must be the one that uncounts it on close.
  socket._server = srv;
  socket.server = srv;
  return socket;
}

interface StreamHandle {
  writeBuffer(req: object, data: Uint8Array): number;
}
type WriteWrapClass = new () => {
  handle: StreamHandle;
  oncomplete: (status: number) => void;
  async: boolean;
  buffer: Uint8Array | null;
};

/**
 * Node's stream_wrap binding: writing a reply straight to the socket's handle
 * skips the Writable machinery (several calls and a nextTick per write), which
 * is a large share of the per-request CPU at one request per read. Absent
 * (Bun, Deno, a future Node), every write takes the ordinary path.
 */
const streamWrap = ((): { WriteWrap: WriteWrapClass; state: Int32Array; asyncIndex: number } | null => {
  try {
    const binding = (process as unknown as { binding(name: string): Record<string, unknown> }).binding('stream_wrap');
    const WriteWrap = binding['WriteWrap'] as WriteWrapClass | undefined;
    const state = binding['streamBaseState'] as Int32Array | undefined;
    const asyncIndex = binding['kLastWriteWasAsync'] as number | undefined;
    if (typeof WriteWrap !== 'function' || !(state instanceof Int32Array) || typeof asyncIndex !== 'number') return null;
    return { WriteWrap, state, asyncIndex };
  } catch {
    return null;
  }
})();

/** Writes replies to one socket, directly to its handle when that is safe. */
class ReplyWriter {
  /** Bytes of direct writes the kernel has not taken yet. */
  private directPending = 0;
  private paused = false;
  private drainHooked = false;

  constructor(private readonly socket: net.Socket) {}

  write(bytes: Uint8Array): void {
    const socket = this.socket;
    if (socket.destroyed) return;
    const handle = (socket as unknown as { _handle: StreamHandle | null })._handle;
    // Only when the stream holds nothing queued, so bytes stay in order
    // (libuv keeps its own queue in order for whatever reaches the handle).
    if (streamWrap !== null && handle !== null && socket.writableLength === 0 && !socket.writableEnded) {
      const req = new streamWrap.WriteWrap();
      req.handle = handle;
      req.async = false;
      req.buffer = null;
      req.oncomplete = noop;
      const err = handle.writeBuffer(req, bytes);
      if (err !== 0) {
        socket.destroy();
        return;
      }
      if (streamWrap.state[streamWrap.asyncIndex] !== 0) {
        // The kernel took part of it; libuv finishes the rest later. Keep the
        // bytes alive and count them against the output limit until then.
        const len = bytes.length;
        req.buffer = bytes;
        this.directPending += len;
        req.oncomplete = (status: number) => {
          this.directPending -= len;
          if (status < 0) socket.destroy();
          else this.maybeResume();
        };
        this.maybePause();
      }
      return;
    }
    const ok = socket.write(bytes);
    if (!ok) this.maybePause();
  }

  pending(): number {
    return this.directPending + this.socket.writableLength;
  }

  /** A slow reader: stop reading its requests until it catches up. */
  private maybePause(): void {
    if (this.paused || this.pending() <= HIGH_WATER) return;
    this.paused = true;
    this.socket.pause();
    if (!this.drainHooked) {
      this.drainHooked = true;
      this.socket.on('drain', () => this.maybeResume());
    }
  }

  private maybeResume(): void {
    if (!this.paused || this.pending() > HIGH_WATER) return;
    this.paused = false;
    this.socket.resume();
  }
}

function noop(): void {}

function socketSink(socket: net.Socket): ByteSink {
  const replies = new ReplyWriter(socket);
  return {
    write: (bytes) => replies.write(bytes),
    close() {
      socket.end();
    },
    abort() {
      socket.destroy();
    },
    pending: () => replies.pending(),
  };
}

function socketInfo(socket: net.Socket): ClientInfo {
  return {
    addr: `${socket.remoteAddress}:${socket.remotePort}`,
    laddr: `${socket.localAddress}:${socket.localPort}`,
    kind: 'tcp',
  };
}

export async function listenTcp(server: Server, options: TcpListenOptions): Promise<TcpEndpoint> {
  const hosts = Array.isArray(options.host) ? options.host : [options.host ?? '127.0.0.1'];
  const sockets = new Set<net.Socket>();
  const listeners: net.Server[] = [];
  let port = options.port;

  const onConnection = (socket: net.Socket, session: Session) => {
    sockets.add(socket);
    socket.setNoDelay(true);
    socket.on('error', () => {});
    socket.on('close', () => {
      sockets.delete(socket);
      session.closed_();
    });
  };

  /** Waits for the first read to tell RESP from an HTTP upgrade. */
  const sniffFirstRead = (socket: net.Socket, opts: TcpListenOptions) => {
    sockets.add(socket);
    socket.once('close', () => sockets.delete(socket));
    socket.on('error', () => {});
    socket.once('data', (first: Buffer) => {
      if (opts.isHttp?.(first)) {
        socket.pause();
        opts.onHttp!(socket, first);
        return;
      }
      const session = new Session(server, socketSink(socket), socketInfo(socket), bufferCodec);
      onConnection(socket, session);
      socket.on('data', (chunk: Buffer) => session.receive(chunk));
      session.receive(first);
    });
    socket.resume();
  };

  for (const host of hosts) {
    const srv = net.createServer({ noDelay: true, pauseOnConnect: true });
    srv.on('connection', (accepted: net.Socket) => {
      if (options.onHttp !== undefined) {
        sniffFirstRead(accepted, options);
        return;
      }
      let session: Session | undefined;
      const socket = adoptWithStaticBuffer(accepted, srv, (chunk) => session!.receive(chunk));
      session = new Session(server, socketSink(socket), socketInfo(socket), bufferCodec);
      onConnection(socket, session);
      if (socket === accepted) {
        socket.on('data', (chunk: Buffer) => session!.receive(chunk));
        socket.resume();
      }
    });
    await new Promise<void>((resolve, reject) => {
      srv.once('error', reject);
      srv.listen({ port, host, backlog: options.backlog ?? 511 }, () => {
        srv.off('error', reject);
        resolve();
      });
    });
    const addr = srv.address() as net.AddressInfo;
    port = addr.port;
    listeners.push(srv);
  }

  return {
    port,
    addresses: listeners.map((l) => {
      const a = l.address() as net.AddressInfo;
      return { address: a.address, port: a.port };
    }),
    async close() {
      // Stop accepting, then drop the open connections (close waits for them).
      const closed = Promise.all(listeners.map((l) => new Promise<void>((resolve) => l.close(() => resolve()))));
      for (const s of sockets) s.destroy();
      await closed;
    },
  };
}
