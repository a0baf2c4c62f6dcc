/**
 * RESP over WebSocket with Deno.serve: binary messages carry RESP bytes both
 * ways into a Session, as on the Node server. Runs in Deno.
 */
import type { Server } from '../../core/server.js';
import { Session } from '../../core/session.js';
import {
  CLOSE_TOO_BIG, DEFAULT_MAX_MESSAGE_SIZE, TOO_BIG_REASON, originAllowed, type WebSocketServerOptions,
} from '../transport/websocket-policy.js';
import { deno } from './deno-api.js';

export interface DenoWebSocketEndpoint {
  readonly port: number;
  close(): Promise<void>;
}

export async function serveWebSocket(
  server: Server,
  options: WebSocketServerOptions & { port: number; hostname?: string },
): Promise<DenoWebSocketEndpoint> {
  const max = options.maxMessageSize ?? DEFAULT_MAX_MESSAGE_SIZE;
  const sockets = new Set<WebSocket>();
  let ready!: (port: number) => void;
  const listening = new Promise<number>((r) => (ready = r));
  const http = deno().serve(
    { hostname: options.hostname ?? '127.0.0.1', port: options.port, onListen: (addr) => ready(addr.port) },
    (req, info) => {
      if ((req.headers.get('upgrade') ?? '').toLowerCase() !== 'websocket') {
        return new Response('This port speaks RESP over WebSocket\n', { status: 426, headers: { upgrade: 'websocket' } });
      }
      if (!originAllowed(req.headers.get('origin'), options.allowedOrigins)) {
        return new Response('Origin not allowed\n', { status: 403 });
      }
      // The request info is only readable during the handler.
      const addr = `${info.remoteAddr.hostname}:${info.remoteAddr.port}`;
      const { socket, response } = deno().upgradeWebSocket(req, { idleTimeout: 0 });
      socket.binaryType = 'arraybuffer';
      sockets.add(socket);
      let session: Session | null = null;
      socket.onopen = () => {
        session = new Session(
          server,
          {
            write(bytes) {
              if (socket.readyState === WebSocket.OPEN) socket.send(bytes as Uint8Array<ArrayBuffer>);
            },
            close() {
              socket.close(1000);
            },
            pending: () => socket.bufferedAmount,
          },
          { addr, kind: 'ws' },
        );
      };
      socket.onmessage = (ev: MessageEvent) => {
        const data = typeof ev.data === 'string' ? new TextEncoder().encode(ev.data) : new Uint8Array(ev.data as ArrayBuffer);
        if (data.length > max) {
          socket.close(CLOSE_TOO_BIG, TOO_BIG_REASON);
          return;
        }
        session?.receive(data);
      };
      socket.onclose = () => {
        sockets.delete(socket);
        session?.closed_();
      };
      socket.onerror = () => {};
      return response;
    },
  );
  const port = await listening;
  return {
    port,
    async close() {
      for (const s of sockets) s.close(1001);
      await http.shutdown();
    },
  };
}
