/**
 * RESP over TCP with node:net (Node, and Bun/Deno through their node:net).
 * All replies to a read leave in one write; a slow reader pauses our reading
 * from it.
 */
import type { Buffer } from 'node:buffer';
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
    const srv = net.createServer({ noDelay: true });
    srv.on('connection', (socket) => {
      const session = new Session(
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
      socket.on('data', (chunk: Buffer) => session.receive(chunk));
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
