/**
 * ubique for Node: a real RESP server on TCP, for production or for tests
 * that want a real Redis client instead of a mock.
 *
 *   const srv = await listen({ port: 0 });
 *   const redis = new Redis(srv.port);
 *   ...
 *   await srv.close();
 */
import { nodeRuntime } from './adapters/node/runtime.js';
import { listenTcp } from './adapters/transport/tcp.js';
import type { ConfigInput } from './core/config/config.js';
import { Server, type Logger } from './core/server.js';

export { Server } from './core/server.js';
export * from './index.js';

export interface ListenOptions {
  /** TCP port; 0 picks a free one. Defaults to the `port` config (6379). */
  port?: number;
  /** Address(es) to bind; defaults to the `bind` config (127.0.0.1). */
  host?: string | string[];
  /** Any redis.conf parameter by name. */
  config?: ConfigInput;
  logger?: Logger;
  /** The config file the options came from (INFO config_file). */
  configFile?: string;
}

export interface ListeningServer {
  readonly port: number;
  readonly host: string;
  readonly server: Server;
  close(): Promise<void>;
}

export async function listen(options: ListenOptions = {}): Promise<ListeningServer> {
  const config: ConfigInput = { ...options.config };
  if (options.port !== undefined) config['port'] = options.port;
  const server = new Server({ config, logger: options.logger ?? (() => {}), runtime: nodeRuntime(options.configFile) });
  const hosts = options.host ?? (server.config.get('bind') as string[]);
  const endpoint = await listenTcp(server, {
    port: server.config.int('port'),
    host: hosts,
    backlog: server.config.int('tcp-backlog'),
  });
  server.tcpPort = endpoint.port;
  server.start();
  let closed = false;
  return {
    port: endpoint.port,
    host: endpoint.addresses[0]!.address,
    server,
    async close() {
      if (closed) return;
      closed = true;
      await endpoint.close();
      await server.close();
    },
  };
}
