/**
 * A small interpreter for scenario scripts (test/raft/scenarios/*.txt), in
 * the spirit of etcd's interaction tests. A script is a list of blocks:
 *
 *   command arg key=value
 *   ----
 *   expected output (may be empty)
 *   <blank line>
 *
 * Nodes persist synchronously here (the simulator covers asynchronous
 * writes); each Ready's messages are printed as they are delivered.
 * Run with UPDATE_SCENARIOS=1 to rewrite expected output in place.
 */
import { decodeConfChange, decodeMessage, encodeMessage } from '../../src/core/raft/codec.js';
import { isRaftError } from '../../src/core/raft/errors.js';
import type { Ready } from '../../src/core/raft/raw-node.js';
import { RawNode } from '../../src/core/raft/raw-node.js';
import { MemoryStorage } from '../../src/core/raft/storage.js';
import type { ConfChange, Entry, Message } from '../../src/core/raft/types.js';
import { ConfChangeType, EntryType, MessageType } from '../../src/core/raft/types.js';

const enc = new TextEncoder();
const dec = new TextDecoder();

interface NodeOpts {
  preVote: boolean;
  checkQuorum: boolean;
  lease: boolean;
  maxSizePerMsg: number;
  maxInflight: number;
  forwarding: boolean;
  uncommitted: number;
  chunk: number;
}

interface Node {
  id: string;
  raw: RawNode;
  storage: MemoryStorage;
  opts: NodeOpts;
  applied: string[];
}

function fmtEntry(e: Entry): string {
  if (e.type === EntryType.ConfChange) {
    const cc = decodeConfChange(e.data);
    return `${e.term}/${e.index} ${ConfChangeType[cc.type]} ${cc.nodeId}`;
  }
  return `${e.term}/${e.index} ${e.data.byteLength === 0 ? '(no-op)' : JSON.stringify(dec.decode(e.data))}`;
}

export function fmtMessage(m: Message): string {
  let s = `${m.from}->${m.to} ${MessageType[m.type]} Term:${m.term}`;
  switch (m.type) {
    case MessageType.App:
      s += ` Log:${m.logTerm}/${m.index} Commit:${m.commit}`;
      if (m.entries.length > 0) s += ` Entries:[${m.entries.map(fmtEntry).join(', ')}]`;
      break;
    case MessageType.AppResp:
      s += m.reject ? ` Rejected (Hint: ${m.rejectHint}, LogTerm: ${m.logTerm}) Index:${m.index}` : ` Index:${m.index}`;
      break;
    case MessageType.Vote:
    case MessageType.PreVote:
      s += ` Log:${m.logTerm}/${m.index}`;
      break;
    case MessageType.VoteResp:
    case MessageType.PreVoteResp:
      if (m.reject) s += ' Rejected';
      break;
    case MessageType.Heartbeat:
      s += ` Commit:${m.commit}`;
      break;
    case MessageType.Snap:
      s += ` Snapshot:${m.snapshot!.meta.term}/${m.snapshot!.meta.index} Chunk:${m.snapshot!.offset}+${m.snapshot!.data.byteLength}/${m.snapshot!.totalSize} Voters:${m.snapshot!.meta.confState.voters.join(',')}`;
      break;
    case MessageType.ReadIndex:
    case MessageType.ReadIndexResp:
      s += ` Index:${m.index} Ctx:${dec.decode(m.context)}`;
      break;
  }
  return s;
}

export class Interaction {
  private nodes = new Map<string, Node>();
  private queue: Message[] = [];
  private blocked = new Set<string>();
  private out: string[] = [];

  private node(id: string | undefined): Node {
    const n = id === undefined ? undefined : this.nodes.get(id);
    if (!n) throw new Error(`no node ${id}`);
    return n;
  }

  private create(id: string, storage: MemoryStorage, opts: NodeOpts): Node {
    const raw = new RawNode({
      id,
      storage,
      electionTick: 10,
      heartbeatTick: 1,
      preVote: opts.preVote,
      checkQuorum: opts.checkQuorum,
      readOnlyOption: opts.lease ? 'lease-based' : 'safe',
      maxSizePerMsg: opts.maxSizePerMsg,
      maxInflightMsgs: opts.maxInflight,
      disableProposalForwarding: !opts.forwarding,
      maxUncommittedEntriesSize: opts.uncommitted,
      snapshotChunkSize: opts.chunk,
      // Deterministic timeouts: node "1" times out first (10 ticks), "2" next (11), and so on.
      random: { nextInt: (bound: number) => (Number(id) - 1) % bound || 0 },
    });
    const n: Node = { id, raw, storage, opts, applied: [] };
    this.nodes.set(id, n);
    return n;
  }

  run(cmd: string, args: string[], kv: Map<string, string>): string {
    this.out = [];
    try {
      this.exec(cmd, args, kv);
    } catch (err) {
      if (isRaftError(err)) this.out.push(`error: ${err.code}: ${err.message}`);
      else throw err;
    }
    return this.out.join('\n');
  }

  private exec(cmd: string, args: string[], kv: Map<string, string>): void {
    const opts = (): NodeOpts => ({
      preVote: kv.get('prevote') === 'true',
      checkQuorum: kv.get('checkquorum') === 'true' || kv.get('lease') === 'true',
      lease: kv.get('lease') === 'true',
      maxSizePerMsg: Number(kv.get('maxsize') ?? 1 << 20),
      maxInflight: Number(kv.get('inflight') ?? 256),
      forwarding: kv.get('forwarding') !== 'false',
      uncommitted: Number(kv.get('uncommitted') ?? 0),
      chunk: Number(kv.get('chunk') ?? 1 << 20),
    });
    switch (cmd) {
      case 'add-nodes': {
        const count = Number(args[0]);
        const voters: string[] = [];
        for (let i = 1; i <= count; i++) voters.push(String(i));
        const learners = (kv.get('learners') ?? '').split(',').filter(Boolean);
        for (const id of [...voters, ...learners]) {
          const st = new MemoryStorage();
          st.applySnapshot({ meta: { index: 1, term: 1, confState: { voters, learners } }, data: enc.encode('init') });
          st.setHardState({ term: 1, vote: '', commit: 1 });
          this.create(id, st, opts());
        }
        return;
      }
      case 'add-node':
        // A blank node that joins later and learns everything from the leader.
        this.create(args[0]!, new MemoryStorage(), opts());
        return;
      case 'campaign':
        this.node(args[0]).raw.campaign();
        return;
      case 'propose':
        this.node(args[0]).raw.propose(enc.encode(args[1] ?? ''));
        return;
      case 'propose-conf-change': {
        const types: Record<string, ConfChangeType> = {
          'add-voter': ConfChangeType.AddVoter,
          'add-learner': ConfChangeType.AddLearner,
          remove: ConfChangeType.RemoveNode,
        };
        const cc: ConfChange = { type: types[args[1]!]!, nodeId: args[2]! };
        this.node(args[0]).raw.proposeConfChange(cc);
        return;
      }
      case 'read-index':
        this.node(args[0]).raw.readIndex(enc.encode(args[1]!));
        return;
      case 'transfer-leader':
        this.node(args[0]).raw.transferLeader(args[1]!);
        return;
      case 'tick': {
        const n = this.node(args[0]);
        const times = Number(args[1] ?? 1);
        for (let i = 0; i < times; i++) n.raw.tick();
        return;
      }
      case 'tick-all': {
        const times = Number(args[0] ?? 1);
        for (let i = 0; i < times; i++) for (const n of this.nodes.values()) n.raw.tick();
        return;
      }
      case 'process-ready': {
        const n = this.node(args[0]);
        if (n.raw.hasReady()) this.handleReady(n);
        return;
      }
      case 'deliver':
        this.deliverTo(args[0]!);
        return;
      case 'stabilize':
        this.stabilize(args);
        return;
      case 'partition': {
        // partition 1 / 2 3: nodes on different sides cannot talk.
        this.blocked.clear();
        const sides: string[][] = [[]];
        for (const a of args) if (a === '/') sides.push([]); else sides[sides.length - 1]!.push(a);
        for (const s1 of sides) for (const s2 of sides) if (s1 !== s2) for (const a of s1) for (const b of s2) this.blocked.add(`${a}>${b}`);
        return;
      }
      case 'cut':
        // cut 1>2: one-way loss.
        for (const a of args) this.blocked.add(a);
        return;
      case 'heal':
        this.blocked.clear();
        return;
      case 'crash-restart': {
        const n = this.node(args[0]);
        this.queue = this.queue.filter((m) => m.to !== n.id);
        this.create(n.id, n.storage, n.opts);
        this.out.push(`${n.id} restarted at term ${this.node(n.id).raw.status().term}`);
        return;
      }
      case 'compact': {
        const n = this.node(args[0]);
        const i = Number(args[1]);
        n.storage.createSnapshot(i, n.raw.confState(), enc.encode(n.applied.slice(0, i).join(',')));
        n.storage.compact(i);
        return;
      }
      case 'raft-state':
        for (const n of this.nodes.values()) {
          const s = n.raw.status();
          const role = s.config.voters.includes(s.id) ? 'voter' : s.config.learners.includes(s.id) ? 'learner' : 'none';
          this.out.push(`${s.id}: ${s.state} (${role}) Term:${s.term} Lead:${s.lead || '-'} Commit:${s.commit} Applied:${s.applied}`);
        }
        return;
      case 'raft-log': {
        const n = this.node(args[0]);
        const log = n.raw.raft.log;
        const ents = log.slice(log.firstIndex(), log.lastIndex() + 1, Number.MAX_SAFE_INTEGER);
        this.out.push(ents.length === 0 ? `log is empty: first index ${log.firstIndex()}` : ents.map(fmtEntry).join('\n'));
        return;
      }
      case 'status': {
        const s = this.node(args[0]).raw.status();
        this.out.push(`voters:${s.config.voters.join(',')} learners:${s.config.learners.join(',')}`);
        for (const [id, p] of Object.entries(s.progress)) {
          this.out.push(`${id}: ${p.state} match=${p.match} next=${p.next}${p.isLearner ? ' learner' : ''}`);
        }
        return;
      }
      default:
        throw new Error(`unknown command ${cmd}`);
    }
  }

  private handleReady(n: Node): void {
    const rd: Ready = n.raw.ready();
    const lines: string[] = [];
    if (rd.softState) lines.push(`  State:${rd.softState.state} Lead:${rd.softState.lead || '-'}`);
    if (rd.hardState) lines.push(`  HardState Term:${rd.hardState.term} Vote:${rd.hardState.vote || '-'} Commit:${rd.hardState.commit}`);
    if (rd.entries.length > 0) lines.push(`  Entries: ${rd.entries.map(fmtEntry).join(', ')}`);
    if (rd.snapshot) lines.push(`  Snapshot: ${rd.snapshot.meta.term}/${rd.snapshot.meta.index} voters:${rd.snapshot.meta.confState.voters.join(',')}`);
    if (rd.committed.length > 0) lines.push(`  Committed: ${rd.committed.map(fmtEntry).join(', ')}`);
    for (const rs of rd.readStates) lines.push(`  ReadState: ${dec.decode(rs.context)} at ${rs.index}`);
    for (const m of rd.messages) lines.push(`  send ${fmtMessage(m)}`);
    for (const m of rd.messagesAfterPersist) lines.push(`  send after persist ${fmtMessage(m)}`);
    this.out.push(`> ${n.id} handling Ready`, ...lines);
    // Synchronous driver: send-now messages, write, then the rest, then apply.
    this.enqueue(rd.messages);
    if (rd.snapshot) {
      n.storage.applySnapshot(rd.snapshot);
      n.applied = dec.decode(rd.snapshot.data).split(',');
    }
    n.storage.append(rd.entries);
    if (rd.hardState) n.storage.setHardState(rd.hardState);
    this.enqueue(rd.messagesAfterPersist);
    for (const e of rd.committed) n.applied[e.index - 1] = fmtEntry(e);
    n.raw.advance();
  }

  /** A partition loses what is sent across it, even if it heals before delivery. */
  private enqueue(ms: Message[]): void {
    for (const m of ms) {
      if (this.blocked.has(`${m.from}>${m.to}`)) this.out.push(`  dropped ${fmtMessage(m)}`);
      else this.queue.push(m);
    }
  }

  private deliverTo(id: string): void {
    const deliver = this.queue.filter((m) => m.to === id);
    this.queue = this.queue.filter((m) => m.to !== id);
    for (const m of deliver) {
      this.out.push(`  ${fmtMessage(m)}`);
      this.node(id).raw.step(decodeMessage(encodeMessage(m)));
    }
  }

  private stabilize(only: string[]): void {
    const pick = [...this.nodes.values()].filter((n) => only.length === 0 || only.includes(n.id));
    for (let round = 0; round < 1000; round++) {
      let busy = false;
      for (const n of pick) {
        if (n.raw.hasReady()) {
          busy = true;
          this.handleReady(n);
        }
      }
      const deliver = this.queue.filter((m) => this.nodes.has(m.to) && (only.length === 0 || only.includes(m.to)));
      this.queue = this.queue.filter((m) => !deliver.includes(m));
      for (const m of deliver) {
        if (this.blocked.has(`${m.from}>${m.to}`)) {
          this.out.push(`  dropped ${fmtMessage(m)}`);
          continue;
        }
        busy = true;
        // Every message crosses the wire format, as it will in production.
        this.nodes.get(m.to)!.raw.step(decodeMessage(encodeMessage(m)));
      }
      if (!busy) return;
    }
    throw new Error('stabilize did not settle');
  }
}

export interface Block {
  line: number;
  command: string;
  expected: string;
}

export function parseScript(text: string): Block[] {
  const lines = text.split('\n');
  const blocks: Block[] = [];
  let i = 0;
  while (i < lines.length) {
    const l = lines[i]!;
    if (l.trim() === '' || l.startsWith('#')) {
      i++;
      continue;
    }
    const start = i;
    const command = l;
    i++;
    if (lines[i] !== '----') throw new Error(`line ${i + 1}: expected ---- after command`);
    i++;
    const exp: string[] = [];
    while (i < lines.length && lines[i] !== '') exp.push(lines[i++]!);
    blocks.push({ line: start + 1, command, expected: exp.join('\n') });
  }
  return blocks;
}

export function runBlock(it: Interaction, command: string): string {
  const parts = command.split(/\s+/).filter(Boolean);
  const kv = new Map<string, string>();
  const args: string[] = [];
  for (const p of parts.slice(1)) {
    const eq = p.indexOf('=');
    if (eq > 0) kv.set(p.slice(0, eq), p.slice(eq + 1));
    else args.push(p);
  }
  return it.run(parts[0]!, args, kv);
}

/** Rewrites a script with each block's expected output replaced by `actual`, keeping comments. */
export function rewriteScript(text: string, actual: string[]): string {
  const lines = text.split('\n');
  const out: string[] = [];
  let b = 0;
  let i = 0;
  while (i < lines.length) {
    const l = lines[i]!;
    if (l.trim() === '' || l.startsWith('#') || lines[i + 1] !== '----') {
      out.push(l);
      i++;
      continue;
    }
    out.push(l, '----');
    if (actual[b] !== '') out.push(actual[b]!);
    b++;
    i += 2;
    while (i < lines.length && lines[i] !== '') i++;
  }
  return out.join('\n');
}
