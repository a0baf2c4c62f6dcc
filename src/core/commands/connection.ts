/**
 * Connection commands: PING, ECHO, QUIT, RESET, SELECT, HELLO, AUTH.
 * This module is browser compatible.
 */
import { REDIS_VERSION } from '../version.js';
import type { Client } from '../client.js';
import { CommandError, Err } from '../errors.js';
import { ErrorReply, MapReply, OK, PONG, PushReply, SimpleString, type Reply } from '../resp/reply.js';
import type { Server } from '../server.js';
import { intArg, parseInt64 } from './parse.js';
import { command, type CommandSpec } from './types.js';

const RESET_REPLY = new SimpleString('RESET');

/** Redis's rule for client names: printable ASCII without spaces. */
export function validClientName(name: string): boolean {
  for (let i = 0; i < name.length; i++) {
    const c = name.charCodeAt(i);
    if (c < 33 || c > 126) return false;
  }
  return true;
}

/** Checks a password for a user the way the default-user-only auth does (ACL builds on it). */
export function authenticate(server: Server, client: Client, user: string, pass: string): boolean {
  const check = server.ext['authenticate'] as ((u: string, p: string, c: Client) => boolean) | undefined;
  const ok = check ? check(user, pass, client) : user === 'default' && (server.config.str('requirepass') === '' || pass === server.config.str('requirepass'));
  if (ok) {
    client.user = user;
    client.authenticated = true;
  }
  return ok;
}

/** Hooks other modules register to drop their per-client state on RESET (MULTI, subscriptions, tracking). */
export function onClientReset(server: Server, hook: (c: Client) => void): void {
  ((server.ext['resetHooks'] ??= []) as ((c: Client) => void)[]).push(hook);
}

export const connectionCommands: CommandSpec[] = [
  command({
    name: 'ping', arity: -1, flags: ['fast'], tips: ['request_policy:all_shards', 'response_policy:all_succeeded'], categories: ['connection'], group: 'connection',
    summary: 'Returns the server\'s liveliness response.', complexity: 'O(1)',
    handler(ctx, args): Reply {
      if (args.length > 2) throw new CommandError(Err.wrongArity('ping'));
      // A RESP2 client in subscriber mode gets ["pong", msg] (see pubsub).
      if (ctx.client.ext['subscribed'] === true && ctx.client.resp === 2) return new PushReply(['pong', args[1] ?? '']);
      return args.length === 2 ? args[1]! : PONG;
    },
  }),
  command({
    name: 'echo', arity: 2, flags: ['loading', 'stale', 'fast'], categories: ['connection'], group: 'connection',
    summary: 'Returns the given string.', complexity: 'O(1)',
    handler: (_ctx, args) => args[1]!,
  }),
  command({
    name: 'quit', arity: -1, flags: ['noscript', 'loading', 'stale', 'fast', 'no_auth', 'allow_busy'], categories: ['connection'],
    group: 'connection', summary: 'Closes the connection.', complexity: 'O(1)',
    handler(ctx) {
      ctx.client.closing = true;
      return OK;
    },
  }),
  command({
    name: 'reset', arity: 1, flags: ['noscript', 'loading', 'stale', 'fast', 'no_auth', 'allow_busy'], categories: ['connection'],
    group: 'connection', summary: 'Resets the connection.', since: '6.2.0', complexity: 'O(1)',
    handler(ctx) {
      const c = ctx.client;
      const hooks = ctx.server.ext['resetHooks'] as ((c: Client) => void)[] | undefined;
      if (hooks) for (const h of hooks) h(c);
      c.db = 0;
      c.resp = 2;
      c.name = '';
      c.replyMode = 'on';
      c.noEvict = false;
      c.noTouch = false;
      c.user = 'default';
      const auto = ctx.server.ext['autoAuthenticate'] as (() => boolean) | undefined;
      c.authenticated = auto !== undefined ? auto() : ctx.server.config.str('requirepass') === '';
      return RESET_REPLY;
    },
  }),
  command({
    name: 'select', arity: 2, flags: ['loading', 'stale', 'fast'], categories: ['connection'], group: 'connection',
    summary: 'Changes the selected database.', complexity: 'O(1)',
    handler(ctx, args) {
      const id = intArg(args[1]!);
      if (id < 0 || id >= ctx.engine.dbs.length) throw new CommandError(Err.dbIndexOutOfRange);
      ctx.client.db = id;
      return OK;
    },
  }),
  command({
    name: 'auth', arity: -2, flags: ['noscript', 'loading', 'stale', 'fast', 'no_auth', 'allow_busy'], categories: ['connection'],
    group: 'connection', summary: 'Authenticates the connection.', complexity: 'O(N) where N is the number of passwords defined for the user',
    handler(ctx, args) {
      if (args.length > 3) throw new CommandError(Err.syntax);
      let user = 'default';
      let pass: string;
      if (args.length === 2) {
        const defaultNopass = ctx.server.ext['defaultNopass'] as (() => boolean) | undefined;
        if (defaultNopass !== undefined ? defaultNopass() : ctx.server.config.str('requirepass') === '') {
          throw new CommandError(Err.authWithoutPassword);
        }
        pass = args[1]!;
      } else {
        user = args[1]!;
        pass = args[2]!;
      }
      if (!authenticate(ctx.server, ctx.client, user, pass)) throw new CommandError(Err.wrongPass);
      return OK;
    },
  }),
  command({
    name: 'hello', arity: -1, flags: ['noscript', 'loading', 'stale', 'fast', 'no_auth', 'allow_busy'], categories: ['connection'],
    group: 'connection', summary: 'Handshakes with the Redis server.', since: '6.0.0', complexity: 'O(1)',
    handler(ctx, args) {
      let version = 0;
      if (args.length >= 2) {
        const v = parseInt64(args[1]!);
        if (v === null) throw new CommandError(Err.protocolVersion);
        if (v < 2n || v > 3n) throw new CommandError(Err.noProto);
        version = Number(v);
      }
      let user: string | undefined;
      let pass: string | undefined;
      let name: string | undefined;
      for (let j = 2; j < args.length; j++) {
        const more = args.length - 1 - j;
        const opt = args[j]!.toLowerCase();
        if (opt === 'auth' && more >= 2) {
          user = args[j + 1]!;
          pass = args[j + 2]!;
          j += 2;
        } else if (opt === 'setname' && more >= 1) {
          name = args[j + 1]!;
          if (!validClientName(name)) throw new CommandError(Err.badClientName);
          j++;
        } else {
          throw new CommandError(`ERR Syntax error in HELLO option '${args[j]!}'`);
        }
      }
      if (user !== undefined && !authenticate(ctx.server, ctx.client, user, pass!)) return new ErrorReply(Err.wrongPass);
      if (!ctx.client.authenticated) throw new CommandError(Err.helloNoAuth);
      if (name !== undefined) ctx.client.name = name;
      if (version !== 0) ctx.client.resp = version as 2 | 3;
      return new MapReply([
        'server', 'redis',
        'version', REDIS_VERSION,
        'proto', ctx.client.resp,
        'id', ctx.client.id,
        'mode', 'standalone',
        'role', 'master',
        'modules', [],
      ]);
    },
  }),
];
