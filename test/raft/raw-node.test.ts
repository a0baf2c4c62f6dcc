import { describe, expect, it } from 'vitest';
import { RaftError } from '../../src/core/raft/errors.js';
import type { Ready } from '../../src/core/raft/raw-node.js';
import { RawNode } from '../../src/core/raft/raw-node.js';
import { MemoryStorage } from '../../src/core/raft/storage.js';
import type { Message } from '../../src/core/raft/types.js';
import { ConfChangeType, MessageType, StateType } from '../../src/core/raft/types.js';

const enc = new TextEncoder();

function node(id: string, voters: string[], extra: Partial<ConstructorParameters<typeof RawNode>[0]> = {}): { raw: RawNode; st: MemoryStorage } {
  const st = new MemoryStorage();
  st.applySnapshot({ meta: { index: 1, term: 1, confState: { voters, learners: [] } }, data: new Uint8Array() });
  st.setHardState({ term: 1, vote: '', commit: 1 });
  return { raw: new RawNode({ id, storage: st, electionTick: 10, heartbeatTick: 1, ...extra }), st };
}

function persist(st: MemoryStorage, rd: Ready): void {
  if (rd.snapshot) st.applySnapshot(rd.snapshot);
  st.append(rd.entries);
  if (rd.hardState) st.setHardState(rd.hardState);
}

describe('RawNode contract', () => {
  it('a single voter commits only after its own write is reported durable', () => {
    const { raw, st } = node('a', ['a']);
    raw.campaign();
    let rd = raw.ready();
    expect(rd.softState?.state).toBe(StateType.Leader);
    expect(rd.entries.length).toBe(1); // the no-op
    expect(rd.committed).toEqual([]); // not durable yet, so not counted
    persist(st, rd);
    raw.advance();
    rd = raw.ready();
    expect(rd.committed.map((e) => e.index)).toEqual([2]);
    persist(st, rd);
    raw.advance();
    raw.propose(enc.encode('x'));
    rd = raw.ready();
    expect(rd.entries.map((e) => e.index)).toEqual([3]);
    expect(rd.mustSync).toBe(true);
    persist(st, rd);
    raw.advance();
    expect(raw.ready().committed.map((e) => e.index)).toEqual([3]);
  });

  it('sends a candidate vote request only after its vote is durable, and appends before the leader write', () => {
    const a = node('a', ['a', 'b', 'c']);
    a.raw.campaign();
    const rd = a.raw.ready();
    expect(rd.hardState).toEqual({ term: 2, vote: 'a', commit: 1 });
    expect(rd.messages).toEqual([]);
    expect(rd.messagesAfterPersist.map((m) => [m.type, m.to])).toEqual([
      [MessageType.Vote, 'b'],
      [MessageType.Vote, 'c'],
    ]);
    persist(a.st, rd);
    a.raw.advance();
    const grant: Message = { ...rd.messagesAfterPersist[0]!, type: MessageType.VoteResp, from: 'b', to: 'a' };
    a.raw.step(grant);
    const rd2 = a.raw.ready();
    expect(rd2.softState?.state).toBe(StateType.Leader);
    // The leader's appends go out in parallel with writing its own entry.
    expect(rd2.messages.filter((m) => m.type === MessageType.App).length).toBe(2);
    expect(rd2.entries.length).toBe(1);
  });

  it('a follower acknowledges appends only after persisting them', () => {
    const b = node('b', ['a', 'b', 'c']);
    b.raw.step({
      type: MessageType.App, to: 'b', from: 'a', term: 2, logTerm: 1, index: 1, commit: 1, reject: false, rejectHint: 0, context: new Uint8Array(),
      entries: [{ term: 2, index: 2, type: 0, data: new Uint8Array() }],
    });
    const rd = b.raw.ready();
    expect(rd.messages).toEqual([]);
    expect(rd.messagesAfterPersist.map((m) => [m.type, m.index])).toEqual([[MessageType.AppResp, 2]]);
  });

  it('refuses a second Ready before advance, and advance without Ready', () => {
    const { raw } = node('a', ['a']);
    expect(() => raw.advance()).toThrow(RaftError);
    raw.campaign();
    raw.ready();
    expect(() => raw.ready()).toThrow(/not advanced/);
  });

  it('validates its configuration with clear errors', () => {
    const st = new MemoryStorage();
    const make = (extra: object) => () => new RawNode({ id: 'a', storage: st, electionTick: 10, heartbeatTick: 1, ...extra });
    expect(make({ id: '' })).toThrow(/^Cannot create Raft node: id is empty$/);
    expect(make({ heartbeatTick: 10 })).toThrow(/electionTick must be greater/);
    expect(make({ readOnlyOption: 'lease-based' })).toThrow(/lease-based reads need checkQuorum/);
    expect(make({ readOnlyOption: 'lease-based', checkQuorum: true, leaseTicks: 10 })).toThrow(/leaseTicks/);
    try {
      make({ heartbeatTick: 0 })();
    } catch (err) {
      expect((err as RaftError).code).toBe('INVALID_CONFIG');
    }
  });

  it('serves a read at once on a single voter, and refuses one without a leader', () => {
    const { raw, st } = node('a', ['a']);
    expect(() => raw.readIndex(enc.encode('r0'))).toThrow(expect.objectContaining({ code: 'PROPOSAL_DROPPED' }));
    raw.campaign();
    persist(st, raw.ready());
    raw.advance();
    raw.readIndex(enc.encode('r1'));
    const rd = raw.ready();
    expect(rd.readStates.map((r) => new TextDecoder().decode(r.context))).toEqual(['r1']);
  });

  it('refuses a conf change that removes the last voter, and reports status', () => {
    const { raw, st } = node('a', ['a']);
    raw.campaign();
    persist(st, raw.ready());
    raw.advance();
    persist(st, raw.ready());
    raw.advance();
    expect(() => raw.proposeConfChange({ type: ConfChangeType.RemoveNode, nodeId: 'a' })).toThrow(/last voter/);
    const s = raw.status();
    expect(s).toMatchObject({ id: 'a', term: 2, state: StateType.Leader, lead: 'a', commit: 2, applied: 2 });
    expect(s.progress['a']?.match).toBe(2);
  });

  it('restores term, vote and commit after a restart and replays membership', () => {
    const { raw, st } = node('a', ['a']);
    raw.campaign();
    persist(st, raw.ready());
    raw.advance();
    persist(st, raw.ready());
    raw.advance();
    raw.proposeConfChange({ type: ConfChangeType.AddLearner, nodeId: 'l' });
    for (let i = 0; i < 3 && raw.hasReady(); i++) {
      persist(st, raw.ready());
      raw.advance();
    }
    expect(raw.confState()).toEqual({ voters: ['a'], learners: ['l'] });
    const again = new RawNode({ id: 'a', storage: st, electionTick: 10, heartbeatTick: 1, applied: 3 });
    expect(again.status()).toMatchObject({ term: 2, vote: 'a', commit: 3, applied: 3, state: StateType.Follower });
    expect(again.confState()).toEqual({ voters: ['a'], learners: ['l'] });
  });

  it('ignores local message types arriving from the network', () => {
    const { raw } = node('a', ['a']);
    expect(() => raw.step({ ...({} as Message), type: MessageType.Hup, to: 'a', from: 'x', term: 0, entries: [], context: new Uint8Array() })).toThrow(/local message/);
  });
});
