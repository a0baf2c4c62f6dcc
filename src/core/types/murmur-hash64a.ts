/**
 * MurmurHash64A (Austin Appleby's 64-bit hash for 64-bit platforms), the
 * hash Redis feeds HyperLogLog. 64-bit products are computed on 32-bit
 * halves so no BigInt is needed on the hot path.
 * This module is browser compatible.
 */
import type { Bytes } from '../bytes.js';

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

/** Where murmurHash64A leaves its result (no allocation per call). */
export interface Hash64 {
  hi: number;
  lo: number;
}

/** MurmurHash64A of the bytes (read little endian, as on x86) into `out`. */
export function murmurHash64A(s: Bytes, seed: number, out: Hash64): void {
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
  out.hi = rh;
  out.lo = (rl ^ (rh >>> 15)) >>> 0;
}
