/**
 * SAVE, BGSAVE and BGREWRITEAOF: snapshots and AOF rewrites (see
 * ../persistence/persistence.ts). A node without persistence configured
 * answers them with an error that says so.
 * This module is browser compatible.
 */
import type { CommandContext } from '../context.js';
import { CommandError, Err } from '../errors.js';
import { Persistence } from '../persistence/persistence.js';
import { AsyncReply, ErrorReply, OK, SimpleString } from '../resp/reply.js';
import { isWord } from './parse.js';
import { command, type CommandSpec } from './types.js';

function persistence(ctx: CommandContext): Persistence {
  const p = Persistence.of(ctx.server);
  if (p === undefined) throw new CommandError('ERR persistence is not configured on this node');
  return p;
}

export const persistenceCommands: CommandSpec[] = [
  command({
    name: 'save', arity: 1, flags: ['admin', 'noscript', 'no_multi'], group: 'server',
    summary: 'Synchronously saves the database(s) to disk.', since: '1.0.0', complexity: 'O(N) where N is the total number of keys in all databases',
    handler(ctx) {
      const p = persistence(ctx);
      if (p.saving) throw new CommandError('ERR Background save already in progress');
      return new AsyncReply(
        p.save().then(
          () => OK,
          (e: Error) => new ErrorReply(`ERR ${e.message}`),
        ),
      );
    },
  }),
  command({
    name: 'bgsave', arity: -1, flags: ['admin', 'noscript', 'no_multi'], group: 'server',
    summary: 'Asynchronously saves the database(s) to disk.', since: '1.0.0', complexity: 'O(1)',
    handler(ctx, args) {
      if (args.length > 2 || (args.length === 2 && !isWord(args[1]!, 'SCHEDULE'))) throw new CommandError(Err.syntax);
      const p = persistence(ctx);
      if (p.saving) {
        if (args.length === 2) return new SimpleString('Background saving scheduled');
        throw new CommandError('ERR Background save already in progress');
      }
      p.startBgsave();
      return new SimpleString('Background saving started');
    },
  }),
  command({
    name: 'bgrewriteaof', arity: 1, flags: ['admin', 'noscript', 'no_multi'], group: 'server',
    summary: 'Asynchronously rewrites the append-only file to disk.', since: '1.0.0', complexity: 'O(1)',
    handler(ctx) {
      const p = persistence(ctx);
      if (p.rewriting) throw new CommandError('ERR Background append only file rewriting already in progress');
      if (p.aof === null) throw new CommandError('ERR appendonly is off: there is no append only file to rewrite (CONFIG SET appendonly yes starts one)');
      p.startRewrite();
      return new SimpleString('Background append only file rewriting started');
    },
  }),
];
