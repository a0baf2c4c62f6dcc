/**
 * The log-storage port the caller implements, and an in-memory reference.
 *
 * The interface is synchronous on purpose: Raft consults it while deciding
 * what to send, and an async read in the middle of a step would let state
 * change underneath. Durable stores (IndexedDB, files) keep an in-memory
 * mirror of the tail of the log and write behind it; `Ready` tells them what
 * to write and `advance()` is called once the write is durable.
 */
import { RaftError } from './errors.js';
import type { ConfState, Entry, HardState, Snapshot } from './types.js';
import { EMPTY_BYTES, EntryType, NONE } from './types.js';
import { limitSize } from './util.js';

export interface InitialState {
  hardState: HardState;
  confState: ConfState;
}

export interface Storage {
  /** The persisted vote/term/commit and the membership as of the latest snapshot. */
  initialState(): InitialState;
  /**
   * Entries in [lo, hi), trimmed to at most `maxBytes` of data but never to
   * fewer than one entry. Throws COMPACTED below firstIndex, UNAVAILABLE past lastIndex.
   */
  entries(lo: number, hi: number, maxBytes: number): Entry[];
  /** Term of entry `i`, valid for firstIndex()-1 .. lastIndex(). */
  term(i: number): number;
  firstIndex(): number;
  lastIndex(): number;
  /** The latest snapshot; throws SNAPSHOT_UNAVAILABLE when it is being built. */
  snapshot(): Snapshot;
}

export function emptyConfState(): ConfState {
  return { voters: [], learners: [] };
}

export function cloneConfState(cs: ConfState): ConfState {
  return { voters: [...cs.voters], learners: [...cs.learners] };
}

/**
 * Keeps everything in arrays. `ents[0]` is a placeholder carrying the index
 * and term of the last compacted entry, which keeps term lookups at the
 * boundary cheap.
 */
export class MemoryStorage implements Storage {
  hardState: HardState = { term: 0, vote: NONE, commit: 0 };
  private snap: Snapshot;
  private ents: Entry[];

  constructor(confState: ConfState = emptyConfState()) {
    this.snap = { meta: { index: 0, term: 0, confState: cloneConfState(confState) }, data: EMPTY_BYTES };
    this.ents = [{ index: 0, term: 0, type: EntryType.Normal, data: EMPTY_BYTES }];
  }

  initialState(): InitialState {
    return { hardState: { ...this.hardState }, confState: cloneConfState(this.snap.meta.confState) };
  }

  setHardState(hs: HardState): void {
    this.hardState = { ...hs };
  }

  private get offset(): number {
    return this.ents[0]!.index;
  }

  entries(lo: number, hi: number, maxBytes: number): Entry[] {
    if (lo <= this.offset) {
      throw new RaftError('COMPACTED', `Cannot read entries from ${lo}: compacted up to ${this.offset}`);
    }
    if (hi > this.lastIndex() + 1) {
      throw new RaftError('UNAVAILABLE', `Cannot read entries up to ${hi - 1}: last index is ${this.lastIndex()}`);
    }
    return limitSize(this.ents.slice(lo - this.offset, hi - this.offset), maxBytes);
  }

  term(i: number): number {
    if (i < this.offset) {
      throw new RaftError('COMPACTED', `Cannot read term of ${i}: compacted up to ${this.offset}`);
    }
    if (i - this.offset >= this.ents.length) {
      throw new RaftError('UNAVAILABLE', `Cannot read term of ${i}: last index is ${this.lastIndex()}`);
    }
    return this.ents[i - this.offset]!.term;
  }

  firstIndex(): number {
    return this.offset + 1;
  }

  lastIndex(): number {
    return this.offset + this.ents.length - 1;
  }

  snapshot(): Snapshot {
    return this.snap;
  }

  /** Replaces the whole log by a snapshot received from the leader. */
  applySnapshot(snap: Snapshot): void {
    if (snap.meta.index <= this.snap.meta.index) {
      throw new RaftError('SNAPSHOT_OUT_OF_DATE', `Cannot apply snapshot at ${snap.meta.index}: have ${this.snap.meta.index}`);
    }
    this.snap = snap;
    this.ents = [{ index: snap.meta.index, term: snap.meta.term, type: EntryType.Normal, data: EMPTY_BYTES }];
  }

  /** Records a snapshot of the applied state at `i`; call compact() to drop the log behind it. */
  createSnapshot(i: number, confState: ConfState, data: Uint8Array): Snapshot {
    if (i <= this.snap.meta.index) {
      throw new RaftError('SNAPSHOT_OUT_OF_DATE', `Cannot create snapshot at ${i}: have ${this.snap.meta.index}`);
    }
    if (i > this.lastIndex()) {
      throw new RaftError('UNAVAILABLE', `Cannot create snapshot at ${i}: last index is ${this.lastIndex()}`);
    }
    this.snap = { meta: { index: i, term: this.term(i), confState: cloneConfState(confState) }, data };
    return this.snap;
  }

  /** Drops entries up to and including `i`; `i` must not pass the applied index. */
  compact(i: number): void {
    if (i <= this.offset) return;
    if (i > this.lastIndex()) {
      throw new RaftError('UNAVAILABLE', `Cannot compact log to ${i}: last index is ${this.lastIndex()}`);
    }
    const keep = this.ents.slice(i - this.offset);
    keep[0] = { index: keep[0]!.index, term: keep[0]!.term, type: EntryType.Normal, data: EMPTY_BYTES };
    this.ents = keep;
  }

  /** Appends entries, overwriting any conflicting suffix. */
  append(entries: readonly Entry[]): void {
    if (entries.length === 0) return;
    const first = this.firstIndex();
    const lastNew = entries[entries.length - 1]!.index;
    if (lastNew < first) return;
    let ents = entries;
    if (first > ents[0]!.index) ents = ents.slice(first - ents[0]!.index);
    const at = ents[0]!.index - this.offset;
    if (at > this.ents.length) {
      throw new RaftError('CORRUPT_LOG', `Cannot append entry ${ents[0]!.index}: last index is ${this.lastIndex()}`);
    }
    // Append in place: copying the whole log on every write would make appends quadratic.
    if (at < this.ents.length) this.ents.splice(at);
    for (const e of ents) this.ents.push(e);
  }
}
