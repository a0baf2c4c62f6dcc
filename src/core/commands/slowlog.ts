/**
 * SLOWLOG: commands that ran for at least `slowlog-log-slower-than`
 * microseconds, newest first, at most `slowlog-max-len` of them, with their
 * arguments shortened the way Redis shortens them.
 * This module is browser compatible.
 */
import type { Bytes } from '../bytes.js';
import type { Client } from '../client.js';
import { CommandError } from '../errors.js';
import { OK, type Reply } from '../resp/reply.js';
import type { Server } from '../server.js';
import { helpReply } from './help.js';
import { parseInt64 } from './parse.js';
import { command, type CommandSpec } from './types.js';
import { subcommandSyntaxError } from '../errors.js';

const MAX_ARGC = 32;
const MAX_STRING = 128;

export interface SlowlogEntry {
  id: number;
  /** Unix seconds. */
  time: number;
  usec: number;
  args: Bytes[];
  addr: string;
  name: string;
}

/** Arguments as the slowlog keeps them: at most 32, each at most 128 bytes, secrets redacted. */
export function slowlogArgs(spec: CommandSpec, args: Bytes[]): Bytes[] {
  const argc = Math.min(args.length, MAX_ARGC);
  const out: Bytes[] = [];
  for (let i = 0; i < argc; i++) {
    if (argc !== args.length && i === argc - 1) {
      out.push(`... (${args.length - argc + 1} more arguments)`);
      break;
    }
    let a = args[i]!;
    if (isSecret(spec, args, i)) a = '(redacted)';
    else if (a.length > MAX_STRING) a = `${a.slice(0, MAX_STRING)}... (${a.length - MAX_STRING} more bytes)`;
    out.push(a);
  }
  return out;
}

/** Passwords never reach the slowlog (AUTH, HELLO ... AUTH u p, CONFIG SET requirepass). */
function isSecret(spec: CommandSpec, args: Bytes[], i: number): boolean {
  if (spec.name === 'auth') return i >= 1;
  if (spec.name === 'hello') {
    for (let j = 2; j < i && j < args.length; j++) if (args[j]!.toLowerCase() === 'auth' && (i === j + 1 || i === j + 2)) return true;
    return false;
  }
  if (spec.parentName === 'config' && spec.name === 'set') return i >= 3 && i % 2 === 1 && args[i - 1]!.toLowerCase() === 'requirepass';
  return false;
}

export class Slowlog {
  readonly entries: SlowlogEntry[] = [];
  private nextId = 0;
  private threshold: number;
  private maxLen: number;

  constructor(server: Server) {
    this.threshold = server.config.int('slowlog-log-slower-than');
    this.maxLen = server.config.int('slowlog-max-len');
    server.config.onChange((name, value) => {
      if (name === 'slowlog-log-slower-than') this.threshold = value as number;
      else if (name === 'slowlog-max-len') {
        this.maxLen = value as number;
        if (this.entries.length > this.maxLen) this.entries.length = this.maxLen;
      }
    });
  }

  /** Called after every command. */
  record(client: Client, spec: CommandSpec, args: Bytes[], usec: number, now: number): void {
    if (this.threshold < 0 || usec < this.threshold || spec.flags.includes('skip_slowlog')) return;
    this.entries.unshift({
      id: this.nextId++,
      time: Math.floor(now / 1000),
      usec: Math.floor(usec),
      args: slowlogArgs(spec, args),
      addr: client.info.addr ?? '',
      name: client.name,
    });
    if (this.entries.length > this.maxLen) this.entries.length = this.maxLen;
  }

  reset(): void {
    this.entries.length = 0;
  }
}

export function slowlog(server: Server): Slowlog {
  return (server.ext['slowlog'] ??= new Slowlog(server)) as Slowlog;
}

const HELP = [
  'SLOWLOG <subcommand> [<arg> [value] [opt] ...]. Subcommands are:',
  'GET [<count>]',
  '    Return top <count> entries from the slowlog (default: 10, -1 mean all).',
  '    Entries are made of:',
  '    id, timestamp, time in microseconds, arguments array, client IP and port,',
  '    client name',
  'LEN',
  '    Return the length of the slowlog.',
  'RESET',
  '    Reset the slowlog.',
  'HELP',
  '    Prints this help.',
];

function sub(spec: Omit<Parameters<typeof command>[0], 'group'>): CommandSpec {
  return command({ group: 'server', ...spec });
}

export const slowlogCommand = command({
  name: 'slowlog', arity: -2, group: 'server', summary: 'A container for slow log commands.', since: '2.2.12',
  complexity: 'Depends on subcommand.',
  subcommands: [
    sub({
      name: 'get', arity: -2, flags: ['admin', 'loading', 'stale'], tips: ['request_policy:all_nodes', 'nondeterministic_output'], summary: 'Returns the slow log\'s entries.', since: '2.2.12',
      complexity: 'O(N) where N is the number of entries returned',
      handler(ctx, args): Reply {
        let count = 10;
        if (args.length === 3) {
          const n = parseInt64(args[2]!);
          if (n === null || n < -1n) throw new CommandError('ERR count should be greater than or equal to -1');
          count = n === -1n ? Infinity : Number(n);
        } else if (args.length > 3) {
          throw new CommandError(subcommandSyntaxError(args[1]!, 'slowlog'));
        }
        const out: Reply[] = [];
        for (const e of slowlog(ctx.server).entries) {
          if (out.length >= count) break;
          out.push([e.id, e.time, e.usec, e.args, e.addr, e.name]);
        }
        return out;
      },
    }),
    sub({
      name: 'len', arity: 2, flags: ['admin', 'loading', 'stale'], tips: ['request_policy:all_nodes', 'response_policy:agg_sum', 'nondeterministic_output'], summary: 'Returns the number of entries in the slow log.',
      since: '2.2.12', complexity: 'O(1)',
      handler: (ctx) => slowlog(ctx.server).entries.length,
    }),
    sub({
      name: 'reset', arity: 2, flags: ['admin', 'loading', 'stale'], tips: ['request_policy:all_nodes', 'response_policy:all_succeeded'], summary: 'Clears all entries from the slow log.',
      since: '2.2.12', complexity: 'O(N) where N is the number of entries in the slowlog',
      handler(ctx) {
        slowlog(ctx.server).reset();
        return OK;
      },
    }),
    sub({
      name: 'help', arity: 2, flags: ['loading', 'stale'], summary: 'Show helpful text about the different subcommands',
      since: '6.2.0', complexity: 'O(1)',
      handler: () => helpReply(HELP),
    }),
  ],
});
