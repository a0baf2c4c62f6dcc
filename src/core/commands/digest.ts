/**
 * DEBUG DIGEST and DIGEST-VALUE: a 160-bit fingerprint of values, equal for
 * equal contents (hash and set members in any order). Not byte-equal to
 * Redis's SHA1-based digest; useful to compare two ubique datasets.
 * This module is browser compatible.
 */
import type { Bytes } from '../bytes.js';
import type { Database } from '../keyspace/database.js';

/** Five 32-bit lanes of FNV-1a with different offsets: cheap, well mixed, 40 hex digits. */
type Digest = Uint32Array;

const OFFSETS = [0x811c9dc5, 0x01000193, 0x9e3779b9, 0x85ebca6b, 0xc2b2ae35];

function fresh(): Digest {
  return new Uint32Array(5);
}

function hashBytes(s: string): Digest {
  const d = fresh();
  for (let lane = 0; lane < 5; lane++) {
    let h = OFFSETS[lane]! ^ s.length;
    for (let i = 0; i < s.length; i++) {
      h ^= s.charCodeAt(i) & 0xff;
      h = Math.imul(h, 0x01000193 + lane * 2);
    }
    h ^= h >>> 15;
    h = Math.imul(h, 0x2c1b3c6d);
    h ^= h >>> 12;
    d[lane] = h >>> 0;
  }
  return d;
}

/** Order-dependent combination (Redis's mixDigest). */
function mix(into: Digest, s: string): void {
  const h = hashBytes(s + String.fromCharCode(...into.map((x) => x & 0xff)));
  for (let i = 0; i < 5; i++) into[i] = (into[i]! * 31 + h[i]!) >>> 0;
}

/** Order-independent combination (Redis's xorDigest). */
function xor(into: Digest, other: Digest): void {
  for (let i = 0; i < 5; i++) into[i] = (into[i]! ^ other[i]!) >>> 0;
}

function hex(d: Digest): string {
  let out = '';
  for (const x of d) out += x.toString(16).padStart(8, '0');
  return out;
}

/** Serializes any value deterministically, sets and maps in an order-free way. */
function digestOf(value: unknown, seen = new Set<unknown>()): Digest {
  const d = fresh();
  if (typeof value === 'string') {
    mix(d, `s${value}`);
  } else if (typeof value === 'number' || typeof value === 'bigint' || typeof value === 'boolean') {
    mix(d, `n${String(value)}`);
  } else if (value === null || value === undefined || typeof value === 'function') {
    mix(d, 'z');
  } else if (seen.has(value)) {
    mix(d, 'cycle');
  } else {
    seen.add(value);
    if (value instanceof Map) {
      for (const [k, v] of value) {
        const e = digestOf(k, seen);
        mix(e, hex(digestOf(v, seen)));
        xor(d, e);
      }
      mix(d, 'map');
    } else if (value instanceof Set) {
      for (const v of value) xor(d, digestOf(v, seen));
      mix(d, 'set');
    } else if (Array.isArray(value) || ArrayBuffer.isView(value)) {
      for (const v of Array.from(value as ArrayLike<unknown>)) mix(d, hex(digestOf(v, seen)));
      mix(d, 'array');
    } else {
      for (const k of Object.keys(value as object).sort()) {
        mix(d, k);
        mix(d, hex(digestOf((value as Record<string, unknown>)[k], seen)));
      }
    }
    seen.delete(value);
  }
  return d;
}

export const EMPTY_DIGEST = '0'.repeat(40);

export function valueDigest(value: unknown): string {
  return hex(digestOf(value));
}

/** The whole dataset: per key (name, value, expiry), xor-ed; 40 zeros when empty. */
export function datasetDigest(dbs: readonly Database[]): string {
  const d = fresh();
  let any = false;
  for (const db of dbs) {
    for (const [key, value] of db.data) {
      any = true;
      const e = digestOf(key as Bytes);
      mix(e, `${db.id}`);
      mix(e, hex(digestOf(value)));
      const at = db.expires.get(key);
      if (at !== undefined) mix(e, `!${at}`);
      xor(d, e);
    }
  }
  return any ? hex(d) : EMPTY_DIGEST;
}
