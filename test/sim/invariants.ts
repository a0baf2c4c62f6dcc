/**
 * The safety properties the simulator checks after every step, fed
 * incrementally as nodes hand out Readies and apply entries.
 */
import type { Entry } from '../../src/core/raft/types.js';
import { EntryType } from '../../src/core/raft/types.js';
import { bytesKey } from '../../src/core/raft/util.js';

export class Violation extends Error {
  constructor(
    readonly rule: string,
    detail: string,
  ) {
    super(`${rule}: ${detail}`);
    this.name = 'Violation';
  }
}

/** Identifies an entry by type, term and payload (proposal ids are unique, so a prefix and the length suffice). */
export function entryKey(e: Entry): string {
  return `${e.type === EntryType.ConfChange ? 'c' : 'n'}${e.term}:${bytesKey(e.data.subarray(0, 24))}/${e.data.byteLength}`;
}

export interface AppliedEntry {
  term: number;
  key: string;
}

export class Invariants {
  /** term -> the one leader elected in it. */
  readonly leaders = new Map<number, string>();
  /** "index:term" -> the entry, and the term before it, seen in any log. */
  private readonly logKeys = new Map<string, string>();
  private readonly logPrevTerms = new Map<string, number>();
  /** index -> the entry first applied there by any node. */
  readonly applied = new Map<number, AppliedEntry>();
  maxApplied = 0;
  /** proposal id -> index it was acknowledged at. */
  readonly acked = new Map<string, number>();

  electedLeader(term: number, id: string): void {
    const prev = this.leaders.get(term);
    if (prev !== undefined && prev !== id) {
      throw new Violation('election safety', `term ${term} has two leaders: ${prev} and ${id}`);
    }
    this.leaders.set(term, id);
  }

  /** Log matching: an (index, term) pair identifies the entry and, through prevTerm, its whole prefix. */
  sawEntry(node: string, e: Entry, prevTerm: number | undefined): void {
    const id = `${e.index}:${e.term}`;
    const key = entryKey(e);
    const known = this.logKeys.get(id);
    if (known === undefined) this.logKeys.set(id, key);
    else if (known !== key) throw new Violation('log matching', `${node} holds ${key} at ${id}; another log holds ${known}`);
    if (prevTerm === undefined) return;
    const knownPrev = this.logPrevTerms.get(id);
    if (knownPrev === undefined) this.logPrevTerms.set(id, prevTerm);
    else if (knownPrev !== prevTerm) {
      throw new Violation('log matching', `${node} has term ${prevTerm} before ${id}; another log has ${knownPrev}`);
    }
  }

  /** State machine safety: every node applies the same entry at each index. */
  appliedEntry(node: string, index: number, term: number, key: string): void {
    const prev = this.applied.get(index);
    if (prev === undefined) {
      this.applied.set(index, { term, key });
      if (index > this.maxApplied) this.maxApplied = index;
      return;
    }
    if (prev.key !== key || prev.term !== term) {
      throw new Violation('state machine safety', `${node} applied ${key}@${term} at ${index}; another node applied ${prev.key}@${prev.term}`);
    }
  }

  /** Leader completeness: a leader holds every entry already applied anywhere. */
  checkLeaderLog(node: string, first: number, last: number, term: (i: number) => number | undefined): void {
    for (const [index, a] of this.applied) {
      if (index < first) continue;
      if (index > last) {
        throw new Violation('leader completeness', `leader ${node} ends at ${last} but ${index} was applied (${a.key})`);
      }
      const t = term(index);
      if (t !== a.term) {
        throw new Violation('leader completeness', `leader ${node} has term ${t} at ${index}; applied entry has term ${a.term}`);
      }
    }
  }
}
