/**
 * Replies as command handlers return them, before any wire encoding. The same
 * value is encoded as RESP2 or RESP3 for a connection, or turned into plain JS
 * values for the embedded API.
 *
 * - a binary string is a bulk string; `null` is a null bulk string
 * - a number or bigint is an integer
 * - an array is an array
 * - the classes below cover the rest
 * This module is browser compatible.
 */
import type { Bytes } from '../bytes.js';

export class SimpleString {
  constructor(readonly value: string) {}
}

/** An error reply; `message` starts with its code (`ERR ...`, `WRONGTYPE ...`). */
export class ErrorReply {
  constructor(readonly message: string) {}
}

/** A null where Redis sends a null array in RESP2 (`*-1`). */
export class NullArray {}

/** RESP3 map; RESP2 sends it as a flat array. `entries` is flat: k1, v1, k2, v2... */
export class MapReply {
  constructor(readonly entries: Reply[]) {}
}

/** RESP3 set; RESP2 sends it as an array. */
export class SetReply {
  constructor(readonly items: Reply[]) {}
}

/** RESP3 double; RESP2 sends it as a bulk string. */
export class DoubleReply {
  constructor(readonly value: number) {}
}

/** RESP3 boolean; RESP2 sends it as the integer 1 or 0. */
export class BoolReply {
  constructor(readonly value: boolean) {}
}

/** RESP3 verbatim string; RESP2 sends it as a bulk string. */
export class VerbatimReply {
  constructor(readonly format: string, readonly text: Bytes) {}
}

/** RESP3 big number; RESP2 sends it as a bulk string. */
export class BigNumberReply {
  constructor(readonly value: string) {}
}

/** RESP3 push (pub/sub, invalidations); RESP2 sends it as an array. */
export class PushReply {
  /**
   * Its encoding in RESP2 and RESP3, kept once made: one published message
   * goes to many subscribers, and copying bytes is cheaper than encoding again.
   * @internal
   */
  encoded: [Uint8Array | undefined, Uint8Array | undefined] | undefined;

  constructor(readonly items: Reply[]) {}
}

/** Bytes already in RESP form, sent as they are (used for pre-encoded replies). */
export class RawReply {
  constructor(readonly resp: Bytes) {}
}

/**
 * A reply that is not ready yet (SAVE waiting for its file to be written).
 * Only read commands may answer this way; the client's later commands wait
 * for it, so replies keep their order.
 */
export class AsyncReply {
  constructor(readonly promise: Promise<Reply>) {}
}

/** Nothing is sent (CLIENT REPLY OFF/SKIP, commands that answer later). */
export class NoReply {}

export type Reply =
  | Bytes
  | number
  | bigint
  | null
  | Reply[]
  | SimpleString
  | ErrorReply
  | NullArray
  | MapReply
  | SetReply
  | DoubleReply
  | BoolReply
  | VerbatimReply
  | BigNumberReply
  | PushReply
  | RawReply
  | AsyncReply
  | NoReply;

export const OK = new SimpleString('OK');
export const PONG = new SimpleString('PONG');
export const QUEUED = new SimpleString('QUEUED');
export const NULL_ARRAY = new NullArray();
export const NO_REPLY = new NoReply();

/** Formats a double the way Redis 7 writes it on the wire. */
export function formatDouble(value: number): string {
  if (value === Infinity) return 'inf';
  if (value === -Infinity) return '-inf';
  if (Number.isNaN(value)) return 'nan';
  return formatG17(value);
}

/** C's "%.17g". */
export function formatG17(value: number): string {
  if (value === 0) return Object.is(value, -0) ? '-0' : '0';
  let s: string;
  // %g uses exponent notation when exp < -4 or exp >= precision.
  const e = Number(value.toExponential(16).split('e')[1]);
  if (e < -4 || e >= 17) {
    const [mant, ex] = value.toExponential(16).split('e') as [string, string];
    const m = stripZeros(mant);
    const n = Number(ex);
    s = `${m}e${n < 0 ? '-' : '+'}${String(Math.abs(n)).padStart(2, '0')}`;
  } else {
    s = stripZeros(value.toFixed(Math.max(0, 16 - e)));
  }
  return s;
}

function stripZeros(s: string): string {
  if (s.indexOf('.') === -1) return s;
  s = s.replace(/0+$/, '');
  return s.endsWith('.') ? s.slice(0, -1) : s;
}
