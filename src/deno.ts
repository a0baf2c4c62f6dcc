/**
 * ubique for Deno: the embedded engine, plus a RESP server on TCP
 * (Deno.listen) and RESP over WebSocket (Deno.serve).
 *
 *   const srv = await listen({ port: 6379, wsPort: 8080 });
 *   ...
 *   await srv.close();
 */
import { denoRuntime } from './adapters/deno/runtime.js';
import { listenTcp } from './adapters/deno/tcp.js';
import { serveWebSocket } from './adapters/deno/websocket.js';
import type { WebSocketServerOptions } from './adapters/transport/websocket-policy.js';
import type { ConfigInput } from './core/config/config.js';
import { Server, type Logger } from './core/server.js';

export * from './index.js';

export interface DenoListenOptions {
  /** TCP port for RESP; 0 picks a free one; null for none. Defaults to the `port` config (6379). */
  port?: number | null;
  hostname?: string;
  /** A port for RESP over WebSocket (0 picks a free one). */
  wsPort?: number;
  ws?: WebSocketServerOptions;
  config?: ConfigInput;
  logger?: Logger;
}

export interface DenoListeningServer {
  /** The TCP port, or 0 without TCP. */
  readonly port: number;
  readonly wsPort?: number;
  readonly server: Server;
  close(): Promise<void>;
}

export async function listen(options: DenoListenOptions = {}): Promise<DenoListeningServer> {
  const config: ConfigInput = { ...options.config };
  if (typeof options.port === 'number') config['port'] = options.port;
  const server = new Server({ config, logger: options.logger ?? (() => {}), runtime: denoRuntime() });
  const hostname = options.hostname ?? '127.0.0.1';
  const tcp = options.port === null ? null : listenTcp(server, { port: server.config.int('port'), hostname });
  const ws = options.wsPort === undefined ? null : await serveWebSocket(server, { ...options.ws, port: options.wsPort, hostname });
  if (tcp !== null) server.tcpPort = tcp.port;
  server.start();
  return {
    port: tcp?.port ?? 0,
    wsPort: ws?.port,
    server,
    async close() {
      await ws?.close();
      await tcp?.close();
      await server.close();
    },
  };
}
