/**
 * The options of SET and GETEX (NX, XX, GET, KEEPTTL, PERSIST, EX, PX, EXAT,
 * PXAT), accepted in the same combinations Redis accepts, and the expiry
 * argument turned into an absolute Unix time in ms as the accepting node
 * computes it (then logged as PXAT/PEXPIREAT, so replicas agree).
 * This module is browser compatible.
 */
import type { Bytes } from '../bytes.js';
import { CommandError, Err } from '../errors.js';
import { parseInt64, parseIntNumber } from './parse.js';

export const NX = 1;
export const XX = 2;
export const GET = 4;
export const KEEPTTL = 8;
export const PERSIST = 16;
export const EX = 32;
export const PX = 64;
export const EXAT = 128;
export const PXAT = 256;
const EXPIRES = EX | PX | EXAT | PXAT;
const RELATIVE = EX | PX;
const IN_SECONDS = EX | EXAT;

const INT64_MAX = 2n ** 63n - 1n;
const MAX_SECONDS = INT64_MAX / 1000n;

/** The parsed options: reused between calls (commands run one at a time). */
export const parsed = { flags: 0, expire: null as Bytes | null };

/**
 * Parses options from args[start]. SET takes NX/XX/GET/KEEPTTL, GETEX takes
 * PERSIST; both take one expiry. Anything else, a conflicting option or an
 * expiry without its value is a syntax error.
 */
export function parseSetOptions(args: Bytes[], start: number, forSet: boolean): typeof parsed {
  let flags = 0;
  let expire: Bytes | null = null;
  for (let j = start; j < args.length; j++) {
    const opt = args[j]!.toUpperCase();
    const hasNext = j + 1 < args.length;
    let bit = 0;
    let allowed = false;
    switch (opt) {
      case 'NX': bit = NX; allowed = forSet && (flags & XX) === 0; break;
      case 'XX': bit = XX; allowed = forSet && (flags & NX) === 0; break;
      case 'GET': bit = GET; allowed = forSet; break;
      case 'KEEPTTL': bit = KEEPTTL; allowed = forSet && (flags & (PERSIST | EXPIRES)) === 0; break;
      case 'PERSIST': bit = PERSIST; allowed = !forSet && (flags & (KEEPTTL | EXPIRES)) === 0; break;
      case 'EX': bit = EX; break;
      case 'PX': bit = PX; break;
      case 'EXAT': bit = EXAT; break;
      case 'PXAT': bit = PXAT; break;
    }
    if ((bit & EXPIRES) !== 0) {
      // The same expiry twice is accepted (the last wins); two different ones are not.
      allowed = hasNext && (flags & (KEEPTTL | PERSIST | (EXPIRES & ~bit))) === 0;
      if (allowed) expire = args[++j]!;
    }
    if (!allowed) throw new CommandError(Err.syntax);
    flags |= bit;
  }
  parsed.flags = flags;
  parsed.expire = expire;
  return parsed;
}

/**
 * The absolute expiry (Unix ms) for an EX/PX/EXAT/PXAT value, or Redis's
 * errors: not an integer, not positive, or beyond a 64-bit ms timestamp.
 * A bigint only when the result is past 2^53 (the logged text must be exact).
 */
export function expireAtMs(arg: Bytes, flags: number, now: number, command: string): number | bigint {
  const small = arg.length <= 15 ? parseIntNumber(arg) : null;
  if (small !== null) {
    if (small <= 0) throw new CommandError(Err.invalidExpire(command));
    let ms = (flags & IN_SECONDS) !== 0 ? small * 1000 : small;
    if ((flags & RELATIVE) !== 0) ms += now;
    if (Number.isSafeInteger(ms)) return ms;
  }
  const big = small !== null ? BigInt(small) : parseInt64(arg);
  if (big === null) throw new CommandError(Err.notInteger);
  if (big <= 0n) throw new CommandError(Err.invalidExpire(command));
  const seconds = (flags & IN_SECONDS) !== 0;
  if (seconds && big > MAX_SECONDS) throw new CommandError(Err.invalidExpire(command));
  let ms = seconds ? big * 1000n : big;
  if ((flags & RELATIVE) !== 0) ms += BigInt(now);
  if (ms > INT64_MAX) throw new CommandError(Err.invalidExpire(command));
  return ms;
}
