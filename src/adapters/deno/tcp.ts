/**
 * RESP over TCP with Deno.listen: one Session per connection, reads paused
 * while a slow reader has too much output waiting. Runs in Deno.
 */
import type { Server } from '../../core/server.js';
import { Session } from '../../core/session.js';
import { deno, type DenoConn } from './deno-api.js';

const HIGH_WATER = 4 * 1024 * 1024;
const READ_SIZE = 64 * 1024;

export interface DenoTcpEndpoint {
  readonly port: number;
  readonly hostname: string;
  close(): Promise<void>;
}

export function listenTcp(server: Server, options: { port: number; hostname?: string }): DenoTcpEndpoint {
  const listener = deno().listen({ hostname: options.hostname ?? '127.0.0.1', port: options.port, transport: 'tcp' });
  const conns = new Set<DenoConn>();
  const accepting = (async () => {
    try {
      for await (const conn of listener) void serveConnection(server, conn, conns);
    } catch {
      // The listener was closed.
    }
  })();
  return {
    port: listener.addr.port,
    hostname: listener.addr.hostname,
    async close() {
      listener.close();
      for (const c of conns) {
        try {
          c.close();
        } catch {
          // already closed
        }
      }
      await accepting;
    },
  };
}

async function serveConnection(server: Server, conn: DenoConn, conns: Set<DenoConn>): Promise<void> {
  conns.add(conn);
  conn.setNoDelay?.(true);
  let unsent = 0;
  let writing: Promise<void> = Promise.resolve();
  let open = true;
  const closeConn = () => {
    if (!open) return;
    open = false;
    conns.delete(conn);
    try {
      conn.close();
    } catch {
      // already closed
    }
  };
  const session = new Session(
    server,
    {
      write(bytes) {
        unsent += bytes.length;
        writing = writing.then(async () => {
          try {
            for (let off = 0; off < bytes.length && open; ) off += await conn.write(bytes.subarray(off));
          } catch {
            closeConn();
          }
          unsent -= bytes.length;
        });
      },
      close() {
        void writing.then(closeConn);
      },
      pending: () => unsent,
    },
    {
      addr: `${conn.remoteAddr.hostname}:${conn.remoteAddr.port}`,
      laddr: `${conn.localAddr.hostname}:${conn.localAddr.port}`,
      kind: 'tcp',
    },
  );
  const buf = new Uint8Array(READ_SIZE);
  try {
    for (;;) {
      if (unsent > HIGH_WATER) await writing;
      const n = await conn.read(buf);
      if (n === null) break;
      session.receive(buf.subarray(0, n));
    }
  } catch {
    // Reset by peer or closed by us.
  } finally {
    session.closed_();
    closeConn();
  }
}
