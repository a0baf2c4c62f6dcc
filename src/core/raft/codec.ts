/**
 * A compact binary encoding for messages, entries, snapshots and hard state.
 *
 * Numbers are unsigned LEB128 varints (terms and indexes are small and grow
 * slowly, so most take one or two bytes), strings are length-prefixed UTF-8,
 * byte arrays are length-prefixed. Every top-level encoding starts with a
 * version byte so the format can evolve. Decoders copy nothing they can view.
 */
import { RaftError } from './errors.js';
import type { ConfChange, ConfState, Entry, HardState, Message, Snapshot, SnapshotChunk, SnapshotMeta } from './types.js';
import { ConfChangeType, EntryType, MessageType } from './types.js';

const VERSION = 1;
const encoder = new TextEncoder();
const decoder = new TextDecoder('utf-8', { fatal: true });

export class Writer {
  private buf: Uint8Array;
  private pos = 0;

  constructor(initial = 64) {
    this.buf = new Uint8Array(initial);
  }

  private ensure(n: number): void {
    if (this.pos + n <= this.buf.length) return;
    let size = this.buf.length * 2;
    while (size < this.pos + n) size *= 2;
    const next = new Uint8Array(size);
    next.set(this.buf.subarray(0, this.pos));
    this.buf = next;
  }

  byte(b: number): void {
    this.ensure(1);
    this.buf[this.pos++] = b;
  }

  uint(n: number): void {
    if (!Number.isSafeInteger(n) || n < 0) {
      throw new RaftError('DECODE', `Cannot encode number ${n}: not a non-negative safe integer`);
    }
    this.ensure(8);
    while (n >= 0x80) {
      this.buf[this.pos++] = (n % 0x80) | 0x80;
      n = Math.floor(n / 0x80);
    }
    this.buf[this.pos++] = n;
  }

  bytes(b: Uint8Array): void {
    this.uint(b.byteLength);
    this.ensure(b.byteLength);
    this.buf.set(b, this.pos);
    this.pos += b.byteLength;
  }

  string(s: string): void {
    // Node ids and most contexts are short ASCII; skip the TextEncoder round trip for them.
    const n = s.length;
    if (n < 0x80) {
      this.ensure(n + 1);
      const start = this.pos;
      this.buf[this.pos++] = n;
      for (let i = 0; i < n; i++) {
        const c = s.charCodeAt(i);
        if (c >= 0x80) {
          this.pos = start;
          this.bytes(encoder.encode(s));
          return;
        }
        this.buf[this.pos++] = c;
      }
      return;
    }
    this.bytes(encoder.encode(s));
  }

  finish(): Uint8Array {
    return this.buf.slice(0, this.pos);
  }
}

export class Reader {
  private pos = 0;

  constructor(private readonly buf: Uint8Array) {}

  private need(n: number, what: string): void {
    if (this.pos + n > this.buf.length) {
      throw new RaftError('DECODE', `Cannot decode ${what}: input ends at byte ${this.buf.length}`);
    }
  }

  byte(what = 'byte'): number {
    this.need(1, what);
    return this.buf[this.pos++]!;
  }

  uint(what = 'number'): number {
    let result = 0;
    let scale = 1;
    for (let i = 0; i < 8; i++) {
      const b = this.byte(what);
      result += (b & 0x7f) * scale;
      if (b < 0x80) {
        if (!Number.isSafeInteger(result)) break;
        return result;
      }
      scale *= 0x80;
    }
    throw new RaftError('DECODE', `Cannot decode ${what}: varint too long`);
  }

  bytes(what = 'bytes'): Uint8Array {
    const n = this.uint(what);
    this.need(n, what);
    const out = this.buf.subarray(this.pos, this.pos + n);
    this.pos += n;
    return out;
  }

  string(what = 'string'): string {
    const b = this.buf;
    const n = this.pos < b.length ? b[this.pos]! : 0;
    if (n < 0x40 && this.pos + 1 + n <= b.length) {
      let s = '';
      let i = 1;
      for (; i <= n; i++) {
        const c = b[this.pos + i]!;
        if (c >= 0x80) break;
        s += String.fromCharCode(c);
      }
      if (i > n) {
        this.pos += 1 + n;
        return s;
      }
    }
    try {
      return decoder.decode(this.bytes(what));
    } catch (err) {
      if (err instanceof RaftError) throw err;
      throw new RaftError('DECODE', `Cannot decode ${what}: invalid UTF-8`, { cause: err });
    }
  }

  done(what: string): void {
    if (this.pos !== this.buf.length) {
      throw new RaftError('DECODE', `Cannot decode ${what}: ${this.buf.length - this.pos} trailing bytes`);
    }
  }
}

function version(r: Reader, what: string): void {
  const v = r.byte(what);
  if (v !== VERSION) throw new RaftError('DECODE', `Cannot decode ${what}: unknown version ${v}`);
}

function writeEntry(w: Writer, e: Entry): void {
  w.uint(e.term);
  w.uint(e.index);
  w.byte(e.type);
  w.bytes(e.data);
}

function readEntry(r: Reader): Entry {
  const term = r.uint('entry term');
  const index = r.uint('entry index');
  const type = r.byte('entry type');
  if (type !== EntryType.Normal && type !== EntryType.ConfChange) {
    throw new RaftError('DECODE', `Cannot decode entry: unknown type ${type}`);
  }
  return { term, index, type, data: r.bytes('entry data') };
}

function writeConfState(w: Writer, cs: ConfState): void {
  w.uint(cs.voters.length);
  for (const v of cs.voters) w.string(v);
  w.uint(cs.learners.length);
  for (const l of cs.learners) w.string(l);
}

function readConfState(r: Reader): ConfState {
  const voters: string[] = [];
  for (let n = r.uint('voter count'); n > 0; n--) voters.push(r.string('voter id'));
  const learners: string[] = [];
  for (let n = r.uint('learner count'); n > 0; n--) learners.push(r.string('learner id'));
  return { voters, learners };
}

function writeMeta(w: Writer, m: SnapshotMeta): void {
  w.uint(m.index);
  w.uint(m.term);
  writeConfState(w, m.confState);
}

function readMeta(r: Reader): SnapshotMeta {
  const index = r.uint('snapshot index');
  const term = r.uint('snapshot term');
  return { index, term, confState: readConfState(r) };
}

const FLAG_REJECT = 1;
const FLAG_SNAPSHOT = 2;

export function encodeMessage(m: Message): Uint8Array {
  const w = new Writer(64 + m.entries.reduce((n, e) => n + e.data.byteLength + 8, 0) + (m.snapshot?.data.byteLength ?? 0));
  w.byte(VERSION);
  w.byte(m.type);
  w.string(m.to);
  w.string(m.from);
  w.uint(m.term);
  w.uint(m.logTerm);
  w.uint(m.index);
  w.uint(m.commit);
  w.byte((m.reject ? FLAG_REJECT : 0) | (m.snapshot ? FLAG_SNAPSHOT : 0));
  w.uint(m.rejectHint);
  w.bytes(m.context);
  w.uint(m.entries.length);
  for (const e of m.entries) writeEntry(w, e);
  if (m.snapshot) {
    writeMeta(w, m.snapshot.meta);
    w.uint(m.snapshot.offset);
    w.uint(m.snapshot.totalSize);
    w.bytes(m.snapshot.data);
  }
  return w.finish();
}

export function decodeMessage(buf: Uint8Array): Message {
  const r = new Reader(buf);
  version(r, 'message');
  const type = r.byte('message type');
  if (type > MessageType.ReadIndexResp) throw new RaftError('DECODE', `Cannot decode message: unknown type ${type}`);
  const to = r.string('message to');
  const from = r.string('message from');
  const term = r.uint('message term');
  const logTerm = r.uint('message log term');
  const index = r.uint('message index');
  const commit = r.uint('message commit');
  const flags = r.byte('message flags');
  const rejectHint = r.uint('message reject hint');
  const context = r.bytes('message context');
  const entries: Entry[] = [];
  for (let n = r.uint('entry count'); n > 0; n--) entries.push(readEntry(r));
  let snapshot: SnapshotChunk | undefined;
  if (flags & FLAG_SNAPSHOT) {
    const meta = readMeta(r);
    const offset = r.uint('chunk offset');
    const totalSize = r.uint('snapshot size');
    snapshot = { meta, offset, totalSize, data: r.bytes('chunk data') };
  }
  r.done('message');
  const m: Message = { type, to, from, term, logTerm, index, entries, commit, reject: (flags & FLAG_REJECT) !== 0, rejectHint, context };
  if (snapshot) m.snapshot = snapshot;
  return m;
}

export function encodeEntries(ents: readonly Entry[]): Uint8Array {
  const w = new Writer();
  w.byte(VERSION);
  w.uint(ents.length);
  for (const e of ents) writeEntry(w, e);
  return w.finish();
}

export function decodeEntries(buf: Uint8Array): Entry[] {
  const r = new Reader(buf);
  version(r, 'entries');
  const out: Entry[] = [];
  for (let n = r.uint('entry count'); n > 0; n--) out.push(readEntry(r));
  r.done('entries');
  return out;
}

export function encodeHardState(hs: HardState): Uint8Array {
  const w = new Writer(16);
  w.byte(VERSION);
  w.uint(hs.term);
  w.string(hs.vote);
  w.uint(hs.commit);
  return w.finish();
}

export function decodeHardState(buf: Uint8Array): HardState {
  const r = new Reader(buf);
  version(r, 'hard state');
  const hs = { term: r.uint('term'), vote: r.string('vote'), commit: r.uint('commit') };
  r.done('hard state');
  return hs;
}

export function encodeSnapshot(s: Snapshot): Uint8Array {
  const w = new Writer(32 + s.data.byteLength);
  w.byte(VERSION);
  writeMeta(w, s.meta);
  w.bytes(s.data);
  return w.finish();
}

export function decodeSnapshot(buf: Uint8Array): Snapshot {
  const r = new Reader(buf);
  version(r, 'snapshot');
  const meta = readMeta(r);
  const data = r.bytes('snapshot data');
  r.done('snapshot');
  return { meta, data };
}

export function encodeConfChange(cc: ConfChange): Uint8Array {
  const w = new Writer(16);
  w.byte(VERSION);
  w.byte(cc.type);
  w.string(cc.nodeId);
  return w.finish();
}

export function decodeConfChange(buf: Uint8Array): ConfChange {
  const r = new Reader(buf);
  version(r, 'conf change');
  const type = r.byte('conf change type');
  if (type > ConfChangeType.RemoveNode) throw new RaftError('DECODE', `Cannot decode conf change: unknown type ${type}`);
  const cc = { type, nodeId: r.string('conf change node') };
  r.done('conf change');
  return cc;
}
