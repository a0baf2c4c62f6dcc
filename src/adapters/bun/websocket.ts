/**
 * RESP over WebSocket with Bun.serve: binary messages carry RESP bytes both
 * ways into a Session. (RESP over TCP under Bun is the node:net adapter,
 * which Bun runs as is.) Runs in Bun.
 */
import type { Server } from '../../core/server.js';
import { Session } from '../../core/session.js';
import {
  CLOSE_TOO_BIG, DEFAULT_MAX_MESSAGE_SIZE, TOO_BIG_REASON, originAllowed, type WebSocketServerOptions,
} from '../transport/websocket-policy.js';

/** The parts of Bun's ServerWebSocket used here. */
interface BunSocket {
  data: { session: Session | null; addr: string };
  send(data: Uint8Array, compress?: boolean): number;
  close(code?: number, reason?: string): void;
  getBufferedAmount?(): number;
  readonly readyState: number;
}

interface BunServer {
  readonly port: number;
  upgrade(req: Request, options: { data: BunSocket['data'] }): boolean;
  requestIP(req: Request): { address: string; port: number } | null;
  stop(closeActiveConnections?: boolean): Promise<void> | void;
}

interface BunApi {
  serve(options: {
    hostname?: string;
    port: number;
    fetch(req: Request, server: BunServer): Response | undefined;
    websocket: {
      maxPayloadLength?: number;
      idleTimeout?: number;
      open(ws: BunSocket): void;
      message(ws: BunSocket, message: string | Uint8Array): void;
      close(ws: BunSocket, code: number, reason: string): void;
    };
  }): BunServer;
}

export interface BunWebSocketEndpoint {
  readonly port: number;
  close(): Promise<void>;
}

export function serveWebSocket(server: Server, options: WebSocketServerOptions & { port: number; hostname?: string }): BunWebSocketEndpoint {
  const bun = (globalThis as { Bun?: BunApi }).Bun;
  if (bun === undefined) throw new Error('Cannot use the Bun adapter: this is not Bun');
  const max = options.maxMessageSize ?? DEFAULT_MAX_MESSAGE_SIZE;
  const http = bun.serve({
    hostname: options.hostname ?? '127.0.0.1',
    port: options.port,
    fetch(req, srv) {
      if ((req.headers.get('upgrade') ?? '').toLowerCase() !== 'websocket') {
        return new Response('This port speaks RESP over WebSocket\n', { status: 426, headers: { upgrade: 'websocket' } });
      }
      if (!originAllowed(req.headers.get('origin'), options.allowedOrigins)) return new Response('Origin not allowed\n', { status: 403 });
      const ip = srv.requestIP(req);
      if (srv.upgrade(req, { data: { session: null, addr: ip === null ? '' : `${ip.address}:${ip.port}` } })) return undefined;
      return new Response('WebSocket upgrade failed\n', { status: 400 });
    },
    websocket: {
      // Bun closes over-size messages itself (1009); we check too, for a reason text.
      maxPayloadLength: max + 1,
      idleTimeout: 0,
      open(ws) {
        ws.data.session = new Session(
          server,
          {
            write(bytes) {
              if (ws.readyState === 1) ws.send(bytes);
            },
            close() {
              ws.close(1000);
            },
            pending: () => ws.getBufferedAmount?.() ?? 0,
          },
          { addr: ws.data.addr, kind: 'ws' },
        );
      },
      message(ws, message) {
        const bytes = typeof message === 'string' ? new TextEncoder().encode(message) : message;
        if (bytes.length > max) {
          ws.close(CLOSE_TOO_BIG, TOO_BIG_REASON);
          return;
        }
        ws.data.session?.receive(bytes);
      },
      close(ws) {
        ws.data.session?.closed_();
      },
    },
  });
  return {
    port: http.port,
    async close() {
      await http.stop(true);
    },
  };
}
