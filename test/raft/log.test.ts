import { describe, expect, it } from 'vitest';
import { RaftError } from '../../src/core/raft/errors.js';
import { RaftLog } from '../../src/core/raft/log.js';
import { MemoryStorage } from '../../src/core/raft/storage.js';
import type { Entry } from '../../src/core/raft/types.js';
import { EntryType } from '../../src/core/raft/types.js';

const ent = (index: number, term: number, data = ''): Entry => ({ index, term, type: EntryType.Normal, data: new TextEncoder().encode(data) });

function logWith(terms: number[]): RaftLog {
  const st = new MemoryStorage();
  st.append(terms.map((t, i) => ent(i + 1, t)));
  return new RaftLog(st, 1 << 20);
}

describe('MemoryStorage', () => {
  it('serves entries and terms, and refuses compacted or missing ranges', () => {
    const st = new MemoryStorage();
    st.append([ent(1, 1, 'a'), ent(2, 1, 'bb'), ent(3, 2, 'ccc')]);
    expect(st.firstIndex()).toBe(1);
    expect(st.lastIndex()).toBe(3);
    expect(st.entries(1, 4, 3).map((e) => e.index)).toEqual([1, 2]);
    expect(st.entries(3, 4, 0).map((e) => e.index)).toEqual([3]); // always at least one
    st.createSnapshot(2, { voters: ['a'], learners: [] }, new Uint8Array([1]));
    st.compact(2);
    expect(st.firstIndex()).toBe(3);
    expect(st.term(2)).toBe(1);
    expect(() => st.entries(2, 3, 100)).toThrow(expect.objectContaining({ code: 'COMPACTED' }));
    expect(() => st.term(1)).toThrow(RaftError);
    expect(() => st.entries(3, 5, 100)).toThrow(expect.objectContaining({ code: 'UNAVAILABLE' }));
  });

  it('overwrites a conflicting suffix on append', () => {
    const st = new MemoryStorage();
    st.append([ent(1, 1), ent(2, 1), ent(3, 1)]);
    st.append([ent(2, 2)]);
    expect(st.lastIndex()).toBe(2);
    expect(st.term(2)).toBe(2);
    expect(() => st.append([ent(5, 2)])).toThrow(/Cannot append/);
  });
});

describe('RaftLog', () => {
  it('appends a leader batch only past the first conflict and never truncates on a stale append', () => {
    const log = logWith([1, 1, 2]);
    // A stale, shorter append that matches must not cut entry 3.
    expect(log.maybeAppend(1, 1, 0, [ent(2, 1)])).toBe(2);
    expect(log.lastIndex()).toBe(3);
    // A conflicting append replaces from the conflict on.
    expect(log.maybeAppend(1, 1, 0, [ent(2, 1), ent(3, 3), ent(4, 3)])).toBe(4);
    expect([log.term(3), log.term(4)]).toEqual([3, 3]);
    // A mismatch at the previous index is refused.
    expect(log.maybeAppend(4, 9, 0, [ent(5, 9)])).toBeUndefined();
  });

  it('commits only entries of the given term when counting', () => {
    const log = logWith([1, 2, 3]);
    expect(log.maybeCommit(2, 3)).toBe(false);
    expect(log.maybeCommit(3, 3)).toBe(true);
    expect(log.committed).toBe(3);
  });

  it('refuses to commit past its end or to overwrite committed entries', () => {
    const log = logWith([1, 1]);
    expect(() => log.commitTo(5)).toThrow(expect.objectContaining({ code: 'CORRUPT_LOG' }));
    log.commitTo(2);
    expect(() => log.maybeAppend(0, 0, 2, [ent(1, 5)])).toThrow(/conflicts with committed/);
  });

  it('compares logs for vote up-to-dateness by last term, then length', () => {
    const log = logWith([1, 2, 2]);
    expect(log.isUpToDate(1, 3)).toBe(true);
    expect(log.isUpToDate(3, 2)).toBe(true);
    expect(log.isUpToDate(2, 2)).toBe(false);
    expect(log.isUpToDate(9, 1)).toBe(false);
  });

  it('finds the conflict point one term at a time', () => {
    const log = logWith([1, 1, 2, 2, 4, 4]);
    expect(log.findConflictByTerm(6, 3)).toEqual({ index: 4, term: 2 });
    expect(log.findConflictByTerm(6, 1)).toEqual({ index: 2, term: 1 });
    expect(log.findConflictByTerm(6, 5)).toEqual({ index: 6, term: 4 });
  });

  it('reads across storage and the unstable tail, honouring byte limits', () => {
    const log = logWith([1, 1]);
    log.append([ent(3, 2, 'xx'), ent(4, 2, 'yy')]);
    expect(log.slice(1, 5, 1 << 20).map((e) => e.index)).toEqual([1, 2, 3, 4]);
    expect(log.slice(3, 5, 2).map((e) => e.index)).toEqual([3]);
    log.stableTo(4, 2);
    expect(log.unstableEntries()).toEqual([]);
    // stableTo with a term that no longer matches is ignored.
    log.append([ent(5, 3)]);
    log.stableTo(5, 2);
    expect(log.unstableEntries().length).toBe(1);
  });

  it('hands out committed entries once, in order, and stops at a pending snapshot', () => {
    const log = logWith([1, 1, 1]);
    log.commitTo(2);
    expect(log.nextCommittedEntries().map((e) => e.index)).toEqual([1, 2]);
    log.appliedTo(2);
    expect(log.hasNextCommittedEntries()).toBe(false);
    log.restore({ meta: { index: 10, term: 3, confState: { voters: [], learners: [] } }, data: new Uint8Array() });
    expect(log.hasNextCommittedEntries()).toBe(false);
    expect(log.lastIndex()).toBe(10);
    expect(log.firstIndex()).toBe(11);
  });
});
