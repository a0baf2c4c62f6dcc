/**
 * The HyperLogLog estimator Redis uses (Otmar Ertl's improved estimator,
 * "New cardinality estimation algorithms for HyperLogLog sketches"), working
 * on the histogram of register values.
 * This module is browser compatible.
 */

const REGISTERS = 1 << 14;
const Q = 50;
const ALPHA_INF = 0.721347520444481703680;

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

/** The cardinality from a histogram of register values (index: value, entry: how many registers). */
export function estimate(histo: Float64Array): number {
  const m = REGISTERS;
  let z = m * tau((m - histo[Q + 1]!) / m);
  for (let j = Q; j >= 1; j--) {
    z += histo[j]!;
    z *= 0.5;
  }
  z += m * sigma(histo[0]! / m);
  return Math.round(ALPHA_INF * m * m / z);
}
