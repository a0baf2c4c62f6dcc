/**
 * Bitmap commands: strings read as arrays of bits, most significant bit of
 * each byte first (SETBIT, GETBIT, BITCOUNT, BITPOS, BITOP, BITFIELD).
 * Bit offsets are limited by proto-max-bulk-len like in Redis.
 * This module is browser compatible.
 */
import { u8ToBytes, type Bytes } from '../bytes.js';
import type { CommandContext } from '../context.js';
import { CommandError, Err } from '../errors.js';
import type { Reply } from '../resp/reply.js';
import { FAIL, SAT, WRAP, fitField, parseFieldType, readField, writeField, type FieldType, type Overflow } from './bitfield.js';
import { isWord, parseInt64, parseIntNumber } from './parse.js';
import { command, type CommandSpec } from './types.js';

const single = { first: 1, last: 1, step: 1 };
const SAFE_MIN = BigInt(Number.MIN_SAFE_INTEGER);
const SAFE_MAX = BigInt(Number.MAX_SAFE_INTEGER);

/** Set bits per byte value. */
const POPCOUNT = new Uint8Array(256);
for (let i = 1; i < 256; i++) POPCOUNT[i] = (i & 1) + POPCOUNT[i >> 1]!;

function stringAt(ctx: CommandContext, key: Bytes): Bytes | undefined {
  const v = ctx.db.get(key, ctx.now);
  if (v === undefined || typeof v === 'string') return v;
  throw new CommandError(Err.wrongType);
}

/**
 * A bit offset: a non-negative 64-bit integer whose byte is below
 * proto-max-bulk-len; with `fieldBits`, "#N" means N fields of that width.
 */
function bitOffsetArg(ctx: CommandContext, arg: Bytes, fieldBits = 0): number {
  const limit = ctx.server.config.int('proto-max-bulk-len');
  const hash = fieldBits > 0 && arg.charCodeAt(0) === 35;
  if (!hash && arg.length <= 15) {
    // Exact as a number: no BigInt on the GETBIT/SETBIT path.
    const n = parseIntNumber(arg);
    if (n === null || n < 0 || Math.floor(n / 8) >= limit) throw new CommandError(Err.bitOffset);
    return n;
  }
  const text = hash ? arg.slice(1) : arg;
  let v = parseInt64(text);
  if (v === null) throw new CommandError(Err.bitOffset);
  // Redis multiplies in 64-bit arithmetic: an overflow wraps.
  if (hash) v = BigInt.asIntN(64, v * BigInt(fieldBits));
  if (v < 0n || v >> 3n >= BigInt(limit)) throw new CommandError(Err.bitOffset);
  return Number(v);
}

function intArgOrThrow(arg: Bytes): number {
  const v = parseIntNumber(arg);
  if (v === null) throw new CommandError(Err.notInteger);
  return v;
}

function toReply(v: bigint): number | bigint {
  return v >= SAFE_MIN && v <= SAFE_MAX ? Number(v) : v;
}

function popcount(s: Bytes, from: number, to: number): number {
  let n = 0;
  for (let i = from; i <= to; i++) n += POPCOUNT[s.charCodeAt(i)]!;
  return n;
}

function bitAt(s: Bytes, bit: number): number {
  return (s.charCodeAt(Math.floor(bit / 8)) >> (7 - (bit % 8))) & 1;
}

/**
 * Resolves a start/end pair against a length (negative counts from the end,
 * both clamped) as BITCOUNT and BITPOS do; [start, end] may be empty.
 */
function clampRange(start: number, end: number, total: number): [number, number] {
  if (start < 0) start = total + start;
  if (end < 0) end = total + end;
  if (start < 0) start = 0;
  if (end < 0) end = 0;
  if (end >= total) end = total - 1;
  return [start, end];
}

function isBitUnit(arg: Bytes): boolean {
  if (isWord(arg, 'BIT')) return true;
  if (isWord(arg, 'BYTE')) return false;
  throw new CommandError(Err.syntax);
}

function bitcount(ctx: CommandContext, args: Bytes[]): Reply {
  const s = stringAt(ctx, args[1]!);
  if (s === undefined) return 0;
  if (args.length === 2) return popcount(s, 0, s.length - 1);
  if (args.length !== 4 && args.length !== 5) throw new CommandError(Err.syntax);
  const start = intArgOrThrow(args[2]!);
  const end = intArgOrThrow(args[3]!);
  if (start < 0 && end < 0 && start > end) return 0;
  const inBits = args.length === 5 && isBitUnit(args[4]!);
  const [from, to] = clampRange(start, end, inBits ? s.length * 8 : s.length);
  if (from > to) return 0;
  if (!inBits) return popcount(s, from, to);
  const firstByte = Math.floor(from / 8);
  const lastByte = Math.floor(to / 8);
  let n = firstByte + 1 <= lastByte - 1 ? popcount(s, firstByte + 1, lastByte - 1) : 0;
  const edgeEnd = Math.min(to, firstByte * 8 + 7);
  for (let b = from; b <= edgeEnd; b++) n += bitAt(s, b);
  if (lastByte !== firstByte) for (let b = lastByte * 8; b <= to; b++) n += bitAt(s, b);
  return n;
}

function bitpos(ctx: CommandContext, args: Bytes[]): Reply {
  const bit = parseIntNumber(args[2]!);
  if (bit === null) throw new CommandError(Err.notInteger);
  if (bit !== 0 && bit !== 1) throw new CommandError(Err.bitArgument);
  const s = stringAt(ctx, args[1]!);
  // A missing key is an endless run of zeros.
  if (s === undefined) return bit === 1 ? -1 : 0;
  if (args.length > 6) throw new CommandError(Err.syntax);
  let from = 0;
  let to = s.length * 8 - 1;
  const endGiven = args.length >= 5;
  if (args.length >= 4) {
    const start = intArgOrThrow(args[3]!);
    const inBits = args.length === 6 && isBitUnit(args[5]!);
    const total = inBits ? s.length * 8 : s.length;
    const end = endGiven ? intArgOrThrow(args[4]!) : total - 1;
    [from, to] = clampRange(start, end, total);
    if (from > to) return -1;
    if (!inBits) {
      from *= 8;
      to = to * 8 + 7;
    }
  }
  if (from > to) return -1;
  let b = from;
  // Bit by bit to a byte boundary, then whole bytes, then bit by bit again.
  while (b <= to && b % 8 !== 0) {
    if (bitAt(s, b) === bit) return b;
    b++;
  }
  const skip = bit === 1 ? 0 : 0xff;
  while (b + 7 <= to && s.charCodeAt(b / 8) === skip) b += 8;
  for (; b <= to; b++) if (bitAt(s, b) === bit) return b;
  // Looking for a clear bit without an explicit end: the string continues with zeros.
  return bit === 0 && !endGiven ? to + 1 : -1;
}

function bitop(ctx: CommandContext, args: Bytes[]): Reply {
  const op = args[1]!.toUpperCase();
  if (op !== 'AND' && op !== 'OR' && op !== 'XOR' && op !== 'NOT') throw new CommandError(Err.syntax);
  if (op === 'NOT' && args.length !== 4) throw new CommandError(Err.bitopNotSingleKey);
  const dest = args[2]!;
  const sources: Bytes[] = [];
  let maxLen = 0;
  for (let i = 3; i < args.length; i++) {
    const s = stringAt(ctx, args[i]!) ?? '';
    sources.push(s);
    if (s.length > maxLen) maxLen = s.length;
  }
  if (maxLen === 0) {
    const existed = ctx.db.has(dest, ctx.now);
    if (ctx.db.delete(dest)) {
      if (existed) {
        ctx.modified(dest);
        ctx.notify('g', 'del', dest);
      } else {
        // Only an expired leftover went away: log it (replicas drop it too) without an event.
        ctx.dirty++;
      }
    }
    return 0;
  }
  const out = new Uint8Array(maxLen);
  const first = sources[0]!;
  for (let j = 0; j < maxLen; j++) {
    let v = j < first.length ? first.charCodeAt(j) : 0;
    if (op === 'NOT') v = ~v & 0xff;
    for (let k = 1; k < sources.length; k++) {
      const s = sources[k]!;
      const w = j < s.length ? s.charCodeAt(j) : 0;
      if (op === 'AND') v &= w;
      else if (op === 'OR') v |= w;
      else v ^= w;
    }
    out[j] = v;
  }
  ctx.db.set(dest, u8ToBytes(out));
  ctx.modified(dest);
  ctx.notify('$', 'set', dest);
  return maxLen;
}

interface FieldOp {
  kind: 'get' | 'set' | 'incrby';
  type: FieldType;
  offset: number;
  value: bigint;
  overflow: Overflow;
}

function bitfield(ctx: CommandContext, args: Bytes[], readOnly: boolean): Reply {
  const ops: FieldOp[] = [];
  let overflow: Overflow = WRAP;
  let writes = false;
  let highestBit = -1;
  for (let j = 2; j < args.length; j++) {
    const remaining = args.length - j - 1;
    const sub = args[j]!.toUpperCase();
    let kind: FieldOp['kind'];
    if (sub === 'GET' && remaining >= 2) kind = 'get';
    else if (sub === 'SET' && remaining >= 3) kind = 'set';
    else if (sub === 'INCRBY' && remaining >= 3) kind = 'incrby';
    else if (sub === 'OVERFLOW' && remaining >= 1) {
      const mode = args[++j]!.toUpperCase();
      if (mode === 'WRAP') overflow = WRAP;
      else if (mode === 'SAT') overflow = SAT;
      else if (mode === 'FAIL') overflow = FAIL;
      else throw new CommandError(Err.bitfieldOverflowType);
      continue;
    } else throw new CommandError(Err.syntax);
    const type = parseFieldType(args[j + 1]!);
    const offset = bitOffsetArg(ctx, args[j + 2]!, type.bits);
    let value = 0n;
    if (kind !== 'get') {
      writes = true;
      highestBit = Math.max(highestBit, offset + type.bits - 1);
      const v = parseInt64(args[j + 3]!);
      if (v === null) throw new CommandError(Err.notInteger);
      value = v;
    }
    ops.push({ kind, type, offset, value, overflow });
    j += kind === 'get' ? 2 : 3;
  }
  const key = args[1]!;
  if (writes && readOnly) throw new CommandError(Err.bitfieldReadOnly);
  const current = stringAt(ctx, key);
  if (!writes) return ops.map((op) => toReply(readField(current ?? '', op.offset, op.type)));

  // Writes grow the string to the highest bit any of them touches, even when they fail.
  const base = current ?? '';
  const size = Math.max(base.length, Math.floor(highestBit / 8) + 1);
  const buf = new Uint8Array(size);
  for (let i = 0; i < base.length; i++) buf[i] = base.charCodeAt(i);
  const replies: Reply[] = [];
  for (const op of ops) {
    const old = readField(buf, op.offset, op.type);
    if (op.kind === 'get') {
      replies.push(toReply(old));
      continue;
    }
    // SET of an unsigned field takes the argument as C's uint64_t would.
    const wanted = op.kind === 'incrby' ? old + op.value : op.type.signed ? op.value : BigInt.asUintN(64, op.value);
    const fitted = fitField(wanted, op.type, op.overflow);
    if (fitted === null) {
      replies.push(null);
      continue;
    }
    writeField(buf, op.offset, op.type.bits, fitted);
    replies.push(toReply(op.kind === 'incrby' ? fitted : old));
  }
  ctx.db.set(key, u8ToBytes(buf), current !== undefined);
  ctx.modified(key);
  ctx.notify('$', 'setbit', key);
  return replies;
}

export const bitmapCommands: CommandSpec[] = [
  command({
    name: 'setbit', arity: 4, flags: ['write', 'denyoom'], keys: single, categories: ['bitmap'], group: 'bitmap',
    summary: 'Sets or clears the bit at offset of the string value. Creates the key if it doesn\'t exist.',
    since: '2.2.0', complexity: 'O(1)',
    handler(ctx, args): Reply {
      const key = args[1]!;
      const offset = bitOffsetArg(ctx, args[2]!);
      const on = parseIntNumber(args[3]!);
      if (on !== 0 && on !== 1) throw new CommandError(Err.bitValue);
      const current = stringAt(ctx, key);
      const base = current ?? '';
      const index = Math.floor(offset / 8);
      const mask = 0x80 >> (offset % 8);
      const grows = current === undefined || index >= base.length;
      const byte = index < base.length ? base.charCodeAt(index) : 0;
      const old = (byte & mask) !== 0 ? 1 : 0;
      // Redis leaves a key untouched (no event, nothing logged) when the bit already holds the value.
      if (grows || old !== on) {
        const next = String.fromCharCode(on === 1 ? byte | mask : byte & ~mask);
        const value = index < base.length
          ? base.slice(0, index) + next + base.slice(index + 1)
          : base + '\0'.repeat(index - base.length) + next;
        ctx.db.set(key, value, current !== undefined);
        ctx.modified(key);
        ctx.notify('$', 'setbit', key);
      }
      return old;
    },
  }),
  command({
    name: 'getbit', arity: 3, flags: ['readonly', 'fast'], keys: single, categories: ['bitmap'], group: 'bitmap',
    summary: 'Returns a bit value by offset.', since: '2.2.0', complexity: 'O(1)',
    handler(ctx, args): Reply {
      const offset = bitOffsetArg(ctx, args[2]!);
      const s = stringAt(ctx, args[1]!);
      if (s === undefined || Math.floor(offset / 8) >= s.length) return 0;
      return bitAt(s, offset);
    },
  }),
  command({
    name: 'bitcount', arity: -2, flags: ['readonly'], keys: single, categories: ['bitmap'], group: 'bitmap',
    summary: 'Counts the number of set bits (population counting) in a string.', since: '2.6.0', complexity: 'O(N)',
    handler: bitcount,
  }),
  command({
    name: 'bitpos', arity: -3, flags: ['readonly'], keys: single, categories: ['bitmap'], group: 'bitmap',
    summary: 'Finds the first set (1) or clear (0) bit in a string.', since: '2.8.7', complexity: 'O(N)',
    handler: bitpos,
  }),
  command({
    name: 'bitop', arity: -4, flags: ['write', 'denyoom'], keys: { first: 2, last: -1, step: 1 }, categories: ['bitmap'],
    group: 'bitmap', summary: 'Performs bitwise operations on multiple strings, and stores the result.', since: '2.6.0',
    complexity: 'O(N)',
    handler: bitop,
  }),
  command({
    name: 'bitfield', arity: -2, flags: ['write', 'denyoom'], keys: single, categories: ['bitmap'], group: 'bitmap',
    summary: 'Performs arbitrary bitfield integer operations on strings.', since: '3.2.0',
    complexity: 'O(1) for each subcommand specified',
    handler: (ctx, args) => bitfield(ctx, args, false),
  }),
  command({
    name: 'bitfield_ro', arity: -2, flags: ['readonly', 'fast'], keys: single, categories: ['bitmap'], group: 'bitmap',
    summary: 'Performs arbitrary read-only bitfield integer operations on strings.', since: '6.0.0',
    complexity: 'O(1) for each subcommand specified',
    handler: (ctx, args) => bitfield(ctx, args, true),
  }),
];

