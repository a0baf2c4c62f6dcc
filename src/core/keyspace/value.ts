/**
 * What a key holds. A string value is a binary string itself (the most common
 * case stays one object per key); other types are objects that say their type.
 * This module is browser compatible.
 */
import type { Bytes } from '../bytes.js';

export type TypeName = 'string' | 'list' | 'hash' | 'set' | 'zset' | 'stream';

/** A non-string value. Each data type module implements it. */
export interface TypedValue {
  readonly type: Exclude<TypeName, 'string'>;
  /** OBJECT ENCODING, as Redis would answer for the same contents. */
  encoding(config: EncodingLimits): string;
  /** A deep copy (COPY). */
  clone(): TypedValue;
}

/** The encoding thresholds of CONFIG, which OBJECT ENCODING follows. */
export interface EncodingLimits {
  get(name: string): string | number | boolean | undefined;
}

export type Value = Bytes | TypedValue;

export function typeOf(value: Value): TypeName {
  return typeof value === 'string' ? 'string' : value.type;
}
