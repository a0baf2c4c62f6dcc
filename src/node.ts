/**
 * ubique for Node: a real RESP server on TCP, for production or for tests
 * that want a real Redis client instead of a mock.
 *
 *   const srv = await listen({ port: 0 });
 *   const redis = new Redis(srv.port);
 *   ...
 *   await srv.close();
 */
import { fsStorage } from './adapters/persistence/fs.js';
import { nodeRuntime } from './adapters/node/runtime.js';
import { readFileSync, writeFileSync } from 'node:fs';
import { listenTcp } from './adapters/transport/tcp.js';
import { createWebSocketServer, type NodeWebSocketServer, type WebSocketServerOptions } from './adapters/transport/websocket-node.js';
import { looksLikeHttp } from './adapters/transport/websocket-policy.js';
import { listenTls, type TlsAuthClients, type TlsEndpoint } from './adapters/transport/tls.js';
import { loadAclFile, setAclFilePort, type AclFilePort } from './core/commands/acl.js';
import { AppendOnlyFile, type FsyncPolicy, type LoadProgress } from './core/persistence/aof.js';
import { Persistence } from './core/persistence/persistence.js';
import type { ConfigInput } from './core/config/config.js';
import { Server, type Logger } from './core/server.js';

export { Server } from './core/server.js';
/** The client's TCP transport, for bundled code that passes it as `connector`. */
export { tcpConnector } from './adapters/transport/tcp-client.js';
export * from './index.js';

export interface ListenOptions {
  /** TCP port; 0 picks a free one. Defaults to the `port` config (6379). */
  port?: number;
  /** Address(es) to bind; defaults to the `bind` config (127.0.0.1). */
  host?: string | string[];
  /** Any redis.conf parameter by name. */
  config?: ConfigInput;
  logger?: Logger;
  /** Told how loading the AOF goes (bytes read of the total). */
  onLoadProgress?: (p: LoadProgress) => void;
  /** The config file the options came from (INFO config_file). */
  configFile?: string;
  /**
   * RESP over WebSocket on the RESP port too (HTTP upgrades are told apart
   * from RESP by their first bytes). An object sets origins and message size.
   * Defaults to the `ws`, `ws-allowed-origins` and `ws-max-message-size` config.
   */
  ws?: boolean | WebSocketServerOptions;
  /** Also (or only, with `ws` false) accept WebSocket upgrades on this port; 0 picks a free one. Defaults to the `ws-port` config. */
  wsPort?: number;
  /** TLS port (0 picks a free one); defaults to the `tls-port` config, where 0 means no TLS. */
  tlsPort?: number;
}

export interface ListeningServer {
  readonly port: number;
  /** The TLS port, when TLS is served. */
  readonly tlsPort?: number;
  readonly host: string;
  /** The separate WebSocket port, when `wsPort` was given. */
  readonly wsPort?: number;
  readonly server: Server;
  close(): Promise<void>;
}

export async function listen(options: ListenOptions = {}): Promise<ListeningServer> {
  const config: ConfigInput = { ...options.config };
  if (options.port !== undefined) config['port'] = options.port;
  const server = new Server({ config, logger: options.logger ?? (() => {}), runtime: nodeRuntime(options.configFile) });
  installAclFile(server);
  const persistence = await openPersistence(server, options.onLoadProgress);
  const aof = persistence.aof;
  const hosts = options.host ?? (server.config.get('bind') as string[]);
  server.ext['bindAddresses'] = Array.isArray(hosts) ? hosts : [hosts];
  let endpoint;
  let ws: NodeWebSocketServer | null = null;
  let wsPort: number | undefined;
  const onRespPort = options.ws === undefined ? server.config.bool('ws') : options.ws !== false;
  try {
    const configuredWsPort = server.config.int('ws-port');
    const ownPort = options.wsPort ?? (configuredWsPort >= 0 ? configuredWsPort : undefined);
    if (onRespPort || ownPort !== undefined) {
      ws = createWebSocketServer(server, {
        maxMessageSize: server.config.int('ws-max-message-size'),
        allowedOrigins: server.config.get('ws-allowed-origins') as string[],
        ...(typeof options.ws === 'object' ? options.ws : {}),
      });
    }
    endpoint = await listenTcp(server, {
      port: server.config.int('port'),
      host: hosts,
      backlog: server.config.int('tcp-backlog'),
      ...(ws !== null && onRespPort ? { onHttp: ws.adopt, isHttp: looksLikeHttp } : {}),
    });
    if (ws !== null && ownPort !== undefined) wsPort = await ws.listen(ownPort, Array.isArray(hosts) ? hosts[0] : hosts);
  } catch (e) {
    await endpoint?.close();
    await ws?.close();
    await aof?.close();
    throw e;
  }
  server.tcpPort = endpoint.port;
  let tlsEndpoint: TlsEndpoint | undefined;
  const tlsPort = options.tlsPort ?? server.config.int('tls-port');
  if (options.tlsPort !== undefined || tlsPort > 0) {
    try {
      tlsEndpoint = await listenTls(server, {
        ...tlsOptions(server),
        port: tlsPort,
        host: hosts,
        backlog: server.config.int('tcp-backlog'),
        // wss:// on the TLS port, as ws:// is on the RESP port.
        ...(ws !== null && onRespPort ? { onHttp: ws.adopt, isHttp: looksLikeHttp } : {}),
      });
    } catch (e) {
      await endpoint.close();
      await aof?.close();
      throw e;
    }
  }
  server.start();
  let closed = false;
  return {
    port: endpoint.port,
    ...(tlsEndpoint !== undefined ? { tlsPort: tlsEndpoint.port } : {}),
    host: endpoint.addresses[0]!.address,
    wsPort,
    server,
    async close() {
      if (closed) return;
      closed = true;
      await endpoint.close();
      await ws?.close();
      await tlsEndpoint?.close();
      await server.close();
      await aof?.close();
    },
  };
}

/**
 * Persistence from the config: snapshots in `dir`/`dbfilename` always (SAVE,
 * BGSAVE, `save` rules); with appendonly yes, the AOF in `dir`/`appendfilename`
 * is loaded and every write goes to it. Without the AOF, a snapshot is loaded.
 */
async function openPersistence(server: Server, onProgress?: (p: LoadProgress) => void): Promise<Persistence> {
  const storage = fsStorage({
    dir: server.config.str('dir'),
    logFile: server.config.str('appendfilename'),
    snapshotFile: server.config.str('dbfilename'),
  });
  const persistence = new Persistence(server, storage);
  const t0 = performance.now();
  if (!server.config.bool('appendonly')) {
    const loaded = await persistence.loadSnapshot();
    if (loaded > 0) server.log('notice', `DB loaded from snapshot ${storage.location}: ${loaded} commands in ${((performance.now() - t0) / 1000).toFixed(3)} seconds`);
    return persistence;
  }
  const aof = new AppendOnlyFile(storage, server, server.config.str('appendfsync') as FsyncPolicy);
  const progress = await aof.open(onProgress);
  persistence.aof = aof;
  server.ext['aof'] = aof;
  server.durabilityBarrier = () => aof.barrier();
  server.log('notice', `DB loaded from append only file ${storage.location}: ${progress.commands} commands in ${((performance.now() - t0) / 1000).toFixed(3)} seconds`);
  return persistence;
}

/** ACL LOAD/SAVE read and write `aclfile` on disk; a configured file is loaded at start. */
function installAclFile(server: Server): void {
  const port: AclFilePort = {
    read: (path) => readFileSync(path, 'latin1'),
    write: (path, text) => writeFileSync(path, text, 'latin1'),
  };
  setAclFilePort(server, port);
  const path = server.config.str('aclfile');
  if (path !== '') loadAclFile(server, port, path);
}

/** The TLS listener's certificates and policy, read from the tls-* parameters. */
function tlsOptions(server: Server) {
  const cfg = server.config;
  const certFile = cfg.str('tls-cert-file');
  const keyFile = cfg.str('tls-key-file');
  if (certFile === '' || keyFile === '') throw new Error('Cannot start TLS: tls-cert-file and tls-key-file are required with tls-port');
  const caFiles = cfg.str('tls-ca-cert-file').split(/\s+/).filter((f) => f !== '');
  return {
    cert: readFileSync(certFile),
    key: readFileSync(keyFile),
    passphrase: cfg.str('tls-key-file-pass') || undefined,
    ca: caFiles.map((f) => readFileSync(f)),
    authClients: cfg.str('tls-auth-clients') as TlsAuthClients,
    protocols: cfg.str('tls-protocols'),
    ciphers: cfg.str('tls-ciphers') || undefined,
    ciphersuites: cfg.str('tls-ciphersuites') || undefined,
    certUser: cfg.str('tls-auth-clients-user').toLowerCase() === 'cn' ? ('CN' as const) : ('off' as const),
  };
}
