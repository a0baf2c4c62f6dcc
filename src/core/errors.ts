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
  offsetOutOfRange: 'ERR offset is out of range',
  decrementOverflow: 'ERR decrement would overflow',
  floatNaNOrInfinity: 'ERR increment would produce NaN or Infinity',
  lcsNotStrings: 'ERR The specified keys must contain string values',
  lcsLenAndIdx: 'ERR If you want both the length and indexes, please just use IDX.',
  lcsMemory: 'ERR Insufficient memory, transient memory for LCS exceeds proto-max-bulk-len',
  bitArgument: 'ERR The bit argument must be 1 or 0.',
  bitopNotSingleKey: 'ERR BITOP NOT must be called with a single source key.',
  bitfieldType: 'ERR Invalid bitfield type. Use something like i16 u8. Note that u64 is not supported but i64 is.',
  bitfieldOverflowType: 'ERR Invalid OVERFLOW type specified',
  bitfieldReadOnly: 'ERR BITFIELD_RO only supports the GET subcommand',
  unsupportedOption: (opt: string) => `ERR Unsupported option ${opt}`,
  expireNxIncompatible: 'ERR NX and XX, GT or LT options at the same time are not compatible',
  expireGtLtIncompatible: 'ERR GT and LT options at the same time are not compatible',
  invalidCursor: 'ERR invalid cursor',
  notInt32: 'ERR value is out of range, value must between -2147483648 and 2147483647',
  invalidFirstDbIndex: 'ERR invalid first DB index',
  invalidSecondDbIndex: 'ERR invalid second DB index',
  lfuNotSelected:
    'ERR An LFU maxmemory policy is not selected, access frequency not tracked. Please note that when switching between policies at runtime LRU and LFU data will take some time to adjust.',
  lfuSelected:
    'ERR An LFU maxmemory policy is selected, idle time not tracked. Please note that when switching between policies at runtime LRU and LFU data will take some time to adjust.',
  authWithoutPassword:
    'ERR AUTH <password> called without any password configured for the default user. Are you sure your configuration is correct?',
  protocolVersion: 'ERR Protocol version is not an integer or out of range',
  noProto: 'NOPROTO unsupported protocol version',
  helloNoAuth:
    'NOAUTH HELLO must be called with the client already authenticated, otherwise the HELLO <proto> AUTH <user> <pass> option can be used to authenticate the client and select the RESP protocol version at the same time',
  badClientName: 'ERR Client names cannot contain spaces, newlines or special characters.',
  timeoutNotInteger: 'ERR timeout is not an integer or out of range',
  debugDisabled:
    "ERR DEBUG command not allowed. If the enable-debug-command option is set to \"local\", you can run it from a local connection, otherwise you need to set this option in the configuration file, and then restart the server.",
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

/** Redis's addReplySubcommandSyntaxError. */
export function subcommandSyntaxError(sub: string, cmd: string): string {
  return `ERR unknown subcommand or wrong number of arguments for '${sub}'. Try ${cmd.toUpperCase()} HELP.`;
}

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

/** Sorted sets. */
export const ZsetErr = {
  minMaxNotFloat: 'ERR min or max is not a float',
  lexRangeItem: 'ERR min or max not valid string range item',
  xxAndNx: 'ERR XX and NX options at the same time are not compatible',
  gtLtNx: 'ERR GT, LT, and/or NX options at the same time are not compatible',
  incrPair: 'ERR INCR option supports a single increment-element pair',
  nanScore: 'ERR resulting score is not a number (NaN)',
  limitNeedsBy: 'ERR syntax error, LIMIT is only supported in combination with either BYSCORE or BYLEX',
  withscoresBylex: 'ERR syntax error, WITHSCORES not supported in combination with BYLEX',
  needInputKey: (cmd: string) => `ERR at least 1 input key is needed for '${cmd}' command`,
  weightNotFloat: 'ERR weight value is not a float',
  numkeysPositive: 'ERR numkeys should be greater than 0',
  limitNegative: "ERR LIMIT can't be negative",
  countPositive: 'ERR count should be greater than 0',
  outOfRangePositive: 'ERR value is out of range, must be positive',
  valueOutOfRange: 'ERR value is out of range',
  invalidCursor: 'ERR invalid cursor',
} as const;
