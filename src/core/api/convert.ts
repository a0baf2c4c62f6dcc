/**
 * Replies as plain JS values for the embedded API: bulk strings as UTF-8 text
 * (or Uint8Array), integers as numbers (bigint beyond 2^53), maps as objects,
 * errors thrown as ReplyError.
 * This module is browser compatible.
 */
import { bytesToU8, bytesToUtf8 } from '../bytes.js';
import {
  BigNumberReply, BoolReply, DoubleReply, ErrorReply, MapReply, NullArray, PushReply, SetReply,
  SimpleString, VerbatimReply, type Reply,
} from '../resp/reply.js';

/** An error reply from a command, thrown by the embedded API. */
export class ReplyError extends Error {
  /** The error code: ERR, WRONGTYPE, NOAUTH, ... */
  readonly code: string;
  constructor(readonly reply: string) {
    super(reply);
    this.name = 'ReplyError';
    this.code = reply.split(' ', 1)[0]!;
  }
}

export type JsReply = string | Uint8Array | number | bigint | boolean | null | JsReply[] | { [key: string]: JsReply };

export function toJs(reply: Reply, bytes: boolean): JsReply {
  if (typeof reply === 'string') return bytes ? bytesToU8(reply) : bytesToUtf8(reply);
  if (typeof reply === 'number' || reply === null) return reply;
  if (Array.isArray(reply)) return reply.map((r) => toJs(r, bytes));
  if (typeof reply === 'bigint') return Number.isSafeInteger(Number(reply)) ? Number(reply) : reply;
  if (reply instanceof SimpleString) return reply.value;
  if (reply instanceof ErrorReply) throw new ReplyError(reply.message);
  if (reply instanceof NullArray) return null;
  if (reply instanceof MapReply) {
    const out: { [key: string]: JsReply } = {};
    const e = reply.entries;
    for (let i = 0; i < e.length; i += 2) {
      const k = e[i]!;
      const key = typeof k === 'string' ? bytesToUtf8(k) : k instanceof SimpleString ? k.value : String(toJs(k, false));
      out[key] = toJs(e[i + 1]!, bytes);
    }
    return out;
  }
  if (reply instanceof SetReply || reply instanceof PushReply) return reply.items.map((r) => toJs(r, bytes));
  if (reply instanceof DoubleReply) return reply.value;
  if (reply instanceof BoolReply) return reply.value;
  if (reply instanceof VerbatimReply) return bytes ? bytesToU8(reply.text) : bytesToUtf8(reply.text);
  if (reply instanceof BigNumberReply) return BigInt(reply.value);
  return null;
}
