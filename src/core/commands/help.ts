/**
 * The reply of every container's HELP subcommand: its lines as status
 * replies, as Redis's addReplyHelp sends them.
 * This module is browser compatible.
 */
import { SimpleString, type Reply } from '../resp/reply.js';

export function helpReply(lines: readonly string[]): Reply {
  return lines.map((l) => new SimpleString(l));
}
