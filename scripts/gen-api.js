#!/usr/bin/env node
// Generates src/core/api/commands.generated.ts: a typed camel-case method for
// every command in the table, for the embedded API (async and sync). Reads the
// table from dist/ (run `npm run build` first; `npm run gen` does both).
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const { createCommandTable } = await import(path.join(root, 'dist/core/commands/index.js'));
const { methodName, RESERVED_METHOD_NAMES } = await import(path.join(root, 'dist/core/api/embedded.js'));

// Option objects for common option shapes. Keys are the Redis option names in
// lower case; `true` sends the bare word, a value sends the word and the value,
// an array sends the word and each element.
const OPTION_TYPES = {
  SetOptions: '{ ex?: number; px?: number; exat?: number; pxat?: number; nx?: boolean; xx?: boolean; keepttl?: boolean; get?: boolean }',
  GetExOptions: '{ ex?: number; px?: number; exat?: number; pxat?: number; persist?: boolean }',
  ScanOptions: '{ match?: Arg; count?: number; type?: string }',
  FieldScanOptions: '{ match?: Arg; count?: number }',
  HScanOptions: '{ match?: Arg; count?: number; novalues?: boolean }',
  ExpireOptions: '{ nx?: boolean; xx?: boolean; gt?: boolean; lt?: boolean }',
  ZAddOptions: '{ nx?: boolean; xx?: boolean; gt?: boolean; lt?: boolean; ch?: boolean; incr?: boolean }',
  ZRangeOptions: '{ byscore?: boolean; bylex?: boolean; rev?: boolean; limit?: [offset: number, count: number]; withscores?: boolean }',
  LPosOptions: '{ rank?: number; count?: number; maxlen?: number }',
  RestoreOptions: '{ replace?: boolean; absttl?: boolean; idletime?: number; freq?: number }',
  CopyOptions: '{ db?: number; replace?: boolean }',
  SortOptions: '{ by?: Arg; limit?: [offset: number, count: number]; get?: Arg[]; asc?: boolean; desc?: boolean; alpha?: boolean; store?: Arg }',
};

// Hand-written signatures: parameters and the reply type (S is the bulk-string type:
// string by default, Uint8Array under db.bytes).
const SIGNATURES = {
  get: ['key: Arg', 'S | null'],
  set: ['key: Arg, value: Arg, options?: SetOptions', "'OK' | S | null"],
  getex: ['key: Arg, options?: GetExOptions', 'S | null'],
  getdel: ['key: Arg', 'S | null'],
  getset: ['key: Arg, value: Arg', 'S | null'],
  setnx: ['key: Arg, value: Arg', 'number'],
  setex: ['key: Arg, seconds: number, value: Arg', "'OK'"],
  psetex: ['key: Arg, milliseconds: number, value: Arg', "'OK'"],
  mget: ['key: Arg, ...keys: Arg[]', '(S | null)[]'],
  mset: ['...keysAndValues: Arg[]', "'OK'"],
  msetnx: ['...keysAndValues: Arg[]', 'number'],
  append: ['key: Arg, value: Arg', 'number'],
  strlen: ['key: Arg', 'number'],
  incr: ['key: Arg', 'number'],
  decr: ['key: Arg', 'number'],
  incrby: ['key: Arg, increment: number | bigint', 'number'],
  decrby: ['key: Arg, decrement: number | bigint', 'number'],
  incrbyfloat: ['key: Arg, increment: number', 'S'],
  getrange: ['key: Arg, start: number, end: number', 'S'],
  setrange: ['key: Arg, offset: number, value: Arg', 'number'],
  del: ['key: Arg, ...keys: Arg[]', 'number'],
  unlink: ['key: Arg, ...keys: Arg[]', 'number'],
  exists: ['key: Arg, ...keys: Arg[]', 'number'],
  touch: ['key: Arg, ...keys: Arg[]', 'number'],
  type: ['key: Arg', 'string'],
  keys: ['pattern: Arg', 'S[]'],
  scan: ['cursor: Arg, options?: ScanOptions', '[cursor: S, keys: S[]]'],
  sscan: ['key: Arg, cursor: Arg, options?: FieldScanOptions', '[cursor: S, members: S[]]'],
  hscan: ['key: Arg, cursor: Arg, options?: HScanOptions', '[cursor: S, fieldsAndValues: S[]]'],
  zscan: ['key: Arg, cursor: Arg, options?: FieldScanOptions', '[cursor: S, membersAndScores: S[]]'],
  expire: ['key: Arg, seconds: number, options?: ExpireOptions', 'number'],
  pexpire: ['key: Arg, milliseconds: number, options?: ExpireOptions', 'number'],
  expireat: ['key: Arg, unixTimeSeconds: number, options?: ExpireOptions', 'number'],
  pexpireat: ['key: Arg, unixTimeMilliseconds: number, options?: ExpireOptions', 'number'],
  ttl: ['key: Arg', 'number'],
  pttl: ['key: Arg', 'number'],
  expiretime: ['key: Arg', 'number'],
  pexpiretime: ['key: Arg', 'number'],
  persist: ['key: Arg', 'number'],
  rename: ['key: Arg, newKey: Arg', "'OK'"],
  renamenx: ['key: Arg, newKey: Arg', 'number'],
  copy: ['source: Arg, destination: Arg, options?: CopyOptions', 'number'],
  restore: ['key: Arg, ttl: number, serializedValue: Arg, options?: RestoreOptions', "'OK'"],
  sort: ['key: Arg, options?: SortOptions', 'S[] | number'],
  randomkey: ['', 'S | null'],
  dbsize: ['', 'number'],
  flushdb: ["mode?: 'ASYNC' | 'SYNC'", "'OK'"],
  flushall: ["mode?: 'ASYNC' | 'SYNC'", "'OK'"],
  select: ['index: number', "'OK'"],
  swapdb: ['index1: number, index2: number', "'OK'"],
  ping: ['message?: Arg', "'PONG' | S"],
  echo: ['message: Arg', 'S'],
  hget: ['key: Arg, field: Arg', 'S | null'],
  hset: ['key: Arg, ...fieldsAndValues: Arg[]', 'number'],
  hdel: ['key: Arg, field: Arg, ...fields: Arg[]', 'number'],
  hgetall: ['key: Arg', '{ [field: string]: S } | S[]'],
  hlen: ['key: Arg', 'number'],
  hexists: ['key: Arg, field: Arg', 'number'],
  hincrby: ['key: Arg, field: Arg, increment: number | bigint', 'number'],
  hkeys: ['key: Arg', 'S[]'],
  hvals: ['key: Arg', 'S[]'],
  hmget: ['key: Arg, field: Arg, ...fields: Arg[]', '(S | null)[]'],
  lpush: ['key: Arg, element: Arg, ...elements: Arg[]', 'number'],
  rpush: ['key: Arg, element: Arg, ...elements: Arg[]', 'number'],
  lpop: ['key: Arg, count?: number', 'S | S[] | null'],
  rpop: ['key: Arg, count?: number', 'S | S[] | null'],
  llen: ['key: Arg', 'number'],
  lrange: ['key: Arg, start: number, stop: number', 'S[]'],
  lindex: ['key: Arg, index: number', 'S | null'],
  lpos: ['key: Arg, element: Arg, options?: LPosOptions', 'number | number[] | null'],
  sadd: ['key: Arg, member: Arg, ...members: Arg[]', 'number'],
  srem: ['key: Arg, member: Arg, ...members: Arg[]', 'number'],
  smembers: ['key: Arg', 'S[]'],
  sismember: ['key: Arg, member: Arg', 'number'],
  scard: ['key: Arg', 'number'],
  zadd: ['key: Arg, ...optionsScoresAndMembers: (Arg | ZAddOptions)[]', 'number | S | null'],
  zscore: ['key: Arg, member: Arg', 'S | number | null'],
  zcard: ['key: Arg', 'number'],
  zrange: ['key: Arg, start: Arg, stop: Arg, options?: ZRangeOptions', 'S[]'],
  zrem: ['key: Arg, member: Arg, ...members: Arg[]', 'number'],
  publish: ['channel: Arg, message: Arg', 'number'],
};

const table = createCommandTable();
const specs = table.all().sort((a, b) => a.name.localeCompare(b.name));

function isKeyPosition(spec, i) {
  const k = spec.keys;
  if (!k || k.first === 0) return false;
  const last = k.last < 0 ? Infinity : k.last;
  return i >= k.first && i <= last && (i - k.first) % k.step === 0;
}

/** A signature from arity and key positions, for commands without a hand-written one. */
function genericParams(spec) {
  if (spec.subcommands) return 'subcommand: string, ...args: (Arg | Options)[]';
  const required = Math.abs(spec.arity) - 1;
  const params = [];
  let keyCount = 0;
  for (let i = 1; i <= required; i++) {
    if (isKeyPosition(spec, i)) params.push(keyCount++ === 0 ? 'key: Arg' : `key${keyCount}: Arg`);
    else params.push(`arg${i}: Arg`);
  }
  if (spec.arity < 0) params.push('...args: (Arg | Options)[]');
  return params.join(', ');
}

function doc(spec) {
  const lines = [`${spec.summary}`, `Since Redis ${spec.since}.${spec.complexity ? ` ${spec.complexity}` : ''}`];
  return `  /** ${lines.join(' ').replace(/\*\//g, '* /')} */`;
}

const methods = [];
const names = [];
for (const spec of specs) {
  const method = methodName(spec.name);
  if (RESERVED_METHOD_NAMES.includes(method)) continue;
  names.push(spec.name);
  const [params, returns] = SIGNATURES[spec.name] ?? [genericParams(spec), 'JsReply'];
  methods.push({ doc: doc(spec), method, params, returns });
}

const usedOptionTypes = Object.keys(OPTION_TYPES).filter((t) => methods.some((m) => m.params.includes(t)));

const out = `// Generated by scripts/gen-api.js from the command table; do not edit (run \`npm run gen\`).
/**
 * Typed methods of the embedded API, one per command in the table, in an
 * async form (\`db.get\`) and a synchronous one (\`db.sync.get\`). \`S\` is how
 * bulk strings come back: UTF-8 text by default, Uint8Array under \`db.bytes\`.
 * This module is browser compatible.
 */
import type { JsReply } from './convert.js';
import type { Arg, Options } from './embedded.js';

/** The commands these methods were generated from (a test compares them with the table). */
export const GENERATED_COMMANDS: readonly string[] = [
${names.map((n) => `  '${n}',`).join('\n')}
];

${usedOptionTypes.map((t) => `export type ${t} = ${OPTION_TYPES[t]};`).join('\n')}

export interface CommandMethods<S = string> {
${methods.map((m) => `${m.doc}\n  ${m.method}(${m.params}): Promise<${m.returns}>;`).join('\n')}
}

export interface SyncCommandMethods<S = string> {
${methods.map((m) => `${m.doc}\n  ${m.method}(${m.params}): ${m.returns};`).join('\n')}
}
`;

const file = path.join(root, 'src/core/api/commands.generated.ts');
writeFileSync(file, out);
console.log(`gen-api: ${methods.length} methods -> ${path.relative(root, file)}`);
