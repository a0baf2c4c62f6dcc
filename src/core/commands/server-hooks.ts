/**
 * What the server commands install on every server at construction: the
 * after-command hook (slowlog, latency, monitor), the INFO samplers and
 * the CLIENT PAUSE filter.
 * This module is browser compatible.
 */
import type { Server } from '../server.js';
import { clientPause } from './client-pause.js';
import { latencyMonitor } from './latency.js';
import { serverMetrics } from './metrics.js';
import { monitors } from './monitor.js';
import { slowlog } from './slowlog.js';

export function installServerCommands(server: Server): void {
  const log = slowlog(server);
  const latency = latencyMonitor(server);
  const mon = monitors(server);
  serverMetrics(server);
  clientPause(server);
  server.afterCommand((client, spec, args, usec, now) => {
    log.record(client, spec, args, usec, now);
    latency.record(client, spec, args, usec, now);
    if (mon.clients.size > 0) mon.feed(client, spec, args, now);
  });
}
