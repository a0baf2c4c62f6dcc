import { describe, expect, it } from 'vitest';
import {
  decodeConfChange,
  decodeEntries,
  decodeHardState,
  decodeMessage,
  decodeSnapshot,
  encodeConfChange,
  encodeEntries,
  encodeHardState,
  encodeMessage,
  encodeSnapshot,
} from '../../src/core/raft/codec.js';
import { RaftError } from '../../src/core/raft/errors.js';
import type { Message } from '../../src/core/raft/types.js';
import { ConfChangeType, EntryType, MessageType, makeMessage } from '../../src/core/raft/types.js';

const bytes = (s: string) => new TextEncoder().encode(s);

describe('codec', () => {
  it('round-trips a message with every field set', () => {
    const m: Message = {
      type: MessageType.App,
      to: 'tab-7f3a',
      from: 'node-ü',
      term: 2 ** 40,
      logTerm: 127,
      index: 128,
      entries: [
        { term: 3, index: 129, type: EntryType.Normal, data: bytes('hello') },
        { term: 3, index: 130, type: EntryType.ConfChange, data: encodeConfChange({ type: ConfChangeType.AddLearner, nodeId: 'x' }) },
      ],
      commit: Number.MAX_SAFE_INTEGER,
      reject: true,
      rejectHint: 16383,
      context: bytes('ctx'),
      snapshot: { meta: { index: 9, term: 2, confState: { voters: ['a', 'b'], learners: ['c'] } }, offset: 4, totalSize: 10, data: bytes('abc') },
    };
    expect(decodeMessage(encodeMessage(m))).toEqual(m);
  });

  it('keeps small messages small', () => {
    const hb = makeMessage({ type: MessageType.Heartbeat, to: '2', from: '1', term: 5, commit: 100 });
    expect(encodeMessage(hb).byteLength).toBeLessThanOrEqual(16);
  });

  it('round-trips entries, hard state, snapshots and conf changes', () => {
    const ents = [{ term: 1, index: 1, type: EntryType.Normal, data: new Uint8Array([0, 255, 7]) }];
    expect(decodeEntries(encodeEntries(ents))).toEqual(ents);
    expect(decodeHardState(encodeHardState({ term: 9, vote: 'b', commit: 300 }))).toEqual({ term: 9, vote: 'b', commit: 300 });
    const snap = { meta: { index: 5, term: 2, confState: { voters: ['a'], learners: [] } }, data: bytes('state') };
    expect(decodeSnapshot(encodeSnapshot(snap))).toEqual(snap);
    expect(decodeConfChange(encodeConfChange({ type: ConfChangeType.RemoveNode, nodeId: 'q' }))).toEqual({ type: ConfChangeType.RemoveNode, nodeId: 'q' });
  });

  it('rejects truncated, trailing and unknown input with DECODE errors', () => {
    const buf = encodeMessage(makeMessage({ type: MessageType.Vote, to: 'a', from: 'b', term: 3 }));
    for (let cut = 0; cut < buf.length; cut++) {
      expect(() => decodeMessage(buf.subarray(0, cut))).toThrow(RaftError);
    }
    const extra = new Uint8Array(buf.length + 1);
    extra.set(buf);
    expect(() => decodeMessage(extra)).toThrow(/trailing/);
    const badVersion = buf.slice();
    badVersion[0] = 99;
    expect(() => decodeMessage(badVersion)).toThrow(/unknown version/);
    const badType = buf.slice();
    badType[1] = 200;
    expect(() => decodeMessage(badType)).toThrow(/unknown type/);
    try {
      decodeHardState(new Uint8Array([1]));
    } catch (err) {
      expect(err).toBeInstanceOf(RaftError);
      expect((err as RaftError).code).toBe('DECODE');
      expect((err as RaftError).message).toMatch(/^Cannot decode/);
    }
  });

  it('refuses to encode numbers that are not safe non-negative integers', () => {
    expect(() => encodeHardState({ term: -1, vote: '', commit: 0 })).toThrow(/Cannot encode/);
    expect(() => encodeHardState({ term: 1.5, vote: '', commit: 0 })).toThrow(/Cannot encode/);
  });
});

describe('codec under random input', () => {
  it('round-trips random messages and never throws anything but RaftError on corrupted bytes', async () => {
    const { Prng } = await import('../sim/prng.js');
    const r = new Prng(7);
    const id = () => ['a', 'node-1', 'tab-ü', ''][r.nextInt(4)]!;
    const num = () => [0, 1, 127, 128, 16384, 2 ** 31, 2 ** 40 + 3, Number.MAX_SAFE_INTEGER][r.nextInt(8)]!;
    const data = () => Uint8Array.from({ length: r.nextInt(40) }, () => r.nextInt(256));
    for (let i = 0; i < 2000; i++) {
      const m: Message = {
        type: r.nextInt(17) as MessageType,
        to: id(),
        from: id(),
        term: num(),
        logTerm: num(),
        index: num(),
        commit: num(),
        reject: r.chance(0.5),
        rejectHint: num(),
        context: data(),
        entries: Array.from({ length: r.nextInt(4) }, () => ({ term: num(), index: num(), type: r.nextInt(2) as EntryType, data: data() })),
      };
      if (r.chance(0.3)) m.snapshot = { meta: { index: num(), term: num(), confState: { voters: [id()], learners: [] } }, offset: num(), totalSize: num(), data: data() };
      const buf = encodeMessage(m);
      expect(decodeMessage(buf)).toEqual(m);
      const bad = buf.slice();
      for (let k = r.nextInt(4) + 1; k > 0; k--) bad[r.nextInt(bad.length)] = r.nextInt(256);
      try {
        decodeMessage(bad);
      } catch (err) {
        expect(err).toBeInstanceOf(RaftError);
      }
    }
  });
});
