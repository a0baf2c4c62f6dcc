/**
 * RESP2/RESP3 encoding into one growable buffer, so that all replies to one
 * read leave in a single write.
 * This module is browser compatible.
 */
import { portableCodec, type ByteCodec } from '../bytes.js';
import {
  BigNumberReply, BoolReply, DoubleReply, ErrorReply, MapReply, NoReply, NullArray, PushReply,
  RawReply, SetReply, SimpleString, VerbatimReply, formatDouble, type Reply,
} from './reply.js';

export type Protocol = 2 | 3;

const CR = 13;
const LF = 10;

/**
 * Taken replies up to this size share pool buffers. A pool region is handed
 * out once and never written again, so a transport may hold a view as long
 * as it likes; a pool is freed when no view of it is left.
 */
const POOLED_MAX = 4096;
const POOL_SIZE = 64 * 1024;
let pool = new Uint8Array(POOL_SIZE);
let poolOffset = 0;

export class RespWriter {
  buf: Uint8Array;
  pos = 0;

  constructor(private readonly codec: ByteCodec = portableCodec, initialSize = 16 * 1024) {
    this.buf = new Uint8Array(initialSize);
  }

  get length(): number {
    return this.pos;
  }

  /** Hands out the encoded bytes (a copy) and empties the writer. */
  take(): Uint8Array {
    const len = this.pos;
    let out: Uint8Array;
    if (len <= POOLED_MAX) {
      // Most replies are small: carve them from a shared pool rather than
      // allocating a fresh ArrayBuffer (a malloc'ed backing store) per write.
      if (poolOffset + len > POOL_SIZE) {
        pool = new Uint8Array(POOL_SIZE);
        poolOffset = 0;
      }
      out = pool.subarray(poolOffset, poolOffset + len);
      out.set(this.buf.subarray(0, len));
      // Keep views 8-byte aligned, as Node's Buffer pool does.
      poolOffset = (poolOffset + len + 7) & ~7;
    } else {
      out = this.buf.slice(0, len);
    }
    this.pos = 0;
    // A burst may have grown the buffer a lot; do not keep it forever.
    if (this.buf.length > 1024 * 1024) this.buf = new Uint8Array(16 * 1024);
    return out;
  }

  private ensure(extra: number): void {
    const need = this.pos + extra;
    if (need <= this.buf.length) return;
    let size = this.buf.length * 2;
    while (size < need) size *= 2;
    const next = new Uint8Array(size);
    next.set(this.buf.subarray(0, this.pos));
    this.buf = next;
  }

  private ascii(s: string): void {
    this.ensure(s.length);
    const buf = this.buf;
    let p = this.pos;
    for (let i = 0; i < s.length; i++) buf[p++] = s.charCodeAt(i);
    this.pos = p;
  }

  /** `<prefix><text>\r\n` for ASCII text. */
  private line(prefix: number, text: string): void {
    this.ensure(text.length + 3);
    this.buf[this.pos++] = prefix;
    this.pos = writeShort(this.buf, text, this.pos);
    this.crlf();
  }

  private crlf(): void {
    this.buf[this.pos++] = CR;
    this.buf[this.pos++] = LF;
  }

  /** `<prefix><n>\r\n` */
  private header(prefix: number, n: number): void {
    this.ensure(24);
    this.buf[this.pos++] = prefix;
    this.writeInt(n);
    this.crlf();
  }

  private writeInt(n: number): void {
    if (n >= 0 && n < 10) {
      this.buf[this.pos++] = 48 + n;
      return;
    }
    const s = String(n);
    for (let i = 0; i < s.length; i++) this.buf[this.pos++] = s.charCodeAt(i);
  }

  bulk(b: string): void {
    this.header(36 /* $ */, b.length);
    this.ensure(b.length + 2);
    this.pos = b.length < 64 ? writeShort(this.buf, b, this.pos) : this.codec.write(this.buf, b, this.pos);
    this.crlf();
  }

  simple(s: string): void {
    this.ensure(s.length + 3);
    this.buf[this.pos++] = 43; // +
    this.pos = writeShort(this.buf, s, this.pos);
    this.crlf();
  }

  error(message: string): void {
    // An error line may not contain newlines; Redis replaces them with spaces.
    const clean = message.indexOf('\n') === -1 && message.indexOf('\r') === -1 ? message : message.replace(/[\r\n]/g, ' ');
    this.ensure(clean.length + 3);
    this.buf[this.pos++] = 45; // -
    this.pos = writeShort(this.buf, clean, this.pos);
    this.crlf();
  }

  integer(n: number | bigint): void {
    if (typeof n === 'bigint') return this.line(58 /* : */, n.toString());
    this.ensure(32);
    this.buf[this.pos++] = 58; // :
    this.writeInt(n);
    this.crlf();
  }

  nullBulk(proto: Protocol): void {
    if (proto === 3) this.ascii('_\r\n');
    else this.ascii('$-1\r\n');
  }

  nullArray(proto: Protocol): void {
    if (proto === 3) this.ascii('_\r\n');
    else this.ascii('*-1\r\n');
  }

  arrayHeader(n: number): void {
    this.header(42 /* * */, n);
  }

  /** Encodes one reply. */
  write(reply: Reply, proto: Protocol): void {
    if (typeof reply === 'string') return this.bulk(reply);
    if (typeof reply === 'number') return this.integer(reply);
    if (reply === null) return this.nullBulk(proto);
    if (Array.isArray(reply)) {
      this.header(42, reply.length);
      for (let i = 0; i < reply.length; i++) this.write(reply[i]!, proto);
      return;
    }
    if (typeof reply === 'bigint') return this.integer(reply);
    if (reply instanceof SimpleString) return this.simple(reply.value);
    if (reply instanceof ErrorReply) return this.error(reply.message);
    if (reply instanceof NullArray) return this.nullArray(proto);
    if (reply instanceof MapReply) {
      const e = reply.entries;
      if (proto === 3) this.header(37 /* % */, e.length / 2);
      else this.header(42, e.length);
      for (let i = 0; i < e.length; i++) this.write(e[i]!, proto);
      return;
    }
    if (reply instanceof SetReply) {
      this.header(proto === 3 ? 126 /* ~ */ : 42, reply.items.length);
      for (const item of reply.items) this.write(item, proto);
      return;
    }
    if (reply instanceof DoubleReply) {
      const text = formatDouble(reply.value);
      if (proto === 3) this.line(44 /* , */, text);
      else this.bulk(text);
      return;
    }
    if (reply instanceof BoolReply) {
      if (proto === 3) this.ascii(reply.value ? '#t\r\n' : '#f\r\n');
      else this.integer(reply.value ? 1 : 0);
      return;
    }
    if (reply instanceof VerbatimReply) {
      if (proto === 3) {
        const body = `${reply.format}:${reply.text}`;
        this.header(61 /* = */, body.length);
        this.ensure(body.length + 2);
        this.pos = this.codec.write(this.buf, body, this.pos);
        this.crlf();
      } else this.bulk(reply.text);
      return;
    }
    if (reply instanceof BigNumberReply) {
      if (proto === 3) this.line(40 /* ( */, reply.value);
      else this.bulk(reply.value);
      return;
    }
    if (reply instanceof PushReply) {
      const slot = proto === 3 ? 1 : 0;
      const cached = reply.encoded?.[slot];
      if (cached !== undefined) {
        this.ensure(cached.length);
        this.buf.set(cached, this.pos);
        this.pos += cached.length;
        return;
      }
      const start = this.pos;
      this.header(proto === 3 ? 62 /* > */ : 42, reply.items.length);
      for (const item of reply.items) this.write(item, proto);
      (reply.encoded ??= [undefined, undefined])[slot] = this.buf.slice(start, this.pos);
      return;
    }
    if (reply instanceof RawReply) {
      this.ensure(reply.resp.length);
      this.pos = this.codec.write(this.buf, reply.resp, this.pos);
      return;
    }
    if (reply instanceof NoReply) return;
    throw new Error(`Cannot encode reply: unknown reply value ${String(reply)}`);
  }
}

function writeShort(buf: Uint8Array, s: string, p: number): number {
  for (let i = 0; i < s.length; i++) buf[p++] = s.charCodeAt(i);
  return p;
}
