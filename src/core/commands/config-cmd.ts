/**
 * CONFIG GET/SET/RESETSTAT/REWRITE/HELP. SET takes several pairs and is
 * atomic: every value is checked before any is applied, and the error names
 * the first offending argument the way Redis words it.
 * This module is browser compatible.
 */
import type { Bytes } from '../bytes.js';
import { parseMemory } from '../config/config.js';
import { findParam, type ParamDef } from '../config/params.js';
import { CommandError } from '../errors.js';
import { MapReply, OK } from '../resp/reply.js';
import type { Server } from '../server.js';
import { helpReply } from './help.js';
import { serverMetrics } from './metrics.js';
import { command, type CommandSpec } from './types.js';

const HELP = [
  'CONFIG <subcommand> [<arg> [value] [opt] ...]. Subcommands are:',
  'GET <pattern>',
  '    Return parameters matching the glob-like <pattern> and their values.',
  'SET <directive> <value>',
  '    Set the configuration <directive> to <value>.',
  'RESETSTAT',
  '    Reset statistics reported by the INFO command.',
  'REWRITE',
  '    Rewrite the configuration file.',
  'HELP',
  '    Prints this help.',
];

const LLONG_MAX_TEXT = '9223372036854775807';

function bound(n: number): string {
  if (n >= Number.MAX_SAFE_INTEGER) return LLONG_MAX_TEXT;
  if (n <= -Number.MAX_SAFE_INTEGER) return `-${LLONG_MAX_TEXT}`;
  return String(n);
}

const KEYSPACE_EVENT_CLASSES = 'Ag$lshzxeKEtmdn';

/** Why `raw` is not a valid value for `def`, in Redis's words; undefined when it is valid. */
export function configValueError(def: ParamDef, raw: string): string | undefined {
  switch (def.type) {
    case 'bool': {
      const v = raw.toLowerCase();
      return v === 'yes' || v === 'no' ? undefined : "argument must be 'yes' or 'no'";
    }
    case 'int': {
      if (!/^-?\d+$/.test(raw)) return "argument couldn't be parsed into an integer";
      const n = Number(raw);
      if (n < def.min! || n > def.max!) return `argument must be between ${bound(def.min!)} and ${bound(def.max!)} inclusive`;
      return undefined;
    }
    case 'memory': {
      const n = /^-/.test(raw) ? null : parseMemory(raw);
      if (n === null) return 'argument must be a memory value';
      if (n < def.min! || n > def.max!) return `argument must be between ${bound(def.min!)} and ${bound(def.max!)} inclusive`;
      return undefined;
    }
    case 'enum':
      return def.values!.includes(raw.toLowerCase()) ? undefined : `argument(s) must be one of the following: ${def.values!.join(', ')}`;
    case 'float':
      return Number.isFinite(Number(raw)) && raw.trim() !== '' ? undefined : "argument couldn't be parsed into a number";
    default:
      break;
  }
  if (def.name === 'save') {
    const words = raw.split(' ').filter(Boolean);
    if (words.length % 2 !== 0 || words.some((w) => !/^\d+$/.test(w))) return 'Invalid save parameters';
  }
  if (def.name === 'notify-keyspace-events') {
    for (const ch of raw) if (!KEYSPACE_EVENT_CLASSES.includes(ch)) return `Invalid event class character. Use '${KEYSPACE_EVENT_CLASSES}'.`;
  }
  return undefined;
}

function configSet(server: Server, args: Bytes[]): void {
  if (args.length % 2 !== 0) throw new CommandError('ERR syntax error');
  let unknown: string | undefined;
  let failedArg: string | undefined;
  let reason: string | undefined;
  const seen = new Set<string>();
  const changes: [ParamDef, string][] = [];
  for (let i = 2; i < args.length; i += 2) {
    const def = findParam(args[i]!);
    if (!def) {
      unknown ??= args[i]!;
      continue;
    }
    if (unknown !== undefined || failedArg !== undefined) continue;
    if (def.immutable) {
      failedArg = args[i]!;
      reason = "can't set immutable config";
      continue;
    }
    if (seen.has(def.name)) {
      failedArg = args[i]!;
      reason = 'duplicate parameter';
      continue;
    }
    seen.add(def.name);
    changes.push([def, args[i + 1]!]);
  }
  if (unknown !== undefined) throw new CommandError(`ERR Unknown option or number of arguments for CONFIG SET - '${unknown}'`);
  if (failedArg === undefined) {
    for (let i = 0; i < changes.length; i++) {
      const [def, value] = changes[i]!;
      const why = configValueError(def, value);
      if (why !== undefined) {
        failedArg = args[2 + i * 2]!;
        reason = why;
        break;
      }
    }
  }
  if (failedArg !== undefined) throw new CommandError(`ERR CONFIG SET failed (possibly related to argument '${failedArg}') - ${reason!}`);
  for (const [def, value] of changes) {
    // Redis clamps hz to 1..500 when it applies it, and CONFIG GET shows the clamped value.
    const applied = def.name === 'hz' ? String(Math.min(500, Math.max(1, Number(value)))) : value;
    server.config.set(def.name, applied);
  }
}

/** CONFIG RESETSTAT: zeroes what INFO counts (not the keyspace, not the slowlog). */
export function resetStats(server: Server): void {
  const st = server.stats as Record<string, number>;
  for (const k of Object.keys(st)) st[k] = 0;
  server.commandStats.clear();
  server.errorStats.clear();
  serverMetrics(server).reset();
  const hooks = server.ext['resetStatHooks'] as (() => void)[] | undefined;
  if (hooks) for (const h of hooks) h();
}

function sub(spec: Omit<Parameters<typeof command>[0], 'group'>): CommandSpec {
  return command({ group: 'server', ...spec });
}

export const configCommand = command({
  name: 'config', arity: -2, group: 'server',
  summary: 'A container for server configuration commands.', since: '2.0.0', complexity: 'Depends on subcommand.',
  subcommands: [
    sub({
      name: 'get', arity: -3, flags: ['admin', 'noscript', 'loading', 'stale'],
      summary: 'Returns the effective values of configuration parameters.', since: '2.0.0',
      complexity: 'O(N) when N is the number of configuration parameters provided',
      handler(ctx, args) {
        const flat: string[] = [];
        const seen = new Set<string>();
        for (let i = 2; i < args.length; i++) {
          const pattern = args[i]!;
          // An exact name is answered with the spelling asked for, as Redis does.
          const pairs = !/[*?[]/.test(pattern) && findParam(pattern)
            ? ctx.server.config.match([pattern]).map(([, v]): [string, string] => [pattern, v])
            : ctx.server.config.match([pattern]);
          for (const [k, v] of pairs) {
            if (seen.has(k)) continue;
            seen.add(k);
            flat.push(k, v);
          }
        }
        return new MapReply(flat);
      },
    }),
    sub({
      name: 'set', arity: -4, flags: ['admin', 'noscript', 'loading', 'stale'], tips: ['request_policy:all_nodes', 'response_policy:all_succeeded'],
      summary: 'Sets configuration parameters in-flight.', since: '2.0.0',
      complexity: 'O(N) when N is the number of configuration parameters provided',
      handler(ctx, args) {
        configSet(ctx.server, args);
        return OK;
      },
    }),
    sub({
      name: 'resetstat', arity: 2, flags: ['admin', 'noscript', 'loading', 'stale'],
      summary: 'Resets the server\'s statistics.', since: '2.0.0', complexity: 'O(1)',
      handler(ctx) {
        resetStats(ctx.server);
        return OK;
      },
    }),
    sub({
      name: 'rewrite', arity: 2, flags: ['admin', 'noscript', 'loading', 'stale'],
      summary: 'Persists the effective configuration to file.', since: '2.8.0', complexity: 'O(1)',
      handler(ctx) {
        const rewrite = ctx.server.ext['configRewrite'] as (() => void) | undefined;
        if (ctx.server.runtime.configFile === undefined || ctx.server.runtime.configFile === '' || rewrite === undefined) {
          throw new CommandError('ERR The server is running without a config file');
        }
        rewrite();
        return OK;
      },
    }),
    sub({
      name: 'help', arity: 2, flags: ['loading', 'stale'],
      summary: 'Returns helpful text about the different subcommands.', since: '5.0.0', complexity: 'O(1)',
      handler: () => helpReply(HELP),
    }),
  ],
});
