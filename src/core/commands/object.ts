/**
 * OBJECT: ENCODING, FREQ, IDLETIME, REFCOUNT, HELP.
 * ubique does not keep Redis's per-object LRU clock or LFU counter (it would
 * cost memory on every key), so IDLETIME answers as Redis does for a key just
 * accessed (0) and FREQ as for a key just created (LFU_INIT_VAL, 5). The errors
 * that depend on the maxmemory policy are Redis's.
 * This module is browser compatible.
 */
import type { Bytes } from '../bytes.js';
import type { CommandContext } from '../context.js';
import { CommandError, Err } from '../errors.js';
import type { EncodingLimits, Value } from '../keyspace/value.js';
import { SimpleString, type Reply } from '../resp/reply.js';
import { parseInt64 } from './parse.js';
import { command, type CommandSpec } from './types.js';

const keyArg = { first: 2, last: 2, step: 1 };
/** Redis shares the integer objects 0..9999 (refcount INT_MAX) unless an LRU/LFU policy needs per-key clocks. */
const SHARED_INTEGERS = 10000;
const SHARED_REFCOUNT = 2147483647;
const LFU_INIT_VAL = 5;
/** Longest string Redis stores as one allocation with its header (embstr). */
const EMBSTR_MAX = 44;

const HELP = [
  'OBJECT <subcommand> [<arg> [value] [opt] ...]. Subcommands are:',
  'ENCODING <key>',
  '    Return the kind of internal representation used in order to store the value',
  '    associated with a <key>.',
  'FREQ <key>',
  '    Return the access frequency index of the <key>. The returned integer is',
  '    proportional to the logarithm of the recent access frequency of the key.',
  'IDLETIME <key>',
  '    Return the idle time of the <key>, that is the approximated number of',
  '    seconds elapsed since the last access to the key.',
  'REFCOUNT <key>',
  '    Return the number of references of the value associated with the specified',
  '    <key>.',
  'HELP',
  '    Prints this help.',
].map((line) => new SimpleString(line));

/** True for a string Redis would store as a 64-bit integer (string2l over at most 20 bytes). */
function isIntegerString(s: Bytes): boolean {
  return s.length <= 20 && parseInt64(s) !== null;
}

/** OBJECT ENCODING of a string value, as SET would have stored it. */
export function stringEncoding(s: Bytes): string {
  if (isIntegerString(s)) return 'int';
  return s.length <= EMBSTR_MAX ? 'embstr' : 'raw';
}

export function objectEncoding(value: Value, config: EncodingLimits): string {
  return typeof value === 'string' ? stringEncoding(value) : value.encoding(config);
}

function isLfu(ctx: CommandContext): boolean {
  return ctx.server.config.str('maxmemory-policy').endsWith('-lfu');
}

function sharesIntegers(ctx: CommandContext): boolean {
  const policy = ctx.server.config.str('maxmemory-policy');
  return ctx.server.config.int('maxmemory') === 0 || !(policy.endsWith('-lru') || policy.endsWith('-lfu'));
}

function subcommand(name: string, summary: string, since: string, reply: (ctx: CommandContext, value: Value) => Reply): CommandSpec {
  return command({
    name, arity: 3, flags: ['readonly'], keys: keyArg, categories: ['keyspace'], group: 'generic',
    summary, since, complexity: 'O(1)',
    handler(ctx, args): Reply {
      const value = ctx.db.get(args[2]!, ctx.now);
      return value === undefined ? null : reply(ctx, value);
    },
  });
}

export const objectCommands: CommandSpec[] = [
  command({
    name: 'object', arity: -2, categories: [], group: 'generic',
    summary: 'A container for object introspection commands.', since: '2.2.3', complexity: 'Depends on subcommand.',
    subcommands: [
      subcommand('encoding', 'Returns the internal encoding of a Redis object.', '2.2.3', (ctx, v) => objectEncoding(v, ctx.server.config as EncodingLimits)),
      subcommand('freq', 'Returns the logarithmic access frequency counter of a Redis object.', '4.0.0', (ctx) => {
        if (!isLfu(ctx)) throw new CommandError(Err.lfuNotSelected);
        return LFU_INIT_VAL;
      }),
      subcommand('idletime', 'Returns the time since the last access to a Redis object.', '2.2.3', (ctx) => {
        if (isLfu(ctx)) throw new CommandError(Err.lfuSelected);
        return 0;
      }),
      subcommand('refcount', 'Returns the reference count of a value of a key.', '2.2.3', (ctx, v) => {
        if (typeof v === 'string' && sharesIntegers(ctx) && isIntegerString(v)) {
          const n = Number(v);
          if (n >= 0 && n < SHARED_INTEGERS) return SHARED_REFCOUNT;
        }
        return 1;
      }),
      command({
        name: 'help', arity: 2, flags: ['loading', 'stale'], categories: ['keyspace'], group: 'generic',
        summary: 'Returns helpful text about the different subcommands.', since: '6.2.0', complexity: 'O(1)',
        handler: () => HELP,
      }),
    ],
  }),
];
