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

const P = 14;
export const REGISTERS = 1 << P;
const Q = 64 - P;
const HDR = 16;
export const DENSE_SIZE = HDR + ((REGISTERS * 6 + 7) >> 3);
const DENSE = 0;
const SPARSE = 1;
const SPARSE_VAL_MAX_VALUE = 32;
const SPARSE_VAL_MAX_LEN = 4;
const SPARSE_ZERO_MAX_LEN = 64;
const SPARSE_XZERO_MAX_LEN = 16384;
const ALPHA_INF = 0.721347520444481703680;
const SEED = 0xadc83b19;

/** An HLL being worked on: the bytes and how many of them are in use (sparse ones grow). */
export interface Hll {
  b: Uint8Array;
  len: number;
  /** Bytes changed in a dense HLL since it was read (a small range is spliced into the old string). */
  dirtyLo?: number;
  dirtyHi?: number;
}

// The last HLL string seen and its parsed form (and count, when known):
// consecutive commands on one key skip re-parsing 12 KB.
let cachedString: Bytes | null = null;
let cachedHll: Hll | null = null;
let cachedCardinality = -1;

/** The HLL in `s` to modify: taken from the cache (which forgets it) or parsed. */
export function openHll(s: Bytes): Hll {
  if (s === cachedString && cachedHll !== null) {
    const h = cachedHll;
    cachedString = null;
    cachedHll = null;
    h.dirtyLo = h.dirtyHi = undefined;
    return h;
  }
  return hllFromString(s, 64);
}

/** The HLL in `s` for reading only. */
export function peekHll(s: Bytes): Hll {
  return s === cachedString && cachedHll !== null ? cachedHll : hllFromString(s);
}

/** Remembers that `h` is the parsed form of `s` (and `count` its cardinality, if known). */
export function rememberHll(s: Bytes, h: Hll, count = -1): void {
  cachedString = s;
  cachedHll = h;
  cachedCardinality = count;
}

/** The cardinality computed earlier for exactly this string, or -1. */
export function knownCount(s: Bytes): number {
  return s === cachedString ? cachedCardinality : -1;
}

/** The HLL as a string, splicing a small dense change into `previous` instead of copying 12 KB. */
export function hllToStringAfter(previous: Bytes, h: Hll): Bytes {
  const lo = h.dirtyLo;
  const hi = h.dirtyHi;
  if (h.b[4] !== DENSE || previous.length !== DENSE_SIZE || previous.charCodeAt(4) !== DENSE) return hllToString(h);
  if (lo === undefined || hi === undefined) {
    return previous.slice(0, 15) + String.fromCharCode(h.b[15]!) + previous.slice(16);
  }
  if (hi - lo > 512) return hllToString(h);
  let mid = '';
  for (let i = lo; i <= hi; i++) mid += String.fromCharCode(h.b[i]!);
  return previous.slice(0, 15) + String.fromCharCode(h.b[15]!) + previous.slice(16, lo) + mid + previous.slice(hi + 1);
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

// ---- MurmurHash64A on 32-bit halves -------------------------------------

const MH = 0xc6a4a793;
const ML = 0x5bd1e995;
let rh = 0;
let rl = 0;

/** (ah:al) * (bh:bl) mod 2^64 into rh:rl. */
function mul64(ah: number, al: number, bh: number, bl: number): void {
  const a0 = al & 0xffff;
  const a1 = al >>> 16;
  const b0 = bl & 0xffff;
  const b1 = bl >>> 16;
  const p00 = a0 * b0;
  const p01 = a0 * b1;
  const p10 = a1 * b0;
  const p11 = a1 * b1;
  const mid = (p00 >>> 16) + (p01 & 0xffff) + (p10 & 0xffff);
  rl = ((mid & 0xffff) * 65536 + (p00 & 0xffff)) >>> 0;
  rh = (p11 + (p01 >>> 16) + (p10 >>> 16) + Math.floor(mid / 65536) + Math.imul(ah, bl) + Math.imul(al, bh)) >>> 0;
}

let hashHi = 0;
let hashLo = 0;

/** MurmurHash64A of the bytes into hashHi:hashLo. */
export function murmurHash64A(s: Bytes, seed = SEED): [number, number] {
  murmur(s, seed);
  return [hashHi, hashLo];
}

function murmur(s: Bytes, seed: number): void {
  const len = s.length;
  mul64(0, len >>> 0, MH, ML);
  let hh = rh;
  let hl = (rl ^ seed) >>> 0;
  const blocks = len >>> 3;
  for (let i = 0; i < blocks; i++) {
    const o = i * 8;
    const kl = (s.charCodeAt(o) | (s.charCodeAt(o + 1) << 8) | (s.charCodeAt(o + 2) << 16) | (s.charCodeAt(o + 3) << 24)) >>> 0;
    const kh = (s.charCodeAt(o + 4) | (s.charCodeAt(o + 5) << 8) | (s.charCodeAt(o + 6) << 16) | (s.charCodeAt(o + 7) << 24)) >>> 0;
    mul64(kh, kl, MH, ML);
    const k2h = rh;
    const k2l = (rl ^ (rh >>> 15)) >>> 0;
    mul64(k2h, k2l, MH, ML);
    mul64((hh ^ rh) >>> 0, (hl ^ rl) >>> 0, MH, ML);
    hh = rh;
    hl = rl;
  }
  const o = blocks * 8;
  const rem = len & 7;
  if (rem > 0) {
    // The tail bytes, little endian, as the C switch with fall-through does.
    if (rem >= 7) hh ^= s.charCodeAt(o + 6) << 16;
    if (rem >= 6) hh ^= s.charCodeAt(o + 5) << 8;
    if (rem >= 5) hh ^= s.charCodeAt(o + 4);
    if (rem >= 4) hl ^= s.charCodeAt(o + 3) << 24;
    if (rem >= 3) hl ^= s.charCodeAt(o + 2) << 16;
    if (rem >= 2) hl ^= s.charCodeAt(o + 1) << 8;
    hl ^= s.charCodeAt(o);
    mul64(hh >>> 0, hl >>> 0, MH, ML);
    hh = rh;
    hl = rl;
  }
  hl = (hl ^ (hh >>> 15)) >>> 0;
  mul64(hh >>> 0, hl, MH, ML);
  hashHi = rh;
  hashLo = (rl ^ (rh >>> 15)) >>> 0;
}

let patIndex = 0;

/** The register an element lands in (patIndex) and its run of zeros plus one (returned). */
function patLen(s: Bytes): number {
  murmur(s, SEED);
  patIndex = hashLo & (REGISTERS - 1);
  const lo = ((hashLo >>> P) | (hashHi << (32 - P))) >>> 0;
  if (lo !== 0) return 31 - Math.clz32(lo & -lo) + 1;
  const hi = hashHi >>> P;
  if (hi !== 0) return 32 + 31 - Math.clz32(hi & -hi) + 1;
  return Q + 1;
}

// ---- dense registers -----------------------------------------------------

function denseGet(b: Uint8Array, reg: number): number {
  const bit = reg * 6;
  const byte = HDR + (bit >>> 3);
  const fb = bit & 7;
  const b0 = b[byte]!;
  const b1 = byte + 1 < b.length ? b[byte + 1]! : 0;
  return ((b0 >>> fb) | (b1 << (8 - fb))) & 63;
}

function denseSetRaw(b: Uint8Array, reg: number, val: number): void {
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

const isZero = (op: number): boolean => (op & 0xc0) === 0;
const isXZero = (op: number): boolean => (op & 0xc0) === 0x40;
const valValue = (op: number): number => ((op >> 2) & 0x1f) + 1;
const valLen = (op: number): number => (op & 0x3) + 1;
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

// ---- estimation (Ertl's improved estimator, as Redis uses) ----------------

function sigma(x: number): number {
  if (x === 1) return Infinity;
  let zPrime: number;
  let y = 1;
  let z = x;
  do {
    x *= x;
    zPrime = z;
    z += x * y;
    y += y;
  } while (zPrime !== z);
  return z;
}

function tau(x: number): number {
  if (x === 0 || x === 1) return 0;
  let zPrime: number;
  let y = 1;
  let z = 1 - x;
  do {
    x = Math.sqrt(x);
    zPrime = z;
    y *= 0.5;
    z -= Math.pow(1 - x, 2) * y;
  } while (zPrime !== z);
  return z / 3;
}

function estimate(histo: Float64Array): number {
  const m = REGISTERS;
  let z = m * tau((m - histo[Q + 1]!) / m);
  for (let j = Q; j >= 1; j--) {
    z += histo[j]!;
    z *= 0.5;
  }
  z += m * sigma(histo[0]! / m);
  return Math.round(ALPHA_INF * m * m / z);
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

// ---- debugging (PFDEBUG, PFSELFTEST) --------------------------------------

/** Every register of a dense HLL. */
export function registerValues(h: Hll): number[] {
  const out = new Array<number>(REGISTERS);
  for (let i = 0; i < REGISTERS; i++) out[i] = denseGet(h.b, i);
  return out;
}

/** The sparse opcodes as text, as PFDEBUG DECODE prints them ("Z:8436 v:1,1 z:3"). */
export function decodeSparse(h: Hll): string {
  const parts: string[] = [];
  const b = h.b;
  for (let p = HDR; p < h.len;) {
    const op = b[p]!;
    if (isZero(op)) {
      parts.push(`z:${(op & 0x3f) + 1}`);
      p++;
    } else if (isXZero(op)) {
      parts.push(`Z:${(((op & 0x3f) << 8) | b[p + 1]!) + 1}`);
      p += 2;
    } else {
      parts.push(`v:${valValue(op)},${valLen(op)}`);
      p++;
    }
  }
  return parts.join(' ');
}

/**
 * Checks the register packing and that sparse and dense HLLs fed the same
 * elements count alike; returns what failed, or null.
 */
export function selfTest(): string | null {
  const d = new Uint8Array(DENSE_SIZE);
  const expected = new Uint8Array(REGISTERS);
  let seed = 0x12345678;
  const next = (): number => {
    seed = (Math.imul(seed, 1103515245) + 12345) >>> 0;
    return seed >>> 16;
  };
  for (let round = 0; round < 10; round++) {
    for (let i = 0; i < REGISTERS; i++) {
      const v = next() & 63;
      expected[i] = v;
      denseSetRaw(d, i, v);
    }
    for (let i = 0; i < REGISTERS; i++) {
      if (denseGet(d, i) !== expected[i]) return `TESTFAILED Register error at ${i}`;
    }
  }
  const sparse = createHll();
  const dense = createHll();
  sparseToDense(dense);
  for (let i = 0; i < 2000; i++) {
    const e = `selftest:${next()}:${i}`;
    hllAdd(sparse, e, 1 << 30);
    hllAdd(dense, e, 1 << 30);
    if (i % 100 === 0 && hllCount(sparse) !== hllCount(dense)) return 'TESTFAILED sparse and dense counts differ';
  }
  return null;
}
