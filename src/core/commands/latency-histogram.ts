/**
 * Per-command latency distributions for LATENCY HISTOGRAM and INFO
 * latencystats, kept while `latency-tracking` is on. Buckets are powers of
 * two microseconds (Redis uses an HDR histogram; its bucket edges differ
 * slightly, e.g. 33 instead of 32).
 * This module is browser compatible.
 */
import type { Bytes } from '../bytes.js';
import { MapReply, type Reply } from '../resp/reply.js';
import type { Server } from '../server.js';
import type { CommandSpec } from './types.js';

const BUCKETS = 48;

export class LatencyHistograms {
  /** Full command name (`config|get`) -> counts per bucket (bucket i holds latencies up to 2^i usec). */
  readonly byCommand = new Map<string, Uint32Array>();
  private readonly bySpec = new Map<CommandSpec, Uint32Array>();
  private enabled: boolean;

  constructor(server: Server) {
    this.enabled = server.config.bool('latency-tracking');
    server.config.onChange((name, value) => {
      if (name === 'latency-tracking') this.enabled = value as boolean;
    });
    ((server.ext['resetStatHooks'] ??= []) as (() => void)[]).push(() => this.reset());
  }

  record(spec: CommandSpec, usec: number): void {
    if (!this.enabled) return;
    let h = this.bySpec.get(spec);
    if (h === undefined) {
      h = new Uint32Array(BUCKETS);
      this.bySpec.set(spec, h);
      this.byCommand.set(spec.parentName ? `${spec.parentName}|${spec.name}` : spec.name, h);
    }
    const b = usec <= 1 ? 0 : Math.min(BUCKETS - 1, Math.ceil(Math.log2(usec)));
    h[b]!++;
  }

  reset(): void {
    this.bySpec.clear();
    this.byCommand.clear();
  }

  /** The latency (usec) under which `percent` of the calls fell. */
  static percentile(h: Uint32Array, percent: number): number {
    let total = 0;
    for (const n of h) total += n;
    const want = Math.ceil((total * percent) / 100);
    let seen = 0;
    for (let i = 0; i < h.length; i++) {
      seen += h[i]!;
      if (seen >= want && seen > 0) return 2 ** i;
    }
    return 0;
  }

  /** LATENCY HISTOGRAM's entry for one command: calls and cumulative counts per bucket. */
  static describe(h: Uint32Array): Reply {
    let calls = 0;
    const buckets: Reply[] = [];
    for (let i = 0; i < h.length; i++) {
      if (h[i] === 0) continue;
      calls += h[i]!;
      buckets.push(2 ** i, calls);
    }
    return new MapReply(['calls', calls, 'histogram_usec', new MapReply(buckets)]);
  }

  /** INFO latencystats lines. */
  infoFields(percentiles: readonly number[]): [string, string][] {
    const out: [string, string][] = [];
    for (const [name, h] of this.byCommand) {
      const parts = percentiles.map((p) => `p${p}=${LatencyHistograms.percentile(h, p).toFixed(3)}`);
      out.push([`latency_percentiles_usec_${name}`, parts.join(',')]);
    }
    return out;
  }

  /** LATENCY HISTOGRAM [command ...]: known commands with calls, in the order asked. */
  reply(names: Bytes[]): Reply {
    const out: Reply[] = [];
    if (names.length === 0) {
      for (const [name, h] of this.byCommand) out.push(name, LatencyHistograms.describe(h));
    } else {
      for (const raw of names) {
        const name = raw.toLowerCase();
        const h = this.byCommand.get(name);
        if (h && !out.includes(name)) out.push(name, LatencyHistograms.describe(h));
      }
    }
    return new MapReply(out);
  }
}

export function latencyHistograms(server: Server): LatencyHistograms {
  return (server.ext['latencyHistograms'] ??= new LatencyHistograms(server)) as LatencyHistograms;
}
