/**
 * HyperLogLog in Redis's own string format, so a value written by
 * redis-server counts the same here and the other way round.
 *
 * Layout: a 16-byte header ("HYLL", encoding byte 0 dense / 1 sparse, three
 * unused bytes, 8 bytes of cached cardinality little endian whose top bit
 * marks the cache stale), then the registers: 16384 six-bit registers packed
 * little endian (dense), or run-length opcodes (sparse: ZERO 00xxxxxx,
 * XZERO 01xxxxxx yyyyyyyy, VAL 1vvvvvxx). Elements are hashed with
 * MurmurHash64A, seed 0xadc83b19. The sparse update follows Redis's in-place
 * algorithm step by step (split the opcode, then merge neighbours) because
 * the resulting bytes depend on it.
 * This module is browser compatible.
 */
import type { Bytes } from '../bytes.js';
import { estimate } from './hyperloglog-estimate.js';
import { murmurHash64A, type Hash64 } from './murmur-hash64a.js';

const P = 14;
export const REGISTERS = 1 << P;
const Q = 64 - P;
export const HDR = 16;
export const DENSE_SIZE = HDR + ((REGISTERS * 6 + 7) >> 3);
export const DENSE = 0;
const SPARSE = 1;
const SPARSE_VAL_MAX_VALUE = 32;
const SPARSE_VAL_MAX_LEN = 4;
const SPARSE_ZERO_MAX_LEN = 64;
const SPARSE_XZERO_MAX_LEN = 16384;
const SEED = 0xadc83b19;

/** An HLL being worked on: the bytes and how many of them are in use (sparse ones grow). */
export interface Hll {
  b: Uint8Array;
  len: number;
  /** Bytes changed in a dense HLL since it was read (a small range is spliced into the old string). */
  dirtyLo?: number;
  dirtyHi?: number;
}

/** The header checks Redis makes before touching a string as an HLL. */
export function isHllString(s: Bytes): boolean {
  if (s.length < HDR) return false;
  if (s.charCodeAt(0) !== 72 || s.charCodeAt(1) !== 89 || s.charCodeAt(2) !== 76 || s.charCodeAt(3) !== 76) return false;
  const enc = s.charCodeAt(4);
  if (enc > SPARSE) return false;
  return !(enc === DENSE && s.length !== DENSE_SIZE);
}

export function hllFromString(s: Bytes, room = 0): Hll {
  const b = new Uint8Array(s.length + room);
  for (let i = 0; i < s.length; i++) b[i] = s.charCodeAt(i);
  return { b, len: s.length };
}

export function hllToString(h: Hll): Bytes {
  let out = '';
  const CHUNK = 8192;
  for (let i = 0; i < h.len; i += CHUNK) {
    out += String.fromCharCode.apply(null, h.b.subarray(i, Math.min(i + CHUNK, h.len)) as unknown as number[]);
  }
  return out;
}

/** A new, empty HLL: sparse, one XZERO opcode covering every register, cache valid at 0. */
export function createHll(): Hll {
  const b = new Uint8Array(HDR + 2 + 64);
  b.set([72, 89, 76, 76, SPARSE]);
  const l = SPARSE_XZERO_MAX_LEN - 1;
  b[HDR] = (l >> 8) | 0x40;
  b[HDR + 1] = l & 0xff;
  return { b, len: HDR + 2 };
}

export function isDense(h: Hll): boolean {
  return h.b[4] === DENSE;
}

export function invalidateCache(h: Hll): void {
  h.b[15] = h.b[15]! | 0x80;
}

/** The cached cardinality, or null when stale. */
export function cachedCount(h: Hll): number | null {
  if ((h.b[15]! & 0x80) !== 0) return null;
  let v = 0;
  for (let i = 7; i >= 0; i--) v = v * 256 + h.b[8 + i]!;
  return v;
}

export function storeCount(h: Hll, count: number): void {
  let v = count;
  for (let i = 0; i < 8; i++) {
    h.b[8 + i] = v % 256;
    v = Math.floor(v / 256);
  }
}

let patIndex = 0;

/** The register an element lands in (patIndex) and its run of zeros plus one (returned). */
const hash: Hash64 = { hi: 0, lo: 0 };

function patLen(s: Bytes): number {
  murmurHash64A(s, SEED, hash);
  patIndex = hash.lo & (REGISTERS - 1);
  const lo = ((hash.lo >>> P) | (hash.hi << (32 - P))) >>> 0;
  if (lo !== 0) return 31 - Math.clz32(lo & -lo) + 1;
  const hi = hash.hi >>> P;
  if (hi !== 0) return 32 + 31 - Math.clz32(hi & -hi) + 1;
  return Q + 1;
}

// ---- dense registers -----------------------------------------------------

export function denseGet(b: Uint8Array, reg: number): number {
  const bit = reg * 6;
  const byte = HDR + (bit >>> 3);
  const fb = bit & 7;
  const b0 = b[byte]!;
  const b1 = byte + 1 < b.length ? b[byte + 1]! : 0;
  return ((b0 >>> fb) | (b1 << (8 - fb))) & 63;
}

export function denseSetRaw(b: Uint8Array, reg: number, val: number): void {
  const bit = reg * 6;
  const byte = HDR + (bit >>> 3);
  const fb = bit & 7;
  b[byte] = (b[byte]! & ~(63 << fb)) | (val << fb);
  if (byte + 1 < b.length) b[byte + 1] = (b[byte + 1]! & ~(63 >>> (8 - fb))) | (val >>> (8 - fb));
}

function denseSet(b: Uint8Array, reg: number, count: number): number {
  if (count <= denseGet(b, reg)) return 0;
  denseSetRaw(b, reg, count);
  return 1;
}

// ---- sparse opcodes ------------------------------------------------------

export const isZero = (op: number): boolean => (op & 0xc0) === 0;
export const isXZero = (op: number): boolean => (op & 0xc0) === 0x40;
export const valValue = (op: number): number => ((op >> 2) & 0x1f) + 1;
export const valLen = (op: number): number => (op & 0x3) + 1;
const valOp = (value: number, len: number): number => (((value - 1) << 2) | (len - 1)) | 0x80;

/** Expands a sparse HLL into a dense one in place of `h`; false when corrupt. */
export function sparseToDense(h: Hll): boolean {
  if (h.b[4] === DENSE) return true;
  const d = new Uint8Array(DENSE_SIZE);
  d.set(h.b.subarray(0, HDR));
  d[4] = DENSE;
  let idx = 0;
  const b = h.b;
  for (let p = HDR; p < h.len;) {
    const op = b[p]!;
    if (isZero(op)) {
      idx += (op & 0x3f) + 1;
      p++;
    } else if (isXZero(op)) {
      idx += (((op & 0x3f) << 8) | b[p + 1]!) + 1;
      p += 2;
    } else {
      const run = valLen(op);
      const v = valValue(op);
      if (idx + run > REGISTERS) break;
      for (let i = 0; i < run; i++) denseSetRaw(d, idx++, v);
      p++;
    }
  }
  if (idx !== REGISTERS) return false;
  h.b = d;
  h.len = DENSE_SIZE;
  return true;
}

function ensureRoom(h: Hll, extra: number): void {
  if (h.len + extra <= h.b.length) return;
  const b = new Uint8Array(Math.max(h.len + extra, h.b.length * 2));
  b.set(h.b.subarray(0, h.len));
  h.b = b;
}

/**
 * Sets register `index` to `count` if larger, as Redis's hllSparseSet does.
 * Returns 1 when changed, 0 when not, -1 when the HLL is corrupt.
 */
function sparseSet(h: Hll, index: number, count: number, maxBytes: number): number {
  if (count > SPARSE_VAL_MAX_VALUE) return promote(h, index, count);
  ensureRoom(h, 3);
  const b = h.b;
  let end = h.len;
  const sparse = HDR;
  let p = sparse;
  let first = 0;
  let prev = -1;
  let span = 0;
  while (p < end) {
    let oplen = 1;
    const op = b[p]!;
    if (isZero(op)) span = (op & 0x3f) + 1;
    else if (isXZero(op)) {
      span = (((op & 0x3f) << 8) | b[p + 1]!) + 1;
      oplen = 2;
    } else span = valLen(op);
    if (index <= first + span - 1) break;
    prev = p;
    p += oplen;
    first += span;
  }
  if (span === 0 || p >= end) return -1;
  const op = b[p]!;
  let next = isXZero(op) ? p + 2 : p + 1;
  if (next >= end) next = -1;
  const zero = isZero(op);
  const xzero = isXZero(op);
  const runlen = zero ? (op & 0x3f) + 1 : xzero ? (((op & 0x3f) << 8) | b[p + 1]!) + 1 : valLen(op);

  let simple = false;
  if (!zero && !xzero) {
    if (valValue(op) >= count) return 0;
    if (runlen === 1) {
      b[p] = valOp(count, 1);
      simple = true;
    }
  }
  if (!simple && zero && runlen === 1) {
    b[p] = valOp(count, 1);
    simple = true;
  }
  if (!simple) {
    const seq: number[] = [];
    const last = first + span - 1;
    const zeroRun = (len: number): void => {
      if (len > SPARSE_ZERO_MAX_LEN) seq.push(((len - 1) >> 8) | 0x40, (len - 1) & 0xff);
      else seq.push(len - 1);
    };
    if (zero || xzero) {
      if (index !== first) zeroRun(index - first);
      seq.push(valOp(count, 1));
      if (index !== last) zeroRun(last - index);
    } else {
      const cur = valValue(op);
      if (index !== first) seq.push(valOp(cur, index - first));
      seq.push(valOp(count, 1));
      if (index !== last) seq.push(valOp(cur, last - index));
    }
    const oldlen = xzero ? 2 : 1;
    const delta = seq.length - oldlen;
    if (delta > 0 && h.len + delta > maxBytes) return promote(h, index, count);
    if (delta !== 0 && next !== -1) b.copyWithin(next + delta, next, end);
    h.len += delta;
    for (let i = 0; i < seq.length; i++) b[p + i] = seq[i]!;
    end += delta;
  }

  // Merge neighbouring VAL opcodes of equal value, scanning up to 5 opcodes from prev.
  p = prev >= 0 ? prev : sparse;
  let scan = 5;
  while (p < end && scan-- > 0) {
    const o = b[p]!;
    if (isXZero(o)) {
      p += 2;
      continue;
    }
    if (isZero(o)) {
      p++;
      continue;
    }
    if (p + 1 < end && !isZero(b[p + 1]!) && !isXZero(b[p + 1]!)) {
      const v1 = valValue(o);
      const v2 = valValue(b[p + 1]!);
      if (v1 === v2) {
        const len = valLen(o) + valLen(b[p + 1]!);
        if (len <= SPARSE_VAL_MAX_LEN) {
          b[p + 1] = valOp(v1, len);
          b.copyWithin(p, p + 1, end);
          h.len--;
          end--;
          continue;
        }
      }
    }
    p++;
  }
  invalidateCache(h);
  return 1;
}

function promote(h: Hll, index: number, count: number): number {
  if (!sparseToDense(h)) return -1;
  return denseSet(h.b, index, count);
}

/** Adds one element. Returns 1 if a register changed, 0 if not, -1 if corrupt. */
export function hllAdd(h: Hll, element: Bytes, maxSparseBytes: number): number {
  const count = patLen(element);
  if (h.b[4] === DENSE) {
    if (denseSet(h.b, patIndex, count) === 0) return 0;
    const byte = HDR + ((patIndex * 6) >>> 3);
    if (h.dirtyLo === undefined || byte < h.dirtyLo) h.dirtyLo = byte;
    if (h.dirtyHi === undefined || byte + 1 > h.dirtyHi) h.dirtyHi = Math.min(byte + 1, DENSE_SIZE - 1);
    return 1;
  }
  return sparseSet(h, patIndex, count, maxSparseBytes);
}

/** Sets a register to `count` if larger (PFMERGE's write-back). */
export function hllSetRegister(h: Hll, index: number, count: number, maxSparseBytes: number): number {
  if (h.b[4] === DENSE) return denseSet(h.b, index, count);
  return sparseSet(h, index, count, maxSparseBytes);
}

/** max[i] = max(max[i], register i); false when the HLL is corrupt. */
export function mergeInto(max: Uint8Array, h: Hll): boolean {
  const b = h.b;
  if (b[4] === DENSE) {
    for (let i = 0; i < REGISTERS; i++) {
      const v = denseGet(b, i);
      if (v > max[i]!) max[i] = v;
    }
    return true;
  }
  let idx = 0;
  for (let p = HDR; p < h.len;) {
    const op = b[p]!;
    if (isZero(op)) {
      idx += (op & 0x3f) + 1;
      p++;
    } else if (isXZero(op)) {
      idx += (((op & 0x3f) << 8) | b[p + 1]!) + 1;
      p += 2;
    } else {
      const run = valLen(op);
      const v = valValue(op);
      if (idx + run > REGISTERS) break;
      for (let i = 0; i < run; i++, idx++) if (v > max[idx]!) max[idx] = v;
      p++;
    }
  }
  return idx === REGISTERS;
}

/** The estimated cardinality, or -1 when the HLL is corrupt. */
export function hllCount(h: Hll): number {
  const histo = new Float64Array(64);
  const b = h.b;
  if (b[4] === DENSE) {
    for (let i = 0; i < REGISTERS; i++) histo[denseGet(b, i)]! += 1;
  } else {
    let idx = 0;
    for (let p = HDR; p < h.len;) {
      const op = b[p]!;
      if (isZero(op)) {
        const run = (op & 0x3f) + 1;
        idx += run;
        histo[0] += run;
        p++;
      } else if (isXZero(op)) {
        const run = (((op & 0x3f) << 8) | b[p + 1]!) + 1;
        idx += run;
        histo[0] += run;
        p += 2;
      } else {
        const run = valLen(op);
        idx += run;
        histo[valValue(op)] += run;
        p++;
      }
    }
    if (idx !== REGISTERS) return -1;
  }
  return estimate(histo);
}

/** The cardinality of registers held as one byte each (PFCOUNT over several keys). */
export function countRegisters(max: Uint8Array): number {
  const histo = new Float64Array(64);
  for (let i = 0; i < REGISTERS; i++) histo[max[i]!]! += 1;
  return estimate(histo);
}

