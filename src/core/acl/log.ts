/**
 * The ACL log: recent refusals (command, key, channel, auth), newest first.
 * A refusal like one logged in the last minute (same reason, context,
 * object and user) counts on that entry instead of adding another.
 * This module is browser compatible.
 */
export type LogReason = 'command' | 'key' | 'channel' | 'auth';

export interface LogKey {
  reason: LogReason;
  /** toplevel, multi, lua, module */
  context: string;
  object: string;
  username: string;
}

export interface LogEntry extends LogKey {
  count: number;
  entryId: number;
  createdAt: number;
  updatedAt: number;
  clientInfo: string;
}

const GROUPING_MS = 60_000;

export class AclLog {
  /** Newest first. */
  entries: LogEntry[] = [];
  private nextId = 0;

  constructor(private readonly maxLen: () => number) {}

  add(key: LogKey, now: number, clientInfo: string): void {
    const max = this.maxLen();
    for (let i = 0; i < this.entries.length && i < 10; i++) {
      const e = this.entries[i]!;
      if (e.reason === key.reason && e.context === key.context && e.object === key.object &&
        e.username === key.username && now - e.updatedAt < GROUPING_MS) {
        e.count++;
        e.updatedAt = now;
        e.clientInfo = clientInfo;
        this.entries.splice(i, 1);
        this.entries.unshift(e);
        return;
      }
    }
    this.entries.unshift({ ...key, count: 1, entryId: this.nextId++, createdAt: now, updatedAt: now, clientInfo });
    if (this.entries.length > max) this.entries.length = max;
  }

  reset(): void {
    this.entries = [];
  }
}
