/**
 * ubique for browsers and workers: the embedded engine, and the client that
 * reaches a ubique (or Redis-over-WebSocket) server through the standard
 * WebSocket global. Browser-only persistence adapters join here as they land.
 */
export * from './index.js';
export {
  connect, RespClient, webSocketConnector,
  type Client, type ClientOptions, type ClientSubscribeOptions, type ConnectOptions, type ConnectionState, type ReconnectOptions,
} from './client.js';
export { indexedDbStorage, type IndexedDbStorageOptions, type IdbKeyvalLib, type LockManagerLike } from './adapters/persistence/indexeddb.js';
