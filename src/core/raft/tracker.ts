/**
 * Membership and per-peer progress. Membership changes one node at a time
 * (see confchange.ts for why that is safe); this class only holds the
 * current configuration and answers quorum questions against it.
 */
import { Progress } from './progress.js';
import { committedIndex, voteResult } from './quorum.js';
import type { VoteResult } from './quorum.js';
import type { ConfState, NodeId } from './types.js';

export class ProgressTracker {
  voters = new Set<NodeId>();
  learners = new Set<NodeId>();
  progress = new Map<NodeId, Progress>();
  votes = new Map<NodeId, boolean>();

  constructor(
    readonly maxInflight: number,
    readonly maxInflightBytes: number,
    readonly offByOne: boolean,
  ) {}

  confState(): ConfState {
    return { voters: [...this.voters].sort(), learners: [...this.learners].sort() };
  }

  isMember(id: NodeId): boolean {
    return this.voters.has(id) || this.learners.has(id);
  }

  /** Replaces the configuration, keeping progress of nodes that stay. */
  setConfig(cs: ConfState, nextIndex: number): void {
    this.voters = new Set(cs.voters);
    this.learners = new Set(cs.learners.filter((id) => !this.voters.has(id)));
    for (const id of [...this.progress.keys()]) {
      if (!this.isMember(id)) this.progress.delete(id);
    }
    for (const id of [...this.voters, ...this.learners]) {
      const pr = this.progress.get(id);
      if (pr) pr.isLearner = this.learners.has(id);
      else this.progress.set(id, this.newProgress(nextIndex, this.learners.has(id)));
    }
  }

  newProgress(next: number, isLearner: boolean): Progress {
    const pr = new Progress(next, isLearner, this.maxInflight, this.maxInflightBytes);
    // A new peer gets the benefit of the doubt, or the leader would step down at once.
    pr.recentActive = true;
    return pr;
  }

  resetProgress(nextIndex: number, selfId: NodeId, selfMatch: number): void {
    this.progress = new Map();
    for (const id of [...this.voters, ...this.learners]) {
      const pr = this.newProgress(nextIndex, this.learners.has(id));
      if (id === selfId) pr.match = selfMatch;
      this.progress.set(id, pr);
    }
  }

  committed(): number {
    return committedIndex(this.voters, (id) => this.progress.get(id)?.match ?? 0, this.offByOne);
  }

  /** The highest value `f` that a majority of voters has reached. */
  quorumValue(f: (id: NodeId) => number): number {
    return committedIndex(this.voters, f, this.offByOne);
  }

  quorumActive(selfId: NodeId): boolean {
    const votes = new Map<NodeId, boolean>();
    for (const id of this.voters) {
      const pr = this.progress.get(id);
      votes.set(id, id === selfId || (pr?.recentActive ?? false));
    }
    return voteResult(this.voters, votes, this.offByOne) === 'won';
  }

  resetVotes(): void {
    this.votes = new Map();
  }

  recordVote(id: NodeId, granted: boolean): void {
    if (!this.votes.has(id)) this.votes.set(id, granted);
  }

  tallyVotes(): { granted: number; rejected: number; result: VoteResult } {
    let granted = 0;
    let rejected = 0;
    for (const [id, v] of this.votes) {
      if (!this.voters.has(id)) continue;
      if (v) granted++;
      else rejected++;
    }
    return { granted, rejected, result: voteResult(this.voters, this.votes, this.offByOne) };
  }

  isSingleton(): boolean {
    return this.voters.size === 1 && this.learners.size === 0;
  }
}
