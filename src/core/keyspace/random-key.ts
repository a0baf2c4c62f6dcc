/**
 * RANDOMKEY without random access into a Map: a rotation over the keyspace
 * that skips a small seeded-random number of keys per call, then returns the
 * first live key. O(1) per call unless most keys are logically expired (then
 * it walks at most the whole keyspace once and answers null if none is live).
 * It is a read, so it never deletes the expired keys it passes.
 * This module is browser compatible.
 */
import type { Bytes } from '../bytes.js';
import { seededRandom } from '../random.js';
import type { Database } from './database.js';
import { Rotation } from './rotation.js';
import type { Value } from './value.js';

const MAX_SKIP = 64;

const rotation = new Rotation<Bytes, Value>();
const random = seededRandom(0x72616e64);

export function randomKey(db: Database, now: number): Bytes | null {
  const size = db.data.size;
  if (size === 0) {
    rotation.forget(db.data);
    return null;
  }
  const skip = Math.floor(random() * Math.min(size, MAX_SKIP));
  for (let visited = 0; visited <= skip + size; visited++) {
    const entry = rotation.next(db.data);
    if (entry === undefined) return null;
    if (visited < skip) continue;
    if (!db.isExpired(entry[0], now)) return entry[0];
  }
  return null;
}
