/**
 * What every sorted-set command shares: finding the zset at a key (or the
 * WRONGTYPE error), storing a computed result the way Redis does, removing
 * a key its last member left, and replying with scored members (flat pairs
 * in RESP2, [member, double] pairs in RESP3).
 * This module is browser compatible.
 */
import type { Bytes } from '../bytes.js';
import type { CommandContext } from '../context.js';
import { CommandError, Err } from '../errors.js';
import { DoubleReply, type Reply } from '../resp/reply.js';
import { SortedSet, type ZsetLimits } from '../types/zset.js';

/** The zset at `key`, undefined when missing, WRONGTYPE when another type. */
export function readZset(ctx: CommandContext, key: Bytes): SortedSet | undefined {
  const v = ctx.db.get(key, ctx.now);
  if (v === undefined) return undefined;
  if (!(v instanceof SortedSet)) throw new CommandError(Err.wrongType);
  return v;
}

export function limitsOf(ctx: CommandContext): ZsetLimits {
  const config = ctx.server.config;
  return { entries: config.int('zset-max-listpack-entries'), value: config.int('zset-max-listpack-value') };
}

/** After members left `z`: deletes the key when it is empty (and says so). */
export function dropIfEmpty(ctx: CommandContext, key: Bytes, z: SortedSet): boolean {
  if (z.size !== 0) return false;
  ctx.db.delete(key);
  ctx.notify('g', 'del', key);
  return true;
}

/**
 * Stores a computed zset at `dst` (ZUNIONSTORE, ZRANGESTORE...): an empty
 * result deletes `dst` instead. Replies with the stored size.
 */
export function storeResult(ctx: CommandContext, dst: Bytes, z: SortedSet, event: string): number {
  if (z.size > 0) {
    z.settleEncoding(limitsOf(ctx));
    ctx.db.set(dst, z);
    ctx.modified(dst);
    ctx.notify('z', event, dst);
    return z.size;
  }
  if (ctx.db.has(dst, ctx.now)) {
    ctx.db.delete(dst);
    ctx.modified(dst);
    ctx.notify('g', 'del', dst);
  } else if (ctx.db.delete(dst)) {
    // An expired key still held: removing it is not a deletion the client made.
    ctx.dirty++;
  }
  return 0;
}

/** Collects members (and scores) for a reply in the shape the client's protocol expects. */
export class ScoredReply {
  readonly items: Reply[] = [];
  private readonly nested: boolean;

  constructor(ctx: CommandContext, readonly withScores: boolean) {
    this.nested = withScores && ctx.client.resp === 3;
  }

  push(member: Bytes, score: number): void {
    if (!this.withScores) this.items.push(member);
    else if (this.nested) this.items.push([member, new DoubleReply(score)]);
    else this.items.push(member, new DoubleReply(score));
  }
}
