/**
 * LATENCY: events that took at least `latency-monitor-threshold` ms (for
 * commands: 'command', or 'fast-command' for fast ones), one sample per
 * second per event, the last 160 kept.
 * This module is browser compatible.
 */
import type { Client } from '../client.js';
import type { Bytes } from '../bytes.js';
import { VerbatimReply, type Reply } from '../resp/reply.js';
import type { Server } from '../server.js';
import { helpReply } from './help.js';
import { latencyHistograms } from './latency-histogram.js';
import { command, type CommandSpec } from './types.js';

const HISTORY_LEN = 160;

interface Sample {
  time: number;
  latency: number;
}

interface EventSeries {
  samples: Sample[];
  max: number;
}

export class LatencyMonitor {
  readonly events = new Map<string, EventSeries>();
  threshold: number;

  constructor(server: Server) {
    this.threshold = server.config.int('latency-monitor-threshold');
    server.config.onChange((name, value) => {
      if (name === 'latency-monitor-threshold') this.threshold = value as number;
    });
  }

  /** Adds a sample of `ms` for `event` if monitoring is on and it reaches the threshold. */
  addSampleIfNeeded(event: string, ms: number, nowMs: number): void {
    if (this.threshold <= 0 || ms < this.threshold) return;
    const time = Math.floor(nowMs / 1000);
    let series = this.events.get(event);
    if (!series) {
      series = { samples: [], max: 0 };
      this.events.set(event, series);
    }
    const latency = Math.floor(ms);
    if (latency > series.max) series.max = latency;
    const last = series.samples[series.samples.length - 1];
    if (last && last.time === time) {
      if (latency > last.latency) last.latency = latency;
      return;
    }
    series.samples.push({ time, latency });
    if (series.samples.length > HISTORY_LEN) series.samples.shift();
  }

  record(_client: Client, spec: CommandSpec, _args: Bytes[], usec: number, now: number): void {
    if (this.threshold <= 0) return;
    this.addSampleIfNeeded(spec.flags.includes('fast') ? 'fast-command' : 'command', usec / 1000, now);
  }
}

/**
 * LATENCY DOCTOR: Redis's wording for the two common answers (monitoring
 * off, no spikes) and its per-event summary; Redis's advice section is not
 * reproduced.
 */
export function latencyDoctor(monitor: LatencyMonitor): string {
  if (monitor.threshold <= 0 && monitor.events.size === 0) {
    return 'I\'m sorry, Dave, I can\'t do that. Latency monitoring is disabled in this Redis instance. You may use "CONFIG SET latency-monitor-threshold <milliseconds>." in order to enable it. If we weren\'t in a deep space mission I\'d suggest to take a look at https://redis.io/topics/latency-monitor.\n';
  }
  if (monitor.events.size === 0) {
    return 'Dave, no latency spike was observed during the lifetime of this Redis instance, not in the slightest bit. I honestly think you ought to sit down calmly, take a stress pill, and think things over.\n';
  }
  let out = 'Dave, I have observed latency spikes in this Redis instance. You don\'t mind talking about it, do you Dave?\n\n';
  let i = 1;
  for (const [name, s] of monitor.events) {
    const n = s.samples.length;
    const avg = s.samples.reduce((a, x) => a + x.latency, 0) / n;
    const mad = s.samples.reduce((a, x) => a + Math.abs(x.latency - avg), 0) / n;
    const span = n > 1 ? (s.samples[n - 1]!.time - s.samples[0]!.time) / n : 0;
    const period = span > 0 ? span : 1;
    out += `${i++}. ${name}: ${n} latency spikes (average ${Math.round(avg)}ms, mean deviation ${Math.round(mad)}ms, period ${period.toFixed(2)} sec). Worst all time event ${s.max}ms.\n`;
  }
  return `${out}\n`;
}

export function latencyMonitor(server: Server): LatencyMonitor {
  return (server.ext['latency'] ??= new LatencyMonitor(server)) as LatencyMonitor;
}

const HELP = [
  'LATENCY <subcommand> [<arg> [value] [opt] ...]. Subcommands are:',
  'DOCTOR',
  '    Return a human readable latency analysis report.',
  'HISTORY <event>',
  '    Return time-latency samples for the <event> class.',
  'LATEST',
  '    Return the latest latency samples for all events.',
  'RESET [<event> ...]',
  '    Reset latency data of one or more <event> classes.',
  '    (default: reset all data for all event classes)',
  'HISTOGRAM [COMMAND ...]',
  '    Return a cumulative distribution of latencies in the format of a histogram for the specified command names.',
  '    If no commands are specified then all histograms are replied.',
  'HELP',
  '    Prints this help.',
];

function sub(spec: Omit<Parameters<typeof command>[0], 'group'>): CommandSpec {
  return command({ group: 'server', ...spec });
}

export const latencyCommand = command({
  name: 'latency', arity: -2, group: 'server', summary: 'A container for latency diagnostics commands.', since: '2.8.13',
  complexity: 'Depends on subcommand.',
  subcommands: [
    sub({
      name: 'latest', arity: 2, flags: ['admin', 'noscript', 'loading', 'stale'], tips: ['nondeterministic_output', 'request_policy:all_nodes', 'response_policy:special'], summary: 'Returns the latest latency samples for all events.',
      since: '2.8.13', complexity: 'O(1)',
      handler(ctx) {
        const out: Reply[] = [];
        for (const [name, s] of latencyMonitor(ctx.server).events) {
          const last = s.samples[s.samples.length - 1]!;
          out.push([name, last.time, last.latency, s.max]);
        }
        return out;
      },
    }),
    sub({
      name: 'history', arity: 3, flags: ['admin', 'noscript', 'loading', 'stale'], tips: ['nondeterministic_output', 'request_policy:all_nodes', 'response_policy:special'], summary: 'Returns timestamp-latency samples for an event.',
      since: '2.8.13', complexity: 'O(1)',
      handler(ctx, args) {
        const s = latencyMonitor(ctx.server).events.get(args[2]!);
        return s ? s.samples.map((x) => [x.time, x.latency]) : [];
      },
    }),
    sub({
      name: 'reset', arity: -2, flags: ['admin', 'noscript', 'loading', 'stale'], tips: ['request_policy:all_nodes', 'response_policy:all_succeeded'], summary: 'Resets the latency data for one or more events.',
      since: '2.8.13', complexity: 'O(1)',
      handler(ctx, args) {
        const events = latencyMonitor(ctx.server).events;
        if (args.length === 2) {
          const n = events.size;
          events.clear();
          return n;
        }
        let n = 0;
        for (let i = 2; i < args.length; i++) if (events.delete(args[i]!)) n++;
        return n;
      },
    }),
    sub({
      name: 'doctor', arity: 2, flags: ['admin', 'noscript', 'loading', 'stale'], summary: 'Returns a human-readable latency analysis report.',
      since: '2.8.13', complexity: 'O(1)', tips: ['nondeterministic_output', 'request_policy:all_nodes', 'response_policy:special'],
      handler: (ctx) => new VerbatimReply('txt', latencyDoctor(latencyMonitor(ctx.server))),
    }),
    sub({
      name: 'histogram', arity: -2, flags: ['admin', 'noscript', 'loading', 'stale'],
      summary: 'Returns the cumulative distribution of latencies of a subset or all commands.', since: '7.0.0',
      complexity: 'O(N) where N is the number of commands with latency information being retrieved.',
      tips: ['nondeterministic_output', 'request_policy:all_nodes', 'response_policy:special'],
      handler: (ctx, args) => latencyHistograms(ctx.server).reply(args.slice(2)),
    }),
    sub({
      name: 'help', arity: 2, flags: ['loading', 'stale'], summary: 'Returns helpful text about the different subcommands.',
      since: '2.8.13', complexity: 'O(1)',
      handler: () => helpReply(HELP),
    }),
  ],
});
