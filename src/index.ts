/**
 * ubique, the universal entry: the embedded engine for any runtime
 * (Node, Deno, Bun, browsers, workers). No runtime-specific imports.
 */
export { open, Database, toArgs, type Db, type BytesDb, type SyncDb, type SyncBytesDb, type OpenOptions, type Arg, type Options } from './core/api/embedded.js';
export { ReplyError, type JsReply } from './core/api/convert.js';
export type { Message, SubscribeOptions, IterateOptions } from './core/api/subscriptions.js';
export type { Multi, Watch } from './core/api/transaction.js';
export type { KeyChange } from './core/api/watch-keys.js';
export { Server, type ServerOptions, type Logger } from './core/server.js';
export { ConfigError, type ConfigInput } from './core/config/config.js';
export { UbiqueError } from './core/errors.js';
export { utf8ToBytes, bytesToUtf8, type Bytes } from './core/bytes.js';
