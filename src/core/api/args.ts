/**
 * Call arguments to Redis arguments, shared by the embedded API and the
 * network client: `('k', 'v', { ex: 10, nx: true })` -> `k v EX 10 NX`.
 * This module is browser compatible.
 */
import { toBytes, type Bytes } from '../bytes.js';

export type Arg = string | Uint8Array | number | bigint;
/** Trailing options become Redis arguments: `{ ex: 10, nx: true }` -> `EX 10 NX`. */
export type Options = { [option: string]: Arg | boolean | Arg[] | undefined | null };

function isOptions(v: unknown): v is Options {
  return typeof v === 'object' && v !== null && !(v instanceof Uint8Array) && !Array.isArray(v);
}

/** Turns call arguments (with an optional trailing options object) into Redis arguments. */
export function toArgs(name: string, params: readonly unknown[]): Bytes[] {
  const args: Bytes[] = [name];
  for (let i = 0; i < params.length; i++) {
    const p = params[i];
    if (typeof p === 'string') args.push(toBytes(p));
    else if (isOptions(p)) pushOptions(args, p);
    else if (Array.isArray(p)) for (const v of p) args.push(toBytes(v as Arg));
    else if (p !== undefined && p !== null) args.push(toBytes(p as Arg));
  }
  return args;
}

function pushOptions(args: Bytes[], options: Options): void {
  for (const key in options) {
    const value = options[key];
    if (value === undefined || value === null || value === false) continue;
    args.push(key.toUpperCase());
    if (value === true) continue;
    if (Array.isArray(value)) for (const v of value) args.push(toBytes(v));
    else args.push(toBytes(value));
  }
}
