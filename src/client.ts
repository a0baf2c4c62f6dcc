/**
 * ubique/client: a RESP client for any runtime. WebSocket (`ws://`, `wss://`)
 * works wherever a WebSocket global exists (browsers, workers, Deno, Bun,
 * Node, where 20 uses the ws package); TCP (`redis://host:port`) uses node:net, loaded only when asked
 * for (Node, Bun, Deno). Works against ubique and against Redis.
 *
 *   const client = await connect('ws://127.0.0.1:6379');
 *   await client.set('k', 'v', { ex: 10 });
 *   const stop = await client.subscribe('news', (m) => console.log(m.message));
 *   client.close();
 */
import { RespClient, withCommandMethods, type Client, type ClientOptions } from './core/client/client.js';
import type { Connector } from './core/client/connection.js';
import { UbiqueError } from './core/errors.js';
import { webSocketConnector, type WebSocketClass } from './adapters/transport/websocket-web.js';

export { RespClient, withCommandMethods, type Client, type ClientMulti, type ClientOptions, type ClientSubscribeOptions, type ClientWatch } from './core/client/client.js';
export type { ByteStream, Connector, ConnectionState, ReconnectOptions, StreamEvents } from './core/client/connection.js';
export { ReplyParser, encodeCommand } from './core/client/reply-parser.js';
export { webSocketConnector, type WebSocketClass, type WebSocketConnectOptions } from './adapters/transport/websocket-web.js';
export { ReplyError, type JsReply } from './core/api/convert.js';
export type { Message } from './core/api/subscriptions.js';
export { UbiqueError } from './core/errors.js';

export type ConnectOptions = Partial<ClientOptions> & {
  /** WebSocket class to use instead of the global (e.g. `ws`'s on Node 20). */
  WebSocket?: WebSocketClass;
};

/** Connects to `ws://`, `wss://`, `redis://host:port` or `tcp://host:port`; resolves once connected. */
export async function connect(url: string, options: ConnectOptions = {}): Promise<Client> {
  const opts = { ...options };
  const u = new URL(url);
  if (u.password !== '' && opts.password === undefined) opts.password = decodeURIComponent(u.password);
  if (u.username !== '' && opts.username === undefined) opts.username = decodeURIComponent(u.username);
  const connector = opts.connector ?? (await connectorFor(url, opts));
  const client = withCommandMethods(new RespClient({ ...opts, connector }));
  await client.connect();
  return client;
}

async function connectorFor(url: string, options: ConnectOptions): Promise<Connector> {
  const u = new URL(url);
  if (u.protocol === 'ws:' || u.protocol === 'wss:') {
    return webSocketConnector(url, { WebSocket: options.WebSocket ?? (await fallbackWebSocket()) });
  }
  if (u.protocol === 'redis:' || u.protocol === 'tcp:') {
    // A computed specifier keeps bundlers from pulling node:net into browser builds.
    const modulePath = './adapters/transport/tcp-client.js';
    const { tcpConnector } = (await import(/* @vite-ignore */ modulePath)) as typeof import('./adapters/transport/tcp-client.js');
    return tcpConnector(u.hostname.replace(/^\[|\]$/g, ''), Number(u.port || 6379));
  }
  throw new UbiqueError('BAD_URL', `Cannot connect to ${url}: use ws://, wss://, redis:// or tcp://`);
}

/**
 * Node 20 has no WebSocket global: use the `ws` package's class when it is
 * installed (a computed specifier, so browser bundles never include it).
 */
async function fallbackWebSocket(): Promise<WebSocketClass | undefined> {
  if ((globalThis as { WebSocket?: unknown }).WebSocket !== undefined) return undefined;
  const name = 'ws';
  try {
    const mod = (await import(/* @vite-ignore */ name)) as { WebSocket?: WebSocketClass; default?: WebSocketClass };
    return mod.WebSocket ?? mod.default;
  } catch {
    return undefined; // webSocketConnector explains that a WebSocket class is needed
  }
}
