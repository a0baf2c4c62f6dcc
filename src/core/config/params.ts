/**
 * Every configuration parameter ubique knows, by its redis.conf name. One list
 * drives the zod schema (CLI flags, config files, environment, embedded
 * options), CONFIG GET/SET and INFO. Parameters about Redis's encodings are
 * accepted and shown even where ubique's representation differs.
 * This module is browser compatible.
 */

export type ParamType = 'int' | 'memory' | 'bool' | 'string' | 'enum' | 'flags' | 'float' | 'list';

export interface ParamDef {
  name: string;
  type: ParamType;
  /** The default, written as redis.conf would write it. */
  default: string;
  min?: number;
  max?: number;
  /** Allowed words for `enum` and `flags`. */
  values?: readonly string[];
  /** Cannot change at run time (CONFIG SET refuses it). */
  immutable?: boolean;
  aliases?: readonly string[];
  /** Shown as-is to CONFIG GET but not otherwise used by ubique yet. */
  accepted?: boolean;
  /** One line of help for the CLI. */
  help?: string;
}

const INT_MAX = 2147483647;
const LLONG_MAX = Number.MAX_SAFE_INTEGER;

export const PARAMS: readonly ParamDef[] = [
  // Network and server
  { name: 'port', type: 'int', default: '6379', min: 0, max: 65535, immutable: true, help: 'TCP port (0: pick a free one)' },
  { name: 'bind', type: 'list', default: '127.0.0.1', immutable: true, help: 'addresses to listen on' },
  { name: 'protected-mode', type: 'bool', default: 'yes' },
  { name: 'tcp-backlog', type: 'int', default: '511', min: 0, max: INT_MAX, immutable: true },
  { name: 'timeout', type: 'int', default: '0', min: 0, max: INT_MAX, help: 'close clients idle this many seconds (0: never)' },
  { name: 'tcp-keepalive', type: 'int', default: '300', min: 0, max: INT_MAX },
  { name: 'databases', type: 'int', default: '16', min: 1, max: INT_MAX, immutable: true },
  { name: 'maxclients', type: 'int', default: '10000', min: 1, max: INT_MAX },
  { name: 'requirepass', type: 'string', default: '' },
  { name: 'daemonize', type: 'bool', default: 'no', immutable: true, accepted: true },
  { name: 'pidfile', type: 'string', default: '', immutable: true, accepted: true },
  { name: 'loglevel', type: 'enum', default: 'notice', values: ['debug', 'verbose', 'notice', 'warning', 'nothing'] },
  { name: 'logfile', type: 'string', default: '', immutable: true },
  { name: 'dir', type: 'string', default: './data', help: 'directory for persistence files' },
  { name: 'unixsocket', type: 'string', default: '', immutable: true, accepted: true },
  { name: 'io-threads', type: 'int', default: '1', min: 1, max: 128, immutable: true, accepted: true },
  { name: 'hz', type: 'int', default: '10', min: 0, max: INT_MAX },
  { name: 'dynamic-hz', type: 'bool', default: 'yes', accepted: true },
  { name: 'enable-debug-command', type: 'enum', default: 'yes', values: ['yes', 'no', 'local'], immutable: true },
  // Limits
  { name: 'proto-max-bulk-len', type: 'memory', default: '512mb', min: 1024 * 1024, max: LLONG_MAX },
  { name: 'client-query-buffer-limit', type: 'memory', default: '1gb', min: 1024 * 1024, max: LLONG_MAX },
  { name: 'client-output-buffer-limit', type: 'string', default: 'normal 0 0 0 slave 268435456 67108864 60 pubsub 33554432 8388608 60' },
  { name: 'maxmemory', type: 'memory', default: '0', min: 0, max: LLONG_MAX },
  {
    name: 'maxmemory-policy', type: 'enum', default: 'noeviction',
    values: ['volatile-lru', 'volatile-lfu', 'volatile-random', 'volatile-ttl', 'allkeys-lru', 'allkeys-lfu', 'allkeys-random', 'noeviction'],
  },
  { name: 'maxmemory-samples', type: 'int', default: '5', min: 1, max: 64 },
  { name: 'lfu-log-factor', type: 'int', default: '10', min: 0, max: INT_MAX },
  { name: 'lfu-decay-time', type: 'int', default: '1', min: 0, max: INT_MAX },
  { name: 'active-expire-effort', type: 'int', default: '1', min: 1, max: 10 },
  { name: 'lazyfree-lazy-user-del', type: 'bool', default: 'no', accepted: true },
  { name: 'lazyfree-lazy-user-flush', type: 'bool', default: 'no', accepted: true },
  { name: 'lazyfree-lazy-expire', type: 'bool', default: 'no', accepted: true },
  { name: 'lazyfree-lazy-eviction', type: 'bool', default: 'no', accepted: true },
  { name: 'lazyfree-lazy-server-del', type: 'bool', default: 'no', accepted: true },
  // Persistence
  { name: 'appendonly', type: 'bool', default: 'no', help: 'write an append-only file in `dir`' },
  { name: 'appendfsync', type: 'enum', default: 'everysec', values: ['always', 'everysec', 'no'] },
  { name: 'appendfilename', type: 'string', default: 'appendonly.aof', immutable: true },
  { name: 'appenddirname', type: 'string', default: 'appendonlydir', immutable: true },
  { name: 'dbfilename', type: 'string', default: 'dump.ubq' },
  { name: 'save', type: 'string', default: '', help: 'snapshot rules: "<seconds> <changes> ..."' },
  { name: 'aof-load-truncated', type: 'bool', default: 'yes' },
  { name: 'aof-use-rdb-preamble', type: 'bool', default: 'no', accepted: true },
  { name: 'aof-rewrite-incremental-fsync', type: 'bool', default: 'yes', accepted: true },
  { name: 'auto-aof-rewrite-percentage', type: 'int', default: '100', min: 0, max: INT_MAX },
  { name: 'auto-aof-rewrite-min-size', type: 'memory', default: '64mb', min: 0, max: LLONG_MAX },
  { name: 'no-appendfsync-on-rewrite', type: 'bool', default: 'no', accepted: true },
  { name: 'rdbcompression', type: 'bool', default: 'yes', accepted: true },
  { name: 'rdbchecksum', type: 'bool', default: 'yes', accepted: true },
  { name: 'stop-writes-on-bgsave-error', type: 'bool', default: 'yes', accepted: true },
  // Events, logs, latency
  { name: 'notify-keyspace-events', type: 'string', default: '' },
  { name: 'slowlog-log-slower-than', type: 'int', default: '10000', min: -1, max: LLONG_MAX },
  { name: 'slowlog-max-len', type: 'int', default: '128', min: 0, max: LLONG_MAX },
  { name: 'latency-monitor-threshold', type: 'int', default: '0', min: 0, max: LLONG_MAX },
  { name: 'latency-tracking', type: 'bool', default: 'yes' },
  { name: 'latency-tracking-info-percentiles', type: 'string', default: '50 99 99.9' },
  { name: 'tracking-table-max-keys', type: 'int', default: '1000000', min: 0, max: LLONG_MAX },
  // Encodings (accepted and shown; OBJECT ENCODING follows them)
  { name: 'hash-max-listpack-entries', type: 'int', default: '128', min: 0, max: LLONG_MAX, aliases: ['hash-max-ziplist-entries'] },
  { name: 'hash-max-listpack-value', type: 'int', default: '64', min: 0, max: LLONG_MAX, aliases: ['hash-max-ziplist-value'] },
  { name: 'list-max-listpack-size', type: 'int', default: '-2', min: -LLONG_MAX, max: LLONG_MAX, aliases: ['list-max-ziplist-size'] },
  { name: 'list-compress-depth', type: 'int', default: '0', min: 0, max: INT_MAX },
  { name: 'set-max-intset-entries', type: 'int', default: '512', min: 0, max: LLONG_MAX },
  { name: 'set-max-listpack-entries', type: 'int', default: '128', min: 0, max: LLONG_MAX },
  { name: 'set-max-listpack-value', type: 'int', default: '64', min: 0, max: LLONG_MAX },
  { name: 'zset-max-listpack-entries', type: 'int', default: '128', min: 0, max: LLONG_MAX, aliases: ['zset-max-ziplist-entries'] },
  { name: 'zset-max-listpack-value', type: 'int', default: '64', min: 0, max: LLONG_MAX, aliases: ['zset-max-ziplist-value'] },
  { name: 'hll-sparse-max-bytes', type: 'memory', default: '3000', min: 0, max: LLONG_MAX },
  { name: 'stream-node-max-bytes', type: 'memory', default: '4096', min: 0, max: LLONG_MAX },
  { name: 'stream-node-max-entries', type: 'int', default: '100', min: 0, max: LLONG_MAX },
  { name: 'activerehashing', type: 'bool', default: 'yes', accepted: true },
  { name: 'activedefrag', type: 'bool', default: 'no', accepted: true },
  { name: 'jemalloc-bg-thread', type: 'bool', default: 'yes', accepted: true },
  { name: 'lua-time-limit', type: 'int', default: '5000', min: 0, max: LLONG_MAX, aliases: ['busy-reply-threshold'] },
  { name: 'cluster-enabled', type: 'bool', default: 'no', immutable: true, accepted: true },
  { name: 'replica-read-only', type: 'bool', default: 'yes', aliases: ['slave-read-only'], accepted: true },
  // RESP over WebSocket (Node server)
  { name: 'ws', type: 'bool', default: 'no', immutable: true, help: 'accept RESP over WebSocket on the RESP port too' },
  { name: 'ws-port', type: 'int', default: '-1', min: -1, max: 65535, immutable: true, help: 'a separate port for RESP over WebSocket (-1: none, 0: pick a free one)' },
  { name: 'ws-max-message-size', type: 'memory', default: '512mb', min: 1, max: LLONG_MAX, immutable: true, help: 'largest WebSocket message accepted (closes with 1009)' },
  { name: 'ws-allowed-origins', type: 'list', default: '*', immutable: true, help: 'browser origins allowed to connect over WebSocket (*: any)' },
  // ACL
  { name: 'aclfile', type: 'string', default: '', immutable: true, help: 'file of ACL users (ACL LOAD/SAVE)' },
  { name: 'acllog-max-len', type: 'int', default: '128', min: 0, max: LLONG_MAX },
  { name: 'acl-pubsub-default', type: 'enum', default: 'resetchannels', values: ['allchannels', 'resetchannels'] },
  // TLS
  { name: 'tls-port', type: 'int', default: '0', min: 0, max: 65535, immutable: true, help: 'TLS port (0: no TLS listener)' },
  { name: 'tls-cert-file', type: 'string', default: '', immutable: true },
  { name: 'tls-key-file', type: 'string', default: '', immutable: true },
  { name: 'tls-key-file-pass', type: 'string', default: '', immutable: true },
  { name: 'tls-ca-cert-file', type: 'string', default: '', immutable: true, help: 'CA bundle (or several files, space separated)' },
  { name: 'tls-ca-cert-dir', type: 'string', default: '', immutable: true, accepted: true },
  { name: 'tls-auth-clients', type: 'enum', default: 'yes', values: ['yes', 'no', 'optional'], immutable: true },
  { name: 'tls-auth-clients-user', type: 'enum', default: 'off', values: ['off', 'cn'], immutable: true, help: 'cn: a client certificate\'s CN logs in as that ACL user' },
  { name: 'tls-protocols', type: 'string', default: '', immutable: true, help: 'e.g. "TLSv1.2 TLSv1.3" (older versions are refused)' },
  { name: 'tls-ciphers', type: 'string', default: '', immutable: true },
  { name: 'tls-ciphersuites', type: 'string', default: '', immutable: true },
  { name: 'tls-prefer-server-ciphers', type: 'bool', default: 'no', immutable: true, accepted: true },
  { name: 'tls-session-caching', type: 'bool', default: 'yes', immutable: true, accepted: true },
  { name: 'tls-session-cache-size', type: 'int', default: '20480', min: 0, max: INT_MAX, immutable: true, accepted: true },
  { name: 'tls-session-cache-timeout', type: 'int', default: '300', min: 0, max: INT_MAX, immutable: true, accepted: true },
  { name: 'tls-cluster', type: 'bool', default: 'no', immutable: true, accepted: true },
  { name: 'tls-replication', type: 'bool', default: 'no', immutable: true, accepted: true },
];

const byName = new Map<string, ParamDef>();
for (const p of PARAMS) {
  byName.set(p.name, p);
  for (const a of p.aliases ?? []) byName.set(a, p);
}

export function findParam(name: string): ParamDef | undefined {
  return byName.get(name.toLowerCase());
}
