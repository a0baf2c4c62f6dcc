/**
 * The hash value: fields to values, with optional per-field expiry times
 * (Redis 7.4 hash-field expiration). Expired fields are invisible to every
 * read and are removed only on the write path (`purgeExpired`), so replicas
 * that apply the same log stay identical.
 * This module is browser compatible.
 */
import type { Bytes } from '../bytes.js';
import type { EncodingLimits, TypedValue } from '../keyspace/value.js';
import type { ScanOrder } from '../commands/scan-args.js';
import { CompactMap } from './compact-map.js';

/** Where write paths read the encoding limits (the server's ConfigStore). */
export interface IntConfig {
  int(name: string): number;
}

export class HashValue implements TypedValue {
  readonly type = 'hash' as const;
  readonly fields = new CompactMap<Bytes>();
  /** Field -> absolute expiry (Unix ms); null while no field has one. */
  expires: Map<Bytes, number> | null = null;
  /** The earliest field expiry, cached (null: recompute); lets reads skip scanning when nothing is due. */
  private earliest: number | null = null;
  /** Redis never converts a hashtable back to a listpack; neither do we. */
  hashtable = false;
  /** HSCAN's order over the fields, kept until a field is added or removed. */
  scanOrder: ScanOrder | null = null;

  encoding(config: EncodingLimits): string {
    const entries = config.get('hash-max-listpack-entries') as number;
    if (this.hashtable || this.exceeds(entries, config.get('hash-max-listpack-value') as number)) return 'hashtable';
    return this.expires !== null && this.expires.size > 0 ? 'listpackex' : 'listpack';
  }

  clone(): HashValue {
    const copy = new HashValue();
    for (const [f, v] of this.fields) copy.fields.set(f, v);
    if (this.expires !== null) copy.expires = new Map(this.expires);
    copy.hashtable = this.hashtable;
    return copy;
  }

  /** Records the conversion to a hashtable once a write crosses a limit (call after writes). */
  noteWrite(config: IntConfig, field: Bytes, value: Bytes): void {
    if (this.hashtable) return;
    const maxValue = config.int('hash-max-listpack-value');
    if (field.length > maxValue || value.length > maxValue ||
        this.fields.size > config.int('hash-max-listpack-entries')) {
      this.hashtable = true;
    }
  }

  /** True while Redis would hold this hash as a listpack (HSCAN answers it in one call). */
  isCompact(config: IntConfig): boolean {
    return !this.hashtable && !this.exceeds(config.int('hash-max-listpack-entries'), config.int('hash-max-listpack-value'));
  }

  private exceeds(maxEntries: number, maxValue: number): boolean {
    if (this.fields.size > maxEntries) return true;
    for (const [f, v] of this.fields) if (f.length > maxValue || v.length > maxValue) return true;
    return false;
  }

  /** True when some field has an expiry time (the slow paths only run then). */
  get volatile(): boolean {
    return this.expires !== null && this.expires.size > 0;
  }

  isLive(field: Bytes, now: number): boolean {
    if (!this.fields.has(field)) return false;
    if (this.expires === null) return true;
    const at = this.expires.get(field);
    return at === undefined || at > now;
  }

  /** The value of a live field. */
  get(field: Bytes, now: number): Bytes | undefined {
    const v = this.fields.get(field);
    if (v === undefined || this.expires === null) return v;
    const at = this.expires.get(field);
    return at !== undefined && at <= now ? undefined : v;
  }

  /** When the first field expires (Infinity when none has a TTL). */
  earliestExpiry(): number {
    if (!this.volatile) return Infinity;
    if (this.earliest === null) {
      let min = Infinity;
      for (const at of this.expires!.values()) if (at < min) min = at;
      this.earliest = min;
    }
    return this.earliest;
  }

  /** Drops a field's TTL from the cached earliest expiry before it goes. */
  private forgetExpire(field: Bytes): void {
    const at = this.expires!.get(field);
    if (at !== undefined && at === this.earliest) this.earliest = null;
  }

  /** Live fields, counted. */
  liveSize(now: number): number {
    if (!this.volatile || this.earliestExpiry() > now) return this.fields.size;
    let dead = 0;
    for (const at of this.expires!.values()) if (at <= now) dead++;
    return this.fields.size - dead;
  }

  /** Sets a field; a write replaces the value and clears the field's TTL. Returns true if new. */
  set(field: Bytes, value: Bytes): boolean {
    const size = this.fields.size;
    this.fields.set(field, value);
    if (this.expires !== null) {
      this.forgetExpire(field);
      this.expires.delete(field);
    }
    if (this.fields.size === size) return false;
    this.scanOrder = null;
    return true;
  }

  /** Sets a field and keeps its TTL (HINCRBY and friends alter, not replace). */
  update(field: Bytes, value: Bytes): void {
    this.fields.set(field, value);
  }

  delete(field: Bytes): boolean {
    if (!this.fields.delete(field)) return false;
    if (this.expires !== null) {
      this.forgetExpire(field);
      this.expires.delete(field);
    }
    this.scanOrder = null;
    return true;
  }

  getExpire(field: Bytes): number | undefined {
    return this.expires === null ? undefined : this.expires.get(field);
  }

  setExpire(field: Bytes, atMs: number): void {
    this.expires ??= new Map();
    this.forgetExpire(field);
    this.expires.set(field, atMs);
    if (this.earliest !== null && atMs < this.earliest) this.earliest = atMs;
  }

  persist(field: Bytes): boolean {
    if (this.expires === null) return false;
    this.forgetExpire(field);
    return this.expires.delete(field);
  }

  /** Removes fields whose time has come; returns how many. Write path only. */
  purgeExpired(now: number): number {
    if (!this.volatile || this.earliestExpiry() > now) return 0;
    let n = 0;
    for (const [field, at] of this.expires!) {
      if (at <= now) {
        this.fields.delete(field);
        this.expires!.delete(field);
        this.earliest = null;
        this.scanOrder = null;
        n++;
      }
    }
    return n;
  }

  /** Live [field, value] pairs in the hash's order. */
  *entries(now: number): IterableIterator<[Bytes, Bytes]> {
    if (!this.volatile || this.earliestExpiry() > now) {
      yield* this.fields;
      return;
    }
    const exp = this.expires!;
    for (const e of this.fields) {
      const at = exp.get(e[0]);
      if (at === undefined || at > now) yield e;
    }
  }
}
