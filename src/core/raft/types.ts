/**
 * Plain data shapes shared by every part of the Raft core. Everything here is
 * serialisable by codec.ts, so nothing holds functions or runtime handles.
 */

/** Node ids are strings so that browser tabs can join with generated ids. */
export type NodeId = string;

/** The id that stands for "nobody" (no vote cast, no leader known). */
export const NONE: NodeId = '';

export enum EntryType {
  Normal = 0,
  ConfChange = 1,
}

export interface Entry {
  term: number;
  index: number;
  type: EntryType;
  data: Uint8Array;
}

export interface HardState {
  term: number;
  vote: NodeId;
  commit: number;
}

export interface ConfState {
  voters: NodeId[];
  learners: NodeId[];
}

export interface SnapshotMeta {
  index: number;
  term: number;
  confState: ConfState;
}

export interface Snapshot {
  meta: SnapshotMeta;
  data: Uint8Array;
}

/** One piece of a snapshot as it travels from leader to follower. */
export interface SnapshotChunk {
  meta: SnapshotMeta;
  offset: number;
  totalSize: number;
  data: Uint8Array;
}

export enum ConfChangeType {
  AddVoter = 0,
  AddLearner = 1,
  RemoveNode = 2,
}

export interface ConfChange {
  type: ConfChangeType;
  nodeId: NodeId;
}

export enum MessageType {
  // Local-only messages (never sent over a network).
  Hup = 0,
  Beat = 1,
  CheckQuorum = 2,
  // Messages that may travel between nodes.
  Prop = 3,
  App = 4,
  AppResp = 5,
  Vote = 6,
  VoteResp = 7,
  PreVote = 8,
  PreVoteResp = 9,
  Snap = 10,
  Heartbeat = 11,
  HeartbeatResp = 12,
  TransferLeader = 13,
  TimeoutNow = 14,
  ReadIndex = 15,
  ReadIndexResp = 16,
}

export interface Message {
  type: MessageType;
  to: NodeId;
  from: NodeId;
  term: number;
  /** Term of the entry at `index` (App), or of the sender's last entry (Vote). */
  logTerm: number;
  index: number;
  entries: Entry[];
  commit: number;
  reject: boolean;
  rejectHint: number;
  /** Opaque request context: read ids, the campaign-transfer marker. */
  context: Uint8Array;
  snapshot?: SnapshotChunk;
}

export enum StateType {
  Follower = 'follower',
  PreCandidate = 'pre-candidate',
  Candidate = 'candidate',
  Leader = 'leader',
}

export interface SoftState {
  lead: NodeId;
  state: StateType;
}

export interface ReadState {
  index: number;
  context: Uint8Array;
}

export type ReadOnlyOption = 'safe' | 'lease-based';

/** A source of randomness injected by the caller; returns an integer in [0, bound). */
export interface RandomSource {
  nextInt(bound: number): number;
}

export const EMPTY_BYTES: Uint8Array = new Uint8Array(0);

export function makeMessage(fields: Partial<Message> & Pick<Message, 'type'>): Message {
  return {
    to: NONE,
    from: NONE,
    term: 0,
    logTerm: 0,
    index: 0,
    entries: [],
    commit: 0,
    reject: false,
    rejectHint: 0,
    context: EMPTY_BYTES,
    ...fields,
  };
}

export function isEmptyHardState(hs: HardState): boolean {
  return hs.term === 0 && hs.vote === NONE && hs.commit === 0;
}

export function hardStateEqual(a: HardState, b: HardState): boolean {
  return a.term === b.term && a.vote === b.vote && a.commit === b.commit;
}

export function entrySize(e: Entry): number {
  return e.data.byteLength;
}

export function isLocalMessage(t: MessageType): boolean {
  return t === MessageType.Hup || t === MessageType.Beat || t === MessageType.CheckQuorum;
}

export function isResponseMessage(t: MessageType): boolean {
  return (
    t === MessageType.AppResp ||
    t === MessageType.VoteResp ||
    t === MessageType.PreVoteResp ||
    t === MessageType.HeartbeatResp ||
    t === MessageType.ReadIndexResp
  );
}

export function voteResponseType(t: MessageType): MessageType {
  return t === MessageType.PreVote ? MessageType.PreVoteResp : MessageType.VoteResp;
}
