/**
 * Endless round-robin walks over Maps (the keyspace, the expiry table):
 * each call yields the next entry in insertion order and starts over at the
 * end. A Map iterator stays valid while entries are added and deleted (the
 * language guarantees it), so a walk costs one iterator per Map and nothing
 * per key. The active expire cycle and RANDOMKEY use it to sample keys
 * without random access into a Map.
 * This module is browser compatible.
 */
export class Rotation<K, V> {
  // Weak so a Map dropped by FLUSHALL/SWAPDB's owners takes its walk with it.
  private readonly walks = new WeakMap<Map<K, V>, Iterator<[K, V]>>();

  /** The next entry of `map` after the last one this rotation gave, or undefined when empty. */
  next(map: Map<K, V>): [K, V] | undefined {
    if (map.size === 0) {
      this.forget(map);
      return undefined;
    }
    let it = this.walks.get(map);
    if (it !== undefined) {
      const r = it.next();
      if (!r.done) return r.value;
    }
    it = map.entries();
    this.walks.set(map, it);
    const r = it.next();
    return r.done ? undefined : r.value;
  }

  /**
   * Drops the walk over `map`. An iterator keeps the Map's storage from before
   * a rehash or clear() alive until it moves on, so an emptied Map's walk is
   * released rather than kept.
   */
  forget(map: Map<K, V>): void {
    this.walks.delete(map);
  }
}
