/**
 * Every command group, gathered into the command table.
 * This module is browser compatible.
 */
import { connectionCommands } from './connection.js';
import { hashCommands } from './hashes.js';
import { hyperLogLogCommands } from './hyperloglog.js';
import { keyCommands } from './keys.js';
import { setCommands } from './sets.js';
import { stringCommands } from './strings.js';
import { CommandTable } from './table.js';
import type { CommandSpec } from './types.js';

export const COMMAND_GROUPS: readonly (readonly CommandSpec[])[] = [
  connectionCommands,
  stringCommands,
  keyCommands,
  hashCommands,
  setCommands,
  hyperLogLogCommands,
];

export function createCommandTable(): CommandTable {
  return new CommandTable(COMMAND_GROUPS);
}
