/**
 * A skiplist ordered by (score, member bytewise) whose links carry spans, so
 * that insert, delete, rank and select-by-rank are all O(log n) — the same
 * structure Redis uses for large sorted sets. Range lookups by score or by
 * member (lex) start from the first or last node inside the range and then
 * walk the level-0 links.
 * This module is browser compatible.
 */
import type { Bytes } from '../bytes.js';

const MAX_LEVEL = 32;

export class SkipNode {
  backward: SkipNode | null = null;
  readonly next: (SkipNode | null)[];
  /** span[i]: how many level-0 steps next[i] skips. */
  readonly span: number[];

  constructor(public member: Bytes, public score: number, level: number) {
    this.next = new Array<SkipNode | null>(level).fill(null);
    this.span = new Array<number>(level).fill(0);
  }
}

/** A score interval; `minex`/`maxex` make an end exclusive. */
export interface ScoreRange {
  min: number;
  max: number;
  minex: boolean;
  maxex: boolean;
}

/** `-` and `+` in a lex range: below and above every member. */
export const LEX_MIN: unique symbol = Symbol('lex-min');
export const LEX_MAX: unique symbol = Symbol('lex-max');
export type LexBound = Bytes | typeof LEX_MIN | typeof LEX_MAX;

export interface LexRange {
  min: LexBound;
  max: LexBound;
  minex: boolean;
  maxex: boolean;
}

export function scoreGteMin(score: number, r: ScoreRange): boolean {
  return r.minex ? score > r.min : score >= r.min;
}

export function scoreLteMax(score: number, r: ScoreRange): boolean {
  return r.maxex ? score < r.max : score <= r.max;
}

export function lexGteMin(member: Bytes, r: LexRange): boolean {
  if (r.min === LEX_MIN) return true;
  if (r.min === LEX_MAX) return false;
  return r.minex ? member > r.min : member >= r.min;
}

export function lexLteMax(member: Bytes, r: LexRange): boolean {
  if (r.max === LEX_MAX) return true;
  if (r.max === LEX_MIN) return false;
  return r.maxex ? member < r.max : member <= r.max;
}

/** True when no value can fall inside the range. */
export function scoreRangeEmpty(r: ScoreRange): boolean {
  return r.min > r.max || (r.min === r.max && (r.minex || r.maxex));
}

export function lexRangeEmpty(r: LexRange): boolean {
  if (r.min === LEX_MAX || r.max === LEX_MIN) return true;
  if (r.min === LEX_MIN || r.max === LEX_MAX) return false;
  return r.min > r.max || (r.min === r.max && (r.minex || r.maxex));
}

/** Ordering of the set: by score, then by member bytes (binary strings compare per byte). */
function before(score: number, member: Bytes, node: SkipNode): boolean {
  return node.score < score || (node.score === score && node.member < member);
}

// Scratch paths for one operation at a time (handlers never interleave).
const updateScratch = new Array<SkipNode>(MAX_LEVEL);
const rankScratch = new Array<number>(MAX_LEVEL).fill(0);

export class SkipList {
  private readonly head = new SkipNode('', 0, MAX_LEVEL);
  tail: SkipNode | null = null;
  length = 0;
  private level = 1;
  // Level choice only shapes the structure, never a reply: a fixed-seed
  // generator keeps it deterministic without drawing on the command's seed.
  private rng = 0x9e3779b9;

  private randomLevel(): number {
    let level = 1;
    for (;;) {
      let x = this.rng;
      x ^= x << 13; x >>>= 0;
      x ^= x >>> 17;
      x ^= x << 5; x >>>= 0;
      this.rng = x;
      // p = 1/4 per extra level, as in Redis.
      if ((x & 3) !== 0 || level >= MAX_LEVEL) return level;
      level++;
    }
  }

  get first(): SkipNode | null {
    return this.head.next[0]!;
  }

  insert(score: number, member: Bytes): SkipNode {
    const update = updateScratch;
    const rank = rankScratch;
    let x = this.head;
    for (let i = this.level - 1; i >= 0; i--) {
      rank[i] = i === this.level - 1 ? 0 : rank[i + 1]!;
      let n = x.next[i];
      while (n && before(score, member, n)) {
        rank[i]! += x.span[i]!;
        x = n;
        n = x.next[i];
      }
      update[i] = x;
    }
    const level = this.randomLevel();
    if (level > this.level) {
      for (let i = this.level; i < level; i++) {
        rank[i] = 0;
        update[i] = this.head;
        this.head.span[i] = this.length;
      }
      this.level = level;
    }
    const node = new SkipNode(member, score, level);
    for (let i = 0; i < level; i++) {
      const u = update[i]!;
      node.next[i] = u.next[i]!;
      u.next[i] = node;
      node.span[i] = u.span[i]! - (rank[0]! - rank[i]!);
      u.span[i] = rank[0]! - rank[i]! + 1;
    }
    for (let i = level; i < this.level; i++) update[i]!.span[i]!++;
    node.backward = update[0] === this.head ? null : update[0]!;
    if (node.next[0]) node.next[0].backward = node;
    else this.tail = node;
    this.length++;
    return node;
  }

  /** Removes the node with this score and member; false when absent. */
  delete(score: number, member: Bytes): boolean {
    const update = updateScratch;
    let x = this.head;
    for (let i = this.level - 1; i >= 0; i--) {
      let n = x.next[i];
      while (n && before(score, member, n)) {
        x = n;
        n = x.next[i];
      }
      update[i] = x;
    }
    const target = x.next[0];
    if (!target || target.score !== score || target.member !== member) return false;
    this.unlink(target, update);
    return true;
  }

  private unlink(node: SkipNode, update: SkipNode[]): void {
    for (let i = 0; i < this.level; i++) {
      const u = update[i]!;
      if (u.next[i] === node) {
        u.span[i]! += node.span[i]! - 1;
        u.next[i] = node.next[i]!;
      } else {
        u.span[i]!--;
      }
    }
    const after = node.next[0];
    if (after) after.backward = node.backward;
    else this.tail = node.backward;
    while (this.level > 1 && this.head.next[this.level - 1] === null) this.level--;
    this.length--;
  }

  /** Moves a member to a new score; stays in place when the order is unchanged. */
  updateScore(score: number, member: Bytes, newScore: number): void {
    const update = updateScratch;
    let x = this.head;
    for (let i = this.level - 1; i >= 0; i--) {
      let n = x.next[i];
      while (n && before(score, member, n)) {
        x = n;
        n = x.next[i];
      }
      update[i] = x;
    }
    const node = x.next[0]!;
    const prev = node.backward;
    const after = node.next[0];
    if ((prev === null || prev.score < newScore || (prev.score === newScore && prev.member < member)) &&
        (after === null || after.score > newScore || (after.score === newScore && after.member > member))) {
      node.score = newScore;
      return;
    }
    this.unlink(node, update);
    this.insert(newScore, member);
  }

  /** 1-based rank of the element, or 0 when absent. */
  rank(score: number, member: Bytes): number {
    let rank = 0;
    let x = this.head;
    for (let i = this.level - 1; i >= 0; i--) {
      let n = x.next[i];
      while (n && (before(score, member, n) || (n.score === score && n.member === member))) {
        rank += x.span[i]!;
        x = n;
        n = x.next[i];
      }
      if (x !== this.head && x.member === member && x.score === score) return rank;
    }
    return 0;
  }

  /** The node at a 1-based rank, or null when out of range. */
  byRank(rank: number): SkipNode | null {
    if (rank < 1 || rank > this.length) return null;
    let traversed = 0;
    let x = this.head;
    for (let i = this.level - 1; i >= 0; i--) {
      let n = x.next[i];
      while (n && traversed + x.span[i]! <= rank) {
        traversed += x.span[i]!;
        x = n;
        n = x.next[i];
      }
      if (traversed === rank) return x;
    }
    return null;
  }

  firstInScoreRange(r: ScoreRange): SkipNode | null {
    if (scoreRangeEmpty(r) || this.tail === null || !scoreGteMin(this.tail.score, r)) return null;
    let x = this.head;
    for (let i = this.level - 1; i >= 0; i--) {
      let n = x.next[i];
      while (n && !scoreGteMin(n.score, r)) {
        x = n;
        n = x.next[i];
      }
    }
    const node = x.next[0]!;
    return scoreLteMax(node.score, r) ? node : null;
  }

  lastInScoreRange(r: ScoreRange): SkipNode | null {
    const first = this.first;
    if (scoreRangeEmpty(r) || first === null || !scoreLteMax(first.score, r)) return null;
    let x = this.head;
    for (let i = this.level - 1; i >= 0; i--) {
      let n = x.next[i];
      while (n && scoreLteMax(n.score, r)) {
        x = n;
        n = x.next[i];
      }
    }
    return x !== this.head && scoreGteMin(x.score, r) ? x : null;
  }

  firstInLexRange(r: LexRange): SkipNode | null {
    if (lexRangeEmpty(r) || this.tail === null || !lexGteMin(this.tail.member, r)) return null;
    let x = this.head;
    for (let i = this.level - 1; i >= 0; i--) {
      let n = x.next[i];
      while (n && !lexGteMin(n.member, r)) {
        x = n;
        n = x.next[i];
      }
    }
    const node = x.next[0]!;
    return lexLteMax(node.member, r) ? node : null;
  }

  lastInLexRange(r: LexRange): SkipNode | null {
    const first = this.first;
    if (lexRangeEmpty(r) || first === null || !lexLteMax(first.member, r)) return null;
    let x = this.head;
    for (let i = this.level - 1; i >= 0; i--) {
      let n = x.next[i];
      while (n && lexLteMax(n.member, r)) {
        x = n;
        n = x.next[i];
      }
    }
    return x !== this.head && lexGteMin(x.member, r) ? x : null;
  }
}
