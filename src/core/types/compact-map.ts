/**
 * A string-keyed map that holds its first few entries in one flat array
 * (key, value, key, value...), the way Redis keeps small hashes in a
 * listpack, and moves them into a Map once it grows past `limit`. A JS Map
 * costs a few hundred bytes even when it holds three entries; most hashes
 * are that small. Insertion order is kept either way, as a Map keeps it.
 * This module is browser compatible.
 */
import type { Bytes } from '../bytes.js';

/** Entries kept in the flat array before moving to a Map: a linear search stays cheap up to here. */
export const COMPACT_LIMIT = 32;

export class CompactMap<V> implements Iterable<[Bytes, V]> {
  /** Exactly sized (grown by copying, not by push, which over-allocates). Null once `map` is used. */
  private flat: (Bytes | V)[] | null = EMPTY as (Bytes | V)[];
  private map: Map<Bytes, V> | null = null;

  get size(): number {
    return this.map !== null ? this.map.size : this.flat!.length >> 1;
  }

  private indexOf(key: Bytes): number {
    const a = this.flat!;
    for (let i = 0; i < a.length; i += 2) if (a[i] === key) return i;
    return -1;
  }

  get(key: Bytes): V | undefined {
    if (this.map !== null) return this.map.get(key);
    const i = this.indexOf(key);
    return i < 0 ? undefined : (this.flat![i + 1] as V);
  }

  has(key: Bytes): boolean {
    if (this.map !== null) return this.map.has(key);
    return this.indexOf(key) >= 0;
  }

  set(key: Bytes, value: V): this {
    if (this.map !== null) {
      this.map.set(key, value);
      return this;
    }
    const a = this.flat!;
    const i = this.indexOf(key);
    if (i >= 0) {
      a[i + 1] = value;
      return this;
    }
    if (a.length >> 1 < COMPACT_LIMIT) {
      this.flat = a.concat([key, value]);
      return this;
    }
    const map = new Map<Bytes, V>();
    for (let j = 0; j < a.length; j += 2) map.set(a[j] as Bytes, a[j + 1] as V);
    map.set(key, value);
    this.map = map;
    this.flat = null;
    return this;
  }

  delete(key: Bytes): boolean {
    if (this.map !== null) return this.map.delete(key);
    const a = this.flat!;
    const i = this.indexOf(key);
    if (i < 0) return false;
    this.flat = a.length === 2 ? (EMPTY as (Bytes | V)[]) : a.slice(0, i).concat(a.slice(i + 2));
    return true;
  }

  clear(): void {
    this.map = null;
    this.flat = EMPTY as (Bytes | V)[];
  }

  *keys(): IterableIterator<Bytes> {
    if (this.map !== null) {
      yield* this.map.keys();
      return;
    }
    const a = this.flat!;
    for (let i = 0; i < a.length; i += 2) yield a[i] as Bytes;
  }

  *values(): IterableIterator<V> {
    if (this.map !== null) {
      yield* this.map.values();
      return;
    }
    const a = this.flat!;
    for (let i = 0; i < a.length; i += 2) yield a[i + 1] as V;
  }

  *entries(): IterableIterator<[Bytes, V]> {
    if (this.map !== null) {
      yield* this.map.entries();
      return;
    }
    const a = this.flat!;
    for (let i = 0; i < a.length; i += 2) yield [a[i] as Bytes, a[i + 1] as V];
  }

  [Symbol.iterator](): IterableIterator<[Bytes, V]> {
    return this.entries();
  }
}

/** Shared by every empty map; never written to (a write replaces the array). */
const EMPTY: readonly unknown[] = Object.freeze([]);
