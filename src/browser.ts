/**
 * ubique for browsers and workers: the embedded engine. Browser-only
 * adapters (IndexedDB persistence, WebSocket) join here as they land.
 */
export * from './index.js';
export { indexedDbStorage, type IndexedDbStorageOptions, type IdbKeyvalLib, type LockManagerLike } from './adapters/persistence/indexeddb.js';
