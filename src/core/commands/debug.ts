/**
 * DEBUG: the subcommands test tools rely on. DEBUG SLEEP busy-waits like
 * Redis (the whole server stalls, so slowlog/latency tests see it), capped
 * at ten seconds so a typo cannot hang the server. DEBUG RELOAD needs
 * persistence (a snapshot written and loaded back).
 * This module is browser compatible.
 */
import type { Bytes } from '../bytes.js';
import { CommandError, Err, subcommandSyntaxError } from '../errors.js';
import { typeOf, type EncodingLimits, type Value } from '../keyspace/value.js';
import { Persistence } from '../persistence/persistence.js';
import {
  AsyncReply, BigNumberReply, BoolReply, DoubleReply, ErrorReply, MapReply, OK, PushReply, RawReply, SetReply, SimpleString,
  VerbatimReply, type Reply,
} from '../resp/reply.js';
import type { CommandContext } from '../context.js';
import { parseMemory } from '../config/config.js';
import { helpReply } from './help.js';
import { datasetDigest, EMPTY_DIGEST, valueDigest } from './digest.js';
import { parseDouble, parseInt64 } from './parse.js';
import { command } from './types.js';

const MAX_SLEEP_MS = 10_000;

const HELP = [
  'DEBUG <subcommand> [<arg> [value] [opt] ...]. Subcommands are:',
  'DIGEST',
  '    Output a hex signature representing the current DB content.',
  'DIGEST-VALUE <key> [<key> ...]',
  '    Output a hex signature of the values of all the specified keys.',
  'LOG <message>',
  '    Write <message> to the server log.',
  'OBJECT <key>',
  '    Show low level info about the <key> and associated value.',
  'PROTOCOL <type>',
  '    Reply with a test value of the specified type. <type> can be: string,',
  '    integer, double, bignum, null, array, set, map, attrib, push, verbatim,',
  '    true, false.',
  'QUICKLIST-PACKED-THRESHOLD <size>',
  '    Sets the threshold for elements to be inserted as plain vs packed nodes',
  '    Default value is 1GB, allows values up to 4GB. Setting to 0 restores to default.',
  'RELOAD',
  '    Save the RDB on disk and reload it back to memory (needs persistence).',
  'SET-ACTIVE-EXPIRE <0|1>',
  '    Setting it to 0 disables expiring keys in background when they are not',
  '    accessed (otherwise the Redis behavior). Setting it to 1 reenables back the',
  '    default.',
  'SLEEP <seconds>',
  '    Stop the server for <seconds>. Decimals allowed.',
  'HELP',
  '    Prints this help.',
];

/** Redis's string encodings: int for canonical 64-bit integers, embstr up to 44 bytes, raw beyond. */
function stringEncoding(s: Bytes): string {
  if (s.length <= 20 && /^(0|-?[1-9]\d*)$/.test(s) && parseInt64(s) !== null) return 'int';
  return s.length <= 44 ? 'embstr' : 'raw';
}

function objectLine(ctx: CommandContext, value: Value): string {
  const encoding = typeof value === 'string' ? stringEncoding(value) : value.encoding(ctx.server.config as unknown as EncodingLimits);
  const size = typeof value === 'string' ? value.length : 0;
  return `Value at:0x${(0x7f0000000000 + size).toString(16)} refcount:1 encoding:${encoding} serializedlength:${size} lru:${Math.floor(ctx.now / 1000) & 0xffffff} lru_seconds_idle:0`;
}

function debugAllowed(ctx: CommandContext): boolean {
  const mode = ctx.server.config.str('enable-debug-command');
  if (mode === 'yes') return true;
  if (mode === 'local') {
    const addr = ctx.client.info.addr;
    return addr === undefined || addr.startsWith('127.') || addr.startsWith('[::1]') || addr.startsWith('::1') || addr.startsWith('::ffff:127.');
  }
  return false;
}

function protocolReply(ctx: CommandContext, type: string): Reply {
  switch (type.toLowerCase()) {
    case 'string': return 'Hello World';
    case 'integer': return 12345;
    case 'double': return new DoubleReply(3.141);
    case 'bignum': return new BigNumberReply('1234567999999999999999999999999999999');
    case 'null': return null;
    case 'array': return [0, 1, 2];
    case 'set': return new SetReply([0, 1, 2]);
    case 'map': return new MapReply([0, new BoolReply(false), 1, new BoolReply(true), 2, new BoolReply(false)]);
    case 'attrib': {
      const text = 'Some real reply following the attribute';
      if (ctx.client.resp === 2) return text;
      return new RawReply(`|1\r\n$14\r\nkey-popularity\r\n*2\r\n$7\r\nkey:123\r\n:90\r\n$${text.length}\r\n${text}\r\n`);
    }
    case 'push':
      if (ctx.client.resp === 2) throw new CommandError('ERR RESP2 is not supported by this command');
      ctx.client.sink?.push(new PushReply(['server-cpu-usage', 42]));
      return 'Some real reply following the push reply';
    case 'verbatim': return new VerbatimReply('txt', 'This is a verbatim\nstring');
    case 'true': return new BoolReply(true);
    case 'false': return new BoolReply(false);
    default:
      throw new CommandError(
        'ERR Wrong protocol type name. Please use one of the following: string|integer|double|bignum|null|array|set|map|attrib|push|verbatim|true|false',
      );
  }
}

export const debugCommand = command({
  name: 'debug', arity: -2, flags: ['admin', 'noscript', 'loading', 'stale'], group: 'server',
  summary: 'A container for debugging commands.', since: '1.0.0', complexity: 'Depends on subcommand.',
  handler(ctx, args): Reply {
    if (!debugAllowed(ctx)) throw new CommandError(Err.debugDisabled);
    const sub = args[1]!.toLowerCase();
    const n = args.length;
    if (sub === 'help' && n === 2) return helpReply(HELP);
    if (sub === 'log' && n === 3) {
      ctx.server.log('warning', `DEBUG LOG: ${args[2]!}`);
      return OK;
    }
    if (sub === 'sleep' && n === 3) {
      // Redis reads the number with strtod: anything unreadable is 0.
      const seconds = parseDouble(args[2]!) ?? (Number.parseFloat(args[2]!) || 0);
      const ms = Math.min(Math.max(0, seconds * 1000), MAX_SLEEP_MS);
      // A real stall, measured on the real clock (not the command's logical time).
      const end = performance.now() + ms;
      while (performance.now() < end) { /* busy wait, as Redis does */ }
      return OK;
    }
    if (sub === 'set-active-expire' && n === 3) {
      const v = parseInt64(args[2]!);
      if (v === null) throw new CommandError(Err.notInteger);
      ctx.server.ext['activeExpire'] = v !== 0n;
      return OK;
    }
    if (sub === 'object' && n === 3) {
      const value = ctx.db.get(args[2]!, ctx.now);
      if (value === undefined) throw new CommandError(Err.noSuchKey);
      return new SimpleString(objectLine(ctx, value));
    }
    if (sub === 'digest' && n === 2) return new SimpleString(datasetDigest(ctx.engine.dbs));
    if (sub === 'digest-value' && n >= 2) {
      const out: Reply[] = [];
      for (let i = 2; i < n; i++) {
        const value = ctx.db.get(args[i]!, ctx.now);
        out.push(new SimpleString(value === undefined ? EMPTY_DIGEST : valueDigest([typeOf(value), value])));
      }
      return out;
    }
    if (sub === 'protocol' && n === 3) return protocolReply(ctx, args[2]!);
    if (sub === 'quicklist-packed-threshold' && n === 3) {
      const m = /^\d+(b|k|kb|m|mb|g|gb)?$/i.test(args[2]!) ? parseMemory(args[2]!) : null;
      if (m === null || m >= 4 * 1024 ** 3) throw new CommandError('ERR argument must be a memory value bigger than 1 and smaller than 4gb');
      ctx.server.ext['quicklistPackedThreshold'] = m;
      return OK;
    }
    if (sub === 'reload') {
      const p = Persistence.of(ctx.server);
      if (p === undefined) throw new CommandError('ERR persistence is not configured on this node');
      return new AsyncReply(p.reload().then(() => OK, (e: Error) => new ErrorReply(`ERR Error trying to save the DB: ${e.message}`)));
    }
    throw new CommandError(subcommandSyntaxError(args[1]!, 'debug'));
  },
});

