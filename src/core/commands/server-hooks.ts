/**
 * What the server commands install on every server at construction: the
 * after-command hook (slowlog, latency, monitor), the INFO samplers and
 * the CLIENT PAUSE filter, and the idle-client `timeout`.
 * This module is browser compatible.
 */
import type { Server } from '../server.js';
import { clientPause } from './client-pause.js';
import { latencyMonitor } from './latency.js';
import { latencyHistograms } from './latency-histogram.js';
import { serverMetrics } from './metrics.js';
import { monitors } from './monitor.js';
import { slowlog } from './slowlog.js';

export function installServerCommands(server: Server): void {
  const log = slowlog(server);
  const latency = latencyMonitor(server);
  const mon = monitors(server);
  const histograms = latencyHistograms(server);
  serverMetrics(server);
  clientPause(server);
  server.addCronJob((now) => closeIdleClients(server, now));
  server.afterCommand((client, spec, args, usec, now) => {
    log.record(client, spec, args, usec, now);
    latency.record(client, spec, args, usec, now);
    histograms.record(spec, usec);
    if (mon.clients.size > 0) mon.feed(client, spec, args, now);
  });
}

/** Closes clients idle longer than `timeout` seconds (not subscribers, monitors or blocked clients, as in Redis). */
export function closeIdleClients(server: Server, now: number): void {
  const timeout = server.config.int('timeout');
  if (timeout <= 0) return;
  const limit = timeout * 1000;
  for (const c of server.clients.values()) {
    if (now - c.lastInteraction <= limit) continue;
    if (c.ext['subscribed'] === true || c.ext['monitor'] === true || c.ext['blocked']) continue;
    if (c.sink === undefined) continue;
    server.log('verbose', 'Closing idle client');
    c.closing = true;
    c.sink.close();
  }
}
