/**
 * String commands.
 * This module is browser compatible.
 */
import { OK, type Reply } from '../resp/reply.js';
import { CommandError, Err } from '../errors.js';
import { command, type CommandSpec } from './types.js';

const single = { first: 1, last: 1, step: 1 };

export const stringCommands: CommandSpec[] = [
  command({
    name: 'get', arity: 2, flags: ['readonly', 'fast'], keys: single, categories: ['string'], group: 'string',
    summary: 'Returns the string value of a key.', complexity: 'O(1)',
    handler(ctx, args): Reply {
      const v = ctx.db.get(args[1]!, ctx.now);
      if (v === undefined) return null;
      if (typeof v !== 'string') throw new CommandError(Err.wrongType);
      return v;
    },
  }),
  command({
    name: 'set', arity: -3, flags: ['write', 'denyoom'], keys: single, categories: ['string'], group: 'string',
    summary: 'Sets the string value of a key, ignoring its type.', complexity: 'O(1)',
    handler(ctx, args): Reply {
      if (args.length !== 3) throw new CommandError(Err.syntax);
      ctx.db.set(args[1]!, args[2]!);
      ctx.modified(args[1]!);
      ctx.notify('$', 'set', args[1]!);
      return OK;
    },
  }),
];
