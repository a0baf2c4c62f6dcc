/**
 * The API a driver uses: feed ticks and messages in, take a Ready out, do what
 * it says, call advance().
 *
 * The storage contract, for each Ready in order:
 *  1. Send `messages` at once; they depend on nothing unwritten (the leader's
 *     appends may go out while its own copy is still being written).
 *  2. Write `snapshot`, `entries` (overwriting any suffix from their first
 *     index) and `hardState` durably; fsync if `mustSync`.
 *  3. Only then send `messagesAfterPersist` (votes and acknowledgements that
 *     promise the write happened).
 *  4. Apply `snapshot` then `committed` to the state machine, serve
 *     `readStates` once applied up to their index, then call advance().
 * Call ready() again only after advance().
 */
import { encodeConfChange } from './codec.js';
import { RaftError, isRaftError } from './errors.js';
import type { RaftConfig } from './raft.js';
import { Raft, encodeTransferee } from './raft.js';
import type { ProgressState } from './progress.js';
import type { ConfChange, ConfState, Entry, HardState, Message, NodeId, ReadState, Snapshot, SoftState, StateType } from './types.js';
import { EntryType, MessageType, NONE, hardStateEqual, isLocalMessage, makeMessage } from './types.js';

export interface Ready {
  /** Set when leader or role changed since the last Ready. */
  softState?: SoftState;
  /** Set when term, vote or commit changed; write it with the entries. */
  hardState?: HardState;
  entries: Entry[];
  snapshot?: Snapshot;
  /** Committed entries to apply, in order. */
  committed: Entry[];
  messages: Message[];
  messagesAfterPersist: Message[];
  readStates: ReadState[];
  /** The write must be durable (term, vote or entries changed), not just buffered. */
  mustSync: boolean;
}

export interface ProgressStatus {
  match: number;
  next: number;
  state: ProgressState;
  isLearner: boolean;
  recentActive: boolean;
}

export interface Status {
  id: NodeId;
  term: number;
  vote: NodeId;
  commit: number;
  applied: number;
  lead: NodeId;
  state: StateType;
  leadTransferee: NodeId;
  config: ConfState;
  progress: Record<NodeId, ProgressStatus>;
}

export interface RawNodeConfig extends RaftConfig {
  /** TEST ONLY: must be true for `plants` to be accepted. */
  allowPlantedBugs?: boolean;
}

const DROPPABLE = new Set(['PROPOSAL_DROPPED', 'UNCOMMITTED_LIMIT', 'CONF_CHANGE_PENDING', 'INVALID_CONF_CHANGE']);

export class RawNode {
  readonly raft: Raft;
  private prevSoft: SoftState;
  private prevHard: HardState;
  private inProgress: Ready | undefined;

  constructor(config: RawNodeConfig) {
    if (config.plants && config.plants.size > 0 && config.allowPlantedBugs !== true) {
      throw new RaftError('INVALID_CONFIG', 'Cannot create Raft node: planted bugs are for tests and need allowPlantedBugs');
    }
    this.raft = new Raft(config);
    this.prevSoft = this.raft.softState();
    this.prevHard = this.raft.hardState();
  }

  tick(): void {
    this.raft.tick();
  }

  /** Starts an election now (pre-vote first if enabled). */
  campaign(): void {
    this.raft.step(makeMessage({ type: MessageType.Hup, from: this.raft.id }));
  }

  propose(data: Uint8Array): void {
    this.raft.step(makeMessage({ type: MessageType.Prop, from: this.raft.id, entries: [{ term: 0, index: 0, type: EntryType.Normal, data }] }));
  }

  /** Proposes several entries as one unit: they are appended and sent together, or refused together. */
  proposeBatch(data: readonly Uint8Array[]): void {
    if (data.length === 0) return;
    const entries = data.map((d) => ({ term: 0, index: 0, type: EntryType.Normal, data: d }));
    this.raft.step(makeMessage({ type: MessageType.Prop, from: this.raft.id, entries }));
  }

  proposeConfChange(cc: ConfChange): void {
    const data = encodeConfChange(cc);
    this.raft.step(makeMessage({ type: MessageType.Prop, from: this.raft.id, entries: [{ term: 0, index: 0, type: EntryType.ConfChange, data }] }));
  }

  /** Steps a message from the network. Proposals this node cannot take are dropped silently. */
  step(m: Message): void {
    if (isLocalMessage(m.type)) {
      throw new RaftError('INVALID_STEP', `Cannot step ${MessageType[m.type]}: it is a local message`);
    }
    try {
      this.raft.step(m);
    } catch (err) {
      if (isRaftError(err) && DROPPABLE.has(err.code) && m.from !== this.raft.id) return;
      throw err;
    }
  }

  /** Asks for a linearizable read; a ReadState with this context appears in a later Ready. */
  readIndex(context: Uint8Array): void {
    this.raft.step(makeMessage({ type: MessageType.ReadIndex, from: this.raft.id, context }));
  }

  transferLeader(transferee: NodeId): void {
    this.raft.step(makeMessage({ type: MessageType.TransferLeader, from: this.raft.id, context: encodeTransferee(transferee) }));
  }

  /** The membership as of the applied index; store it with snapshots taken there. */
  confState(): ConfState {
    return this.raft.confState();
  }

  hasReady(): boolean {
    const r = this.raft;
    const soft = r.softState();
    if (soft.lead !== this.prevSoft.lead || soft.state !== this.prevSoft.state) return true;
    if (!hardStateEqual(r.hardState(), this.prevHard)) return true;
    if (r.log.unstable.snapshot || r.log.unstable.entries.length > 0) return true;
    if (r.msgs.length > 0 || r.msgsAfterPersist.length > 0 || r.readStates.length > 0) return true;
    return r.log.hasNextCommittedEntries();
  }

  ready(): Ready {
    if (this.inProgress) throw new RaftError('INVALID_STEP', 'Cannot take a Ready: the previous one was not advanced');
    const r = this.raft;
    const soft = r.softState();
    const hard = r.hardState();
    const rd: Ready = {
      entries: r.log.unstable.entries.slice(),
      committed: r.log.nextCommittedEntries(),
      messages: r.msgs,
      messagesAfterPersist: r.msgsAfterPersist,
      readStates: r.readStates,
      mustSync: false,
    };
    if (soft.lead !== this.prevSoft.lead || soft.state !== this.prevSoft.state) rd.softState = soft;
    if (!hardStateEqual(hard, this.prevHard)) {
      rd.hardState = r.plants.has('forget-to-persist-vote') ? { ...hard, vote: NONE } : hard;
    }
    if (r.log.unstable.snapshot) rd.snapshot = r.log.unstable.snapshot;
    rd.mustSync = rd.entries.length > 0 || hard.term !== this.prevHard.term || hard.vote !== this.prevHard.vote;
    r.msgs = [];
    r.msgsAfterPersist = [];
    r.readStates = [];
    this.inProgress = rd;
    return rd;
  }

  /** Reports that the last Ready was fully handled: written, sent and applied. */
  advance(): void {
    const rd = this.inProgress;
    if (!rd) throw new RaftError('INVALID_STEP', 'Cannot advance: no Ready is in progress');
    this.inProgress = undefined;
    const r = this.raft;
    if (rd.softState) this.prevSoft = rd.softState;
    if (rd.hardState) this.prevHard = r.plants.has('forget-to-persist-vote') ? { ...rd.hardState, vote: r.vote } : rd.hardState;
    if (rd.snapshot) {
      r.log.stableSnapTo(rd.snapshot.meta.index);
      if (rd.snapshot.meta.index > r.log.applied) r.log.applied = rd.snapshot.meta.index;
    }
    if (rd.entries.length > 0) {
      const last = rd.entries[rd.entries.length - 1]!;
      r.onPersisted(last.index, last.term);
    }
    r.onApplied(rd.committed);
  }

  status(): Status {
    const r = this.raft;
    const progress: Record<NodeId, ProgressStatus> = {};
    if (r.state === 'leader') {
      for (const [id, pr] of r.tracker.progress) {
        progress[id] = { match: pr.match, next: pr.next, state: pr.state, isLearner: pr.isLearner, recentActive: pr.recentActive };
      }
    }
    return {
      id: r.id,
      term: r.term,
      vote: r.vote,
      commit: r.log.committed,
      applied: r.log.applied,
      lead: r.lead,
      state: r.state,
      leadTransferee: r.leadTransferee,
      config: r.confState(),
      progress,
    };
  }
}

