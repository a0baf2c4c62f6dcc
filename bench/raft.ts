/**
 * Raft core benchmark: a 3-node group in one process, instant network,
 * in-memory storage.
 *  1. Throughput: 100-byte entries proposed in batches; entries committed
 *     (applied on the leader) per second.
 *  2. Failover: after the leader is cut off, ticks until a new leader is
 *     elected, over many runs, in units of the election timeout.
 *
 *   npm run bench:raft [-- --entries 1000000 --batch 1000 --runs 1000]
 */
import { RawNode } from '../src/core/raft/raw-node.js';
import { MemoryStorage } from '../src/core/raft/storage.js';
import type { Message } from '../src/core/raft/types.js';
import { StateType } from '../src/core/raft/types.js';
import { Prng } from '../test/sim/prng.js';

const ELECTION_TICK = 10;

interface Member {
  id: string;
  raw: RawNode;
  st: MemoryStorage;
}

function group(seed: number, opts: { checkQuorum?: boolean; preVote?: boolean } = {}): Member[] {
  const voters = ['1', '2', '3'];
  const rng = new Prng(seed);
  return voters.map((id) => {
    const st = new MemoryStorage();
    st.applySnapshot({ meta: { index: 1, term: 1, confState: { voters, learners: [] } }, data: new Uint8Array() });
    st.setHardState({ term: 1, vote: '', commit: 1 });
    const raw = new RawNode({
      id,
      storage: st,
      electionTick: ELECTION_TICK,
      heartbeatTick: 1,
      random: rng.fork(),
      maxSizePerMsg: 1 << 20,
      maxInflightMsgs: 256,
      checkQuorum: opts.checkQuorum ?? false,
      preVote: opts.preVote ?? false,
    });
    return { id, raw, st };
  });
}

/** Handles Readies and delivers messages until quiet; `down` nodes neither send nor receive. */
function pump(ms: Member[], down: Set<string> = new Set(), onApply?: (n: number, m: Member) => void): void {
  const byId = new Map(ms.map((m) => [m.id, m]));
  for (let busy = true; busy; ) {
    busy = false;
    const out: Message[] = [];
    for (const m of ms) {
      if (down.has(m.id) || !m.raw.hasReady()) continue;
      busy = true;
      const rd = m.raw.ready();
      out.push(...rd.messages);
      if (rd.snapshot) m.st.applySnapshot(rd.snapshot);
      m.st.append(rd.entries);
      if (rd.hardState) m.st.setHardState(rd.hardState);
      out.push(...rd.messagesAfterPersist);
      if (onApply && rd.committed.length > 0) onApply(rd.committed.length, m);
      m.raw.advance();
    }
    for (const msg of out) {
      if (down.has(msg.to) || down.has(msg.from)) continue;
      byId.get(msg.to)!.raw.step(msg);
    }
  }
}

function leaderOf(ms: Member[], down: Set<string> = new Set()): Member | undefined {
  return ms.find((m) => !down.has(m.id) && m.raw.raft.state === StateType.Leader);
}

function throughput(total: number, batch: number): { perSec: number; perCpuSec: number; ms: number } {
  const ms = group(1);
  ms[0]!.raw.campaign();
  pump(ms);
  const lead = leaderOf(ms)!;
  const payload = new Uint8Array(100);
  let applied = 0;
  const started = performance.now();
  const cpu0 = process.cpuUsage();
  let proposed = 0;
  while (applied < total) {
    const n = Math.min(batch, total - proposed);
    lead.raw.proposeBatch(Array.from({ length: n }, () => payload));
    proposed += n;
    pump(ms, undefined, (n, m) => {
      if (m === lead) applied += n;
    });
    // Keep memory flat: compact everything applied everywhere.
    if (proposed % 50_000 < batch) {
      for (const m of ms) {
        const a = m.raw.status().applied;
        if (a > m.st.snapshot().meta.index + 1) {
          m.st.createSnapshot(a - 1, m.raw.confState(), new Uint8Array());
          m.st.compact(a - 1);
        }
      }
    }
  }
  const elapsed = performance.now() - started;
  const cpu = process.cpuUsage(cpu0);
  // CPU time as well as wall time: on a shared machine the wall clock mostly measures the neighbours.
  const cpuMs = (cpu.user + cpu.system) / 1000;
  return { perSec: (applied / elapsed) * 1000, perCpuSec: (applied / cpuMs) * 1000, ms: elapsed };
}

function failover(runs: number, opts: { checkQuorum?: boolean; preVote?: boolean }): number[] {
  const ticks: number[] = [];
  for (let run = 0; run < runs; run++) {
    const ms = group(1000 + run, opts);
    // Elect a leader the ordinary way: tick until someone times out.
    for (let t = 0; t < 1000 && !leaderOf(ms); t++) {
      for (const m of ms) {
        m.raw.tick();
        pump(ms);
      }
    }
    // Let the group run normally for a while, so the cut comes at a random point of the heartbeat cycle.
    const warm = (run % 7) + 1;
    for (let t = 0; t < warm; t++) for (const m of ms) (m.raw.tick(), pump(ms));
    const old = leaderOf(ms)!;
    const down = new Set([old.id]);
    let t = 0;
    while (!leaderOf(ms, down) && t < 100 * ELECTION_TICK) {
      t++;
      for (const m of ms) {
        if (down.has(m.id)) continue;
        m.raw.tick();
        pump(ms, down);
      }
    }
    ticks.push(t);
  }
  return ticks.sort((a, b) => a - b);
}

function pct(xs: number[], p: number): number {
  return xs[Math.min(xs.length - 1, Math.ceil((p / 100) * xs.length) - 1)]!;
}

function main(argv: string[]): void {
  const arg = (name: string, def: number) => {
    const i = argv.indexOf(`--${name}`);
    return i >= 0 ? Number(argv[i + 1]) : def;
  };
  const entries = arg('entries', 1_000_000);
  const batch = arg('batch', 1000);
  const runs = arg('runs', 1000);
  // Warm up the JIT before measuring.
  throughput(50_000, batch);
  const tp = throughput(entries, batch);
  console.log(
    `throughput: ${Math.round(tp.perSec).toLocaleString('en-US')} entries/s committed ` +
      `(${Math.round(tp.perCpuSec).toLocaleString('en-US')} per CPU-second; ${entries} x 100 B, batches of ${batch}, ${(tp.ms / 1000).toFixed(2)} s)`,
  );
  for (const opts of [{}, { checkQuorum: true, preVote: true }]) {
    const ticks = failover(runs, opts);
    const within2 = ticks.filter((t) => t <= 2 * ELECTION_TICK).length / ticks.length;
    const label = Object.keys(opts).length === 0 ? 'plain' : 'check-quorum + pre-vote';
    console.log(
      `failover (${label}, ${runs} runs, election timeout ${ELECTION_TICK} ticks): ` +
        `p50 ${pct(ticks, 50)} ticks, p99 ${pct(ticks, 99)} ticks (${(pct(ticks, 99) / ELECTION_TICK).toFixed(2)} timeouts), ` +
        `max ${ticks[ticks.length - 1]}; within 2 timeouts: ${(within2 * 100).toFixed(1)}%`,
    );
  }
}

main(process.argv.slice(2));
