/**
 * Every command group, gathered into the command table.
 * This module is browser compatible.
 */
import { connectionCommands } from './connection.js';
import { keyCommands } from './keys.js';
import { listCommands } from './lists.js';
import { pubsubCommands } from './pubsub.js';
import { sortCommands } from './sort.js';
import { stringCommands } from './strings.js';
import { CommandTable } from './table.js';
import { transactionCommands } from './transactions.js';
import type { CommandSpec } from './types.js';

export const COMMAND_GROUPS: readonly (readonly CommandSpec[])[] = [
  connectionCommands,
  stringCommands,
  keyCommands,
  transactionCommands,
  pubsubCommands,
  listCommands,
  sortCommands,
];

export function createCommandTable(): CommandTable {
  return new CommandTable(COMMAND_GROUPS);
}
