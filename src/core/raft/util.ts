/** Small helpers shared by the log and the replication code. */
import type { Entry } from './types.js';

/** Keeps a prefix of `ents` whose data fits in `maxBytes`, but always at least one entry. */
export function limitSize(ents: Entry[], maxBytes: number): Entry[] {
  if (ents.length === 0) return ents;
  let size = ents[0]!.data.byteLength;
  let n = 1;
  for (; n < ents.length; n++) {
    size += ents[n]!.data.byteLength;
    if (size > maxBytes) break;
  }
  return n === ents.length ? ents : ents.slice(0, n);
}

export function bytesKey(b: Uint8Array): string {
  let s = '';
  for (let i = 0; i < b.length; i++) s += String.fromCharCode(b[i]!);
  return s;
}

export function payloadSize(ents: readonly Entry[]): number {
  let n = 0;
  for (const e of ents) n += e.data.byteLength;
  return n;
}
