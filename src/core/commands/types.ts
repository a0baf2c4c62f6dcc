/**
 * Commands are data: each is declared once with its arity, flags, key
 * positions, ACL categories and handler. The table drives arity errors, ACL,
 * WATCH, replication (write or read), COMMAND and the README's
 * compatibility table.
 * This module is browser compatible.
 */
import type { Bytes } from '../bytes.js';
import type { Reply } from '../resp/reply.js';
import type { CommandContext } from '../context.js';

export type CommandFlag =
  | 'write' | 'readonly' | 'denyoom' | 'admin' | 'pubsub' | 'noscript' | 'blocking'
  | 'loading' | 'stale' | 'skip_monitor' | 'skip_slowlog' | 'fast' | 'no_auth'
  | 'may_replicate' | 'no_mandatory_keys' | 'no_multi' | 'allow_busy' | 'movablekeys';

export type Handler = (ctx: CommandContext, args: Bytes[]) => Reply;

export interface KeySpec {
  /** Position of the first key (1-based as in args; 0 when none). */
  first: number;
  /** Position of the last key; negative counts from the end (-1: the last argument). */
  last: number;
  step: number;
}

export interface CommandSpec {
  /** Lower case; a subcommand is written `container|sub` only in COMMAND output. */
  name: string;
  /** Redis's convention: N exactly, -N at least N (the name counts). */
  arity: number;
  flags: readonly CommandFlag[];
  /** Legacy (first, last, step) key positions; omitted when the command takes no keys. */
  keys?: KeySpec;
  /** For commands whose keys move (movablekeys): the indexes of the keys in args. */
  getKeys?: (args: Bytes[]) => number[];
  /** ACL categories besides those that follow from the flags, without '@'. */
  categories: readonly string[];
  /** COMMAND DOCS group: string, generic, server, connection, list, ... */
  group: string;
  summary: string;
  since: string;
  complexity?: string;
  /** Reply of the whole command; absent for containers with subcommands. */
  handler?: Handler;
  subcommands?: readonly CommandSpec[];
  /** Set by the table on subcommands: the container's name. */
  parentName?: string;
  /** Redis's command tips (COMMAND INFO): nondeterministic_output, request_policy:..., response_policy:... */
  tips?: readonly string[];
  /** Commands documented but answered with an error on purpose (say why). */
  unsupported?: string;
}

/** The parts of a CommandSpec one may leave out. */
export type CommandInput = Omit<CommandSpec, 'categories' | 'flags' | 'since'> & {
  categories?: readonly string[];
  flags?: readonly CommandFlag[];
  since?: string;
};

export function command(input: CommandInput): CommandSpec {
  return { categories: [], flags: [], since: '1.0.0', ...input };
}
