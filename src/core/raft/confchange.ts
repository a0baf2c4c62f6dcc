/**
 * Membership changes, one node at a time.
 *
 * Why this is safe: a change adds or removes exactly one voter, so any
 * majority of the old voter set and any majority of the new one share a node.
 * A change takes effect when it is applied, and the leader refuses a second
 * change until the first is applied. The leader's no-op entry must be applied
 * before its first change (Ongaro's fix to the single-server algorithm), and
 * a node with a committed but unapplied change does not campaign, so no node
 * ever campaigns two changes behind.
 */
import { RaftError } from './errors.js';
import { cloneConfState } from './storage.js';
import type { ConfChange, ConfState } from './types.js';
import { ConfChangeType } from './types.js';

export function applyConfChangeToState(cs: ConfState, cc: ConfChange): ConfState {
  const out = cloneConfState(cs);
  const without = (xs: string[]) => xs.filter((x) => x !== cc.nodeId);
  switch (cc.type) {
    case ConfChangeType.AddVoter:
      out.learners = without(out.learners);
      if (!out.voters.includes(cc.nodeId)) out.voters.push(cc.nodeId);
      break;
    case ConfChangeType.AddLearner:
      // Demoting a voter in one step could shrink a quorum by two; not allowed.
      if (!out.voters.includes(cc.nodeId) && !out.learners.includes(cc.nodeId)) out.learners.push(cc.nodeId);
      break;
    case ConfChangeType.RemoveNode:
      out.voters = without(out.voters);
      out.learners = without(out.learners);
      break;
  }
  out.voters.sort();
  out.learners.sort();
  return out;
}

/** Rejects changes that could leave the group without voters or with an invalid id. */
export function validateConfChange(cs: ConfState, cc: ConfChange): void {
  if (cc.nodeId === '') {
    throw new RaftError('INVALID_CONF_CHANGE', 'Cannot change membership: node id is empty');
  }
  if (cc.type === ConfChangeType.RemoveNode && cs.voters.length === 1 && cs.voters[0] === cc.nodeId) {
    throw new RaftError('INVALID_CONF_CHANGE', `Cannot remove ${cc.nodeId}: it is the last voter`);
  }
  if (cc.type === ConfChangeType.AddLearner && cs.voters.includes(cc.nodeId)) {
    throw new RaftError('INVALID_CONF_CHANGE', `Cannot make ${cc.nodeId} a learner: it is a voter`);
  }
}
