/**
 * The list value: a deque of binary strings in a ring buffer, so pushes and
 * pops at both ends are O(1) (amortized) and indexing is O(1).
 *
 * OBJECT ENCODING follows Redis 7.2: a list is `listpack` until one push
 * makes it exceed `list-max-listpack-size`, then `quicklist` for good. To
 * answer that without being told the configuration on every push, the list
 * remembers the largest size (estimated listpack bytes) and length it ever
 * had while it could still be a listpack.
 * This module is browser compatible.
 */
import type { Bytes } from '../bytes.js';
import type { EncodingLimits, TypedValue } from '../keyspace/value.js';

const INITIAL_CAPACITY = 8;
/** Listpack header (total bytes + count) and end byte. */
const LISTPACK_OVERHEAD = 7;
/** Redis's byte limits for list-max-listpack-size -1..-5. */
const SIZE_CLASSES = [4096, 8192, 16384, 32768, 65536];
/** A positive (entry count) limit still caps a listpack node at this many bytes. */
const SIZE_SAFETY_LIMIT = 8192;
/** Past this size no setting keeps a listpack, so the list stops measuring itself. */
const LARGEST_LIMIT = 65536;

export class ListValue implements TypedValue {
  readonly type = 'list' as const;
  private items: (Bytes | undefined)[];
  private mask: number;
  private head = 0;
  private size = 0;
  /** Estimated listpack bytes now, and the most ever reached at a push (-1: past every limit). */
  private packedBytes = LISTPACK_OVERHEAD;
  private peakBytes = 0;
  private peakLength = 0;

  constructor(capacity = INITIAL_CAPACITY) {
    let cap = INITIAL_CAPACITY;
    while (cap < capacity) cap *= 2;
    this.items = new Array<Bytes | undefined>(cap);
    this.mask = cap - 1;
  }

  static from(values: readonly Bytes[]): ListValue {
    const list = new ListValue(values.length);
    for (let i = 0; i < values.length; i++) list.pushTail(values[i]!);
    return list;
  }

  get length(): number {
    return this.size;
  }

  pushHead(value: Bytes): void {
    this.grown(value);
    if (this.size === this.items.length) this.resize(this.items.length * 2);
    this.head = (this.head - 1) & this.mask;
    this.items[this.head] = value;
    this.size++;
  }

  pushTail(value: Bytes): void {
    this.grown(value);
    if (this.size === this.items.length) this.resize(this.items.length * 2);
    this.items[(this.head + this.size) & this.mask] = value;
    this.size++;
  }

  popHead(): Bytes | undefined {
    if (this.size === 0) return undefined;
    const v = this.items[this.head]!;
    this.items[this.head] = undefined;
    this.head = (this.head + 1) & this.mask;
    this.size--;
    this.shrunk(v);
    return v;
  }

  popTail(): Bytes | undefined {
    if (this.size === 0) return undefined;
    const i = (this.head + this.size - 1) & this.mask;
    const v = this.items[i]!;
    this.items[i] = undefined;
    this.size--;
    this.shrunk(v);
    return v;
  }

  /** The element at a zero-based index (no negative indexes here), or undefined. */
  at(index: number): Bytes | undefined {
    if (index < 0 || index >= this.size) return undefined;
    return this.items[(this.head + index) & this.mask];
  }

  set(index: number, value: Bytes): void {
    const i = (this.head + index) & this.mask;
    const old = this.items[i]!;
    this.shrunk(old);
    this.grown(value);
    this.items[i] = value;
  }

  /** Elements [start, end] inclusive, both already clamped to the list. */
  range(start: number, end: number): Bytes[] {
    const out = new Array<Bytes>(end - start + 1);
    const items = this.items;
    const mask = this.mask;
    let p = this.head + start;
    for (let i = 0; i < out.length; i++) out[i] = items[p++ & mask]!;
    return out;
  }

  /** Inserts before the element at `index` (index = length appends). Shifts the shorter side. */
  insertAt(index: number, value: Bytes): void {
    if (index === 0) return this.pushHead(value);
    if (index === this.size) return this.pushTail(value);
    this.grown(value);
    if (this.size === this.items.length) this.resize(this.items.length * 2);
    const items = this.items;
    const mask = this.mask;
    if (index < this.size / 2) {
      this.head = (this.head - 1) & mask;
      for (let i = 0; i < index; i++) items[(this.head + i) & mask] = items[(this.head + i + 1) & mask];
    } else {
      for (let i = this.size; i > index; i--) items[(this.head + i) & mask] = items[(this.head + i - 1) & mask];
    }
    items[(this.head + index) & mask] = value;
    this.size++;
  }

  /** Keeps only the elements for which `keep` is true, in order; returns how many were removed. */
  retain(keep: (value: Bytes, index: number) => boolean): number {
    const items = this.items;
    const mask = this.mask;
    let w = 0;
    for (let r = 0; r < this.size; r++) {
      const v = items[(this.head + r) & mask]!;
      if (keep(v, r)) items[(this.head + w++) & mask] = v;
      else this.shrunk(v);
    }
    const removed = this.size - w;
    for (let i = w; i < this.size; i++) items[(this.head + i) & mask] = undefined;
    this.size = w;
    return removed;
  }

  *[Symbol.iterator](): IterableIterator<Bytes> {
    for (let i = 0; i < this.size; i++) yield this.items[(this.head + i) & this.mask]!;
  }

  toArray(): Bytes[] {
    return this.size === 0 ? [] : this.range(0, this.size - 1);
  }

  encoding(config: EncodingLimits): string {
    if (this.peakBytes < 0) return 'quicklist';
    const fill = Number(config.get('list-max-listpack-size') ?? -2);
    if (fill < 0) {
      const limit = SIZE_CLASSES[Math.min(-fill - 1, SIZE_CLASSES.length - 1)]!;
      return this.peakBytes > limit ? 'quicklist' : 'listpack';
    }
    const countLimit = fill === 0 ? 1 : fill;
    return this.peakBytes > SIZE_SAFETY_LIMIT || this.peakLength > countLimit ? 'quicklist' : 'listpack';
  }

  clone(): ListValue {
    const copy = ListValue.from(this.toArray());
    copy.packedBytes = this.packedBytes;
    copy.peakBytes = this.peakBytes;
    copy.peakLength = this.peakLength;
    return copy;
  }

  private resize(capacity: number): void {
    const next = new Array<Bytes | undefined>(capacity);
    for (let i = 0; i < this.size; i++) next[i] = this.items[(this.head + i) & this.mask];
    this.items = next;
    this.mask = capacity - 1;
    this.head = 0;
  }

  /** Accounts for a value about to be added, as Redis's listpack-to-quicklist check sees it. */
  private grown(value: Bytes): void {
    if (this.peakBytes < 0) return;
    // Redis checks the current listpack bytes plus the raw length of what is added.
    const candidate = this.packedBytes + value.length;
    if (candidate > this.peakBytes) this.peakBytes = candidate;
    if (this.size + 1 > this.peakLength) this.peakLength = this.size + 1;
    if (this.peakBytes > LARGEST_LIMIT) {
      this.peakBytes = -1;
      return;
    }
    this.packedBytes += listpackEntrySize(value);
  }

  private shrunk(value: Bytes): void {
    if (this.peakBytes >= 0) this.packedBytes -= listpackEntrySize(value);
  }
}

/** Bytes one element takes in a listpack: encoding header, data, back-length. */
export function listpackEntrySize(value: Bytes): number {
  const int = smallIntValue(value);
  let encoded: number;
  if (int !== null) {
    if (int >= 0 && int <= 127) encoded = 1;
    else if (int >= -4096 && int <= 4095) encoded = 2;
    else if (int >= -32768 && int <= 32767) encoded = 3;
    else if (int >= -8388608 && int <= 8388607) encoded = 4;
    else if (int >= -2147483648 && int <= 2147483647) encoded = 5;
    else encoded = 9;
  } else {
    const n = value.length;
    encoded = n + (n < 64 ? 1 : n < 4096 ? 2 : 5);
  }
  const back = encoded <= 127 ? 1 : encoded < 16383 ? 2 : encoded < 2097151 ? 3 : encoded < 268435455 ? 4 : 5;
  return encoded + back;
}

/** The integer a canonical decimal string stands for (listpack stores those as integers), or null. */
function smallIntValue(s: Bytes): number | null {
  const n = s.length;
  if (n === 0 || n > 16) return null;
  let i = 0;
  if (s.charCodeAt(0) === 45) {
    if (n === 1) return null;
    i = 1;
  }
  const first = s.charCodeAt(i);
  if (first < 48 || first > 57 || (first === 48 && n > 1)) return null;
  for (let j = i + 1; j < n; j++) {
    const c = s.charCodeAt(j);
    if (c < 48 || c > 57) return null;
  }
  return Number(s);
}
