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
