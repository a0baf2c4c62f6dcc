/**
 * CLIENT: the connection's own settings (name, library, reply mode, eviction
 * and LRU flags) and the server's view of every connection (LIST, INFO, KILL,
 * PAUSE, UNBLOCK). Tracking (TRACKING, CACHING, GETREDIR, TRACKINGINFO) lives
 * in client-tracking.ts.
 * This module is browser compatible.
 */
import type { Client } from '../client.js';
import { clientTrackingSubcommands } from './client-tracking.js';
import type { Server } from '../server.js';
import { CommandError, Err } from '../errors.js';
import { NO_REPLY, OK, VerbatimReply } from '../resp/reply.js';
import { validClientName } from './connection.js';
import { clientType, clientTypeByName, describeClient, type ClientType } from './client-info.js';
import { clientPause } from './client-pause.js';
import { helpReply } from './help.js';
import { intArg, parseInt64 } from './parse.js';
import { command, type CommandInput, type CommandSpec } from './types.js';

const HELP = [
  'CLIENT <subcommand> [<arg> [value] [opt] ...]. Subcommands are:',
  'GETNAME',
  '    Return the name of the current connection.',
  'ID',
  '    Return the ID of the current connection.',
  'INFO',
  '    Return information about the current client connection.',
  'KILL <ip:port>',
  '    Kill connection made from <ip:port>.',
  'KILL <option> <value> [<option> <value> [...]]',
  '    Kill connections. Options are:',
  '    * ADDR (<ip:port>|<unixsocket>:0)',
  '      Kill connections made from the specified address',
  '    * LADDR (<ip:port>|<unixsocket>:0)',
  '      Kill connections made to specified local address',
  '    * TYPE (NORMAL|MASTER|REPLICA|PUBSUB)',
  '      Kill connections by type.',
  '    * USER <username>',
  '      Kill connections authenticated by <username>.',
  '    * SKIPME (YES|NO)',
  '      Skip killing current connection (default: yes).',
  '    * ID <client-id>',
  '      Kill connections by client id.',
  'LIST [options ...]',
  '    Return information about client connections. Options:',
  '    * TYPE (NORMAL|MASTER|REPLICA|PUBSUB)',
  '      Return clients of specified type.',
  'UNPAUSE',
  '    Stop the current client pause, resuming traffic.',
  'PAUSE <timeout> [WRITE|ALL]',
  '    Suspend all, or just write, clients for <timeout> milliseconds.',
  'REPLY (ON|OFF|SKIP)',
  '    Control the replies sent to the current connection.',
  'SETNAME <name>',
  '    Assign the name <name> to the current connection.',
  'SETINFO <option> <value>',
  '    Set client meta attr. Options are:',
  '    * LIB-NAME: the client lib name.',
  '    * LIB-VER: the client lib version.',
  'UNBLOCK <clientid> [TIMEOUT|ERROR]',
  '    Unblock the specified blocked client.',
  'NO-EVICT (ON|OFF)',
  '    Protect current client connection from eviction.',
  'NO-TOUCH (ON|OFF)',
  '    Will not touch LRU/LFU stats when this mode is on.',
  'HELP',
  '    Prints this help.',
];

function sub(input: Omit<CommandInput, 'group'> & { group?: string }): CommandSpec {
  return command({ group: 'connection', categories: ['connection'], ...input });
}

function onOff(arg: string): boolean {
  const v = arg.toLowerCase();
  if (v === 'on') return true;
  if (v === 'off') return false;
  throw new CommandError(Err.syntax);
}

function userExists(server: Server, name: string): boolean {
  const exists = server.ext['userExists'] as ((u: string) => boolean) | undefined;
  return exists ? exists(name) : name === 'default';
}

function killClient(self: Client, target: Client): void {
  if (target === self) {
    self.closing = true;
    return;
  }
  target.closing = true;
  target.sink?.close();
}

export const clientCommand = command({
  name: 'client', arity: -2, group: 'connection', categories: ['connection'],
  summary: 'A container for client connection commands.', since: '2.4.0', complexity: 'Depends on subcommand.',
  subcommands: [
    sub({
      name: 'help', arity: 2, flags: ['loading', 'stale'], summary: 'Returns helpful text about the different subcommands.',
      since: '5.0.0', complexity: 'O(1)',
      handler: () => helpReply(HELP),
    }),
    sub({
      name: 'id', arity: 2, flags: ['noscript', 'loading', 'stale'], summary: 'Returns the unique client ID of the connection.',
      since: '5.0.0', complexity: 'O(1)',
      handler: (ctx) => ctx.client.id,
    }),
    sub({
      name: 'getname', arity: 2, flags: ['noscript', 'loading', 'stale'], summary: 'Returns the name of the connection.',
      since: '2.6.9', complexity: 'O(1)',
      handler: (ctx) => (ctx.client.name === '' ? null : ctx.client.name),
    }),
    sub({
      name: 'setname', arity: 3, flags: ['noscript', 'loading', 'stale'], summary: 'Sets the connection name.',
      since: '2.6.9', complexity: 'O(1)',
      handler(ctx, args) {
        if (!validClientName(args[2]!)) throw new CommandError(Err.badClientName);
        ctx.client.name = args[2]!;
        return OK;
      },
    }),
    sub({
      name: 'setinfo', arity: 4, flags: ['noscript', 'loading', 'stale'], summary: 'Sets information specific to the client or connection.',
      since: '7.2.0', complexity: 'O(1)',
      handler(ctx, args) {
        const attr = args[2]!.toLowerCase();
        if (attr !== 'lib-name' && attr !== 'lib-ver') throw new CommandError(`ERR Unrecognized option '${args[2]!}'`);
        if (!validClientName(args[3]!)) throw new CommandError(`ERR ${args[2]!} cannot contain spaces, newlines or special characters.`);
        if (attr === 'lib-name') ctx.client.libName = args[3]!;
        else ctx.client.libVer = args[3]!;
        return OK;
      },
    }),
    sub({
      name: 'info', arity: 2, flags: ['noscript', 'loading', 'stale'], tips: ['nondeterministic_output'], summary: 'Returns information about the connection.',
      since: '6.2.0', complexity: 'O(1)',
      handler: (ctx) => new VerbatimReply('txt', `${describeClient(ctx.client, ctx.now)}\n`),
    }),
    sub({
      name: 'list', arity: -2, flags: ['admin', 'noscript', 'loading', 'stale'], tips: ['nondeterministic_output'], summary: 'Lists open connections.',
      since: '2.4.0', complexity: 'O(N) where N is the number of client connections',
      handler(ctx, args) {
        let type: ClientType | undefined;
        let ids: Set<number> | undefined;
        if (args.length === 4 && args[2]!.toLowerCase() === 'type') {
          type = clientTypeByName(args[3]!);
          if (type === undefined) throw new CommandError(`ERR Unknown client type '${args[3]!}'`);
        } else if (args.length > 3 && args[2]!.toLowerCase() === 'id') {
          ids = new Set();
          for (let j = 3; j < args.length; j++) {
            const id = parseInt64(args[j]!);
            if (id === null) throw new CommandError('ERR Invalid client ID');
            ids.add(Number(id));
          }
        } else if (args.length !== 2) {
          throw new CommandError(Err.syntax);
        }
        let out = '';
        for (const c of ctx.server.clients.values()) {
          if (type !== undefined && clientType(c) !== type) continue;
          if (ids !== undefined && !ids.has(c.id)) continue;
          out += `${describeClient(c, ctx.now)}\n`;
        }
        return new VerbatimReply('txt', out);
      },
    }),
    sub({
      name: 'kill', arity: -3, flags: ['admin', 'noscript', 'loading', 'stale'], summary: 'Terminates open connections.',
      since: '2.4.0', complexity: 'O(N) where N is the number of client connections',
      handler(ctx, args) {
        let addr: string | undefined;
        let laddr: string | undefined;
        let user: string | undefined;
        let type: ClientType | undefined;
        let id: number | undefined;
        let skipMe = true;
        if (args.length === 3) {
          addr = args[2]!;
          skipMe = false;
        } else if (args.length % 2 === 0) {
          for (let i = 2; i < args.length; i += 2) {
            const opt = args[i]!.toLowerCase();
            const value = args[i + 1]!;
            if (opt === 'id') {
              const n = parseInt64(value);
              if (n === null || n < 1n) throw new CommandError('ERR client-id should be greater than 0');
              id = Number(n);
            } else if (opt === 'type') {
              type = clientTypeByName(value);
              if (type === undefined) throw new CommandError(`ERR Unknown client type '${value}'`);
            } else if (opt === 'addr') {
              addr = value;
            } else if (opt === 'laddr') {
              laddr = value;
            } else if (opt === 'user') {
              if (!userExists(ctx.server, value)) throw new CommandError(`ERR No such user '${value}'`);
              user = value;
            } else if (opt === 'skipme') {
              const v = value.toLowerCase();
              if (v === 'yes') skipMe = true;
              else if (v === 'no') skipMe = false;
              else throw new CommandError(Err.syntax);
            } else {
              throw new CommandError(Err.syntax);
            }
          }
        } else {
          throw new CommandError(Err.syntax);
        }
        let killed = 0;
        for (const c of [...ctx.server.clients.values()]) {
          if (addr !== undefined && c.info.addr !== addr) continue;
          if (laddr !== undefined && c.info.laddr !== laddr) continue;
          if (type !== undefined && clientType(c) !== type) continue;
          if (id !== undefined && c.id !== id) continue;
          if (user !== undefined && c.user !== user) continue;
          if (c === ctx.client && skipMe) continue;
          killClient(ctx.client, c);
          killed++;
        }
        if (args.length === 3) {
          if (killed === 0) throw new CommandError('ERR No such client');
          return OK;
        }
        return killed;
      },
    }),
    sub({
      name: 'reply', arity: 3, flags: ['noscript', 'loading', 'stale'], summary: 'Instructs the server whether to reply to commands.',
      since: '3.2.0', complexity: 'O(1)',
      handler(ctx, args) {
        const mode = args[2]!.toLowerCase();
        if (mode === 'on') {
          ctx.client.replyMode = 'on';
          return OK;
        }
        if (mode === 'off' || mode === 'skip') {
          ctx.client.replyMode = mode;
          return NO_REPLY;
        }
        throw new CommandError(Err.syntax);
      },
    }),
    sub({
      name: 'no-evict', arity: 3, flags: ['admin', 'noscript', 'loading', 'stale'], summary: 'Sets the client eviction mode of the connection.',
      since: '7.0.0', complexity: 'O(1)',
      handler(ctx, args) {
        ctx.client.noEvict = onOff(args[2]!);
        return OK;
      },
    }),
    sub({
      name: 'no-touch', arity: 3, flags: ['noscript', 'loading', 'stale'], summary: 'Controls whether commands sent by the client affect the LRU/LFU of accessed keys.',
      since: '7.2.0', complexity: 'O(1)',
      handler(ctx, args) {
        ctx.client.noTouch = onOff(args[2]!);
        return OK;
      },
    }),
    sub({
      name: 'pause', arity: -3, flags: ['admin', 'noscript', 'loading', 'stale'], summary: 'Suspends commands processing.',
      since: '3.0.0', complexity: 'O(1)',
      handler(ctx, args) {
        const ms = parseInt64(args[2]!);
        if (ms === null) throw new CommandError(Err.timeoutNotInteger);
        if (ms < 0n) throw new CommandError('ERR timeout is negative');
        let mode: 'write' | 'all' = 'all';
        if (args.length === 4) {
          const m = args[3]!.toLowerCase();
          if (m === 'write') mode = 'write';
          else if (m !== 'all') throw new CommandError('ERR CLIENT PAUSE mode must be WRITE or ALL');
        } else if (args.length > 4) {
          throw new CommandError(Err.syntax);
        }
        clientPause(ctx.server).pause(mode, Number(ms));
        return OK;
      },
    }),
    sub({
      name: 'unpause', arity: 2, flags: ['admin', 'noscript', 'loading', 'stale'], summary: 'Resumes processing commands from paused clients.',
      since: '6.2.0', complexity: 'O(N) Where N is the number of paused clients',
      handler(ctx) {
        clientPause(ctx.server).unpause();
        return OK;
      },
    }),
    sub({
      name: 'unblock', arity: -3, flags: ['admin', 'noscript', 'loading', 'stale'], summary: 'Unblocks a client blocked by a blocking command from a different connection.',
      since: '5.0.0', complexity: 'O(log N) where N is the number of client connections',
      handler(ctx, args) {
        const id = intArg(args[2]!);
        let reason: 'TIMEOUT' | 'ERROR' = 'TIMEOUT';
        if (args.length === 4) {
          const r = args[3]!.toLowerCase();
          if (r === 'error') reason = 'ERROR';
          else if (r !== 'timeout') throw new CommandError('ERR CLIENT UNBLOCK reason should be TIMEOUT or ERROR');
        } else if (args.length > 4) {
          throw new CommandError(Err.syntax);
        }
        const unblock = ctx.server.ext['unblockClient'] as ((id: number, reason: 'TIMEOUT' | 'ERROR') => boolean) | undefined;
        return unblock?.(id, reason) ? 1 : 0;
      },
    }),
    ...clientTrackingSubcommands,
  ],
});
