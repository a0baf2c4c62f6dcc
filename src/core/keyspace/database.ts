/**
 * One numbered database: keys to values, and keys to absolute expiry times
 * (Unix ms). Expired keys are treated as missing on every read; they are
 * deleted only on the write path (which is deterministic: it sees the entry's
 * time), so replicas never diverge by expiring on their own.
 * This module is browser compatible.
 */
import type { Bytes } from '../bytes.js';
import type { Value } from './value.js';

export class Database {
  // Not readonly only so SWAPDB can exchange two databases' contents in O(1).
  data = new Map<Bytes, Value>();
  expires = new Map<Bytes, number>();

  constructor(readonly id: number) {}

  /** Keys, including logically expired ones not yet removed (as DBSIZE counts). */
  get size(): number {
    return this.data.size;
  }

  /** As Redis: a key expiring at `at` is still alive at exactly `at`. */
  isExpired(key: Bytes, now: number): boolean {
    if (this.expires.size === 0) return false;
    const at = this.expires.get(key);
    return at !== undefined && at < now;
  }

  /** The value of a live key, without changing anything. */
  get(key: Bytes, now: number): Value | undefined {
    const v = this.data.get(key);
    if (v === undefined) return undefined;
    if (this.expires.size !== 0 && this.isExpired(key, now)) return undefined;
    return v;
  }

  has(key: Bytes, now: number): boolean {
    return this.get(key, now) !== undefined;
  }

  /**
   * Stores a value. The key's TTL is dropped unless `keepTtl` (SET without
   * KEEPTTL forgets a TTL; in-place updates of a value keep it).
   */
  set(key: Bytes, value: Value, keepTtl = false): void {
    this.data.set(key, value);
    if (!keepTtl && this.expires.size !== 0) this.expires.delete(key);
  }

  delete(key: Bytes): boolean {
    if (!this.data.delete(key)) return false;
    if (this.expires.size !== 0) this.expires.delete(key);
    return true;
  }

  getExpire(key: Bytes): number | undefined {
    return this.expires.get(key);
  }

  setExpire(key: Bytes, atMs: number): void {
    this.expires.set(key, atMs);
  }

  persist(key: Bytes): boolean {
    return this.expires.delete(key);
  }

  /**
   * Deletes `key` if it is logically expired at `now`; true when it did.
   * Write path only (see keyspace/lazy-expire.ts for the notifications).
   */
  removeIfExpired(key: Bytes, now: number): boolean {
    if (!this.isExpired(key, now)) return false;
    this.data.delete(key);
    this.expires.delete(key);
    return true;
  }

  /** Exchanges the contents of two databases (SWAPDB); their ids stay. */
  swapWith(other: Database): void {
    const data = this.data;
    const expires = this.expires;
    this.data = other.data;
    this.expires = other.expires;
    other.data = data;
    other.expires = expires;
  }

  clear(): void {
    this.data.clear();
    this.expires.clear();
  }
}
