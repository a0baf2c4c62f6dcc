/**
 * Server commands: the group gathering INFO, CONFIG, COMMAND, SLOWLOG,
 * LATENCY, MONITOR, DEBUG (each in its own module) with TIME, LASTSAVE,
 * SHUTDOWN and the FUNCTION commands that make sense before scripting exists.
 * This module is browser compatible.
 */
import { CommandError, subcommandSyntaxError } from '../errors.js';
import { NO_REPLY, OK, type Reply } from '../resp/reply.js';
import { clientCommand } from './client.js';
import { helpReply } from './help.js';
import { Persistence } from '../persistence/persistence.js';
import { commandCommand } from './command-docs.js';
import { configCommand } from './config-cmd.js';
import { debugCommand } from './debug.js';
import { infoCommand } from './info.js';
import { latencyCommand } from './latency.js';
import { monitorCommand } from './monitor.js';
import { slowlogCommand } from './slowlog.js';
import { command, type CommandSpec } from './types.js';

export interface ShutdownOptions {
  save: boolean;
  nosave: boolean;
  now: boolean;
  force: boolean;
}

const FUNCTION_HELP = [
  'FUNCTION <subcommand> [<arg> [value] [opt] ...]. Subcommands are:',
  'LIST [LIBRARYNAME PATTERN] [WITHCODE]',
  '    Return general information on all the libraries:',
  '    * Library name',
  '    * The engine used to run the Library',
  '    * Library description',
  '    * Functions list',
  '    * Library code (if WITHCODE is given)',
  '    It also possible to get only function that matches a pattern using LIBRARYNAME argument.',
  'FLUSH [ASYNC|SYNC]',
  '    Delete all the libraries.',
  '    When called without the optional mode argument, the behavior is determined by the',
  '    lazyfree-lazy-user-flush configuration directive. Valid modes are:',
  '    * ASYNC: Asynchronously flush the libraries.',
  '    * SYNC: Synchronously flush the libraries.',
  'HELP',
  '    Prints this help.',
];

const timeCommand = command({
  name: 'time', arity: 1, flags: ['loading', 'stale', 'fast'], tips: ['nondeterministic_output'], group: 'server',
  summary: 'Returns the server time.', since: '2.6.0', complexity: 'O(1)',
  handler(ctx): Reply {
    const ms = ctx.now;
    const sec = Math.floor(ms / 1000);
    return [String(sec), String(Math.floor((ms - sec * 1000) * 1000))];
  },
});

const lastsaveCommand = command({
  name: 'lastsave', arity: 1, flags: ['loading', 'stale', 'fast'], tips: ['nondeterministic_output'], categories: ['admin', 'dangerous'], group: 'server',
  summary: 'Returns the Unix timestamp of the last successful save to disk.', since: '1.0.0', complexity: 'O(1)',
  handler: (ctx) => Persistence.of(ctx.server)?.lastSave ?? Math.floor(ctx.server.startedAt / 1000),
});

const shutdownCommand = command({
  name: 'shutdown', arity: -1, flags: ['admin', 'noscript', 'loading', 'stale', 'no_multi', 'allow_busy'], group: 'server',
  summary: 'Synchronously saves the database(s) to disk and shuts down the Redis server.', since: '1.0.0',
  complexity: 'O(N) when saving, where N is the total number of keys in all databases when saving data, otherwise O(1)',
  handler(ctx, args) {
    const opts: ShutdownOptions = { save: false, nosave: false, now: false, force: false };
    let abort = false;
    for (let i = 1; i < args.length; i++) {
      const a = args[i]!.toLowerCase();
      if (a === 'nosave') opts.nosave = true;
      else if (a === 'save') opts.save = true;
      else if (a === 'now') opts.now = true;
      else if (a === 'force') opts.force = true;
      else if (a === 'abort') abort = true;
      else throw new CommandError('ERR syntax error');
    }
    if ((abort && args.length > 2) || (opts.save && opts.nosave)) throw new CommandError('ERR syntax error');
    if (abort) throw new CommandError('ERR No shutdown in progress.');
    const server = ctx.server;
    const client = ctx.client;
    server.log('warning', 'User requested shutdown...');
    // Let the current read finish; the connection closes without a reply, as with Redis.
    setTimeout(() => {
      const hostShutdown = server.ext['shutdown'] as ((o: ShutdownOptions) => unknown) | undefined;
      if (hostShutdown) void hostShutdown(opts);
      else void server.close();
      client.sink?.close();
    }, 0);
    return NO_REPLY;
  },
});

function fnSub(spec: Omit<Parameters<typeof command>[0], 'group'>): CommandSpec {
  return command({ group: 'scripting', categories: ['scripting'], ...spec });
}

const functionCommand = command({
  name: 'function', arity: -2, group: 'scripting', summary: 'A container for function commands.', since: '7.0.0',
  complexity: 'Depends on subcommand.',
  subcommands: [
    fnSub({
      name: 'flush', arity: -2, flags: ['write', 'noscript'], tips: ['request_policy:all_shards', 'response_policy:all_succeeded'], summary: 'Deletes all libraries and functions.', since: '7.0.0',
      complexity: 'O(N) where N is the number of functions deleted',
      handler(_ctx, args) {
        if (args.length > 3) throw new CommandError(subcommandSyntaxError(args[1]!, 'function'));
        if (args.length === 3) {
          const mode = args[2]!.toLowerCase();
          if (mode !== 'async' && mode !== 'sync') throw new CommandError('ERR FUNCTION FLUSH only supports SYNC|ASYNC option');
        }
        return OK;
      },
    }),
    fnSub({
      name: 'list', arity: -2, flags: ['noscript'], tips: ['nondeterministic_output_order'], summary: 'Returns information about all libraries.', since: '7.0.0',
      complexity: 'O(N) where N is the number of functions',
      handler(_ctx, args) {
        let withCode = false;
        let pattern = false;
        for (let i = 2; i < args.length; i++) {
          const a = args[i]!.toLowerCase();
          if (a === 'withcode' && !withCode) {
            withCode = true;
          } else if (a === 'libraryname' && !pattern) {
            if (i + 1 >= args.length) throw new CommandError('ERR library name argument was not given');
            pattern = true;
            i++;
          } else {
            throw new CommandError(`ERR Unknown argument ${args[i]!}`);
          }
        }
        return [];
      },
    }),
    fnSub({
      name: 'help', arity: 2, flags: ['loading', 'stale'], summary: 'Returns helpful text about the different subcommands.',
      since: '7.0.0', complexity: 'O(1)',
      handler: () => helpReply(FUNCTION_HELP),
    }),
  ],
});

export const serverCommands: CommandSpec[] = [
  infoCommand,
  configCommand,
  commandCommand,
  clientCommand,
  timeCommand,
  lastsaveCommand,
  slowlogCommand,
  latencyCommand,
  monitorCommand,
  shutdownCommand,
  functionCommand,
  debugCommand,
];
