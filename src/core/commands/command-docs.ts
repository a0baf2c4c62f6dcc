/**
 * COMMAND: the command table described to clients (COMMAND, INFO, DOCS,
 * COUNT, LIST, GETKEYS, GETKEYSANDFLAGS). Everything comes from the table's
 * declarations; COMMAND DOCS leaves out `arguments`, which the table does not
 * declare.
 * This module is browser compatible.
 */
import type { Bytes } from '../bytes.js';
import { CommandError } from '../errors.js';
import { globMatch } from '../glob.js';
import { MapReply, SetReply, SimpleString, type Reply } from '../resp/reply.js';
import type { Server } from '../server.js';
import { helpReply } from './help.js';
import { aclCategories, keyIndexes } from './table.js';
import { command, type CommandFlag, type CommandSpec } from './types.js';

const HELP = [
  'COMMAND <subcommand> [<arg> [value] [opt] ...]. Subcommands are:',
  '(no subcommand)',
  '    Return details about all Redis commands.',
  'COUNT',
  '    Return the total number of commands in this Redis server.',
  'LIST',
  '    Return a list of all commands in this Redis server.',
  'INFO [<command-name> ...]',
  '    Return details about multiple Redis commands.',
  '    If no command names are given, documentation details for all',
  '    commands are returned.',
  'DOCS [<command-name> ...]',
  '    Return documentation details about multiple Redis commands.',
  '    If no command names are given, documentation details for all',
  '    commands are returned.',
  'GETKEYS <full-command>',
  '    Return the keys from a full Redis command.',
  'GETKEYSANDFLAGS <full-command>',
  '    Return the keys and the access flags from a full Redis command.',
  'HELP',
  '    Prints this help.',
];

/** Flags in the order Redis prints them (may_replicate is hidden, as in Redis). */
const FLAG_ORDER: readonly CommandFlag[] = [
  'write', 'readonly', 'denyoom', 'admin', 'pubsub', 'noscript', 'blocking', 'loading', 'stale',
  'skip_monitor', 'skip_slowlog', 'fast', 'no_auth', 'no_mandatory_keys', 'no_multi', 'movablekeys', 'allow_busy',
];

/** ACL categories in Redis's order. */
const CATEGORY_ORDER = [
  'keyspace', 'read', 'write', 'set', 'sortedset', 'list', 'hash', 'string', 'bitmap', 'hyperloglog', 'geo',
  'stream', 'pubsub', 'admin', 'fast', 'slow', 'blocking', 'dangerous', 'connection', 'transaction', 'scripting',
];

export function fullName(spec: CommandSpec): string {
  return spec.parentName ? `${spec.parentName}|${spec.name}` : spec.name;
}

function flagReplies(spec: CommandSpec): Reply[] {
  const out: Reply[] = [];
  const movable = spec.getKeys !== undefined;
  for (const f of FLAG_ORDER) {
    if (spec.flags.includes(f) || (f === 'movablekeys' && movable && !spec.flags.includes(f))) out.push(new SimpleString(f));
  }
  return out;
}

export function orderedCategories(spec: CommandSpec): string[] {
  const cats = aclCategories(spec);
  return cats.sort((a, b) => rank(a) - rank(b));
}

function rank(cat: string): number {
  const i = CATEGORY_ORDER.indexOf(cat);
  return i === -1 ? CATEGORY_ORDER.length : i;
}

/** Key specs, a set in RESP3 as in Redis 7.0. */
function keySpecs(spec: CommandSpec): SetReply {
  const k = spec.keys;
  if (!k || k.first === 0) return new SetReply([]);
  const write = spec.flags.includes('write');
  return new SetReply([
    new MapReply([
      'flags', new SetReply(write ? [new SimpleString('RW'), new SimpleString('update')] : [new SimpleString('RO'), new SimpleString('access')]),
      'begin_search', new MapReply(['type', 'index', 'spec', new MapReply(['index', k.first])]),
      'find_keys', new MapReply([
        'type', 'range',
        'spec', new MapReply(['lastkey', k.last < 0 ? k.last : k.last - k.first, 'keystep', k.step, 'limit', 0]),
      ]),
    ]),
  ]);
}

export function commandInfo(spec: CommandSpec): Reply {
  const k = spec.keys ?? { first: 0, last: 0, step: 0 };
  return [
    fullName(spec),
    spec.arity,
    new SetReply(flagReplies(spec)),
    k.first,
    k.last,
    k.step,
    new SetReply(orderedCategories(spec).map((c) => new SimpleString(`@${c}`))),
    new SetReply(spec.tips ? [...spec.tips] : []),
    keySpecs(spec),
    new SetReply((spec.subcommands ?? []).map(commandInfo)),
  ];
}

function commandDocs(spec: CommandSpec): Reply {
  const out: Reply[] = [
    'summary', spec.summary,
    'since', spec.since,
    'group', spec.group,
  ];
  if (spec.complexity !== undefined) out.push('complexity', spec.complexity);
  if (spec.subcommands && spec.subcommands.length > 0) {
    const subs: Reply[] = [];
    for (const s of spec.subcommands) subs.push(fullName(s), commandDocs(s));
    out.push('subcommands', new MapReply(subs));
  }
  return new MapReply(out);
}

/** Finds `get` or `config|get` (case-insensitive). */
function findByFullName(server: Server, name: Bytes): CommandSpec | undefined {
  const bar = name.indexOf('|');
  if (bar === -1) return server.commands.lookup(name);
  const parent = server.commands.lookup(name.slice(0, bar));
  if (!parent?.subcommands) return undefined;
  return server.commands.subcommand(parent, name.slice(bar + 1));
}

function allWithSubcommands(server: Server): CommandSpec[] {
  const out: CommandSpec[] = [];
  for (const spec of server.commands.all()) {
    out.push(spec);
    if (spec.subcommands) out.push(...spec.subcommands);
  }
  return out;
}

/** The keys of a full command line, or the error COMMAND GETKEYS answers. */
function keysOf(server: Server, args: Bytes[]): { spec: CommandSpec; keys: number[] } {
  let spec = server.commands.lookup(args[0]!);
  if (spec === undefined) throw new CommandError('ERR Invalid command specified');
  if (spec.subcommands) {
    const sub = args.length > 1 ? server.commands.subcommand(spec, args[1]!) : undefined;
    if (sub === undefined) throw new CommandError('ERR Invalid command specified');
    spec = sub;
  }
  const n = args.length;
  if ((spec.arity > 0 && n !== spec.arity) || n < -spec.arity) {
    throw new CommandError('ERR Invalid number of arguments specified for command');
  }
  const keys = keyIndexes(spec, args);
  if (keys.length === 0) {
    throw new CommandError(spec.keys || spec.getKeys ? 'ERR Invalid arguments specified for command' : 'ERR The command has no key arguments');
  }
  return { spec, keys };
}

function sub(spec: Omit<Parameters<typeof command>[0], 'group'>): CommandSpec {
  return command({ group: 'server', categories: ['connection'], ...spec });
}

export const commandCommand = command({
  name: 'command', arity: -1, flags: ['loading', 'stale'], tips: ['nondeterministic_output_order'], categories: ['connection'], group: 'server',
  summary: 'Returns detailed information about all commands.', since: '2.8.13',
  complexity: 'O(N) where N is the total number of Redis commands',
  handler: (ctx) => ctx.server.commands.all().map(commandInfo),
  subcommands: [
    sub({
      name: 'count', arity: 2, flags: ['loading', 'stale'], summary: 'Returns a count of commands.', since: '2.8.13', complexity: 'O(1)',
      handler: (ctx) => ctx.server.commands.all().length,
    }),
    sub({
      name: 'info', arity: -2, flags: ['loading', 'stale'], tips: ['nondeterministic_output_order'], summary: 'Returns information about one, multiple or all commands.',
      since: '2.8.13', complexity: 'O(N) where N is the number of commands to look up',
      handler(ctx, args) {
        if (args.length === 2) return ctx.server.commands.all().map(commandInfo);
        const out: Reply[] = [];
        for (let i = 2; i < args.length; i++) {
          const spec = findByFullName(ctx.server, args[i]!);
          out.push(spec ? commandInfo(spec) : null);
        }
        return out;
      },
    }),
    sub({
      name: 'docs', arity: -2, flags: ['loading', 'stale'], tips: ['nondeterministic_output_order'], summary: 'Returns documentary information about one, multiple or all commands.',
      since: '7.0.0', complexity: 'O(N) where N is the number of commands to look up',
      handler(ctx, args) {
        const out: Reply[] = [];
        if (args.length === 2) {
          for (const spec of ctx.server.commands.all()) out.push(spec.name, commandDocs(spec));
        } else {
          for (let i = 2; i < args.length; i++) {
            const spec = findByFullName(ctx.server, args[i]!);
            if (spec) out.push(fullName(spec), commandDocs(spec));
          }
        }
        return new MapReply(out);
      },
    }),
    sub({
      name: 'list', arity: -2, flags: ['loading', 'stale'], tips: ['nondeterministic_output_order'], summary: 'Returns a list of command names.',
      since: '7.0.0', complexity: 'O(N) where N is the total number of Redis commands',
      handler(ctx, args) {
        const all = allWithSubcommands(ctx.server);
        if (args.length === 2) return all.map(fullName);
        if (args.length !== 5 || args[2]!.toLowerCase() !== 'filterby') throw new CommandError('ERR syntax error');
        const kind = args[3]!.toLowerCase();
        const value = args[4]!;
        if (kind === 'module') return [];
        if (kind === 'aclcat') {
          const cat = value.toLowerCase();
          return all.filter((s) => aclCategories(s).includes(cat)).map(fullName);
        }
        if (kind === 'pattern') return all.map(fullName).filter((n) => globMatch(value, n, true));
        throw new CommandError('ERR syntax error');
      },
    }),
    sub({
      name: 'getkeys', arity: -4, flags: ['loading', 'stale'], summary: 'Extracts the key names from an arbitrary command.',
      since: '2.8.13', complexity: 'O(N) where N is the number of arguments to the command',
      handler(ctx, args) {
        const line = args.slice(2);
        return keysOf(ctx.server, line).keys.map((i) => line[i]!);
      },
    }),
    sub({
      name: 'getkeysandflags', arity: -4, flags: ['loading', 'stale'], summary: 'Extracts the key names and access flags for an arbitrary command.',
      since: '7.0.0', complexity: 'O(N) where N is the number of arguments to the command',
      handler(ctx, args) {
        const line = args.slice(2);
        const { spec, keys } = keysOf(ctx.server, line);
        const flags = spec.flags.includes('write') ? ['RW', 'update'] : ['RO', 'access'];
        return keys.map((i) => [line[i]!, new SetReply(flags.map((f) => new SimpleString(f)))]);
      },
    }),
    sub({
      name: 'help', arity: 2, flags: ['loading', 'stale'], summary: 'Returns helpful text about the different subcommands.',
      since: '5.0.0', complexity: 'O(1)',
      handler: () => helpReply(HELP),
    }),
  ],
});
