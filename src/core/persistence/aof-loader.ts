/**
 * Reads an append-only file of RESP commands back, tracking byte offsets so
 * that a torn last command can be cut off and damage elsewhere reported with
 * its position. Kept apart from the client parser: it must know where each
 * command starts.
 * This module is browser compatible.
 */
import { copyU8, u8ToBytes, type Bytes } from '../bytes.js';

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
      const r = parseCommand(buf, p, this.base);
      if (r === null) break;
      onCommand(r.args);
      p = r.end;
      this.base += r.consumed;
    }
    this.tail = copyU8(buf, p);
  }
}

function readLine(buf: Uint8Array, p: number): { text: string; next: number } | null {
  for (let i = p; i < buf.length - 1; i++) {
    if (buf[i] === 13 && buf[i + 1] === 10) return { text: u8ToBytes(buf, p, i), next: i + 2 };
  }
  return null;
}

function parseCommand(buf: Uint8Array, start: number, base: number): { args: Bytes[]; end: number; consumed: number } | null {
  if (start >= buf.length) return null;
  if (buf[start] !== 42 /* * */) throw new AofDamage(base, `expected '*', found ${JSON.stringify(String.fromCharCode(buf[start]!))}`);
  const head = readLine(buf, start);
  if (head === null) return null;
  const n = Number(head.text.slice(1));
  if (!Number.isInteger(n) || n < 1) throw new AofDamage(base, `bad command length ${JSON.stringify(head.text)}`);
  const args: Bytes[] = [];
  let p = head.next;
  for (let i = 0; i < n; i++) {
    if (p >= buf.length) return null;
    if (buf[p] !== 36 /* $ */) throw new AofDamage(base + (p - start), `expected '$', found ${JSON.stringify(String.fromCharCode(buf[p]!))}`);
    const line = readLine(buf, p);
    if (line === null) return null;
    const len = Number(line.text.slice(1));
    if (!Number.isInteger(len) || len < 0) throw new AofDamage(base + (p - start), `bad bulk length ${JSON.stringify(line.text)}`);
    if (line.next + len + 2 > buf.length) return null;
    if (buf[line.next + len] !== 13 || buf[line.next + len + 1] !== 10) {
      throw new AofDamage(base + (line.next + len - start), 'bulk not terminated by CRLF');
    }
    args.push(u8ToBytes(buf, line.next, line.next + len));
    p = line.next + len + 2;
  }
  return { args, end: p, consumed: p - start };
}
