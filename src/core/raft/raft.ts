/**
 * The Raft state machine: one dispatcher (`step`) over follower,
 * pre-candidate, candidate and leader behaviour. It never blocks, reads a
 * clock or draws random numbers of its own; time arrives as `tick()` calls and
 * randomness from the injected RandomSource. Output accumulates in `msgs`
 * (safe to send at once) and `msgsAfterPersist` (safe only once the state
 * that produced them is durable); RawNode turns both into a Ready.
 */
import { decodeConfChange } from './codec.js';
import { applyConfChangeToState, validateConfChange } from './confchange.js';
import { RaftError } from './errors.js';
import { RaftLog } from './log.js';
import type { PlantName } from './plants.js';
import type { Progress } from './progress.js';
import { ProgressState } from './progress.js';
import { VoteResult, voteResult } from './quorum.js';
import { ReadOnly } from './read-only.js';
import type { Storage } from './storage.js';
import { ProgressTracker } from './tracker.js';
import type {
  ConfChange,
  ConfState,
  Entry,
  HardState,
  Message,
  NodeId,
  RandomSource,
  ReadOnlyOption,
  ReadState,
  Snapshot,
  SnapshotChunk,
  SoftState,
} from './types.js';
import { EMPTY_BYTES, EntryType, MessageType, NONE, StateType, makeMessage, voteResponseType } from './types.js';
import { bytesKey, payloadSize } from './util.js';

export interface RaftConfig {
  id: NodeId;
  storage: Storage;
  /** Ticks without hearing from a leader before campaigning (randomised in [n, 2n)). */
  electionTick: number;
  /** Ticks between leader heartbeats; must be less than electionTick. */
  heartbeatTick: number;
  /** Randomness for election timeouts. Defaults to a generator seeded from the id. */
  random?: RandomSource;
  /** The index the caller's state machine has applied (for restarts). */
  applied?: number;
  /** Bytes of entry data per append message (at least one entry is always sent). */
  maxSizePerMsg?: number;
  /** Bytes of committed entries handed out per Ready. */
  maxCommittedSizePerReady?: number;
  /** Bytes of data in uncommitted entries on a leader; 0 means no limit. */
  maxUncommittedEntriesSize?: number;
  /** Append messages in flight per follower in replicate state. */
  maxInflightMsgs?: number;
  /** Bytes in flight per follower; 0 means no limit. */
  maxInflightBytes?: number;
  /** Leader steps down without a quorum of recent contact; followers ignore vote requests while they have a leader. */
  checkQuorum?: boolean;
  preVote?: boolean;
  /** 'lease-based' requires checkQuorum. */
  readOnlyOption?: ReadOnlyOption;
  /**
   * How long, in this node's ticks, a quorum-confirmed heartbeat lets a leader
   * serve lease reads. Must stay below electionTick divided by the worst
   * clock-rate ratio between nodes; the default (electionTick / 2) tolerates
   * clocks that run up to twice as fast as each other.
   */
  leaseTicks?: number;
  disableProposalForwarding?: boolean;
  /** Snapshot bytes per MsgSnap message. */
  snapshotChunkSize?: number;
  /** TEST ONLY: rules to break on purpose; see plants.ts. */
  plants?: ReadonlySet<PlantName>;
}

export const CAMPAIGN_TRANSFER: Uint8Array = new TextEncoder().encode('transfer');

enum CampaignType {
  PreElection,
  Election,
  Transfer,
}

/** A deterministic generator for when the caller injects none (xorshift32). */
export class SeededRandom implements RandomSource {
  private s: number;
  constructor(seed: number) {
    this.s = seed >>> 0 || 0x9e3779b9;
  }
  nextInt(bound: number): number {
    let x = this.s;
    x ^= x << 13;
    x >>>= 0;
    x ^= x >>> 17;
    x ^= x << 5;
    x >>>= 0;
    this.s = x;
    return x % bound;
  }
}

function hashString(s: string): number {
  let h = 2166136261;
  for (let i = 0; i < s.length; i++) {
    h ^= s.charCodeAt(i);
    h = Math.imul(h, 16777619);
  }
  return h >>> 0;
}

const textEncoder = new TextEncoder();
const textDecoder = new TextDecoder();

interface IncomingSnapshot {
  meta: Snapshot['meta'];
  totalSize: number;
  chunks: Map<number, Uint8Array>;
  received: number;
}

export class Raft {
  readonly id: NodeId;
  term = 0;
  vote: NodeId = NONE;
  lead: NodeId = NONE;
  state: StateType = StateType.Follower;
  readonly log: RaftLog;
  readonly tracker: ProgressTracker;
  msgs: Message[] = [];
  msgsAfterPersist: Message[] = [];
  readStates: ReadState[] = [];
  leadTransferee: NodeId = NONE;
  pendingConfIndex = 0;
  uncommittedSize = 0;

  readonly electionTimeout: number;
  readonly heartbeatTimeout: number;
  readonly checkQuorum: boolean;
  readonly preVote: boolean;
  readonly readOnlyOption: ReadOnlyOption;
  readonly leaseTicks: number;
  readonly disableProposalForwarding: boolean;
  private readonly maxMsgSize: number;
  private readonly maxUncommittedSize: number;
  private readonly snapshotChunkSize: number;
  private readonly random: RandomSource;
  readonly plants: ReadonlySet<PlantName>;

  electionElapsed = 0;
  heartbeatElapsed = 0;
  randomizedElectionTimeout = 0;
  /** Ticks since this instance started; a restarted node keeps its old promises for one election timeout. */
  private ticksSinceStart = 0;
  private readonly readOnly = new ReadOnly();
  private pendingReadIndexMessages: Message[] = [];
  private incomingSnapshot: IncomingSnapshot | undefined;
  // Leader lease bookkeeping: each heartbeat round and the tick it was sent at.
  private now = 0;
  private round = 0;
  private roundTicks = new Map<number, number>();
  /** Set once this leader has told someone to start an election: no more lease reads this term. */
  private leaseForfeited = false;

  constructor(c: RaftConfig) {
    validateConfig(c);
    this.id = c.id;
    this.plants = c.plants ?? new Set();
    this.electionTimeout = c.electionTick;
    this.heartbeatTimeout = c.heartbeatTick;
    this.checkQuorum = c.checkQuorum ?? false;
    this.preVote = c.preVote ?? false;
    this.readOnlyOption = c.readOnlyOption ?? 'safe';
    this.leaseTicks = c.leaseTicks ?? Math.floor(c.electionTick / 2);
    this.disableProposalForwarding = c.disableProposalForwarding ?? false;
    this.maxMsgSize = c.maxSizePerMsg ?? 1024 * 1024;
    this.maxUncommittedSize = c.maxUncommittedEntriesSize ?? 0;
    this.snapshotChunkSize = c.snapshotChunkSize ?? 1024 * 1024;
    this.random = c.random ?? new SeededRandom(hashString(c.id));
    this.log = new RaftLog(c.storage, c.maxCommittedSizePerReady ?? 64 * 1024 * 1024);
    this.tracker = new ProgressTracker(c.maxInflightMsgs ?? 256, c.maxInflightBytes ?? 0, this.plants.has('quorum-off-by-one'));

    const { hardState, confState } = c.storage.initialState();
    this.tracker.setConfig(confState, this.log.lastIndex() + 1);
    if (hardState.term !== 0 || hardState.vote !== NONE || hardState.commit !== 0) {
      if (hardState.commit < this.log.committed || hardState.commit > this.log.lastIndex()) {
        throw new RaftError(
          'CORRUPT_LOG',
          `Cannot restore hard state: commit ${hardState.commit} is outside [${this.log.committed}, ${this.log.lastIndex()}]`,
        );
      }
      this.log.committed = hardState.commit;
      this.term = hardState.term;
      this.vote = hardState.vote;
    }
    if (c.applied !== undefined && c.applied > this.log.applied) {
      // The caller's state machine is ahead of the snapshot: replay the membership it has seen.
      const ents = this.log.slice(this.log.applied + 1, c.applied + 1, Number.MAX_SAFE_INTEGER);
      for (const e of ents) if (e.type === EntryType.ConfChange) this.applyConfChange(decodeConfChange(e.data));
      this.log.appliedTo(c.applied);
    }
    this.becomeFollower(this.term, NONE);
  }

  // ---------------------------------------------------------------- state

  softState(): SoftState {
    return { lead: this.lead, state: this.state };
  }

  hardState(): HardState {
    return { term: this.term, vote: this.vote, commit: this.log.committed };
  }

  confState(): ConfState {
    return this.tracker.confState();
  }

  promotable(): boolean {
    return this.tracker.voters.has(this.id) && !this.log.unstable.snapshot;
  }

  private reset(term: number): void {
    if (this.term !== term) {
      this.term = term;
      this.vote = NONE;
    }
    this.lead = NONE;
    this.electionElapsed = 0;
    this.heartbeatElapsed = 0;
    this.randomizedElectionTimeout = this.electionTimeout + this.random.nextInt(this.electionTimeout);
    this.leadTransferee = NONE;
    this.tracker.resetVotes();
    this.tracker.resetProgress(this.log.lastIndex() + 1, this.id, this.stableLastIndex());
    this.pendingConfIndex = 0;
    this.uncommittedSize = 0;
    this.readOnly.clear();
    this.pendingReadIndexMessages = [];
    this.round = 0;
    this.roundTicks = new Map();
    this.leaseForfeited = false;
  }

  /** The last index that is durable and still part of our log. */
  private stableLastIndex(): number {
    if (this.log.unstable.snapshot) return 0;
    return Math.min(this.log.storage.lastIndex(), this.log.unstable.offset - 1);
  }

  becomeFollower(term: number, lead: NodeId): void {
    this.reset(term);
    this.lead = lead;
    this.state = StateType.Follower;
  }

  private becomePreCandidate(): void {
    // Pre-vote changes neither term nor vote: a partitioned node must not disrupt the group.
    this.tracker.resetVotes();
    this.lead = NONE;
    this.state = StateType.PreCandidate;
  }

  private becomeCandidate(): void {
    this.reset(this.term + 1);
    this.vote = this.id;
    this.state = StateType.Candidate;
  }

  private becomeLeader(): void {
    this.reset(this.term);
    this.lead = this.id;
    this.state = StateType.Leader;
    this.tracker.progress.get(this.id)?.becomeReplicate();
    const self = this.tracker.progress.get(this.id);
    if (self) self.match = this.stableLastIndex();
    // No membership change until everything before this term is applied.
    this.pendingConfIndex = this.log.lastIndex();
    // The no-op lets the new leader commit (and so learn the commit point) in its own term.
    this.appendEntries([{ term: 0, index: 0, type: EntryType.Normal, data: EMPTY_BYTES }], true);
  }

  // ---------------------------------------------------------------- ticks

  tick(): void {
    this.now++;
    this.ticksSinceStart++;
    if (this.state === StateType.Leader) this.tickHeartbeat();
    else this.tickElection();
  }

  private tickElection(): void {
    this.electionElapsed++;
    if (this.promotable() && this.electionElapsed >= this.randomizedElectionTimeout) {
      this.electionElapsed = 0;
      this.step(makeMessage({ type: MessageType.Hup, from: this.id }));
    }
  }

  private tickHeartbeat(): void {
    this.heartbeatElapsed++;
    this.electionElapsed++;
    for (const pr of this.tracker.progress.values()) {
      if (pr.state === ProgressState.Snapshot && ++pr.snapshotTicks >= this.electionTimeout) {
        // The snapshot (or its answer) was lost; probe again, which resends it if still needed.
        pr.becomeProbe();
      }
    }
    if (this.electionElapsed >= this.electionTimeout) {
      this.electionElapsed = 0;
      if (this.checkQuorum) this.step(makeMessage({ type: MessageType.CheckQuorum, from: this.id }));
      if (this.state === StateType.Leader && this.leadTransferee !== NONE) this.abortLeaderTransfer();
    }
    if (this.state !== StateType.Leader) return;
    if (this.heartbeatElapsed >= this.heartbeatTimeout) {
      this.heartbeatElapsed = 0;
      this.step(makeMessage({ type: MessageType.Beat, from: this.id }));
    }
  }

  // ---------------------------------------------------------------- sending

  private send(m: Message): void {
    m.from = this.id;
    if (m.type === MessageType.Vote || m.type === MessageType.VoteResp || m.type === MessageType.PreVote || m.type === MessageType.PreVoteResp) {
      if (m.term === 0) throw new RaftError('INVALID_STEP', `Cannot send ${MessageType[m.type]}: term is not set`);
    } else if (m.type !== MessageType.Prop && m.type !== MessageType.ReadIndex) {
      m.term = this.term;
    }
    if (this.plants.has('send-before-persist') || sendsImmediately(m.type)) this.msgs.push(m);
    else this.msgsAfterPersist.push(m);
  }

  /** Sends an append (or a snapshot) to `to` if its progress allows; returns whether something was sent. */
  private maybeSendAppend(to: NodeId, sendIfEmpty: boolean): boolean {
    const pr = this.tracker.progress.get(to);
    if (!pr || pr.isPaused()) return false;
    const prevIndex = pr.next - 1;
    const prevTerm = this.log.term(prevIndex);
    const ents = prevTerm === undefined ? undefined : this.log.entriesFrom(pr.next, this.maxMsgSize);
    if (prevTerm === undefined || ents === undefined) return this.maybeSendSnapshot(to, pr);
    if (ents.length === 0 && !sendIfEmpty) return false;
    this.send(makeMessage({ type: MessageType.App, to, index: prevIndex, logTerm: prevTerm, entries: ents, commit: this.log.committed }));
    pr.sentEntries(ents.length, ents.length > 0 ? ents[ents.length - 1]!.index : prevIndex, payloadSize(ents));
    return true;
  }

  private sendAppendsWhileAllowed(to: NodeId): void {
    while (this.maybeSendAppend(to, false)) {
      /* keep filling the pipe */
    }
  }

  private maybeSendSnapshot(to: NodeId, pr: Progress): boolean {
    if (!pr.recentActive) return false;
    let snap: Snapshot;
    try {
      snap = this.log.snapshot();
    } catch (err) {
      if (err instanceof RaftError && err.code === 'SNAPSHOT_UNAVAILABLE') return false;
      throw err;
    }
    if (snap.meta.index === 0) return false;
    const total = snap.data.byteLength;
    const size = Math.max(1, this.snapshotChunkSize);
    let offset = 0;
    do {
      const end = Math.min(total, offset + size);
      const chunk: SnapshotChunk = { meta: snap.meta, offset, totalSize: total, data: snap.data.subarray(offset, end) };
      this.send(makeMessage({ type: MessageType.Snap, to, snapshot: chunk }));
      offset = end;
    } while (offset < total);
    pr.becomeSnapshot(snap.meta.index);
    return true;
  }

  private bcastAppend(): void {
    for (const id of this.tracker.progress.keys()) if (id !== this.id) this.maybeSendAppend(id, true);
  }

  private bcastHeartbeat(): void {
    const ctx = this.readOnly.lastPendingContext() ?? EMPTY_BYTES;
    this.round++;
    this.roundTicks.set(this.round, this.now);
    this.roundTicks.delete(this.round - 4 * Math.ceil(this.electionTimeout / this.heartbeatTimeout) - 4);
    for (const [id, pr] of this.tracker.progress) {
      if (id === this.id) continue;
      // Never tell a follower to commit past what we know it has.
      const commit = Math.min(pr.match, this.log.committed);
      this.send(makeMessage({ type: MessageType.Heartbeat, to: id, commit, context: ctx, index: this.round }));
    }
  }

  private sendTimeoutNow(to: NodeId): void {
    this.leaseForfeited = true;
    this.send(makeMessage({ type: MessageType.TimeoutNow, to }));
  }

  // ---------------------------------------------------------------- log

  /** Appends entries as leader; throws UNCOMMITTED_LIMIT when the bound refuses them (`force` is for the no-op). */
  private appendEntries(es: Entry[], force = false): void {
    const size = payloadSize(es);
    if (!force && this.maxUncommittedSize > 0 && this.uncommittedSize > 0 && size > 0 && this.uncommittedSize + size > this.maxUncommittedSize) {
      throw new RaftError(
        'UNCOMMITTED_LIMIT',
        `Cannot propose entries: ${this.uncommittedSize + size} uncommitted bytes would exceed the limit of ${this.maxUncommittedSize}`,
      );
    }
    this.uncommittedSize += size;
    let li = this.log.lastIndex();
    // The proposal message is ours alone, so its entries are stamped in place.
    for (const e of es) {
      e.term = this.term;
      e.index = ++li;
    }
    this.log.append(es);
  }

  private maybeCommit(): boolean {
    const before = this.log.committed;
    const ok = this.log.maybeCommit(this.tracker.committed(), this.term, this.plants.has('commit-old-term-by-counting'));
    if (ok && this.log.zeroTermOnOutOfBounds(before) !== this.term && this.committedEntryInCurrentTerm()) {
      this.releasePendingReadIndexMessages();
    }
    return ok;
  }

  private committedEntryInCurrentTerm(): boolean {
    return this.log.zeroTermOnOutOfBounds(this.log.committed) === this.term;
  }

  /** Called by RawNode when entries up to (index, term) are durable. */
  onPersisted(index: number, term: number): void {
    this.log.stableTo(index, term);
    if (this.state !== StateType.Leader) return;
    if (this.log.term(index) !== term) return;
    const self = this.tracker.progress.get(this.id);
    if (self && self.maybeUpdate(index) && this.maybeCommit()) this.bcastAppend();
  }

  /** Called by RawNode once committed entries have been applied. */
  onApplied(ents: readonly Entry[]): void {
    if (ents.length === 0) return;
    for (const e of ents) if (e.type === EntryType.ConfChange) this.applyConfChange(decodeConfChange(e.data));
    this.log.appliedTo(ents[ents.length - 1]!.index);
    if (this.state === StateType.Leader) this.uncommittedSize = Math.max(0, this.uncommittedSize - payloadSize(ents));
  }

  hasUnappliedConfChanges(): boolean {
    if (this.log.applied >= this.log.committed) return false;
    const lo = Math.max(this.log.applied + 1, this.log.firstIndex());
    const ents = this.log.trySlice(lo, this.log.committed + 1, Number.MAX_SAFE_INTEGER) ?? [];
    return ents.some((e) => e.type === EntryType.ConfChange);
  }

  applyConfChange(cc: ConfChange): void {
    const next = applyConfChangeToState(this.tracker.confState(), cc);
    this.tracker.setConfig(next, this.log.lastIndex() + 1);
    if (this.state !== StateType.Leader) return;
    if (!this.tracker.voters.has(this.id)) {
      // A removed leader stops leading; the rest elect a new one.
      this.becomeFollower(this.term, NONE);
      return;
    }
    if (this.leadTransferee !== NONE && !this.tracker.voters.has(this.leadTransferee)) this.abortLeaderTransfer();
    if (this.maybeCommit()) this.bcastAppend();
    else for (const id of this.tracker.progress.keys()) if (id !== this.id) this.maybeSendAppend(id, false);
  }

  // ---------------------------------------------------------------- step

  /** Feeds one message. Throws RaftError for local proposals and reads that cannot be accepted. */
  step(m: Message): void {
    if (m.term === 0) {
      // Local message or a forwarded proposal/read.
    } else if (m.term > this.term) {
      if (m.type === MessageType.Vote || m.type === MessageType.PreVote) {
        const force = bytesKey(m.context) === bytesKey(CAMPAIGN_TRANSFER);
        const inLease =
          this.checkQuorum &&
          ((this.lead !== NONE && this.electionElapsed < this.electionTimeout) || this.ticksSinceStart < this.electionTimeout);
        if (!force && inLease) return;
      }
      if (m.type === MessageType.PreVote || (m.type === MessageType.PreVoteResp && !m.reject)) {
        // Pre-votes never move our term; a granted pre-vote carries the future term.
      } else if (m.type === MessageType.App || m.type === MessageType.Heartbeat || m.type === MessageType.Snap) {
        this.becomeFollower(m.term, m.from);
      } else {
        this.becomeFollower(m.term, NONE);
      }
    } else if (m.term < this.term && !this.plants.has('accept-stale-term')) {
      if ((this.checkQuorum || this.preVote) && (m.type === MessageType.App || m.type === MessageType.Heartbeat)) {
        // Tell a stale leader about the new term, or it may never step down.
        this.send(makeMessage({ type: MessageType.AppResp, to: m.from }));
      } else if (m.type === MessageType.PreVote) {
        this.send(makeMessage({ type: MessageType.PreVoteResp, to: m.from, term: this.term, reject: true }));
      }
      return;
    }

    switch (m.type) {
      case MessageType.Hup:
        this.hup(this.preVote ? CampaignType.PreElection : CampaignType.Election);
        return;
      case MessageType.Vote:
      case MessageType.PreVote:
        this.handleVoteRequest(m);
        return;
    }
    switch (this.state) {
      case StateType.Leader:
        this.stepLeader(m);
        break;
      case StateType.Candidate:
      case StateType.PreCandidate:
        this.stepCandidate(m);
        break;
      case StateType.Follower:
        this.stepFollower(m);
        break;
    }
  }

  private handleVoteRequest(m: Message): void {
    const canVote =
      this.vote === m.from || (this.vote === NONE && this.lead === NONE) || (m.type === MessageType.PreVote && m.term > this.term);
    const upToDate = this.plants.has('vote-ignores-log') || this.log.isUpToDate(m.index, m.logTerm);
    const respType = voteResponseType(m.type);
    if (canVote && upToDate) {
      this.send(makeMessage({ type: respType, to: m.from, term: m.term }));
      if (m.type === MessageType.Vote) {
        this.electionElapsed = 0;
        this.vote = m.from;
      }
    } else {
      this.send(makeMessage({ type: respType, to: m.from, term: this.term, reject: true }));
    }
  }

  private hup(t: CampaignType): void {
    if (this.state === StateType.Leader) return;
    if (!this.promotable()) return;
    if (this.hasUnappliedConfChanges()) return;
    this.campaign(t);
  }

  private campaign(t: CampaignType): void {
    let term: number;
    let voteType: MessageType;
    if (t === CampaignType.PreElection) {
      this.becomePreCandidate();
      voteType = MessageType.PreVote;
      term = this.term + 1;
    } else {
      this.becomeCandidate();
      voteType = MessageType.Vote;
      term = this.term;
    }
    this.tracker.recordVote(this.id, true);
    if (this.tracker.tallyVotes().result === VoteResult.Won) {
      if (t === CampaignType.PreElection) this.campaign(CampaignType.Election);
      else this.becomeLeader();
      return;
    }
    for (const id of [...this.tracker.voters].sort()) {
      if (id === this.id) continue;
      const context = t === CampaignType.Transfer ? CAMPAIGN_TRANSFER : EMPTY_BYTES;
      this.send(makeMessage({ type: voteType, to: id, term, index: this.log.lastIndex(), logTerm: this.log.lastTerm(), context }));
    }
  }

  private stepLeader(m: Message): void {
    switch (m.type) {
      case MessageType.Beat:
        this.bcastHeartbeat();
        return;
      case MessageType.CheckQuorum:
        if (!this.tracker.quorumActive(this.id) && !this.plants.has('lease-read-without-check-quorum')) {
          this.becomeFollower(this.term, NONE);
          return;
        }
        for (const [id, pr] of this.tracker.progress) if (id !== this.id) pr.recentActive = false;
        return;
      case MessageType.Prop:
        this.leaderPropose(m);
        return;
      case MessageType.ReadIndex:
        this.leaderReadIndex(m);
        return;
      case MessageType.TransferLeader:
        this.leaderTransfer(textDecoder.decode(m.context));
        return;
    }
    const pr = this.tracker.progress.get(m.from);
    if (!pr) return;
    switch (m.type) {
      case MessageType.AppResp:
        this.handleAppendResponse(m, pr);
        return;
      case MessageType.HeartbeatResp:
        this.handleHeartbeatResponse(m, pr);
        return;
    }
  }

  private leaderPropose(m: Message): void {
    if (m.entries.length === 0) throw new RaftError('PROPOSAL_DROPPED', 'Cannot propose: no entries');
    if (!this.tracker.progress.has(this.id)) {
      throw new RaftError('PROPOSAL_DROPPED', `Cannot propose entries: ${this.id} is no longer a member`);
    }
    if (this.leadTransferee !== NONE) {
      throw new RaftError('PROPOSAL_DROPPED', `Cannot propose entries: leadership is moving to ${this.leadTransferee}`);
    }
    let cs = this.tracker.confState();
    for (let i = 0; i < m.entries.length; i++) {
      const e = m.entries[i]!;
      if (e.type !== EntryType.ConfChange) continue;
      if (this.pendingConfIndex > this.log.applied && !this.plants.has('concurrent-conf-changes')) {
        throw new RaftError(
          'CONF_CHANGE_PENDING',
          `Cannot propose membership change: the change at ${this.pendingConfIndex} is not applied yet (applied ${this.log.applied})`,
        );
      }
      const cc = decodeConfChange(e.data);
      validateConfChange(cs, cc);
      cs = applyConfChangeToState(cs, cc);
      this.pendingConfIndex = this.log.lastIndex() + i + 1;
    }
    this.appendEntries(m.entries);
    this.bcastAppend();
  }

  private leaderReadIndex(m: Message): void {
    if (this.tracker.voters.size === 1 && this.tracker.voters.has(this.id)) {
      this.respondToReadIndex(m, this.log.committed);
      return;
    }
    if (!this.committedEntryInCurrentTerm() && !this.plants.has('read-index-before-term-commit')) {
      // Our commit index may trail what a previous leader committed; wait for our own.
      this.pendingReadIndexMessages.push(m);
      return;
    }
    this.serveReadIndex(m);
  }

  private serveReadIndex(m: Message): void {
    if (this.readOnlyOption === 'lease-based') {
      if (this.plants.has('lease-read-without-check-quorum') || this.holdsLease()) {
        this.respondToReadIndex(m, this.log.committed);
        return;
      }
      // No valid lease right now: fall back to confirming leadership with a heartbeat round.
    }
    this.readOnly.addRequest(this.log.committed, m);
    this.readOnly.recvAck(this.id, m.context);
    this.bcastHeartbeat();
  }

  private holdsLease(): boolean {
    if (this.leaseForfeited || this.leadTransferee !== NONE) return false;
    const confirmed = this.tracker.quorumValue((id) => (id === this.id ? this.round : (this.tracker.progress.get(id)?.ackedRound ?? 0)));
    const sentAt = this.roundTicks.get(confirmed);
    if (confirmed === 0 || sentAt === undefined) return false;
    return this.now - sentAt < this.leaseTicks;
  }

  private releasePendingReadIndexMessages(): void {
    const msgs = this.pendingReadIndexMessages;
    this.pendingReadIndexMessages = [];
    for (const m of msgs) this.serveReadIndex(m);
  }

  private respondToReadIndex(req: Message, index: number): void {
    if (req.from === NONE || req.from === this.id) {
      this.readStates.push({ index, context: req.context });
    } else {
      this.send(makeMessage({ type: MessageType.ReadIndexResp, to: req.from, index, context: req.context }));
    }
  }

  private leaderTransfer(transferee: NodeId): void {
    const pr = this.tracker.progress.get(transferee);
    if (!pr || pr.isLearner || !this.tracker.voters.has(transferee)) return;
    if (this.leadTransferee !== NONE) {
      if (this.leadTransferee === transferee) return;
      this.abortLeaderTransfer();
    }
    if (transferee === this.id) return;
    // The transfer must finish within one election timeout or it is abandoned.
    this.electionElapsed = 0;
    this.leadTransferee = transferee;
    if (pr.match === this.log.lastIndex()) this.sendTimeoutNow(transferee);
    else this.maybeSendAppend(transferee, true);
  }

  private abortLeaderTransfer(): void {
    this.leadTransferee = NONE;
  }

  private handleAppendResponse(m: Message, pr: Progress): void {
    pr.recentActive = true;
    if (m.reject) {
      let nextProbe = m.rejectHint;
      if (m.logTerm > 0) nextProbe = this.log.findConflictByTerm(m.rejectHint, m.logTerm).index;
      if (pr.maybeDecrTo(m.index, nextProbe)) {
        if (pr.state === ProgressState.Replicate) pr.becomeProbe();
        this.maybeSendAppend(m.from, true);
      }
      return;
    }
    const old = pr.isPaused();
    if (!pr.maybeUpdate(m.index)) {
      if (old && !pr.isPaused()) this.maybeSendAppend(m.from, false);
      return;
    }
    if (pr.state === ProgressState.Probe) {
      pr.becomeReplicate();
    } else if (pr.state === ProgressState.Snapshot && pr.match + 1 >= this.log.firstIndex()) {
      pr.becomeProbe();
      pr.becomeReplicate();
    } else if (pr.state === ProgressState.Replicate) {
      pr.inflights.freeLE(m.index);
    }
    if (this.maybeCommit()) {
      this.bcastAppend();
    } else if (old) {
      this.maybeSendAppend(m.from, false);
    }
    this.sendAppendsWhileAllowed(m.from);
    if (m.from === this.leadTransferee && pr.match === this.log.lastIndex()) this.sendTimeoutNow(m.from);
  }

  private handleHeartbeatResponse(m: Message, pr: Progress): void {
    pr.recentActive = true;
    pr.msgAppFlowPaused = false;
    if (m.index > pr.ackedRound) pr.ackedRound = m.index;
    if (pr.match < this.log.lastIndex() || pr.state === ProgressState.Probe) this.maybeSendAppend(m.from, true);
    if (m.context.byteLength === 0) return;
    const acks = this.readOnly.recvAck(m.from, m.context);
    if (!acks || voteResult(this.tracker.voters, acks, this.tracker.offByOne) !== VoteResult.Won) return;
    for (const rs of this.readOnly.advance(m.context)) this.respondToReadIndex(rs.req, rs.index);
  }

  private stepCandidate(m: Message): void {
    const myVoteResp = this.state === StateType.PreCandidate ? MessageType.PreVoteResp : MessageType.VoteResp;
    switch (m.type) {
      case MessageType.Prop:
        throw new RaftError('PROPOSAL_DROPPED', `Cannot propose entries: ${this.id} is campaigning and there is no leader`);
      case MessageType.App:
        this.becomeFollower(m.term, m.from);
        this.handleAppend(m);
        return;
      case MessageType.Heartbeat:
        this.becomeFollower(m.term, m.from);
        this.handleHeartbeat(m);
        return;
      case MessageType.Snap:
        this.becomeFollower(m.term, m.from);
        this.handleSnapshot(m);
        return;
      case MessageType.ReadIndex:
        throw new RaftError('PROPOSAL_DROPPED', `Cannot serve read: ${this.id} is campaigning and there is no leader`);
      case myVoteResp: {
        this.tracker.recordVote(m.from, !m.reject);
        const { result } = this.tracker.tallyVotes();
        if (result === VoteResult.Won) {
          if (this.state === StateType.PreCandidate) {
            this.campaign(CampaignType.Election);
          } else {
            this.becomeLeader();
            this.bcastAppend();
          }
        } else if (result === VoteResult.Lost) {
          // A granted pre-vote for a higher term may be mixed in; stay in our own term.
          this.becomeFollower(this.term, NONE);
        }
        return;
      }
    }
  }

  private stepFollower(m: Message): void {
    switch (m.type) {
      case MessageType.Prop:
        if (this.lead === NONE) throw new RaftError('PROPOSAL_DROPPED', `Cannot propose entries: ${this.id} knows no leader`);
        if (this.disableProposalForwarding) {
          throw new RaftError('PROPOSAL_DROPPED', `Cannot propose entries: ${this.id} is a follower and forwarding is off`);
        }
        this.send({ ...m, to: this.lead });
        return;
      case MessageType.App:
        this.electionElapsed = 0;
        this.lead = m.from;
        this.handleAppend(m);
        return;
      case MessageType.Heartbeat:
        this.electionElapsed = 0;
        this.lead = m.from;
        this.handleHeartbeat(m);
        return;
      case MessageType.Snap:
        this.electionElapsed = 0;
        this.lead = m.from;
        this.handleSnapshot(m);
        return;
      case MessageType.TransferLeader:
        if (this.lead === NONE) return;
        this.send({ ...m, to: this.lead });
        return;
      case MessageType.TimeoutNow:
        this.hup(CampaignType.Transfer);
        return;
      case MessageType.ReadIndex:
        if (this.lead === NONE) throw new RaftError('PROPOSAL_DROPPED', `Cannot serve read: ${this.id} knows no leader`);
        this.send({ ...m, to: this.lead });
        return;
      case MessageType.ReadIndexResp:
        this.readStates.push({ index: m.index, context: m.context });
        return;
    }
  }

  private handleAppend(m: Message): void {
    if (m.index < this.log.committed) {
      this.send(makeMessage({ type: MessageType.AppResp, to: m.from, index: this.log.committed }));
      return;
    }
    const lastNew = this.log.maybeAppend(m.index, m.logTerm, m.commit, m.entries, this.plants.has('truncate-on-stale-append'));
    if (lastNew !== undefined) {
      this.send(makeMessage({ type: MessageType.AppResp, to: m.from, index: lastNew }));
      return;
    }
    // Point the leader at the last entry that could possibly match, skipping whole terms.
    const hint = this.log.findConflictByTerm(Math.min(m.index, this.log.lastIndex()), m.logTerm);
    this.send(makeMessage({ type: MessageType.AppResp, to: m.from, index: m.index, reject: true, rejectHint: hint.index, logTerm: hint.term }));
  }

  private handleHeartbeat(m: Message): void {
    this.log.commitTo(m.commit);
    this.send(makeMessage({ type: MessageType.HeartbeatResp, to: m.from, context: m.context, index: m.index }));
  }

  private handleSnapshot(m: Message): void {
    const chunk = m.snapshot;
    if (!chunk) return;
    if (chunk.meta.index <= this.log.committed) {
      this.send(makeMessage({ type: MessageType.AppResp, to: m.from, index: this.log.committed }));
      return;
    }
    let inc = this.incomingSnapshot;
    if (!inc || inc.meta.index !== chunk.meta.index || inc.meta.term !== chunk.meta.term || inc.totalSize !== chunk.totalSize) {
      inc = { meta: chunk.meta, totalSize: chunk.totalSize, chunks: new Map(), received: 0 };
      this.incomingSnapshot = inc;
    }
    if (!inc.chunks.has(chunk.offset)) {
      inc.chunks.set(chunk.offset, chunk.data);
      inc.received += chunk.data.byteLength;
    }
    if (inc.received < inc.totalSize) return;
    this.incomingSnapshot = undefined;
    const data = new Uint8Array(inc.totalSize);
    for (const [off, bytes] of inc.chunks) data.set(bytes, off);
    const snap: Snapshot = { meta: inc.meta, data };
    if (this.restore(snap)) {
      this.send(makeMessage({ type: MessageType.AppResp, to: m.from, index: this.log.lastIndex() }));
    } else {
      this.send(makeMessage({ type: MessageType.AppResp, to: m.from, index: this.log.committed }));
    }
  }

  /** Installs a snapshot unless our log already covers it; returns whether it was installed. */
  private restore(s: Snapshot): boolean {
    if (s.meta.index <= this.log.committed) return false;
    if (this.log.matchTerm(s.meta.index, s.meta.term)) {
      // We already have the snapshot's last entry: just move the commit point.
      this.log.commitTo(s.meta.index);
      return false;
    }
    this.log.restore(s);
    this.tracker.setConfig(s.meta.confState, this.log.lastIndex() + 1);
    return true;
  }
}

function sendsImmediately(t: MessageType): boolean {
  switch (t) {
    case MessageType.App:
    case MessageType.Snap:
    case MessageType.Heartbeat:
    case MessageType.TimeoutNow:
    case MessageType.Prop:
    case MessageType.ReadIndex:
    case MessageType.ReadIndexResp:
    case MessageType.TransferLeader:
    case MessageType.PreVote:
      return true;
    default:
      return false;
  }
}

function validateConfig(c: RaftConfig): void {
  const bad = (reason: string) => new RaftError('INVALID_CONFIG', `Cannot create Raft node: ${reason}`);
  if (c.id === NONE) throw bad('id is empty');
  if (!(c.heartbeatTick > 0)) throw bad('heartbeatTick must be positive');
  if (!(c.electionTick > c.heartbeatTick)) throw bad('electionTick must be greater than heartbeatTick');
  if (c.maxInflightMsgs !== undefined && !(c.maxInflightMsgs > 0)) throw bad('maxInflightMsgs must be positive');
  if ((c.readOnlyOption ?? 'safe') === 'lease-based' && !c.checkQuorum) {
    throw bad('lease-based reads need checkQuorum');
  }
  if (c.leaseTicks !== undefined && !(c.leaseTicks > 0 && c.leaseTicks < c.electionTick)) {
    throw bad('leaseTicks must be positive and below electionTick');
  }
  if (c.plants && c.plants.size > 1) throw bad('at most one planted bug at a time');
}

export function encodeTransferee(id: NodeId): Uint8Array {
  return textEncoder.encode(id);
}
