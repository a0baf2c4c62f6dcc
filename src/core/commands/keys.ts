/**
 * Generic keyspace commands.
 * This module is browser compatible.
 */
import { CommandError, Err } from '../errors.js';
import { OK, type Reply } from '../resp/reply.js';
import { isWord } from './parse.js';
import { command, type CommandSpec } from './types.js';

function flushMode(args: string[]): void {
  if (args.length > 2) throw new CommandError(Err.syntax);
  if (args.length === 2 && !isWord(args[1]!, 'ASYNC') && !isWord(args[1]!, 'SYNC')) throw new CommandError(Err.syntax);
}

export const keyCommands: CommandSpec[] = [
  command({
    name: 'del', arity: -2, flags: ['write'], keys: { first: 1, last: -1, step: 1 }, categories: ['keyspace'], group: 'generic',
    summary: 'Deletes one or more keys.', complexity: 'O(N)',
    handler(ctx, args): Reply {
      let n = 0;
      for (let i = 1; i < args.length; i++) {
        const key = args[i]!;
        if (ctx.db.has(key, ctx.now) && ctx.db.delete(key)) {
          n++;
          ctx.modified(key);
          ctx.notify('g', 'del', key);
        } else if (ctx.db.delete(key)) {
          // An expired key still held: removing it is not a deletion the client made.
          ctx.dirty++;
        }
      }
      return n;
    },
  }),
  command({
    name: 'flushdb', arity: -1, flags: ['write'], categories: ['keyspace', 'dangerous'], group: 'server',
    summary: 'Removes all keys from the current database.',
    handler(ctx, args) {
      flushMode(args);
      ctx.engine.flushed(ctx.db.id);
      ctx.db.clear();
      ctx.dirty++;
      return OK;
    },
  }),
  command({
    name: 'flushall', arity: -1, flags: ['write'], categories: ['keyspace', 'dangerous'], group: 'server',
    summary: 'Removes all keys from all databases.',
    handler(ctx, args) {
      flushMode(args);
      ctx.engine.flushed(null);
      for (const db of ctx.engine.dbs) db.clear();
      ctx.dirty++;
      return OK;
    },
  }),
  command({
    name: 'dbsize', arity: 1, flags: ['readonly', 'fast'], categories: ['keyspace'], group: 'server',
    summary: 'Returns the number of keys in the database.',
    handler: (ctx) => ctx.db.size,
  }),
];
