/**
 * What PFDEBUG and PFSELFTEST show and check inside an HLL.
 * This module is browser compatible.
 */
import {
  createHll, DENSE_SIZE, denseGet, denseSetRaw, HDR, hllAdd, hllCount, isXZero, isZero, REGISTERS, sparseToDense,
  valLen, valValue, type Hll,
} from './hyperloglog.js';

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
