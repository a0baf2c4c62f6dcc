/**
 * SCAN cursors. Redis's cursor encodes a position in its hash table; a JS Map
 * has no addressable positions, but a Map iterator survives insertions and
 * deletions and visits every entry present from its creation to its end
 * exactly once. So a cursor names a live iterator, kept in a small bounded
 * table (least recently used goes first). That keeps SCAN's guarantee: a key
 * present for the whole scan is returned at least once.
 *
 * A cursor the table does not know (evicted, from before a restart, from
 * another node, or a Map replaced by SWAPDB) restarts the walk from the
 * beginning instead of failing: keys may be returned twice, which SCAN
 * allows, but none present throughout is missed. Nothing is kept per key.
 * This module is browser compatible.
 */
import type { Bytes } from '../bytes.js';
import { freshSeed } from '../random.js';
import type { Database } from './database.js';
import type { Value } from './value.js';

interface ScanWalk {
  readonly keys: Map<Bytes, Value>;
  readonly iterator: Iterator<Bytes>;
  /** The key read ahead to learn whether the walk was over; not yet examined. */
  pending: Bytes | undefined;
}

/** Decides whether a visited key goes into the reply (MATCH, TYPE, expiry). */
export type ScanAccept = (key: Bytes, value: Value) => boolean;

const DEFAULT_LIMIT = 128;

export class ScanCursors {
  private readonly walks = new Map<string, ScanWalk>();
  // A random start makes a stale cursor from an earlier run unlikely to name a live walk.
  private nextId = 1 + (freshSeed() % 0x40000000) * 1024;

  constructor(readonly limit = DEFAULT_LIMIT) {}

  /**
   * Forgets every walk. Called when a database is flushed or swapped: an
   * iterator would keep the emptied Map's old storage alive, and continuing
   * those cursors from the start again is sound.
   */
  clear(): void {
    this.walks.clear();
  }

  /** Walks in progress (for tests and INFO-like introspection). */
  get size(): number {
    return this.walks.size;
  }

  /**
   * Visits up to `count` keys of `db` from `cursor` (a canonical decimal; "0"
   * starts). Returns the next cursor ("0" when the walk is complete) and the
   * accepted keys.
   */
  step(db: Database, cursor: string, count: number, accept: ScanAccept): [string, Bytes[]] {
    let walk = cursor === '0' ? undefined : this.walks.get(cursor);
    if (walk !== undefined) {
      this.walks.delete(cursor);
      if (walk.keys !== db.data) walk = undefined;
    }
    walk ??= { keys: db.data, iterator: db.data.keys(), pending: undefined };
    const keys = walk.keys;
    const out: Bytes[] = [];
    let visited = 0;
    if (walk.pending !== undefined) {
      const key = walk.pending;
      walk.pending = undefined;
      visited++;
      // Deleted since it was read ahead: it was not present for the whole scan.
      const value = keys.get(key);
      if (value !== undefined && accept(key, value)) out.push(key);
    }
    const it = walk.iterator;
    while (visited < count) {
      const r = it.next();
      if (r.done) return ['0', out];
      visited++;
      const value = keys.get(r.value);
      if (value !== undefined && accept(r.value, value)) out.push(r.value);
    }
    const ahead = it.next();
    if (ahead.done) return ['0', out];
    walk.pending = ahead.value;
    const id = String(this.nextId++);
    this.walks.set(id, walk);
    if (this.walks.size > this.limit) this.walks.delete(this.walks.keys().next().value!);
    return [id, out];
  }
}

/**
 * A cursor as Redis's strtoul reads it, as a canonical decimal, or null when
 * Redis answers "invalid cursor" (leading space, trailing junk, out of range).
 * The empty string is cursor 0 and a minus sign wraps around, as in C.
 */
export function parseCursor(text: Bytes): string | null {
  if (text.length === 0) return '0';
  if (text === '0') return '0';
  const m = /^[+-]?\d+$/.exec(text);
  if (m === null) {
    // strtoul skips leading spaces, but Redis refuses them; after a sign they are refused by the regex too.
    return null;
  }
  const negative = text.charCodeAt(0) === 45;
  const digits = text.charCodeAt(0) === 43 || negative ? text.slice(1) : text;
  const magnitude = BigInt(digits);
  const MAX = 2n ** 64n - 1n;
  if (magnitude > MAX) return null;
  return String(negative ? (2n ** 64n - magnitude) % 2n ** 64n : magnitude);
}
