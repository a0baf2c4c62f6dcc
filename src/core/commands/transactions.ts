/**
 * MULTI, EXEC, DISCARD, WATCH, UNWATCH. Inside MULTI the transactions module
 * queues commands and runs EXEC; these handlers answer the cases outside it.
 * This module is browser compatible.
 */
import { CommandError } from '../errors.js';
import { OK } from '../resp/reply.js';
import { Transactions } from '../transactions.js';
import { command, type CommandSpec } from './types.js';

export const transactionCommands: CommandSpec[] = [
  command({
    name: 'multi', arity: 1, flags: ['noscript', 'loading', 'stale', 'fast', 'allow_busy'], categories: ['transaction'], group: 'transactions',
    summary: 'Starts a transaction.', since: '1.2.0',
    handler(ctx) {
      const tx = Transactions.of(ctx.server);
      if (tx.multi(ctx.client)) throw new CommandError('ERR MULTI calls can not be nested');
      tx.begin(ctx.client);
      return OK;
    },
  }),
  command({
    name: 'exec', arity: 1, flags: ['noscript', 'loading', 'stale', 'skip_slowlog'], categories: ['transaction'], group: 'transactions',
    summary: 'Executes all commands in a transaction.', since: '1.2.0',
    handler() {
      // Inside MULTI the transactions module answers EXEC before it gets here.
      throw new CommandError('ERR EXEC without MULTI');
    },
  }),
  command({
    name: 'discard', arity: 1, flags: ['noscript', 'loading', 'stale', 'fast', 'allow_busy'], categories: ['transaction'], group: 'transactions',
    summary: 'Discards a transaction.', since: '2.0.0',
    handler(ctx) {
      const tx = Transactions.of(ctx.server);
      if (!tx.multi(ctx.client)) throw new CommandError('ERR DISCARD without MULTI');
      tx.discard(ctx.client);
      return OK;
    },
  }),
  command({
    name: 'watch', arity: -2, flags: ['noscript', 'loading', 'stale', 'fast', 'allow_busy'], keys: { first: 1, last: -1, step: 1 },
    categories: ['transaction'], group: 'transactions', summary: 'Monitors changes to keys to determine the execution of a transaction.', since: '2.2.0',
    handler(ctx, args) {
      const tx = Transactions.of(ctx.server);
      if (tx.multi(ctx.client)) throw new CommandError('ERR WATCH inside MULTI is not allowed');
      tx.watch(ctx.client, args.slice(1));
      return OK;
    },
  }),
  command({
    name: 'unwatch', arity: 1, flags: ['noscript', 'loading', 'stale', 'fast', 'allow_busy'], categories: ['transaction'], group: 'transactions',
    summary: 'Forgets about watched keys of a transaction.', since: '2.2.0',
    handler(ctx) {
      Transactions.of(ctx.server).unwatch(ctx.client);
      return OK;
    },
  }),
];
