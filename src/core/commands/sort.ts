/**
 * SORT and SORT_RO over lists, sets and sorted sets: BY patterns (with
 * `nosort` or any pattern without `*` keeping the stored order), GET patterns
 * (`#` for the element, `key*->field` for a hash field), LIMIT, ASC/DESC,
 * ALPHA and STORE, following Redis's sortCommandGeneric step by step.
 *
 * The element types are read through the small shapes below, so this module
 * depends only on what each value can do: iterate (sets), give the element at
 * a rank (sorted sets, in score order) or a field's value (hashes).
 * This module is browser compatible.
 */
import type { Bytes } from '../bytes.js';
import type { CommandContext } from '../context.js';
import { CommandError, Err } from '../errors.js';
import { lookupWrite } from '../keyspace/lazy-expire.js';
import type { Value } from '../keyspace/value.js';
import type { Reply } from '../resp/reply.js';
import { ListValue } from '../types/list.js';
import { intArg, isWord, parseDouble } from './parse.js';
import { command, type CommandSpec } from './types.js';

/** A sorted set: its members by rank, lowest score first. */
interface RankedMembers {
  readonly size: number;
  at(rank: number): { readonly member: Bytes } | null;
}

/** A hash: one field's value. */
interface FieldValues {
  get(field: Bytes, now: number): Bytes | undefined;
}

interface SortOptions {
  desc: boolean;
  alpha: boolean;
  /** Keeps the stored order (BY without '*'). */
  dontSort: boolean;
  by: Bytes | null;
  gets: Bytes[];
  limitStart: number;
  limitCount: number;
  store: Bytes | null;
}

function parseOptions(args: Bytes[], readonly: boolean): SortOptions {
  const o: SortOptions = {
    desc: false, alpha: false, dontSort: false, by: null, gets: [], limitStart: 0, limitCount: -1, store: null,
  };
  for (let j = 2; j < args.length; j++) {
    const a = args[j]!;
    const left = args.length - j - 1;
    if (isWord(a, 'ASC')) o.desc = false;
    else if (isWord(a, 'DESC')) o.desc = true;
    else if (isWord(a, 'ALPHA')) o.alpha = true;
    else if (isWord(a, 'LIMIT') && left >= 2) {
      o.limitStart = intArg(args[j + 1]!);
      o.limitCount = intArg(args[j + 2]!);
      j += 2;
    } else if (!readonly && isWord(a, 'STORE') && left >= 1) {
      o.store = args[++j]!;
    } else if (isWord(a, 'BY') && left >= 1) {
      o.by = args[++j]!;
      if (o.by.indexOf('*') === -1) o.dontSort = true;
    } else if (isWord(a, 'GET') && left >= 1) {
      o.gets.push(args[++j]!);
    } else {
      throw new CommandError(Err.syntax);
    }
  }
  return o;
}

/**
 * What a BY or GET pattern finds for one element: `#` is the element itself;
 * otherwise the first '*' is replaced by the element and the key read as a
 * string, or as a hash field after `->`. Anything else is missing (null).
 */
function lookupByPattern(ctx: CommandContext, pattern: Bytes, element: Bytes): Bytes | null {
  if (pattern === '#') return element;
  const star = pattern.indexOf('*');
  if (star === -1) return null;
  const arrow = pattern.indexOf('->', star + 1);
  const hasField = arrow !== -1 && arrow + 2 < pattern.length;
  const keyEnd = hasField ? arrow : pattern.length;
  const key = pattern.slice(0, star) + element + pattern.slice(star + 1, keyEnd);
  const value = ctx.db.get(key, ctx.now);
  if (value === undefined) return null;
  if (hasField) {
    if (typeof value === 'string' || value.type !== 'hash') return null;
    return (value as unknown as FieldValues).get(pattern.slice(arrow + 2), ctx.now) ?? null;
  }
  return typeof value === 'string' ? value : null;
}

/** strtod over the whole string, as SORT reads scores: leading spaces allowed, "" is 0. */
function parseScore(text: Bytes): number | null {
  if (text === '') return 0;
  let i = 0;
  while (i < text.length && isSpace(text.charCodeAt(i))) i++;
  const rest = text.slice(i);
  const v = parseDouble(rest);
  if (v === null) return null;
  // strtod reports ERANGE for overflow and underflow.
  if (!Number.isFinite(v) && !/inf/i.test(rest)) return null;
  if (Math.abs(v) < 2.2250738585072014e-308 && /[1-9]/.test(rest.replace(/e.*$/i, ''))) return null;
  return v;
}

function isSpace(c: number): boolean {
  return c === 32 || (c >= 9 && c <= 13);
}

/** Every element of a list, set or sorted set, in its own order. */
function allElements(value: Exclude<Value, string>): Bytes[] {
  if (value instanceof ListValue) return value.toArray();
  if (value.type === 'zset') return rankRange(value as unknown as RankedMembers, 0, (value as unknown as RankedMembers).size - 1, false);
  return [...(value as unknown as Iterable<Bytes>)];
}

/** Members of a sorted set from rank `start` to `end`, from the highest score when `desc`. */
function rankRange(z: RankedMembers, start: number, end: number, desc: boolean): Bytes[] {
  const out: Bytes[] = [];
  for (let r = start; r <= end; r++) {
    const node = z.at(desc ? z.size - 1 - r : r);
    if (node === null) break;
    out.push(node.member);
  }
  return out;
}

function sizeOf(value: Exclude<Value, string>): number {
  if (value instanceof ListValue) return value.length;
  return (value as unknown as { size: number }).size;
}

interface Item {
  element: Bytes;
  score: number;
  /** ALPHA with BY: the value compared; null when the BY key is missing. */
  by: Bytes | null;
}

function compareBytes(a: Bytes, b: Bytes): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

function sortGeneric(ctx: CommandContext, args: Bytes[], readonly: boolean): Reply {
  const o = parseOptions(args, readonly);
  // With STORE this is a write: an expired source is deleted first, as Redis's lookupKeyWrite does.
  const found = o.store !== null ? lookupWrite(ctx, args[1]!) : ctx.db.get(args[1]!, ctx.now);
  if (found !== undefined && (typeof found === 'string' || (found.type !== 'list' && found.type !== 'set' && found.type !== 'zset'))) {
    throw new CommandError(Err.wrongType);
  }
  const value = found ?? new ListValue();
  // A set has no order of its own: sort it when the result is stored, so every replica stores the same list.
  if (o.dontSort && value.type === 'set' && o.store !== null) {
    o.dontSort = false;
    o.alpha = true;
    o.by = null;
  }
  const length = sizeOf(value);
  let start = o.limitStart < 0 ? 0 : o.limitStart;
  let end = o.limitCount < 0 ? length - 1 : start + o.limitCount - 1;
  if (start >= length) {
    start = length - 1;
    end = length - 2;
  }
  if (end >= length) end = length - 1;

  let elements: Bytes[];
  if (o.dontSort && value.type !== 'set') {
    // Stored order: read just the range asked for, from the other end for DESC.
    if (end < start) elements = [];
    else if (value instanceof ListValue) {
      elements = [];
      for (let j = start; j <= end; j++) elements.push(value.at(o.desc ? length - 1 - j : j)!);
    } else elements = rankRange(value as unknown as RankedMembers, start, end, o.desc);
    end -= start;
    start = 0;
  } else {
    elements = allElements(value);
  }

  if (!o.dontSort) {
    const items: Item[] = elements.map((element) => ({ element, score: 0, by: null }));
    let badScore = false;
    for (const item of items) {
      let byValue: Bytes | null = item.element;
      if (o.by !== null) {
        byValue = lookupByPattern(ctx, o.by, item.element);
        if (byValue === null) continue;
      }
      if (o.alpha) {
        if (o.by !== null) item.by = byValue;
      } else {
        const score = parseScore(byValue);
        if (score === null) badScore = true;
        else item.score = score;
      }
    }
    if (badScore) throw new CommandError("ERR One or more scores can't be converted into double");
    const sign = o.desc ? -1 : 1;
    let compare: (a: Item, b: Item) => number;
    if (!o.alpha) {
      compare = (a, b) => sign * (a.score > b.score ? 1 : a.score < b.score ? -1 : compareBytes(a.element, b.element));
    } else if (o.by !== null) {
      compare = (a, b) => {
        if (a.by === null || b.by === null) return sign * (a.by === b.by ? 0 : a.by === null ? -1 : 1);
        return sign * compareBytes(a.by, b.by);
      };
    } else {
      compare = (a, b) => sign * compareBytes(a.element, b.element);
    }
    items.sort(compare);
    elements = items.map((i) => i.element);
  }

  const out: Bytes[] | Reply[] = [];
  for (let j = start; j <= end; j++) {
    const element = elements[j]!;
    if (o.gets.length === 0) {
      (out as Bytes[]).push(element);
      continue;
    }
    for (const pattern of o.gets) {
      const v = lookupByPattern(ctx, pattern, element);
      (out as Reply[]).push(o.store !== null ? (v ?? '') : v);
    }
  }
  if (o.store === null) return out;

  const dest = o.store;
  if (out.length > 0) {
    ctx.db.set(dest, ListValue.from(out as Bytes[]));
    ctx.modified(dest);
    ctx.notify('l', 'sortstore', dest);
  } else if (ctx.db.delete(dest)) {
    ctx.modified(dest);
    ctx.notify('g', 'del', dest);
  }
  return out.length;
}

/** The key and, for SORT ... STORE, the destination. */
function sortKeys(args: Bytes[]): number[] {
  const keys = [1];
  for (let j = 2; j < args.length; j++) {
    const a = args[j]!;
    if (isWord(a, 'LIMIT')) j += 2;
    else if (isWord(a, 'GET') || isWord(a, 'BY')) j++;
    else if (isWord(a, 'STORE') && j + 1 < args.length) keys.push(++j);
  }
  return keys;
}

const categories = ['set', 'sortedset', 'list', 'dangerous'];

export const sortCommands: CommandSpec[] = [
  command({
    name: 'sort', arity: -2, flags: ['write', 'denyoom', 'movablekeys'], keys: { first: 1, last: 1, step: 1 }, getKeys: sortKeys,
    categories, group: 'generic', since: '1.0.0', complexity: 'O(N+M*log(M))',
    summary: 'Sorts the elements in a list, a set, or a sorted set, optionally storing the result.',
    handler: (ctx, args) => sortGeneric(ctx, args, false),
  }),
  command({
    name: 'sort_ro', arity: -2, flags: ['readonly', 'movablekeys'], keys: { first: 1, last: 1, step: 1 }, getKeys: () => [1],
    categories, group: 'generic', since: '7.0.0', complexity: 'O(N+M*log(M))',
    summary: 'Returns the sorted elements of a list, a set, or a sorted set.',
    handler: (ctx, args) => sortGeneric(ctx, args, true),
  }),
];
