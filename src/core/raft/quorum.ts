/**
 * Majority arithmetic: which index a majority has reached, and whether a
 * majority voted yes. Kept free of Raft state so it can be tested exhaustively.
 */
import type { NodeId } from './types.js';

export enum VoteResult {
  Pending = 'pending',
  Lost = 'lost',
  Won = 'won',
}

/** The size of a majority of `n` voters; `offByOne` is a planted bug for the simulator. */
export function majority(n: number, offByOne = false): number {
  return offByOne ? Math.max(1, Math.floor(n / 2)) : Math.floor(n / 2) + 1;
}

/** The largest index that at least a majority of `voters` have acknowledged. */
export function committedIndex(voters: ReadonlySet<NodeId>, acked: (id: NodeId) => number, offByOne = false): number {
  const n = voters.size;
  if (n === 0) return Number.MAX_SAFE_INTEGER;
  const vals: number[] = [];
  for (const id of voters) vals.push(acked(id));
  vals.sort((a, b) => b - a);
  return vals[majority(n, offByOne) - 1]!;
}

export function voteResult(voters: ReadonlySet<NodeId>, votes: ReadonlyMap<NodeId, boolean>, offByOne = false): VoteResult {
  const n = voters.size;
  if (n === 0) return VoteResult.Won;
  let yes = 0;
  let no = 0;
  for (const id of voters) {
    const v = votes.get(id);
    if (v === true) yes++;
    else if (v === false) no++;
  }
  const q = majority(n, offByOne);
  if (yes >= q) return VoteResult.Won;
  if (n - no < q) return VoteResult.Lost;
  return VoteResult.Pending;
}
