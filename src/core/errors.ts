/**
 * Redis's error strings, byte for byte, in one place, and the error a command
 * handler throws to answer with one of them.
 * This module is browser compatible.
 */

/** Thrown inside a command handler; becomes an error reply with this message. */
export class CommandError extends Error {
  constructor(readonly reply: string) {
    super(reply);
  }
}

export const Err = {
  syntax: 'ERR syntax error',
  wrongType: 'WRONGTYPE Operation against a key holding the wrong kind of value',
  notInteger: 'ERR value is not an integer or out of range',
  notFloat: 'ERR value is not a valid float',
  overflow: 'ERR increment or decrement would overflow',
  noSuchKey: 'ERR no such key',
  outOfRange: 'ERR index out of range',
  invalidExpire: (cmd: string) => `ERR invalid expire time in '${cmd}' command`,
  dbIndexOutOfRange: 'ERR DB index is out of range',
  invalidDbIndex: 'ERR invalid DB index',
  wrongArity: (cmd: string) => `ERR wrong number of arguments for '${cmd}' command`,
  unknownSubcommand: (sub: string, cmd: string) =>
    `ERR unknown subcommand '${sub}'. Try ${cmd.toUpperCase()} HELP.`,
  noAuth: 'NOAUTH Authentication required.',
  wrongPass: 'WRONGPASS invalid username-password pair or user is disabled.',
  sameObject: 'ERR source and destination objects are the same',
  bitOffset: 'ERR bit offset is not an integer or out of range',
  bitValue: 'ERR bit is not an integer or out of range',
  stringTooLong: 'ERR string exceeds maximum allowed size (proto-max-bulk-len)',
  positive: (what: string) => `ERR ${what} must be positive`,
  invalidCursor: 'ERR invalid cursor',
  hashNotInteger: 'ERR hash value is not an integer',
  hashNotFloat: 'ERR hash value is not a float',
  nanOrInfinity: 'ERR increment would produce NaN or Infinity',
  valueOutOfRange: 'ERR value is out of range',
  countOutOfRange: 'ERR value is out of range, value must between -9223372036854775807 and 9223372036854775807',
  mustBePositive: 'ERR value is out of range, must be positive',
  numkeysPositive: 'ERR numkeys should be greater than 0',
  numkeysTooMany: "ERR Number of keys can't be greater than number of args",
  limitNegative: "ERR LIMIT can't be negative",
  notHll: 'WRONGTYPE Key is not a valid HyperLogLog string value.',
  corruptHll: 'INVALIDOBJ Corrupted HLL object detected',
  fieldsMissing: 'ERR Mandatory argument FIELDS is missing or not at the right position',
  numFieldsPositive: 'ERR Parameter `numFields` should be greater than 0',
  numFieldsCount: 'ERR Number of fields must be a positive integer',
  numFieldsMismatch: 'ERR The `numfields` parameter must match the number of arguments',
  expireNegative: 'ERR invalid expire time, must be >= 0',
} as const;

/** Redis's message for a command it does not know. */
export function unknownCommand(args: string[]): string {
  let tail = '';
  for (let i = 1; i < args.length && tail.length < 128; i++) tail += `'${args[i]!.slice(0, 128 - tail.length)}' `;
  return `ERR unknown command '${truncateArg(args[0] ?? '')}', with args beginning with: ${tail}`;
}

function truncateArg(s: string): string {
  return s.length > 128 ? s.slice(0, 128) : s;
}

/** The library's own error: "Cannot <verb> <thing>: <reason>", with a code and cause. */
export class UbiqueError extends Error {
  constructor(readonly code: string, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'UbiqueError';
  }
}
