/**
 * The Storage port: an append-only byte log plus one snapshot blob. The AOF
 * (standalone) and, later, the Raft log both sit on it. Adapters (memory, fs,
 * IndexedDB) are factories returning objects of this shape; one contract test
 * runs against each.
 * This module is browser compatible.
 */

export interface StorageInfo {
  /** Bytes in the log. */
  logBytes: number;
  /** Bytes in the snapshot, 0 when there is none. */
  snapshotBytes: number;
}

export interface Storage {
  /** A name for messages: a file path, a database name. */
  readonly location: string;
  /** Where the snapshot lives, when that differs from `location`. */
  readonly snapshotLocation?: string;
  /** Opens (creating what is missing) and says what is there. */
  open(): Promise<StorageInfo>;
  /** Queues bytes at the end of the log (kept in memory until `flush`). */
  append(bytes: Uint8Array): void;
  /** Writes what was queued; with `sync`, returns only once it is durable (fsync). */
  flush(sync: boolean): Promise<void>;
  /** Streams the log from the start, in order, chunk by chunk. */
  readLog(onChunk: (chunk: Uint8Array) => void | Promise<void>): Promise<void>;
  /** Cuts the log to `length` bytes (a torn tail). */
  truncateLog(length: number): Promise<void>;
  /** Replaces the snapshot durably (write aside, sync, rename). */
  writeSnapshot(bytes: Uint8Array): Promise<void>;
  readSnapshot(): Promise<Uint8Array | null>;
  /** Replaces the whole log durably with `bytes` (AOF rewrite, compaction behind a snapshot). */
  replaceLog(bytes: Uint8Array): Promise<void>;
  close(): Promise<void>;
}
