/**
 * The runtime port: facts about the host process that the core cannot read
 * without runtime APIs (pid, memory, CPU time, OS). Each entry point supplies
 * what its runtime knows; a missing method means "unknown" and INFO reports 0.
 * This module is browser compatible.
 */
import type { ByteCodec } from './bytes.js';

export interface MemoryFacts {
  /** Resident set size in bytes. */
  rss: number;
  /** Bytes used by the JavaScript heap and buffers (INFO used_memory). */
  used: number;
}

export interface CpuFacts {
  /** Seconds of CPU time in user and system mode. */
  user: number;
  system: number;
}

export interface Runtime {
  /** 'node', 'deno', 'bun', 'browser', ... */
  readonly name: string;
  readonly version?: string;
  readonly pid?: number;
  /** As `uname -s -r -m` prints it: "Linux 6.1.0 x86_64". */
  readonly os?: string;
  readonly archBits?: number;
  readonly executable?: string;
  readonly configFile?: string;
  readonly hostname?: string;
  memory?(): MemoryFacts;
  cpu?(): CpuFacts;
  /** CPU time of the children (child_cpu in INFO); usually zero. */
  childCpu?(): CpuFacts;
  /**
   * Runs `fn` once the I/O callbacks now due have all run (Node: setImmediate).
   * Messages pushed to a subscriber while several publishers' reads are handled
   * then leave in one write, as Redis writes once per event-loop turn.
   * Without it, a microtask is used (one write per publishing read).
   */
  afterIo?(fn: () => void): void;
  /** The runtime's fastest conversion between bytes and binary strings (Node: Buffer's latin1). */
  codec?: ByteCodec;
}

/** What a runtime without process facts (a browser tab) reports. */
export const unknownRuntime: Runtime = { name: 'unknown', archBits: 64 };
