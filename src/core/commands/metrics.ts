/**
 * Figures INFO reports that need sampling over time: instantaneous ops/sec
 * and network kbps (Redis averages 16 samples taken every 100 ms), and the
 * peak of used memory. Sampled by the server cron.
 * This module is browser compatible.
 */
import type { Server } from '../server.js';

const SAMPLES = 16;
const PERIOD_MS = 100;

class Sampler {
  private readonly samples = new Float64Array(SAMPLES);
  private index = 0;
  private lastValue = 0;
  private lastTime = -1;

  /** Records `value` (a running total) at monotonic `time` ms. */
  track(value: number, time: number): void {
    if (this.lastTime >= 0) {
      const dt = time - this.lastTime;
      if (dt < PERIOD_MS) return;
      this.samples[this.index] = ((value - this.lastValue) * 1000) / dt;
      this.index = (this.index + 1) % SAMPLES;
    }
    this.lastValue = value;
    this.lastTime = time;
  }

  /** Per second, averaged over the samples. */
  get rate(): number {
    let sum = 0;
    for (let i = 0; i < SAMPLES; i++) sum += this.samples[i]!;
    return sum / SAMPLES;
  }

  reset(): void {
    this.samples.fill(0);
    this.lastTime = -1;
  }
}

export class ServerMetrics {
  readonly ops = new Sampler();
  readonly netInput = new Sampler();
  readonly netOutput = new Sampler();
  peakMemory = 0;

  constructor(private readonly server: Server) {
    server.addCronJob(() => this.sample());
  }

  sample(): void {
    const s = this.server;
    const t = s.clock.monotonic();
    this.ops.track(s.stats.commandsProcessed, t);
    this.netInput.track(s.stats.netInputBytes, t);
    this.netOutput.track(s.stats.netOutputBytes, t);
    this.usedMemory();
  }

  /** Used memory now, also keeping the peak current. */
  usedMemory(): number {
    const used = this.server.runtime.memory?.().used ?? 0;
    if (used > this.peakMemory) this.peakMemory = used;
    return used;
  }

  reset(): void {
    this.ops.reset();
    this.netInput.reset();
    this.netOutput.reset();
    this.peakMemory = 0;
  }
}

export function serverMetrics(server: Server): ServerMetrics {
  return (server.ext['metrics'] ??= new ServerMetrics(server)) as ServerMetrics;
}
