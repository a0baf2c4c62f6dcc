/**
 * How hash commands reach their value: reads see only live fields; writes
 * first remove expired fields (and the key when none is left), which every
 * replica does at the same log position.
 * This module is browser compatible.
 */
import type { Bytes } from '../bytes.js';
import type { CommandContext } from '../context.js';
import { CommandError, Err } from '../errors.js';
import { HashValue } from '../types/hash.js';

/** The hash at `key` for a read; undefined when missing or when every field has expired. */
export function readHash(ctx: CommandContext, key: Bytes): HashValue | undefined {
  const v = ctx.db.get(key, ctx.now);
  if (v === undefined) return undefined;
  if (!(v instanceof HashValue)) throw new CommandError(Err.wrongType);
  if (v.volatile && v.earliestExpiry() <= ctx.now && v.liveSize(ctx.now) === 0) return undefined;
  return v;
}

/**
 * The hash at `key` for a write, with its expired fields removed first; the
 * key itself goes when none is left.
 */
export function writeHash(ctx: CommandContext, key: Bytes): HashValue | undefined {
  const v = ctx.db.get(key, ctx.now);
  if (v === undefined) return undefined;
  if (!(v instanceof HashValue)) throw new CommandError(Err.wrongType);
  if (v.volatile && v.purgeExpired(ctx.now) > 0) {
    ctx.notify('h', 'hexpired', key);
    if (v.fields.size === 0) {
      ctx.db.delete(key);
      ctx.modified(key);
      ctx.notify('g', 'del', key);
      return undefined;
    }
    ctx.modified(key);
  }
  return v;
}

export function createHash(ctx: CommandContext, key: Bytes): HashValue {
  const h = new HashValue();
  ctx.db.set(key, h);
  return h;
}

/** Deletes the key once its last field is gone. */
export function dropIfEmpty(ctx: CommandContext, key: Bytes, h: HashValue): void {
  if (h.fields.size === 0) {
    ctx.db.delete(key);
    ctx.notify('g', 'del', key);
  }
}
