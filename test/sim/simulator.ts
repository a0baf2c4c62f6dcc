/**
 * A deterministic fault simulator for the Raft core.
 *
 * One seed fixes everything: group size, options, fault rates and every
 * decision along the way. Time advances in steps; in each step nodes tick at
 * their own rates, messages whose delay has passed are delivered (encoded and
 * decoded through the codec, dropped, duplicated, reordered, blocked by
 * partitions), and nodes handle their Ready in two phases — send-now
 * messages first, the durable write some steps later — so a crash between the
 * two loses the write exactly as a real crash would.
 */
import { decodeMessage, encodeMessage } from '../../src/core/raft/codec.js';
import { isRaftError } from '../../src/core/raft/errors.js';
import type { PlantName } from '../../src/core/raft/plants.js';
import type { Ready } from '../../src/core/raft/raw-node.js';
import { RawNode } from '../../src/core/raft/raw-node.js';
import { MemoryStorage } from '../../src/core/raft/storage.js';
import type { ConfChange, Message, ReadOnlyOption } from '../../src/core/raft/types.js';
import { ConfChangeType, EntryType, StateType } from '../../src/core/raft/types.js';
import { bytesKey } from '../../src/core/raft/util.js';
import { Invariants, Violation, entryKey } from './invariants.js';
import { Prng } from './prng.js';

export interface SimOptions {
  seed: number;
  /** Steps with faults, before the healing phase. */
  steps?: number;
  /** Fault-free steps at the end, after which the final checks run. */
  settleSteps?: number;
  plant?: PlantName;
  /** Print a line per notable event. */
  trace?: (line: string) => void;
}

export interface SimStats {
  voters: number;
  learners: number;
  elections: number;
  applied: number;
  acked: number;
  reads: number;
  crashes: number;
  snapshotsSent: number;
  confChanges: number;
  transfers: number;
  messages: number;
}

export interface SimResult {
  seed: number;
  ok: boolean;
  violation?: string;
  step: number;
  stats: SimStats;
}

interface Profile {
  voters: number;
  learners: number;
  preVote: boolean;
  checkQuorum: boolean;
  readOnly: ReadOnlyOption;
  forwarding: boolean;
  electionTick: number;
  heartbeatTick: number;
  maxSizePerMsg: number;
  maxInflight: number;
  chunkSize: number;
  drop: number;
  dup: number;
  maxDelay: number;
  partitionRate: number;
  crashRate: number;
  /** Chance a node crashes right after a write completes, before acting on it. */
  crashAfterWrite: number;
  /** Chance a newly elected leader crashes within a few steps (a flapping node). */
  flappingLeader: number;
  pauseRate: number;
  slowDisk: number;
  proposeRate: number;
  readRate: number;
  confRate: number;
  transferRate: number;
  snapshotEvery: number;
}

function makeProfile(r: Prng): Profile {
  const voters = r.pick([3, 3, 3, 5, 5, 7]);
  const lease = r.chance(0.3);
  const checkQuorum = lease || r.chance(0.5);
  const electionTick = r.between(6, 12);
  const base: Profile = {
    voters,
    learners: r.pick([0, 0, 1, 2]),
    preVote: r.chance(0.5),
    checkQuorum,
    readOnly: lease ? 'lease-based' : 'safe',
    forwarding: r.chance(0.8),
    electionTick,
    heartbeatTick: r.between(1, Math.max(1, Math.floor(electionTick / 3))),
    maxSizePerMsg: r.pick([1, 64, 256, 4096]),
    maxInflight: r.between(1, 8),
    chunkSize: r.pick([8, 32, 1024]),
    drop: r.pick([0, 0.02, 0.1, 0.25]),
    dup: r.pick([0, 0.02, 0.1]),
    maxDelay: r.pick([0, 1, 2, 4]),
    partitionRate: r.pick([0, 0.02, 0.05]),
    crashRate: r.pick([0, 0.01, 0.03, 0.06]),
    crashAfterWrite: r.pick([0, 0, 0.01, 0.03]),
    flappingLeader: r.pick([0, 0, 0.1]),
    pauseRate: r.pick([0, 0.01, 0.03]),
    slowDisk: r.pick([0, 0.2, 0.5]),
    proposeRate: r.pick([0.2, 0.5, 0.9]),
    readRate: r.pick([0.05, 0.2, 0.4]),
    confRate: r.pick([0, 0.02, 0.05]),
    transferRate: r.pick([0, 0.01, 0.03]),
    snapshotEvery: r.pick([5, 15, 40, 1000]),
  };
  if (!r.chance(0.3)) return base;
  // Leadership churn: leaders are cut off or crash soon after election, one entry
  // travels per message, so logs diverge in many short terms (Raft figure 8 territory).
  return {
    ...base,
    voters: r.pick([3, 5, 5, 5]),
    maxSizePerMsg: 1,
    maxInflight: 1,
    partitionRate: r.pick([0.15, 0.4]),
    crashRate: r.pick([0.03, 0.08]),
    crashAfterWrite: r.pick([0.01, 0.03]),
    flappingLeader: r.pick([0.2, 0.4]),
    proposeRate: 0.9,
    maxDelay: r.pick([1, 2, 4]),
    drop: r.pick([0.1, 0.25, 0.4]),
  };
}

interface PendingWrite {
  rd: Ready;
  doneAt: number;
}

interface PendingRead {
  node: string;
  minIndex: number;
  index?: number;
}

class SimNode {
  raw: RawNode | undefined;
  pending: PendingWrite | undefined;
  /** keys[i] is the key of the entry applied at index i + 1. */
  keys: string[] = [];
  smIndex = 0;
  tickRate: number;
  tickDebt = 0;
  downUntil = 0;
  pausedUntil = 0;
  crashAt = Number.MAX_SAFE_INTEGER;
  readsWaiting: { ctx: string; index: number }[] = [];

  constructor(
    readonly id: string,
    public storage: MemoryStorage,
    tickRate: number,
  ) {
    this.tickRate = tickRate;
  }

  get alive(): boolean {
    return this.raw !== undefined;
  }
}

interface InFlight {
  at: number;
  to: string;
  from: string;
  bytes: Uint8Array;
}

const enc = new TextEncoder();
const dec = new TextDecoder();

function encodeState(keys: readonly string[], upTo: number): Uint8Array {
  return enc.encode(keys.slice(0, upTo).join('\n'));
}

function decodeState(data: Uint8Array): string[] {
  if (data.byteLength === 0) return [];
  return dec.decode(data).split('\n');
}

export class Simulation {
  private readonly r: Prng;
  private readonly p: Profile;
  private readonly inv = new Invariants();
  private readonly nodes = new Map<string, SimNode>();
  /** Messages in flight, by destination. */
  private readonly net = new Map<string, InFlight[]>();
  /** "from>to" pairs that cannot deliver. */
  private blocked = new Set<string>();
  private step = 0;
  private nextNodeId = 0;
  private nextProposal = 0;
  private nextRead = 0;
  private readonly reads = new Map<string, PendingRead>();
  private faultsOn = true;
  /** Membership as of the highest applied index seen on any node. */
  private latestConf: { voters: string[]; learners: string[] } | undefined;
  private latestConfIndex = -1;
  /** Targets of membership changes already proposed, so a burst picks different ones. */
  private readonly promoted = new Set<string>();
  private readonly removed = new Set<string>();
  readonly stats: SimStats;

  constructor(private readonly opts: SimOptions) {
    this.r = new Prng(opts.seed);
    this.p = makeProfile(this.r);
    this.stats = {
      voters: this.p.voters,
      learners: this.p.learners,
      elections: 0,
      applied: 0,
      acked: 0,
      reads: 0,
      crashes: 0,
      snapshotsSent: 0,
      confChanges: 0,
      transfers: 0,
      messages: 0,
    };
    const voters: string[] = [];
    const learners: string[] = [];
    for (let i = 0; i < this.p.voters; i++) voters.push(this.newId());
    for (let i = 0; i < this.p.learners; i++) learners.push(this.newId());
    for (const id of [...voters, ...learners]) {
      // Every founding member starts from the same bootstrap snapshot, so joiners can catch up from it.
      const st = new MemoryStorage({ voters, learners });
      st.applySnapshot({ meta: { index: 1, term: 1, confState: { voters, learners } }, data: new Uint8Array(0) });
      st.setHardState({ term: 1, vote: '', commit: 1 });
      this.addNode(id, st);
    }
  }

  private newId(): string {
    return `n${++this.nextNodeId}`;
  }

  private trace(line: string): void {
    this.opts.trace?.(`[${this.step}] ${line}`);
  }

  private addNode(id: string, storage: MemoryStorage): SimNode {
    const n = new SimNode(id, storage, 1 + this.r.nextInt(6) / 10);
    this.nodes.set(id, n);
    this.start(n);
    return n;
  }

  private start(n: SimNode): void {
    const plants = this.opts.plant ? new Set<PlantName>([this.opts.plant]) : undefined;
    n.raw = new RawNode({
      id: n.id,
      storage: n.storage,
      electionTick: this.p.electionTick,
      heartbeatTick: this.p.heartbeatTick,
      random: this.r.fork(),
      preVote: this.p.preVote,
      checkQuorum: this.p.checkQuorum,
      readOnlyOption: this.p.readOnly,
      disableProposalForwarding: !this.p.forwarding,
      maxSizePerMsg: this.p.maxSizePerMsg,
      maxInflightMsgs: this.p.maxInflight,
      snapshotChunkSize: this.p.chunkSize,
      maxUncommittedEntriesSize: 64 * 1024,
      ...(plants ? { plants, allowPlantedBugs: true } : {}),
    });
    const snap = n.storage.snapshot();
    n.keys = decodeState(snap.data);
    n.smIndex = snap.meta.index;
    n.pending = undefined;
    n.readsWaiting = [];
    this.checkSnapshotState(n);
  }

  private checkSnapshotState(n: SimNode): void {
    for (let i = 0; i < n.keys.length; i++) {
      const a = this.inv.applied.get(i + 1);
      if (a && a.key !== n.keys[i]) {
        throw new Violation('state machine safety', `${n.id} restored ${n.keys[i]} at ${i + 1}; applied elsewhere: ${a.key}`);
      }
    }
  }

  run(): SimResult {
    const steps = this.opts.steps ?? 250;
    const settle = this.opts.settleSteps ?? 60;
    try {
      for (; this.step < steps; this.step++) this.oneStep();
      this.heal();
      for (; this.step < steps + settle; this.step++) this.oneStep();
      this.finalChecks();
      return { seed: this.opts.seed, ok: true, step: this.step, stats: this.finish() };
    } catch (err) {
      const violation =
        err instanceof Violation
          ? err.message
          : isRaftError(err, 'CORRUPT_LOG')
            ? `durability: ${err.message}`
            : `node error: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}`;
      return { seed: this.opts.seed, ok: false, violation, step: this.step, stats: this.finish() };
    }
  }

  private finish(): SimStats {
    this.stats.applied = this.inv.maxApplied;
    this.stats.acked = this.inv.acked.size;
    return this.stats;
  }

  private heal(): void {
    this.faultsOn = false;
    this.blocked.clear();
    for (const n of this.nodes.values()) {
      n.pausedUntil = 0;
      if (!n.alive) n.downUntil = this.step;
    }
  }

  private live(): SimNode[] {
    return [...this.nodes.values()].filter((n) => n.alive && n.pausedUntil <= this.step);
  }

  private leaders(): SimNode[] {
    return this.live().filter((n) => n.raw!.raft.state === StateType.Leader);
  }

  private oneStep(): void {
    if (this.faultsOn) this.injectFaults();
    this.clientActions();
    for (const n of this.nodes.values()) this.runNode(n);
    this.checkElectability();
  }

  /**
   * Committed entries must survive any future election, not just the ones
   * that happened: no voter whose durable log lacks the newest applied entry
   * may be at least as up to date as a majority of voters. This catches a
   * hazard (Raft figure 8) before the unlucky election that would expose it.
   */
  private checkElectability(): void {
    const index = this.inv.maxApplied;
    const e = this.inv.applied.get(index);
    if (!e || !this.latestConf) return;
    const voters = this.latestConf.voters.map((id) => this.nodes.get(id)).filter((n): n is SimNode => n !== undefined);
    const tip = voters.map((n) => {
      const last = n.storage.lastIndex();
      return { n, last, lastTerm: n.storage.term(last) };
    });
    for (const x of tip) {
      const first = x.n.storage.firstIndex();
      const has = index < first ? true : index <= x.last && x.n.storage.term(index) === e.term;
      if (has) continue;
      const supporters = tip.filter((y) => x.lastTerm > y.lastTerm || (x.lastTerm === y.lastTerm && x.last >= y.last)).length;
      if (supporters * 2 > tip.length) {
        throw new Violation(
          'leader completeness',
          `${x.n.id} (last ${x.lastTerm}/${x.last}) lacks applied entry ${e.key} at ${index} yet could win votes from ${supporters} of ${tip.length} voters`,
        );
      }
    }
  }

  private injectFaults(): void {
    const r = this.r;
    const ids = [...this.nodes.keys()];
    if (r.chance(this.p.partitionRate)) {
      this.blocked.clear();
      const kind = r.nextInt(4);
      const lead = this.leaders()[0];
      if (kind === 0) {
        // Symmetric split into two sides.
        const side = new Set(ids.filter(() => r.chance(0.5)));
        for (const a of ids) for (const b of ids) if (side.has(a) !== side.has(b)) this.blocked.add(`${a}>${b}`);
        this.trace(`partition ${[...side].join(',')} / rest`);
      } else if (kind === 1 || kind === 3) {
        // Cutting off the leader is what forces new elections, so it is chosen often.
        const a = kind === 3 && lead ? lead.id : r.pick(ids);
        for (const b of ids) if (b !== a) this.blocked.add(`${a}>${b}`).add(`${b}>${a}`);
        this.trace(`isolate ${a}`);
      } else {
        // One-way: some links lose messages in one direction only.
        for (let k = r.between(1, ids.length); k > 0; k--) this.blocked.add(`${r.pick(ids)}>${r.pick(ids)}`);
        this.trace(`one-way ${[...this.blocked].join(' ')}`);
      }
    } else if (this.blocked.size > 0 && r.chance(0.05)) {
      this.blocked.clear();
      this.trace('heal');
    }
    if (r.chance(this.p.crashRate)) {
      const lead = this.leaders()[0];
      this.crash(lead && r.chance(0.5) ? lead : r.pick([...this.nodes.values()]));
    }
    if (r.chance(this.p.pauseRate)) {
      const n = r.pick([...this.nodes.values()]);
      if (n.alive && n.pausedUntil <= this.step) {
        n.pausedUntil = this.step + r.between(1, 20);
        this.trace(`pause ${n.id} until ${n.pausedUntil}`);
      }
    }
    if (r.chance(0.01)) {
      const n = r.pick([...this.nodes.values()]);
      n.tickRate = 1 + r.nextInt(6) / 10;
    }
  }

  private crash(n: SimNode): void {
    if (!n.alive) return;
    n.raw = undefined;
    n.pending = undefined;
    n.downUntil = this.step + (this.r.chance(0.5) ? this.r.between(1, 3) : this.r.between(4, 30));
    this.stats.crashes++;
    this.trace(`crash ${n.id}`);
  }

  private clientActions(): void {
    const r = this.r;
    const live = this.live().filter((n) => !n.pending);
    if (live.length === 0) return;
    if (r.chance(this.p.proposeRate)) {
      const n = r.pick(live);
      const id = `p${++this.nextProposal}`;
      const pad = r.pick([0, 0, 10, 100, 300]);
      try {
        n.raw!.propose(enc.encode(id + ':' + '.'.repeat(pad)));
      } catch (err) {
        if (!isRaftError(err)) throw err;
      }
    }
    if (r.chance(this.p.readRate)) {
      const n = r.pick(live);
      const ctx = `r${++this.nextRead}`;
      try {
        n.raw!.readIndex(enc.encode(ctx));
        // Every write applied anywhere before the read began must be visible to it.
        this.reads.set(ctx, { node: n.id, minIndex: this.inv.maxApplied });
      } catch (err) {
        if (!isRaftError(err)) throw err;
      }
    }
    const leaders = this.leaders().filter((n) => !n.pending);
    if (leaders.length === 0) return;
    const lead = r.pick(leaders);
    if (this.faultsOn && r.chance(this.p.confRate)) {
      // Operators sometimes issue changes back to back; the second must wait for the first.
      const kind = r.nextInt(4);
      for (let k = r.between(1, 2); k > 0; k--) this.changeMembership(lead, kind);
    }
    if (this.faultsOn && r.chance(this.p.transferRate)) {
      const cfg = lead.raw!.confState();
      const target = r.pick(cfg.voters);
      lead.raw!.transferLeader(target);
      this.stats.transfers++;
      this.trace(`transfer ${lead.id} -> ${target}`);
    }
  }

  private changeMembership(lead: SimNode, choice: number): void {
    const r = this.r;
    const cfg = lead.raw!.confState();
    let cc: ConfChange;
    let joiner: string | undefined;
    if (choice === 0 && cfg.voters.length + cfg.learners.length < 9) {
      joiner = this.newId();
      cc = { type: ConfChangeType.AddLearner, nodeId: joiner };
    } else if (choice === 1 && cfg.learners.length > 0 && cfg.voters.length < 7) {
      cc = { type: ConfChangeType.AddVoter, nodeId: r.pick(cfg.learners.filter((l) => !this.promoted.has(l))) ?? cfg.learners[0]! };
      this.promoted.add(cc.nodeId);
    } else if (choice === 2 && cfg.voters.length > 3) {
      const keep = cfg.voters.filter((v) => !this.removed.has(v));
      if (keep.length <= 3) return;
      cc = { type: ConfChangeType.RemoveNode, nodeId: r.pick(keep) };
      this.removed.add(cc.nodeId);
    } else if (cfg.learners.length > 0) {
      cc = { type: ConfChangeType.RemoveNode, nodeId: r.pick(cfg.learners) };
    } else {
      return;
    }
    try {
      lead.raw!.proposeConfChange(cc);
    } catch (err) {
      if (isRaftError(err)) return;
      throw err;
    }
    this.stats.confChanges++;
    this.trace(`conf change ${ConfChangeType[cc.type]} ${cc.nodeId} via ${lead.id}`);
    if (joiner) this.addNode(joiner, new MemoryStorage());
  }

  private runNode(n: SimNode): void {
    const r = this.r;
    if (!n.alive) {
      if (n.downUntil <= this.step) {
        this.start(n);
        this.trace(`restart ${n.id}`);
      }
      return;
    }
    if (n.crashAt <= this.step) {
      n.crashAt = Number.MAX_SAFE_INTEGER;
      if (this.faultsOn) {
        this.crash(n);
        return;
      }
    }
    // The clock keeps running through pauses and slow writes; the owed ticks arrive together afterwards.
    n.tickDebt += n.tickRate;
    if (n.pausedUntil > this.step) return;
    if (n.pending) {
      if (n.pending.doneAt > this.step) return;
      this.completeWrite(n);
    }
    const raw = n.raw;
    if (!raw) return;
    while (n.tickDebt >= 1) {
      n.tickDebt -= 1;
      raw.tick();
    }
    const queue = this.net.get(n.id) ?? [];
    const due: InFlight[] = [];
    const later: InFlight[] = [];
    for (const f of queue) (f.at <= this.step ? due : later).push(f);
    if (due.length > 0) {
      this.net.set(n.id, later);
      for (const f of r.shuffle(due)) {
        if (this.blocked.has(`${f.from}>${f.to}`)) continue;
        raw.step(decodeMessage(f.bytes));
      }
    }
    if (!raw.hasReady()) return;
    const rd = raw.ready();
    this.observeReady(n, rd);
    for (const m of rd.messages) this.send(m);
    const needsWrite = rd.entries.length > 0 || rd.hardState !== undefined || rd.snapshot !== undefined;
    n.pending = { rd, doneAt: this.step + (needsWrite && r.chance(this.p.slowDisk) ? r.between(1, 3) : 0) };
    if (n.pending.doneAt <= this.step) this.completeWrite(n);
  }

  private observeReady(n: SimNode, rd: Ready): void {
    const raft = n.raw!.raft;
    if (rd.softState?.state === StateType.Leader) {
      this.stats.elections++;
      this.inv.electedLeader(raft.term, n.id);
      this.inv.checkLeaderLog(n.id, raft.log.firstIndex(), raft.log.lastIndex(), (i) => raft.log.term(i));
      this.trace(`${n.id} leads term ${raft.term}`);
      if (this.faultsOn && this.r.chance(this.p.flappingLeader)) n.crashAt = this.step + this.r.between(0, 15);
    }
    for (const e of rd.entries) this.inv.sawEntry(n.id, e, raft.log.term(e.index - 1));
    for (const rs of rd.readStates) {
      const ctx = dec.decode(rs.context);
      const pr = this.reads.get(ctx);
      if (!pr || pr.node !== n.id) continue;
      if (rs.index < pr.minIndex) {
        throw new Violation('linearizable reads', `read ${ctx} at ${n.id} got index ${rs.index}, but ${pr.minIndex} was applied before it began`);
      }
      pr.index = rs.index;
    }
  }

  private completeWrite(n: SimNode): void {
    const { rd } = n.pending!;
    n.pending = undefined;
    const st = n.storage;
    if (rd.snapshot) st.applySnapshot(rd.snapshot);
    st.append(rd.entries);
    if (rd.hardState) st.setHardState(rd.hardState);
    for (const m of rd.messagesAfterPersist) this.send(m);
    if (rd.snapshot) {
      n.keys = decodeState(rd.snapshot.data);
      n.smIndex = rd.snapshot.meta.index;
      this.checkSnapshotState(n);
    }
    for (const e of rd.committed) this.apply(n, e);
    for (const rs of rd.readStates) {
      const ctx = dec.decode(rs.context);
      const pr = this.reads.get(ctx);
      if (pr && pr.node === n.id) n.readsWaiting.push({ ctx, index: rs.index });
    }
    n.readsWaiting = n.readsWaiting.filter((w) => {
      if (n.smIndex < w.index) return true;
      this.reads.delete(w.ctx);
      this.stats.reads++;
      return false;
    });
    n.raw!.advance();
    if (n.smIndex > this.latestConfIndex) {
      this.latestConfIndex = n.smIndex;
      this.latestConf = n.raw!.confState();
    }
    this.maybeSnapshot(n);
    if (this.faultsOn && this.r.chance(this.p.crashAfterWrite)) this.crash(n);
  }

  private apply(n: SimNode, e: { index: number; term: number; type: EntryType; data: Uint8Array }): void {
    if (e.index <= n.smIndex) return;
    if (e.index !== n.smIndex + 1) {
      throw new Violation('state machine safety', `${n.id} applies ${e.index} after ${n.smIndex}`);
    }
    const key = entryKey(e);
    this.inv.appliedEntry(n.id, e.index, e.term, key);
    n.keys[e.index - 1] = key;
    n.keys.length = e.index;
    n.smIndex = e.index;
    if (e.type === EntryType.Normal && e.data.byteLength > 0) {
      const id = bytesKey(e.data).split(':')[0]!;
      if (!this.inv.acked.has(id)) this.inv.acked.set(id, e.index);
    }
  }

  private maybeSnapshot(n: SimNode): void {
    const st = n.storage;
    const snapIndex = st.snapshot().meta.index;
    if (n.smIndex - snapIndex < this.p.snapshotEvery) return;
    st.createSnapshot(n.smIndex, n.raw!.confState(), encodeState(n.keys, n.smIndex));
    st.compact(Math.max(snapIndex + 1, n.smIndex - this.r.nextInt(3)));
  }

  private send(m: Message): void {
    const r = this.r;
    this.stats.messages++;
    if (m.snapshot && m.snapshot.offset === 0) this.stats.snapshotsSent++;
    if (!this.nodes.has(m.to)) return;
    const bytes = encodeMessage(m);
    if (this.faultsOn && r.chance(this.p.drop)) return;
    const copies = this.faultsOn && r.chance(this.p.dup) ? 2 : 1;
    for (let i = 0; i < copies; i++) {
      let q = this.net.get(m.to);
      if (!q) this.net.set(m.to, (q = []));
      q.push({ at: this.step + 1 + r.nextInt(this.p.maxDelay + 1), to: m.to, from: m.from, bytes });
    }
  }

  private finalChecks(): void {
    for (const n of this.leaders()) {
      const raft = n.raw!.raft;
      this.inv.checkLeaderLog(n.id, raft.log.firstIndex(), raft.log.lastIndex(), (i) => raft.log.term(i));
    }
    // Every acknowledged proposal is still where it was acknowledged, on every node that got that far.
    for (const n of this.nodes.values()) {
      if (!n.alive) continue;
      for (const [id, index] of this.inv.acked) {
        if (index > n.smIndex) continue;
        const key = n.keys[index - 1];
        if (key !== undefined && !key.includes(`:${id}:`) && !key.includes(`:${id}/`)) {
          throw new Violation('no lost writes', `${n.id} has ${key} at ${index} where ${id} was acknowledged`);
        }
      }
    }
  }
}

export function runSeed(opts: SimOptions): SimResult {
  return new Simulation(opts).run();
}

