/**
 * A streaming, binary-safe parser for client requests: RESP multibulk commands
 * and inline commands, split across reads or many to a read. It keeps its
 * place between reads, so a large argument arriving in pieces is parsed once.
 * This module is browser compatible.
 */
import { portableCodec, type ByteCodec, type Bytes } from '../bytes.js';

export interface ParserLimits {
  /** proto-max-bulk-len */
  maxBulkLen: number;
  /** client-query-buffer-limit: bytes of one unfinished request */
  maxQueryBuffer: number;
  /** The most elements a multibulk may announce. */
  maxMultibulkLen: number;
}

export const DEFAULT_PARSER_LIMITS: ParserLimits = {
  maxBulkLen: 512 * 1024 * 1024,
  maxQueryBuffer: 1024 * 1024 * 1024,
  maxMultibulkLen: 2147483647,
};

/** Redis's limit for an inline request or a count line. */
const INLINE_MAX = 64 * 1024;

/** The request is not valid RESP; the connection must be closed after replying. */
export class ProtocolError extends Error {
  constructor(readonly reply: string, readonly replyToClient = true) {
    super(reply);
  }
}

export class RequestParser {
  private pending: Uint8Array = new Uint8Array(0);
  private pendingLen = 0;
  // Resumable multibulk state.
  private remaining = 0; // elements still to read in the current multibulk (0: between commands)
  private bulkLen = -1; // length of the bulk being read, -1 when at its `$` line
  private args: Bytes[] = [];

  constructor(
    public limits: ParserLimits = DEFAULT_PARSER_LIMITS,
    private readonly codec: ByteCodec = portableCodec,
  ) {}

  /** Bytes held for an unfinished request. */
  get buffered(): number {
    return this.pendingLen;
  }

  /**
   * Parses every whole command in `chunk` (plus what earlier reads left),
   * calling `onCommand` for each. `onCommand` may return false to stop early
   * (the rest is kept for the next call to `resume`). Throws ProtocolError.
   */
  feed(chunk: Uint8Array, onCommand: (args: Bytes[]) => boolean | void): void {
    let buf: Uint8Array;
    let len: number;
    if (this.pendingLen === 0) {
      buf = chunk;
      len = chunk.length;
    } else {
      this.append(chunk);
      buf = this.pending;
      len = this.pendingLen;
    }
    const used = this.parse(buf, len, onCommand);
    this.keep(buf, used, len);
  }

  /** Continues parsing what is buffered (after an early stop). */
  resume(onCommand: (args: Bytes[]) => boolean | void): void {
    if (this.pendingLen === 0) return;
    const buf = this.pending;
    const len = this.pendingLen;
    const used = this.parse(buf, len, onCommand);
    this.keep(buf, used, len);
  }

  private keep(buf: Uint8Array, used: number, len: number): void {
    const rest = len - used;
    if (rest === 0) {
      this.pendingLen = 0;
      if (this.pending.length > 64 * 1024) this.pending = new Uint8Array(0);
      return;
    }
    if (buf === this.pending) {
      if (used > 0) this.pending.copyWithin(0, used, len);
    } else {
      if (this.pending.length < rest) this.pending = new Uint8Array(Math.max(rest, 4096));
      this.pending.set(buf.subarray(used, len), 0);
    }
    this.pendingLen = rest;
    if (rest > this.limits.maxQueryBuffer) {
      throw new ProtocolError('client reached the query buffer limit', false);
    }
  }

  private append(chunk: Uint8Array): void {
    const need = this.pendingLen + chunk.length;
    if (need > this.pending.length) {
      let size = Math.max(this.pending.length * 2, 4096);
      while (size < need) size *= 2;
      const next = new Uint8Array(size);
      next.set(this.pending.subarray(0, this.pendingLen));
      this.pending = next;
    }
    this.pending.set(chunk, this.pendingLen);
    this.pendingLen = need;
  }

  /** Returns how many bytes were consumed. */
  private parse(buf: Uint8Array, len: number, onCommand: (args: Bytes[]) => boolean | void): number {
    let p = 0;
    while (p < len) {
      if (this.remaining === 0) {
        if (buf[p] !== 42 /* * */) {
          const end = indexOfLf(buf, p, len);
          if (end === -1) {
            if (len - p > INLINE_MAX) throw new ProtocolError('Protocol error: too big inline request');
            return p;
          }
          const lineEnd = end > p && buf[end - 1] === 13 ? end - 1 : end;
          const args = splitInline(this.codec.toBytes(buf, p, lineEnd));
          p = end + 1;
          if (args.length > 0 && onCommand(args) === false) return p;
          continue;
        }
        const end = indexOfCrlf(buf, p, len);
        if (end === -1) {
          if (len - p > INLINE_MAX) throw new ProtocolError('Protocol error: too big mbulk count string');
          return p;
        }
        const n = parseCount(buf, p + 1, end);
        if (n === null || n > this.limits.maxMultibulkLen) {
          throw new ProtocolError('Protocol error: invalid multibulk length');
        }
        p = end + 2;
        if (n <= 0) continue;
        this.remaining = n;
        this.bulkLen = -1;
        this.args = [];
      }
      // Inside a multibulk.
      while (this.remaining > 0) {
        if (this.bulkLen === -1) {
          if (p >= len) return p;
          const end = indexOfCrlf(buf, p, len);
          if (end === -1) {
            if (len - p > INLINE_MAX) throw new ProtocolError('Protocol error: too big bulk count string');
            return p;
          }
          if (buf[p] !== 36 /* $ */) {
            throw new ProtocolError(`Protocol error: expected '$', got '${String.fromCharCode(buf[p]!)}'`);
          }
          const n = parseCount(buf, p + 1, end);
          if (n === null || n < 0 || n > this.limits.maxBulkLen) {
            throw new ProtocolError('Protocol error: invalid bulk length');
          }
          // Redis reads a big argument whole into its query buffer, so one
          // larger than the limit closes the connection however it arrives.
          if (n > this.limits.maxQueryBuffer) {
            throw new ProtocolError('client reached the query buffer limit', false);
          }
          this.bulkLen = n;
          p = end + 2;
        }
        if (len - p < this.bulkLen + 2) return p;
        this.args.push(this.codec.toBytes(buf, p, p + this.bulkLen));
        p += this.bulkLen + 2;
        this.bulkLen = -1;
        this.remaining--;
      }
      const args = this.args;
      this.args = [];
      if (onCommand(args) === false) return p;
    }
    return p;
  }
}

function indexOfLf(buf: Uint8Array, from: number, len: number): number {
  for (let i = from; i < len; i++) if (buf[i] === 10) return i;
  return -1;
}

/** Index of the `\r` of the first `\r\n` at or after `from`, or -1. */
function indexOfCrlf(buf: Uint8Array, from: number, len: number): number {
  for (let i = from; i < len - 1; i++) if (buf[i] === 13 && buf[i + 1] === 10) return i;
  return -1;
}

/**
 * A decimal count as Redis's string2ll reads it; null when it is not one:
 * no sign but '-', no leading zeros ("05", "-0" are rejected), at most 19 digits.
 */
function parseCount(buf: Uint8Array, start: number, end: number): number | null {
  const len = end - start;
  if (len === 1 && buf[start] === 48 /* 0 */) return 0;
  if (len <= 0 || len > 20) return null;
  let i = start;
  const neg = buf[i] === 45; /* - */
  if (neg) i++;
  const first = buf[i]! - 48;
  if (i === end || first < 1 || first > 9) return null;
  let n = first;
  for (i++; i < end; i++) {
    const c = buf[i]! - 48;
    if (c < 0 || c > 9) return null;
    n = n * 10 + c;
  }
  // Beyond int64 string2ll fails; every limit here is far below that anyway.
  if (n > 9223372036854775807) return null;
  return neg ? -n : n;
}

function isHex(c: string): boolean {
  return /^[0-9a-fA-F]$/.test(c);
}

/**
 * Splits an inline request into arguments the way Redis's sdssplitargs does:
 * spaces separate, "double quotes" take escapes, 'single quotes' take \'.
 */
export function splitInline(line: string): Bytes[] {
  const out: Bytes[] = [];
  let i = 0;
  const n = line.length;
  for (;;) {
    while (i < n && isSpace(line.charCodeAt(i))) i++;
    if (i >= n) return out;
    let cur = '';
    let inDq = false;
    let inSq = false;
    let done = false;
    while (!done) {
      if (inDq) {
        if (i >= n) throw new ProtocolError('Protocol error: unbalanced quotes in request');
        const c = line[i]!;
        if (c === '\\' && line[i + 1] === 'x' && i + 3 < n + 0 && isHex(line[i + 2] ?? '') && isHex(line[i + 3] ?? '')) {
          cur += String.fromCharCode(parseInt(line.slice(i + 2, i + 4), 16));
          i += 3;
        } else if (c === '\\' && i + 1 < n) {
          i++;
          const e = line[i]!;
          cur += e === 'n' ? '\n' : e === 'r' ? '\r' : e === 't' ? '\t' : e === 'b' ? '\b' : e === 'a' ? '\x07' : e;
        } else if (c === '"') {
          // A closing quote must be followed by a space or the end.
          if (i + 1 < n && !isSpace(line.charCodeAt(i + 1))) {
            throw new ProtocolError('Protocol error: unbalanced quotes in request');
          }
          done = true;
        } else cur += c;
      } else if (inSq) {
        if (i >= n) throw new ProtocolError('Protocol error: unbalanced quotes in request');
        const c = line[i]!;
        if (c === '\\' && line[i + 1] === "'") {
          i++;
          cur += "'";
        } else if (c === "'") {
          if (i + 1 < n && !isSpace(line.charCodeAt(i + 1))) {
            throw new ProtocolError('Protocol error: unbalanced quotes in request');
          }
          done = true;
        } else cur += c;
      } else {
        if (i >= n) {
          done = true;
          break;
        }
        const c = line[i]!;
        if (isSpace(line.charCodeAt(i))) done = true;
        else if (c === '"') inDq = true;
        else if (c === "'") inSq = true;
        else cur += c;
      }
      if (i < n) i++;
    }
    out.push(cur);
  }
}

function isSpace(c: number): boolean {
  return c === 32 || c === 10 || c === 13 || c === 9 || c === 11 || c === 12;
}
