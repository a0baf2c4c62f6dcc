/**
 * Every command group, gathered into the command table.
 * This module is browser compatible.
 */
import { installAcl } from '../acl/acl.js';
import { Limits } from '../limits.js';
import type { Server } from '../server.js';
import { aclCommands } from './acl.js';
import { bitmapCommands } from './bitmaps.js';
import { connectionCommands } from './connection.js';
import { expireCommands } from './expire.js';
import { hashCommands } from './hashes.js';
import { hyperLogLogCommands } from './hyperloglog.js';
import { keyCommands } from './keys.js';
import { listCommands } from './lists.js';
import { objectCommands } from './object.js';
import { persistenceCommands } from './persistence.js';
import { pubsubCommands } from './pubsub.js';
import { installServerCommands } from './server-hooks.js';
import { serverCommands } from './server.js';
import { setCommands } from './sets.js';
import { sortCommands } from './sort.js';
import { stringCommands } from './strings.js';
import { CommandTable } from './table.js';
import { transactionCommands } from './transactions.js';
import type { CommandSpec } from './types.js';
import { zsetBlockingCommands } from './zset-blocking.js';
import { zsetCommands } from './zsets.js';

export const COMMAND_GROUPS: readonly (readonly CommandSpec[])[] = [
  connectionCommands,
  stringCommands,
  bitmapCommands,
  keyCommands,
  expireCommands,
  objectCommands,
  hashCommands,
  setCommands,
  hyperLogLogCommands,
  zsetCommands,
  transactionCommands,
  pubsubCommands,
  persistenceCommands,
  serverCommands,
  listCommands,
  sortCommands,
  zsetBlockingCommands,
  aclCommands,
];

/** Run on every new Server: groups that keep server-wide state install it here. */
export const SERVER_SETUP: readonly ((server: Server) => void)[] = [
  installAcl,
  (server) => void Limits.of(server),
  installServerCommands,
];

export function createCommandTable(): CommandTable {
  return new CommandTable(COMMAND_GROUPS);
}
