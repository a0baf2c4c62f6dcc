import { describe, expect, it } from 'vitest';
import { Inflights } from '../../src/core/raft/inflights.js';
import { Progress, ProgressState } from '../../src/core/raft/progress.js';
import { VoteResult, committedIndex, majority, voteResult } from '../../src/core/raft/quorum.js';

describe('quorum', () => {
  it('computes majority sizes', () => {
    expect([1, 2, 3, 4, 5, 6, 7].map((n) => majority(n))).toEqual([1, 2, 2, 3, 3, 4, 4]);
  });

  it('finds the index a majority has reached', () => {
    const acked = new Map([['a', 5], ['b', 3], ['c', 9]]);
    expect(committedIndex(new Set(['a', 'b', 'c']), (id) => acked.get(id) ?? 0)).toBe(5);
    expect(committedIndex(new Set(['a', 'b', 'c', 'd']), (id) => acked.get(id) ?? 0)).toBe(3);
    expect(committedIndex(new Set(['a']), (id) => acked.get(id) ?? 0)).toBe(5);
  });

  it('matches a brute-force definition for every small case', () => {
    const ids = ['a', 'b', 'c', 'd', 'e'];
    for (let n = 1; n <= 5; n++) {
      const voters = new Set(ids.slice(0, n));
      for (let trial = 0; trial < 200; trial++) {
        const vals = new Map(ids.map((id, i) => [id, (trial * 7 + i * 13) % 11]));
        const got = committedIndex(voters, (id) => vals.get(id)!);
        // The largest x such that more than half the voters have acked >= x.
        let want = 0;
        for (let x = 0; x <= 10; x++) if ([...voters].filter((v) => vals.get(v)! >= x).length * 2 > n) want = x;
        expect(got).toBe(want);
      }
    }
  });

  it('tallies votes as won, lost or pending', () => {
    const voters = new Set(['a', 'b', 'c']);
    expect(voteResult(voters, new Map([['a', true]]))).toBe(VoteResult.Pending);
    expect(voteResult(voters, new Map([['a', true], ['b', true]]))).toBe(VoteResult.Won);
    expect(voteResult(voters, new Map([['a', true], ['b', false], ['c', false]]))).toBe(VoteResult.Lost);
    // Votes from non-voters (learners, removed nodes) do not count.
    expect(voteResult(voters, new Map([['a', true], ['x', true]]))).toBe(VoteResult.Pending);
  });
});

describe('inflights and progress', () => {
  it('limits in-flight appends by count and bytes and frees acknowledged ones', () => {
    const inf = new Inflights(3, 100);
    inf.add(1, 10);
    inf.add(2, 10);
    expect(inf.full()).toBe(false);
    inf.add(3, 10);
    expect(inf.full()).toBe(true);
    inf.freeLE(2);
    expect(inf.count).toBe(1);
    expect(inf.totalBytes).toBe(10);
    inf.add(4, 95);
    expect(inf.full()).toBe(true);
    inf.freeLE(10);
    expect(inf.count).toBe(0);
  });

  it('probes one append at a time, then streams in replicate state', () => {
    const pr = new Progress(5, false, 2, 0);
    expect(pr.isPaused()).toBe(false);
    pr.sentEntries(1, 5, 1);
    expect(pr.isPaused()).toBe(true);
    expect(pr.maybeUpdate(5)).toBe(true);
    pr.becomeReplicate();
    expect(pr.state).toBe(ProgressState.Replicate);
    pr.sentEntries(2, 7, 2);
    pr.sentEntries(1, 8, 1);
    expect(pr.next).toBe(9);
    expect(pr.isPaused()).toBe(true);
    // A stale ack is ignored.
    expect(pr.maybeUpdate(4)).toBe(false);
  });

  it('ignores stale rejections and uses the hint to back up', () => {
    const pr = new Progress(10, false, 4, 0);
    expect(pr.maybeDecrTo(5, 3)).toBe(false); // not the index we probed
    expect(pr.maybeDecrTo(9, 3)).toBe(true);
    expect(pr.next).toBe(4);
    pr.match = 6;
    pr.becomeReplicate();
    expect(pr.maybeDecrTo(5, 0)).toBe(false); // below match: stale
  });
});
