/**
 * Where writes go. Standalone: apply at once and hand the entry to the
 * persistence log. Replicated (later): propose to Raft and apply on commit,
 * replying then (a Promise).
 * This module is browser compatible.
 */
import type { Bytes } from '../bytes.js';
import type { Client } from '../client.js';
import type { CommandSpec } from '../commands/types.js';
import type { Engine, Entry } from '../engine.js';
import type { Reply } from '../resp/reply.js';

export interface Replicator {
  submit(spec: CommandSpec, entry: Entry, client: Client): Reply | Promise<Reply>;
}

/** Receives what a standalone node must log (the AOF), once per applied write that changed data. */
export type WriteLog = (db: number, commands: Bytes[][]) => void;

export function standaloneReplicator(engine: Engine, log: () => WriteLog | null): Replicator {
  return {
    submit(spec, entry, client) {
      if (entry.multi !== undefined) {
        const { replies, log: commands } = engine.applyMulti(entry, client);
        const sink = log();
        if (sink !== null && commands.length > 0) sink(entry.db, [['MULTI'], ...commands, ['EXEC']]);
        return replies;
      }
      const reply = engine.apply(spec, entry, client);
      const ctx = engine.ctx;
      if (ctx.dirty > 0) {
        const sink = log();
        if (sink !== null) sink(entry.db, ctx.loggedCommands(entry.args));
      }
      return reply;
    },
  };
}
