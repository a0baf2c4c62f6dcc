/**
 * HyperLogLog commands. An HLL is a plain string value in Redis's format
 * (see ../types/hyperloglog.ts), so TYPE says string and GET returns the bytes.
 * PFCOUNT uses a valid cached cardinality when the value carries one; it
 * refreshes the cache only on the write path, because a read must not change
 * the bytes one replica holds and another does not.
 * This module is browser compatible.
 */
import type { Bytes } from '../bytes.js';
import type { CommandContext } from '../context.js';
import { CommandError, Err } from '../errors.js';
import { OK, SimpleString, type Reply } from '../resp/reply.js';
import {
  cachedCount, countRegisters, createHll, hllAdd, hllCount, hllFromString, hllSetRegister, hllToString,
  invalidateCache, isDense, isHllString, mergeInto, REGISTERS, sparseToDense, storeCount, type Hll,
} from '../types/hyperloglog.js';
import { hllToStringAfter, knownCount, openHll, peekHll, rememberHll } from '../types/hyperloglog-cache.js';
import { decodeSparse, registerValues, selfTest } from '../types/hyperloglog-debug.js';
import { command, type CommandSpec } from './types.js';

/** The HLL string at `key`, undefined when missing; errors for anything else. */
function getHllString(ctx: CommandContext, key: Bytes): Bytes | undefined {
  const v = ctx.db.get(key, ctx.now);
  if (v === undefined) return undefined;
  if (typeof v !== 'string') throw new CommandError(Err.wrongType);
  if (!isHllString(v)) throw new CommandError(Err.notHll);
  return v;
}

function sparseLimit(ctx: CommandContext): number {
  return ctx.server.config.int('hll-sparse-max-bytes');
}

export const hyperLogLogCommands: CommandSpec[] = [
  command({
    name: 'pfadd', arity: -2, flags: ['write', 'denyoom', 'fast'], keys: { first: 1, last: 1, step: 1 },
    categories: ['hyperloglog'], group: 'hyperloglog', since: '2.8.9', complexity: 'O(1) to add every element.',
    summary: 'Adds elements to a HyperLogLog key. Creates the key if it doesn\'t exist.',
    handler(ctx, args): Reply {
      const key = args[1]!;
      const existing = getHllString(ctx, key);
      const h = existing === undefined ? createHll() : openHll(existing);
      let updated = existing === undefined ? 1 : 0;
      const limit = sparseLimit(ctx);
      for (let i = 2; i < args.length; i++) {
        const r = hllAdd(h, args[i]!, limit);
        if (r < 0) throw new CommandError(Err.corruptHll);
        updated += r;
      }
      if (updated === 0) {
        rememberHll(existing!, h);
        return 0;
      }
      invalidateCache(h);
      const next = existing === undefined ? hllToString(h) : hllToStringAfter(existing, h);
      rememberHll(next, h);
      ctx.db.set(key, next, existing !== undefined);
      ctx.modified(key);
      ctx.notify('$', 'pfadd', key);
      return 1;
    },
  }),
  command({
    name: 'pfcount', arity: -2, flags: ['readonly', 'may_replicate'], keys: { first: 1, last: -1, step: 1 },
    categories: ['hyperloglog'], group: 'hyperloglog', since: '2.8.9',
    complexity: 'O(1) with a very small average constant time when called with a single key. O(N) with N being the number of keys, and much bigger constant times, when called with multiple keys.',
    summary: 'Returns the approximated cardinality of the set(s) observed by the HyperLogLog key(s).',
    handler(ctx, args): Reply {
      if (args.length > 2) {
        const max = new Uint8Array(REGISTERS);
        for (let i = 1; i < args.length; i++) {
          const s = getHllString(ctx, args[i]!);
          if (s === undefined) continue;
          if (!mergeInto(max, hllFromString(s))) throw new CommandError(Err.corruptHll);
        }
        return countRegisters(max);
      }
      const key = args[1]!;
      const s = getHllString(ctx, key);
      if (s === undefined) return 0;
      const known = knownCount(s);
      if (known >= 0 && !ctx.writing) return known;
      const h = peekHll(s);
      const cached = cachedCount(h);
      if (cached !== null) return cached;
      const count = hllCount(h);
      if (count < 0) throw new CommandError(Err.corruptHll);
      if (ctx.writing) {
        const w = openHll(s);
        storeCount(w, count);
        const next = hllToString(w);
        rememberHll(next, w, count);
        ctx.db.set(key, next, true);
        ctx.modified(key);
      } else {
        rememberHll(s, h, count);
      }
      return count;
    },
  }),
  command({
    name: 'pfmerge', arity: -2, flags: ['write', 'denyoom'], keys: { first: 1, last: -1, step: 1 },
    categories: ['hyperloglog'], group: 'hyperloglog', since: '2.8.9',
    complexity: 'O(N) to merge N HyperLogLogs, but with high constant times.',
    summary: 'Merges one or more HyperLogLog values into a single key.',
    handler(ctx, args): Reply {
      const max = new Uint8Array(REGISTERS);
      let useDense = false;
      for (let i = 1; i < args.length; i++) {
        const s = getHllString(ctx, args[i]!);
        if (s === undefined) continue;
        const h = hllFromString(s);
        if (isDense(h)) useDense = true;
        if (!mergeInto(max, h)) throw new CommandError(Err.corruptHll);
      }
      const key = args[1]!;
      const existing = ctx.db.get(key, ctx.now) as Bytes | undefined;
      const dest: Hll = existing === undefined ? createHll() : hllFromString(existing, 64);
      if (useDense && !sparseToDense(dest)) throw new CommandError(Err.corruptHll);
      const limit = sparseLimit(ctx);
      for (let j = 0; j < REGISTERS; j++) {
        if (max[j] === 0) continue;
        hllSetRegister(dest, j, max[j]!, limit);
      }
      invalidateCache(dest);
      ctx.db.set(key, hllToString(dest), existing !== undefined);
      ctx.modified(key);
      ctx.notify('$', 'pfadd', key);
      return OK;
    },
  }),
  command({
    name: 'pfdebug', arity: 3, flags: ['write', 'denyoom', 'admin'], keys: { first: 2, last: 2, step: 1 },
    categories: ['hyperloglog'], group: 'hyperloglog', since: '2.8.9', complexity: 'N/A',
    summary: 'Internal commands for debugging HyperLogLog values.',
    handler(ctx, args): Reply {
      const key = args[2]!;
      const v = ctx.db.get(key, ctx.now);
      if (v === undefined) throw new CommandError('ERR The specified key does not exist');
      const s = getHllString(ctx, key)!;
      const sub = args[1]!.toLowerCase();
      const h = hllFromString(s);
      const densify = (): number => {
        if (isDense(h)) return 0;
        if (!sparseToDense(h)) throw new CommandError(Err.corruptHll);
        ctx.db.set(key, hllToString(h), true);
        ctx.modified(key);
        return 1;
      };
      switch (sub) {
        case 'getreg':
          densify();
          return registerValues(h);
        case 'decode': {
          if (isDense(h)) throw new CommandError('ERR HLL encoding is not sparse');
          return decodeSparse(h);
        }
        case 'encoding':
          return new SimpleString(isDense(h) ? 'dense' : 'sparse');
        case 'todense':
          return densify();
        default:
          throw new CommandError(`ERR Unknown PFDEBUG subcommand '${args[1]!}'`);
      }
    },
  }),
  command({
    name: 'pfselftest', arity: 1, flags: ['admin'], categories: ['hyperloglog'], group: 'hyperloglog', since: '2.8.9',
    complexity: 'N/A', summary: 'An internal command for testing HyperLogLog values.',
    handler(): Reply {
      const failure = selfTest();
      if (failure !== null) throw new CommandError(`ERR ${failure}`);
      return OK;
    },
  }),
];
