/**
 * Connection commands: PING, ECHO, QUIT, SELECT.
 * This module is browser compatible.
 */
import { CommandError, Err } from '../errors.js';
import { OK, PONG, PushReply, type Reply } from '../resp/reply.js';
import { intArg } from './parse.js';
import { command, type CommandSpec } from './types.js';

export const connectionCommands: CommandSpec[] = [
  command({
    name: 'ping', arity: -1, flags: ['fast'], categories: ['connection'], group: 'connection',
    summary: 'Returns the server\'s liveliness response.',
    handler(ctx, args): Reply {
      if (args.length > 2) throw new CommandError(Err.wrongArity('ping'));
      // A RESP2 client in subscriber mode gets ["pong", msg] (see pubsub).
      if (ctx.client.ext['subscribed'] === true && ctx.client.resp === 2) return new PushReply(['pong', args[1] ?? '']);
      return args.length === 2 ? args[1]! : PONG;
    },
  }),
  command({
    name: 'echo', arity: 2, flags: ['fast'], categories: ['connection'], group: 'connection',
    summary: 'Returns the given string.',
    handler: (_ctx, args) => args[1]!,
  }),
  command({
    name: 'quit', arity: -1, flags: ['no_auth', 'fast', 'allow_busy'], categories: ['connection'], group: 'connection',
    summary: 'Closes the connection.',
    handler(ctx) {
      ctx.client.closing = true;
      return OK;
    },
  }),
  command({
    name: 'select', arity: 2, flags: ['loading', 'stale', 'fast'], categories: ['connection'], group: 'connection',
    summary: 'Changes the selected database.',
    handler(ctx, args) {
      const id = intArg(args[1]!);
      if (id < 0 || id >= ctx.engine.dbs.length) throw new CommandError(Err.dbIndexOutOfRange);
      ctx.client.db = id;
      return OK;
    },
  }),
];
