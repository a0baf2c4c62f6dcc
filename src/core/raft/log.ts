/**
 * The Raft log as one node sees it: durable entries in Storage followed by the
 * unstable tail, plus the commit and apply cursors. All decisions about which
 * entries to keep when a leader's append disagrees with ours live here.
 */
import { RaftError, isRaftError } from './errors.js';
import { UnstableLog } from './log-unstable.js';
import type { Storage } from './storage.js';
import type { Entry, Snapshot } from './types.js';
import { limitSize } from './util.js';

export class RaftLog {
  readonly storage: Storage;
  readonly unstable: UnstableLog;
  committed: number;
  applied: number;
  private readonly maxApplyBytes: number;

  constructor(storage: Storage, maxApplyBytes: number) {
    this.storage = storage;
    this.maxApplyBytes = maxApplyBytes;
    const first = storage.firstIndex();
    const last = storage.lastIndex();
    this.unstable = new UnstableLog(last + 1);
    this.committed = first - 1;
    this.applied = first - 1;
  }

  firstIndex(): number {
    return this.unstable.maybeFirstIndex() ?? this.storage.firstIndex();
  }

  lastIndex(): number {
    return this.unstable.maybeLastIndex() ?? this.storage.lastIndex();
  }

  /** Term of entry i, or undefined when i is compacted away or past the end. */
  term(i: number): number | undefined {
    const dummy = this.firstIndex() - 1;
    if (i < dummy || i > this.lastIndex()) return undefined;
    const t = this.unstable.maybeTerm(i);
    if (t !== undefined) return t;
    try {
      return this.storage.term(i);
    } catch (err) {
      if (isRaftError(err, 'COMPACTED') || isRaftError(err, 'UNAVAILABLE')) return undefined;
      throw err;
    }
  }

  zeroTermOnOutOfBounds(i: number): number {
    return this.term(i) ?? 0;
  }

  lastTerm(): number {
    return this.zeroTermOnOutOfBounds(this.lastIndex());
  }

  matchTerm(i: number, t: number): boolean {
    const got = this.term(i);
    return got !== undefined && got === t;
  }

  isUpToDate(lastIndex: number, term: number): boolean {
    const myTerm = this.lastTerm();
    return term > myTerm || (term === myTerm && lastIndex >= this.lastIndex());
  }

  /**
   * Accepts a leader's append if our log matches at (index, logTerm). Returns
   * the last index known to match the leader, or undefined on a mismatch.
   * Only a conflicting suffix is dropped: a late, shorter append must never cut
   * entries we already acknowledged.
   */
  maybeAppend(index: number, logTerm: number, committed: number, ents: Entry[], truncateAlways = false): number | undefined {
    if (!this.matchTerm(index, logTerm)) return undefined;
    const lastNew = index + ents.length;
    if (truncateAlways && ents.length > 0) {
      this.append(ents);
    } else {
      const ci = this.findConflict(ents);
      if (ci !== 0) {
        if (ci <= this.committed) {
          throw new RaftError('CORRUPT_LOG', `Cannot append entry ${ci}: it conflicts with committed entry ${this.committed}`);
        }
        this.append(ents.slice(ci - index - 1));
      }
    }
    this.commitTo(Math.min(committed, lastNew));
    return lastNew;
  }

  append(ents: readonly Entry[]): number {
    if (ents.length === 0) return this.lastIndex();
    const after = ents[0]!.index - 1;
    if (after < this.committed) {
      throw new RaftError('CORRUPT_LOG', `Cannot append after ${after}: below commit ${this.committed}`);
    }
    this.unstable.truncateAndAppend(ents);
    return this.lastIndex();
  }

  /** The index of the first entry whose term differs from ours, or 0 if all match. */
  findConflict(ents: readonly Entry[]): number {
    for (const e of ents) {
      if (!this.matchTerm(e.index, e.term)) return e.index;
    }
    return 0;
  }

  /**
   * The largest index <= `index` whose term is <= `term`, with that term. The
   * leader and follower use it to skip a whole run of mismatched entries in one
   * round trip instead of one entry per round trip.
   */
  findConflictByTerm(index: number, term: number): { index: number; term: number } {
    for (let i = index; i >= 0; i--) {
      const t = this.term(i);
      if (t === undefined) return { index: i, term: 0 };
      if (t <= term) return { index: i, term: t };
    }
    return { index: 0, term: 0 };
  }

  commitTo(i: number): void {
    if (i <= this.committed) return;
    if (i > this.lastIndex()) {
      throw new RaftError('CORRUPT_LOG', `Cannot commit to ${i}: last index is ${this.lastIndex()} (log lost or truncated)`);
    }
    this.committed = i;
  }

  /** Commits up to maxIndex if that entry is from `term`: older entries commit only indirectly. */
  maybeCommit(maxIndex: number, term: number, anyTerm = false): boolean {
    if (maxIndex > this.committed && (anyTerm || this.zeroTermOnOutOfBounds(maxIndex) === term)) {
      this.commitTo(maxIndex);
      return true;
    }
    return false;
  }

  appliedTo(i: number): void {
    if (i === 0) return;
    if (i > this.committed || i < this.applied) {
      throw new RaftError('INVALID_STEP', `Cannot apply to ${i}: applied ${this.applied}, committed ${this.committed}`);
    }
    this.applied = i;
  }

  stableTo(i: number, t: number): void {
    this.unstable.stableTo(i, t);
  }

  stableSnapTo(i: number): void {
    this.unstable.stableSnapTo(i);
  }

  unstableEntries(): Entry[] {
    return this.unstable.entries;
  }

  hasNextCommittedEntries(): boolean {
    if (this.unstable.snapshot) return false;
    return this.committed > this.applied;
  }

  nextCommittedEntries(): Entry[] {
    if (!this.hasNextCommittedEntries()) return [];
    return this.slice(Math.max(this.applied + 1, this.firstIndex()), this.committed + 1, this.maxApplyBytes);
  }

  snapshot(): Snapshot {
    return this.unstable.snapshot ?? this.storage.snapshot();
  }

  /** Entries from `lo` to the end, limited in bytes; undefined when `lo` is compacted. */
  entriesFrom(lo: number, maxBytes: number): Entry[] | undefined {
    const last = this.lastIndex();
    if (lo > last) return [];
    if (lo < this.firstIndex()) return undefined;
    return this.trySlice(lo, last + 1, maxBytes);
  }

  trySlice(lo: number, hi: number, maxBytes: number): Entry[] | undefined {
    try {
      return this.slice(lo, hi, maxBytes);
    } catch (err) {
      if (isRaftError(err, 'COMPACTED')) return undefined;
      throw err;
    }
  }

  slice(lo: number, hi: number, maxBytes: number): Entry[] {
    if (lo >= hi) return [];
    const first = this.firstIndex();
    if (lo < first) throw new RaftError('COMPACTED', `Cannot read entries from ${lo}: first index is ${first}`);
    if (hi > this.lastIndex() + 1) {
      throw new RaftError('UNAVAILABLE', `Cannot read entries up to ${hi - 1}: last index is ${this.lastIndex()}`);
    }
    const off = this.unstable.offset;
    if (hi <= off) return this.storage.entries(lo, hi, maxBytes); // storage applies the limit
    const tail = this.unstable.slice(Math.max(lo, off), hi);
    if (lo >= off) return limitSize(tail, maxBytes);
    const stored = this.storage.entries(lo, off, maxBytes);
    // Storage trimmed the batch: what follows would exceed the limit anyway.
    if (stored.length < off - lo) return stored;
    return limitSize(stored.concat(tail), maxBytes);
  }

  restore(s: Snapshot): void {
    this.committed = s.meta.index;
    this.unstable.restore(s);
  }
}
