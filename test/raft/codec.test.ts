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
