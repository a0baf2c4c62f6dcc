/**
 * RESP over TCP with node:net (Node, and Bun/Deno through their node:net).
 * All replies to a read leave in one write; a slow reader pauses our reading
 * from it.
 */
import { Buffer } from 'node:buffer';
import net from 'node:net';
import type { Server } from '../../core/server.js';
import { Session } from '../../core/session.js';
import { bufferCodec } from '../node/buffer-codec.js';

export interface TcpListenOptions {
  port: number;
  host?: string | string[];
  backlog?: number;
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
  if (handle === null || handle === undefined) return accepted;
  readBuffer ??= Buffer.allocUnsafe(READ_BUFFER_SIZE);
  const socket = new net.Socket({
    handle,
    readable: true,
    writable: true,
    onread: { buffer: readBuffer, callback: (n: number, buf: Buffer) => void onData(buf.subarray(0, n)) },
  } as net.SocketConstructorOpts) as Internal;
  old._handle = null;
  // The server counts the accepted socket; the new one must be the one that uncounts it on close.
  socket._server = srv;
  socket.server = srv;
  return socket;
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

  for (const host of hosts) {
    const srv = net.createServer({ noDelay: true, pauseOnConnect: true });
    srv.on('connection', (accepted: net.Socket) => {
      let session: Session | undefined;
      const socket = adoptWithStaticBuffer(accepted, srv, (chunk) => session!.receive(chunk));
      session = new Session(
        server,
        {
          write(bytes) {
            if (socket.destroyed) return;
            const ok = socket.write(bytes);
            if (!ok && socket.writableLength > HIGH_WATER) {
              socket.pause();
              socket.once('drain', () => socket.resume());
            }
          },
          close() {
            socket.end();
          },
          abort() {
            socket.destroy();
          },
          pending: () => socket.writableLength,
        },
        {
          addr: `${socket.remoteAddress}:${socket.remotePort}`,
          laddr: `${socket.localAddress}:${socket.localPort}`,
          kind: 'tcp',
        },
        bufferCodec,
      );
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
      await Promise.all(
        listeners.map((l) => new Promise<void>((resolve) => l.close(() => resolve()))),
      );
      for (const s of sockets) s.destroy();
    },
  };
}
