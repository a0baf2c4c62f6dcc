/**
 * A streaming parser for server replies, RESP2 and RESP3 (push, map, set,
 * double, boolean, verbatim, big number, attributes), into the same Reply
 * values command handlers return, so one conversion (toJs) serves the
 * embedded API and the network client alike.
 * This module is browser compatible.
 */
import { copyU8, u8ToBytes } from '../bytes.js';
import {
  BigNumberReply, BoolReply, DoubleReply, ErrorReply, MapReply, PushReply, SetReply, SimpleString,
  VerbatimReply, type Reply,
} from '../resp/reply.js';

/** The bytes are not a RESP reply; the connection cannot be trusted any more. */
export class ReplyProtocolError extends Error {}

/** Marks "the token is not complete yet". */
const INCOMPLETE = Symbol('incomplete');
/** Marks "an aggregate was opened; its elements follow". */
const OPENED = Symbol('opened');

/** An aggregate whose elements are still arriving. */
interface Frame {
  type: number;
  items: Reply[];
  remaining: number;
}

/**
 * Resumable: an aggregate's finished elements are kept between reads, so a
 * large reply arriving in many pieces is parsed once, not once per piece.
 */
export class ReplyParser {
  private buf: Uint8Array = new Uint8Array(0);
  private pos = 0;
  /** Bytes needed (from `pos`) before the bulk that did not fit can be read (0: unknown). */
  private need = 0;
  private readonly stack: Frame[] = [];

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
    if (this.need > this.buf.length) {
      this.keepTail();
      return;
    }
    this.need = 0;
    while (this.pos < this.buf.length) {
      const start = this.pos;
      const token = this.token();
      if (token === INCOMPLETE) {
        this.pos = start;
        if (this.need > 0) this.need -= start;
        break;
      }
      if (token === OPENED) continue;
      this.complete(token, onReply);
    }
    this.keepTail();
  }

  /** Bytes held for a reply that has not fully arrived. */
  get buffered(): number {
    return this.buf.length - this.pos;
  }

  reset(): void {
    this.buf = new Uint8Array(0);
    this.pos = 0;
    this.need = 0;
    this.stack.length = 0;
  }

  /** Keeps a private copy of the unparsed tail: the caller may reuse its buffer. */
  private keepTail(): void {
    this.buf = this.pos < this.buf.length ? copyU8(this.buf, this.pos) : new Uint8Array(0);
    this.pos = 0;
  }

  /** A value is finished: it goes into the open aggregate, closing it (and its parents) when full. */
  private complete(value: Reply, onReply: (reply: Reply) => void): void {
    for (;;) {
      const top = this.stack[this.stack.length - 1];
      if (top === undefined) {
        onReply(value);
        return;
      }
      top.items.push(value);
      if (--top.remaining > 0) return;
      this.stack.pop();
      // Attributes are metadata before the real value, which is what callers want.
      if (top.type === 0x7c) return;
      value = aggregate(top.type, top.items);
    }
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

  /** Reads one scalar value, or the header of an aggregate (pushed on the stack). */
  private token(): Reply | typeof INCOMPLETE | typeof OPENED {
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
      case 0x3e: // > push
      case 0x25: // % map
      case 0x7c: { // | attributes
        const n = this.count(text);
        if (n < 0) return null;
        const elements = type === 0x25 || type === 0x7c ? n * 2 : n;
        if (elements === 0) {
          if (type === 0x7c) return OPENED; // no attributes: nothing to deliver
          return aggregate(type, []);
        }
        this.stack.push({ type, items: [], remaining: elements });
        return OPENED;
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

function aggregate(type: number, items: Reply[]): Reply {
  switch (type) {
    case 0x7e:
      return new SetReply(items);
    case 0x3e:
      return new PushReply(items);
    case 0x25:
      return new MapReply(items);
    default:
      return items;
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
