/**
 * The set value: members in an array with a Map from member to position, so
 * membership is O(1), removal is O(1) (the last member fills the hole) and a
 * random member is O(1). The array order is a function of the log alone, so
 * SPOP draws the same members on every replica. The value also tracks the
 * encoding Redis would have chosen (intset, listpack, hashtable): Redis picks
 * it when it adds members and never goes back to a smaller one.
 * This module is browser compatible.
 */
import type { Bytes } from '../bytes.js';
import type { TypedValue } from '../keyspace/value.js';
import { parseInt64 } from '../commands/parse.js';
import type { ScanOrder } from '../commands/scan-args.js';

export type SetEncoding = 'intset' | 'listpack' | 'hashtable';

const INTSET_HARD_LIMIT = 1 << 30;

/** Where write paths read the encoding limits (the server's ConfigStore). */
export interface IntConfig {
  int(name: string): number;
}

function limit(config: IntConfig, name: string): number {
  return config.int(name);
}

function isIntegerMember(member: Bytes): boolean {
  return member.length <= 20 && parseInt64(member) !== null;
}

/** Orders two canonical decimal integers (as string2ll accepts them) numerically. */
function compareIntegers(a: Bytes, b: Bytes): number {
  const x = Number(a);
  const y = Number(b);
  if (x !== y || Math.abs(x) < 2 ** 53) return x - y;
  const bx = BigInt(a);
  const by = BigInt(b);
  return bx < by ? -1 : bx > by ? 1 : 0;
}

export class SetValue implements TypedValue {
  readonly type = 'set' as const;
  private readonly index = new Map<Bytes, number>();
  private readonly list: Bytes[] = [];
  enc: SetEncoding;
  /** Longest member seen while listpack-encoded (Redis sizes its check on it). */
  private longest = 0;
  /** SSCAN's order over the members, kept until the set changes. */
  scanOrder: ScanOrder | null = null;

  /** An empty set with the encoding Redis creates for its first member and expected size. */
  constructor(enc: SetEncoding = 'intset') {
    this.enc = enc;
  }

  /** What setTypeCreate picks for a new set whose first member is `first`. */
  static create(first: Bytes, sizeHint: number, config: IntConfig): SetValue {
    if (isIntegerMember(first) && sizeHint <= limit(config, 'set-max-intset-entries')) return new SetValue('intset');
    if (sizeHint <= limit(config, 'set-max-listpack-entries')) return new SetValue('listpack');
    return new SetValue('hashtable');
  }

  encoding(): string {
    return this.enc;
  }

  clone(): SetValue {
    const copy = new SetValue(this.enc);
    for (const m of this.list) {
      copy.index.set(m, copy.list.length);
      copy.list.push(m);
    }
    copy.longest = this.longest;
    return copy;
  }

  get size(): number {
    return this.list.length;
  }

  has(member: Bytes): boolean {
    return this.index.has(member);
  }

  /** The member at a position in [0, size): for random picks. */
  at(i: number): Bytes {
    return this.list[i]!;
  }

  [Symbol.iterator](): IterableIterator<Bytes> {
    return this.list.values();
  }

  /** A copy of the members (safe to iterate while the set changes). */
  toArray(): Bytes[] {
    return this.list.slice();
  }

  /** Before adding `sizeHint` members at once: go straight to a hashtable if they cannot fit. */
  expectAdds(sizeHint: number, config: IntConfig): void {
    if ((this.enc === 'listpack' && sizeHint > limit(config, 'set-max-listpack-entries')) ||
        (this.enc === 'intset' && sizeHint > limit(config, 'set-max-intset-entries'))) {
      this.enc = 'hashtable';
    }
  }

  /** Adds a member, converting the encoding as Redis would. Returns true if it was new. */
  add(member: Bytes, config: IntConfig): boolean {
    if (this.index.has(member)) return false;
    const n = this.list.length;
    if (this.enc === 'intset') {
      if (isIntegerMember(member)) {
        if (n + 1 > Math.min(limit(config, 'set-max-intset-entries'), INTSET_HARD_LIMIT)) this.enc = 'hashtable';
      } else {
        const maxValue = limit(config, 'set-max-listpack-value');
        let widest = 0;
        for (const m of this.list) if (m.length > widest) widest = m.length;
        if (n < limit(config, 'set-max-listpack-entries') && member.length <= maxValue && widest <= maxValue) {
          this.enc = 'listpack';
          this.longest = Math.max(widest, member.length);
        } else {
          this.enc = 'hashtable';
        }
      }
    } else if (this.enc === 'listpack') {
      if (n < limit(config, 'set-max-listpack-entries') && member.length <= limit(config, 'set-max-listpack-value')) {
        if (member.length > this.longest) this.longest = member.length;
      } else {
        this.enc = 'hashtable';
      }
    }
    if (this.enc === 'intset') this.insertSorted(member);
    else {
      this.index.set(member, n);
      this.list.push(member);
    }
    this.scanOrder = null;
    return true;
  }

  /** An intset keeps its integers in ascending order, and Redis replies in that order. */
  private insertSorted(member: Bytes): void {
    const list = this.list;
    let lo = 0;
    let hi = list.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (compareIntegers(list[mid]!, member) < 0) lo = mid + 1;
      else hi = mid;
    }
    list.splice(lo, 0, member);
    for (let i = lo; i < list.length; i++) this.index.set(list[i]!, i);
  }

  delete(member: Bytes): boolean {
    const i = this.index.get(member);
    if (i === undefined) return false;
    this.index.delete(member);
    if (this.enc !== 'hashtable') {
      // Small encodings keep their order (sorted or insertion), as Redis's do.
      this.list.splice(i, 1);
      for (let j = i; j < this.list.length; j++) this.index.set(this.list[j]!, j);
    } else {
      const last = this.list.pop()!;
      if (i < this.list.length) {
        this.list[i] = last;
        this.index.set(last, i);
      }
    }
    this.scanOrder = null;
    return true;
  }
}
