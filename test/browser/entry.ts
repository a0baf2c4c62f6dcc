/**
 * The page side of the Chromium tests, bundled with esbuild: the conformance
 * scenarios embedded in the page, in a Web Worker, and through the client
 * over WebSocket; a pub/sub subscriber for the runner to publish to.
 */
import { open } from '../../src/browser.js';
import { connect, type Client } from '../../src/client.js';
import { runScenario, type Target } from '../conformance/run.js';
import { scenarios } from '../conformance/scenarios.js';
import { clientTarget, embeddedTarget } from '../conformance/targets.js';

export interface Outcome {
  name: string;
  error?: string;
}

async function runAll(label: string, target: Target): Promise<Outcome[]> {
  const out: Outcome[] = [];
  for (const s of scenarios) {
    try {
      await runScenario(target, s);
      out.push({ name: `${label}: ${s.name}` });
    } catch (e) {
      out.push({ name: `${label}: ${s.name}`, error: e instanceof Error ? e.message : String(e) });
    }
  }
  return out;
}

let subscriber: Client | null = null;
const received: string[] = [];

const api = {
  async embedded(): Promise<Outcome[]> {
    const db = await open();
    try {
      return await runAll('embedded (Chromium page)', embeddedTarget(db));
    } finally {
      await db.close();
    }
  },
  worker(url: string): Promise<Outcome[]> {
    return new Promise((resolve, reject) => {
      const w = new Worker(url, { type: 'module' });
      w.onmessage = (ev: MessageEvent<Outcome[]>) => {
        resolve(ev.data);
        w.terminate();
      };
      w.onerror = (ev) => reject(new Error(`worker failed: ${ev.message}`));
    });
  },
  async client(url: string): Promise<Outcome[]> {
    const client = await connect(url);
    try {
      return await runAll('client over WebSocket (Chromium)', clientTarget(client));
    } finally {
      client.close();
    }
  },
  async subscribe(url: string, channel: string): Promise<void> {
    subscriber = await connect(url, { reconnect: { minDelay: 20, maxDelay: 200 } });
    await subscriber.subscribe(channel, (m) => received.push(`${m.channel}:${m.message}`));
  },
  received(): string[] {
    return received.slice();
  },
  subscriberState(): string {
    return subscriber?.state ?? 'none';
  },
  /** Round trips from the page to a server, in ms. */
  async latency(url: string, count: number): Promise<number[]> {
    const client = await connect(url);
    const times: number[] = [];
    for (let i = 0; i < count; i++) {
      const t0 = performance.now();
      await client.command('PING');
      times.push(performance.now() - t0);
    }
    client.close();
    return times;
  },
};

(globalThis as unknown as { ubique: typeof api }).ubique = api;
