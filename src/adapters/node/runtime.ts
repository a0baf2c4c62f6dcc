/**
 * The runtime port for Node (and Bun/Deno through their node: modules):
 * pid, memory, CPU time, OS and executable for INFO.
 * Runs in Node, Bun and Deno.
 */
import os from 'node:os';
import process from 'node:process';
import type { Runtime } from '../../core/runtime.js';
import { bufferCodec } from './buffer-codec.js';

export function nodeRuntime(configFile?: string): Runtime {
  return {
    name: 'node',
    version: process.version,
    pid: process.pid,
    os: `${os.type()} ${os.release()} ${os.machine?.() ?? process.arch}`,
    archBits: /64/.test(process.arch) ? 64 : 32,
    executable: process.execPath,
    configFile,
    hostname: os.hostname(),
    memory() {
      const m = process.memoryUsage();
      return { rss: m.rss, used: m.heapUsed + m.external };
    },
    cpu() {
      const c = process.cpuUsage();
      return { user: c.user / 1e6, system: c.system / 1e6 };
    },
    codec: bufferCodec,
    afterIo(fn) {
      setImmediate(fn);
    },
  };
}
