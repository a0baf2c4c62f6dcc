/**
 * Reads an append-only file of RESP commands back, tracking byte offsets so
 * that a torn last command can be cut off and damage elsewhere reported with
 * its position. Kept apart from the client parser: it must know where each
 * command starts.
 * This module is browser compatible.
 */
import { copyU8, portableCodec, type ByteCodec, type Bytes } from '../bytes.js';

export class AofDamage extends Error {
  constructor(readonly offset: number, readonly reason: string) {
    super(`${reason} at byte offset ${offset}`);
  }
}

/** Parses whole commands from chunks; keeps the unfinished tail for the next chunk. */
export class AofReader {
  private tail: Uint8Array = new Uint8Array(0);
  /** File offset of `tail[0]`; after the last chunk, where the last whole command ends. */
  private base = 0;

  constructor(private readonly codec: ByteCodec = portableCodec) {}

  /** Offset just after the last whole command read. */
  get goodLength(): number {
    return this.base;
  }

  /** Bytes left over after the last whole command. */
  get leftover(): number {
    return this.tail.length;
  }

  feed(chunk: Uint8Array, onCommand: (args: Bytes[]) => void): void {
    let buf: Uint8Array;
    if (this.tail.length === 0) buf = chunk;
    else {
      buf = new Uint8Array(this.tail.length + chunk.length);
      buf.set(this.tail);
      buf.set(chunk, this.tail.length);
    }
    let p = 0;
    for (;;) {
      const r = parseCommand(buf, p, this.base, this.codec);
      if (r === null) break;
      onCommand(r.args);
      p = r.end;
      this.base += r.consumed;
    }
    this.tail = copyU8(buf, p);
  }
}

/** Index of the CR of the first CRLF at or after `p`, or -1. */
function lineEnd(buf: Uint8Array, p: number): number {
  for (let i = p; i < buf.length - 1; i++) if (buf[i] === 13 && buf[i + 1] === 10) return i;
  return -1;
}

/** A non-negative decimal between `from` and `to`, or -1 when it is not one. */
function decimal(buf: Uint8Array, from: number, to: number): number {
  if (from >= to || to - from > 15) return -1;
  let n = 0;
  for (let i = from; i < to; i++) {
    const d = buf[i]! - 48;
    if (d < 0 || d > 9) return -1;
    n = n * 10 + d;
  }
  return n;
}

/** The text of a bad header line, for the message. */
function lineText(buf: Uint8Array, from: number, to: number): string {
  return JSON.stringify(String.fromCharCode(...buf.subarray(from, Math.min(to, from + 40))));
}

function parseCommand(buf: Uint8Array, start: number, base: number, codec: ByteCodec): { args: Bytes[]; end: number; consumed: number } | null {
  if (start >= buf.length) return null;
  if (buf[start] !== 42 /* * */) throw new AofDamage(base, `expected '*', found ${JSON.stringify(String.fromCharCode(buf[start]!))}`);
  const headEnd = lineEnd(buf, start);
  if (headEnd === -1) return null;
  const n = decimal(buf, start + 1, headEnd);
  if (n < 1) throw new AofDamage(base, `bad command length ${lineText(buf, start, headEnd)}`);
  const args: Bytes[] = [];
  let p = headEnd + 2;
  for (let i = 0; i < n; i++) {
    if (p >= buf.length) return null;
    if (buf[p] !== 36 /* $ */) throw new AofDamage(base + (p - start), `expected '$', found ${JSON.stringify(String.fromCharCode(buf[p]!))}`);
    const end = lineEnd(buf, p);
    if (end === -1) return null;
    const len = decimal(buf, p + 1, end);
    if (len < 0) throw new AofDamage(base + (p - start), `bad bulk length ${lineText(buf, p, end)}`);
    const data = end + 2;
    if (data + len + 2 > buf.length) return null;
    if (buf[data + len] !== 13 || buf[data + len + 1] !== 10) {
      throw new AofDamage(base + (data + len - start), 'bulk not terminated by CRLF');
    }
    args.push(codec.toBytes(buf, data, data + len));
    p = data + len + 2;
  }
  return { args, end: p, consumed: p - start };
}
