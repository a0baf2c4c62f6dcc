/**
 * The runtime port for Deno: pid, version, OS and memory for INFO.
 * Runs in Deno.
 */
import type { Runtime } from '../../core/runtime.js';
import { deno } from './deno-api.js';

interface DenoFacts {
  pid: number;
  version: { deno: string };
  build: { os: string; arch: string };
  execPath?(): string;
  hostname?(): string;
  osRelease?(): string;
  memoryUsage?(): { rss: number; heapUsed: number; external: number };
}

export function denoRuntime(): Runtime {
  const d = deno() as unknown as DenoFacts;
  const tryCall = <T>(f: (() => T) | undefined): T | undefined => {
    try {
      return f?.();
    } catch {
      return undefined; // not permitted (--allow-sys) or not available
    }
  };
  const os = d.build.os === 'linux' ? 'Linux' : d.build.os === 'darwin' ? 'Darwin' : d.build.os;
  return {
    name: 'deno',
    version: d.version.deno,
    pid: d.pid,
    os: `${os} ${tryCall(d.osRelease?.bind(d)) ?? ''} ${d.build.arch}`.replace(/ {2}/, ' '),
    archBits: /64/.test(d.build.arch) ? 64 : 32,
    executable: tryCall(d.execPath?.bind(d)),
    hostname: tryCall(d.hostname?.bind(d)),
    memory() {
      const m = tryCall(d.memoryUsage?.bind(d));
      return m === undefined ? { rss: 0, used: 0 } : { rss: m.rss, used: m.heapUsed + m.external };
    },
  };
}
