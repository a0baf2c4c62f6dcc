/**
 * The sorted set value: a Map from member to score for O(1) lookups, and a
 * span-counting skiplist ordered by (score, member) for O(log n) rank,
 * select-by-rank and range starts. OBJECT ENCODING follows Redis: `listpack`
 * while the set is small, `skiplist` once it outgrows the configured limits,
 * and it never goes back.
 * This module is browser compatible.
 */
import type { Bytes } from '../bytes.js';
import type { TypedValue } from '../keyspace/value.js';
import { SkipList, type SkipNode } from './skiplist.js';

/** zset-max-listpack-entries and zset-max-listpack-value. */
export interface ZsetLimits {
  entries: number;
  value: number;
}

export class SortedSet implements TypedValue {
  readonly type = 'zset' as const;
  readonly scores = new Map<Bytes, number>();
  readonly list = new SkipList();

  /** `big`: already in Redis's skiplist encoding. */
  constructor(private big = false) {}

  /** An empty set as ZADD creates it: a listpack unless the first member already rules one out. */
  static forFirstMember(limits: ZsetLimits, member: Bytes): SortedSet {
    return new SortedSet(limits.entries === 0 || member.length > limits.value);
  }

  get size(): number {
    return this.scores.size;
  }

  get isSkiplist(): boolean {
    return this.big;
  }

  score(member: Bytes): number | undefined {
    return this.scores.get(member);
  }

  /**
   * Adds a member or moves it to a new score. Returns true when the member is
   * new. With `limits`, a new member that would outgrow a listpack converts
   * the encoding first, as Redis does.
   */
  set(member: Bytes, score: number, limits: ZsetLimits | null): boolean {
    // A listpack keeps scores as text: -0 reads back as 0.
    if (!this.big && score === 0) score = 0;
    const old = this.scores.get(member);
    if (old === undefined) {
      if (!this.big && limits !== null &&
          (this.scores.size + 1 > limits.entries || member.length > limits.value)) this.big = true;
      this.scores.set(member, score);
      this.list.insert(score, member);
      return true;
    }
    if (old !== score) {
      this.scores.set(member, score);
      this.list.updateScore(old, member, score);
    }
    return false;
  }

  remove(member: Bytes): boolean {
    const score = this.scores.get(member);
    if (score === undefined) return false;
    this.scores.delete(member);
    this.list.delete(score, member);
    return true;
  }

  /** 0-based rank counted from the lowest (or, reversed, the highest) score; -1 when absent. */
  rank(member: Bytes, reverse: boolean): number {
    const score = this.scores.get(member);
    if (score === undefined) return -1;
    const r = this.list.rank(score, member) - 1;
    return reverse ? this.list.length - 1 - r : r;
  }

  /** The node at a 0-based rank from the lowest score. */
  at(rank: number): SkipNode | null {
    return this.list.byRank(rank + 1);
  }

  /** Sets the encoding a freshly built result gets (ZUNIONSTORE, ZRANGESTORE...). */
  settleEncoding(limits: ZsetLimits): void {
    let longest = 0;
    if (this.scores.size <= limits.entries) {
      for (const m of this.scores.keys()) if (m.length > longest) longest = m.length;
    }
    this.big = this.scores.size > limits.entries || longest > limits.value;
    if (!this.big) {
      // A listpack keeps scores as text: -0 reads back as 0.
      for (let n = this.list.first; n !== null; n = n.next[0]!) {
        if (Object.is(n.score, -0)) {
          n.score = 0;
          this.scores.set(n.member, 0);
        }
      }
    }
  }

  encoding(): string {
    return this.big ? 'skiplist' : 'listpack';
  }

  clone(): SortedSet {
    const copy = new SortedSet(this.big);
    for (let n = this.list.first; n !== null; n = n.next[0]!) {
      copy.scores.set(n.member, n.score);
      copy.list.insert(n.score, n.member);
    }
    return copy;
  }
}
