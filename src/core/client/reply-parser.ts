/**
 * A streaming parser for server replies, RESP2 and RESP3 (push, map, set,
 * double, boolean, verbatim, big number, attributes), into the same Reply
 * values command handlers return, so one conversion (toJs) serves the
 * embedded API and the network client alike.
 * This module is browser compatible.
 */
import { u8ToBytes } from '../bytes.js';
import {
  BigNumberReply, BoolReply, DoubleReply, ErrorReply, MapReply, PushReply, SetReply, SimpleString,
  VerbatimReply, type Reply,
} from '../resp/reply.js';

/** The bytes are not a RESP reply; the connection cannot be trusted any more. */
export class ReplyProtocolError extends Error {}

/** Marks "the value is not complete yet". */
const INCOMPLETE = Symbol('incomplete');
type Parsed = Reply | typeof INCOMPLETE;

export class ReplyParser {
  private buf: Uint8Array = new Uint8Array(0);
  private pos = 0;
  /** Bytes needed before a retry can finish the value that did not fit (0: unknown). */
  private need = 0;

  /** Parses every whole reply in what has arrived so far, calling `onReply` for each. */
  feed(chunk: Uint8Array, onReply: (reply: Reply) => void): void {
    if (this.pos < this.buf.length) {
      const rest = this.buf.length - this.pos;
      const joined = new Uint8Array(rest + chunk.length);
      joined.set(this.buf.subarray(this.pos));
      joined.set(chunk, rest);
      this.buf = joined;
    } else {
      this.buf = chunk;
    }
    this.pos = 0;
    // A big bulk arriving in pieces is not re-parsed on every piece.
    if (this.need > this.buf.length) return;
    this.need = 0;
    while (this.pos < this.buf.length) {
      const start = this.pos;
      const value = this.value();
      if (value === INCOMPLETE) {
        this.pos = start;
        break;
      }
      onReply(value);
    }
    if (this.need > 0) this.need -= this.pos;
    // Keep a private copy of the unparsed tail: the caller may reuse its buffer.
    this.buf = this.pos < this.buf.length ? this.buf.slice(this.pos) : new Uint8Array(0);
    this.pos = 0;
  }

  /** Bytes held for a reply that has not fully arrived. */
  get buffered(): number {
    return this.buf.length - this.pos;
  }

  reset(): void {
    this.buf = new Uint8Array(0);
    this.pos = 0;
    this.need = 0;
  }

  /** The text up to CRLF, or INCOMPLETE. Moves past the CRLF. */
  private line(): string | typeof INCOMPLETE {
    const buf = this.buf;
    const start = this.pos;
    const lf = buf.indexOf(10, start);
    if (lf < 0) return INCOMPLETE;
    this.pos = lf + 1;
    return u8ToBytes(buf, start, lf > start && buf[lf - 1] === 13 ? lf - 1 : lf);
  }

  private count(text: string): number {
    const n = Number(text);
    if (!Number.isInteger(n)) throw new ReplyProtocolError(`Cannot parse reply: bad length '${text}'`);
    return n;
  }

  private items(n: number): Reply[] | typeof INCOMPLETE {
    const out: Reply[] = new Array(n);
    for (let i = 0; i < n; i++) {
      const v = this.value();
      if (v === INCOMPLETE) return INCOMPLETE;
      out[i] = v;
    }
    return out;
  }

  private value(): Parsed {
    if (this.pos >= this.buf.length) return INCOMPLETE;
    const type = this.buf[this.pos++]!;
    const text = this.line();
    if (text === INCOMPLETE) return INCOMPLETE;
    switch (type) {
      case 0x2b: // + simple string
        return new SimpleString(text);
      case 0x2d: // - error
        return new ErrorReply(text);
      case 0x3a: { // : integer
        const n = Number(text);
        return Number.isSafeInteger(n) ? n : BigInt(text);
      }
      case 0x24: // $ bulk string
      case 0x3d: // = verbatim string
      case 0x21: { // ! bulk error
        const len = this.count(text);
        if (len < 0) return null;
        const end = this.pos + len;
        if (end + 2 > this.buf.length) {
          this.need = end + 2;
          return INCOMPLETE;
        }
        const bytes = u8ToBytes(this.buf, this.pos, end);
        this.pos = end + 2;
        if (type === 0x24) return bytes;
        if (type === 0x21) return new ErrorReply(bytes);
        return new VerbatimReply(bytes.slice(0, 3), bytes.slice(4));
      }
      case 0x2a: // * array
      case 0x7e: // ~ set
      case 0x3e: { // > push
        const n = this.count(text);
        if (n < 0) return null;
        const items = this.items(n);
        if (items === INCOMPLETE) return INCOMPLETE;
        return type === 0x2a ? items : type === 0x7e ? new SetReply(items) : new PushReply(items);
      }
      case 0x25: { // % map
        const items = this.items(this.count(text) * 2);
        return items === INCOMPLETE ? INCOMPLETE : new MapReply(items);
      }
      case 0x7c: { // | attributes: metadata before the real reply, which is what callers want
        const attrs = this.items(this.count(text) * 2);
        return attrs === INCOMPLETE ? INCOMPLETE : this.value();
      }
      case 0x5f: // _ null
        return null;
      case 0x2c: // , double
        return new DoubleReply(text === 'inf' ? Infinity : text === '-inf' ? -Infinity : Number(text));
      case 0x23: // # boolean
        return new BoolReply(text === 't');
      case 0x28: // ( big number
        return new BigNumberReply(text);
      default:
        throw new ReplyProtocolError(`Cannot parse reply: unexpected type byte ${type}`);
    }
  }
}

/** Encodes a command as a RESP multibulk (arguments are binary strings). */
export function encodeCommand(args: readonly string[]): Uint8Array {
  let size = 1 + digits(args.length) + 2;
  for (const a of args) size += 1 + digits(a.length) + 2 + a.length + 2;
  const out = new Uint8Array(size);
  let p = header(out, 0, 0x2a, args.length);
  for (const a of args) {
    p = header(out, p, 0x24, a.length);
    for (let i = 0; i < a.length; i++) out[p++] = a.charCodeAt(i);
    out[p++] = 13;
    out[p++] = 10;
  }
  return out;
}

function digits(n: number): number {
  return n < 10 ? 1 : String(n).length;
}

function header(out: Uint8Array, p: number, type: number, n: number): number {
  out[p++] = type;
  const s = String(n);
  for (let i = 0; i < s.length; i++) out[p++] = s.charCodeAt(i);
  out[p++] = 13;
  out[p++] = 10;
  return p;
}
