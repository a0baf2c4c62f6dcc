#!/usr/bin/env node
// RESP over WebSocket against RESP over TCP: SET/GET throughput from a Node
// client with pipelining (the ubique client on both transports, the server in
// a child process), then round-trip latency from Chromium to a local server
// (p50/p99). Builds what it needs from the TypeScript sources with esbuild.
// Usage: node bench/websocket.js [--n=50000] [--batch=256] [--rounds=3] [--rtt=2000]
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath, pathToFileURL } from 'node:url';
import * as esbuild from 'esbuild';
import WebSocket from 'ws';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const option = (name, fallback) => Number(process.argv.find((a) => a.startsWith(`--${name}=`))?.split('=')[1] ?? fallback);
const N = option('n', 50_000);
const BATCH = option('batch', 256);
const RTT = option('rtt', 2000);
const ROUNDS = option('rounds', 3);

const harness = await import(pathToFileURL(join(root, 'test/browser/harness.js')).href);
await harness.buildBundles();
const clientFile = join(harness.outDir, 'client.mjs');
// Bundled code cannot load the TCP transport lazily by path, so it is passed in.
await esbuild.build({
  stdin: {
    contents: `export { connect } from './src/client.ts'; export { tcpConnector } from './src/adapters/transport/tcp-client.ts';`,
    resolveDir: root,
    loader: 'ts',
  },
  outfile: clientFile, bundle: true, format: 'esm', platform: 'node', target: 'node20', packages: 'external', logLevel: 'warning',
});
const { connect, tcpConnector } = await import(pathToFileURL(clientFile).href);

// The server runs in a child so that it does not share an event loop with the client.
const serverUrl = pathToFileURL(join(harness.outDir, 'node-server.mjs')).href;
const child = spawn(process.execPath, ['--input-type=module', '-e', `
  const { listen } = await import(${JSON.stringify(serverUrl)});
  const srv = await listen({ port: 0, ws: true });
  console.log(srv.port);
  process.stdin.resume();
  process.stdin.on('end', () => srv.close().then(() => process.exit(0)));
`], { stdio: ['pipe', 'pipe', 'inherit'] });
const port = Number(await new Promise((r) => createInterface({ input: child.stdout }).once('line', r)));

async function throughput(url, connector) {
  const client = await connect(url, { WebSocket, connector });
  const value = 'x'.repeat(16);
  const rate = async (make) => {
    const t0 = performance.now();
    for (let i = 0; i < N; i += BATCH) {
      const batch = [];
      for (let j = i; j < Math.min(N, i + BATCH); j++) batch.push(make(j));
      await Promise.all(batch);
    }
    return N / ((performance.now() - t0) / 1000);
  };
  await rate((i) => client.command('SET', `warm:${i % 1000}`, value));
  const set = await rate((i) => client.command('SET', `key:${i % 10000}`, value));
  const get = await rate((i) => client.command('GET', `key:${i % 10000}`));
  client.close();
  return { set, get };
}

const fmt = (n) => `${Math.round(n).toLocaleString('en-US')} ops/s`;
try {
  console.log(`SET/GET, ${N} requests each, pipelined in batches of ${BATCH}, 16-byte values, best of ${ROUNDS} rounds`);
  // Alternating rounds, best of each: the machine is shared and one round is noisy.
  const tcp = { set: 0, get: 0 };
  const ws = { set: 0, get: 0 };
  const best = (into, r) => {
    into.set = Math.max(into.set, r.set);
    into.get = Math.max(into.get, r.get);
  };
  for (let round = 0; round < ROUNDS; round++) {
    best(tcp, await throughput(`redis://127.0.0.1:${port}`, tcpConnector('127.0.0.1', port)));
    best(ws, await throughput(`ws://127.0.0.1:${port}`));
  }
  console.log(`  TCP        SET ${fmt(tcp.set)}   GET ${fmt(tcp.get)}`);
  console.log(`  WebSocket  SET ${fmt(ws.set)}   GET ${fmt(ws.get)}`);
  console.log(`  WebSocket / TCP: SET ${(ws.set / tcp.set).toFixed(2)}, GET ${(ws.get / tcp.get).toFixed(2)}`);

  if (existsSync(harness.CHROMIUM)) {
    const site = await harness.serveStatic();
    const { browser, page } = await harness.openPage(site.url);
    const times = await page.evaluate(([u, n]) => globalThis.ubique.latency(u, n), [`ws://127.0.0.1:${port}`, RTT]);
    await browser.close();
    await site.close();
    times.sort((a, b) => a - b);
    const pct = (p) => times[Math.min(times.length - 1, Math.floor((p / 100) * times.length))].toFixed(3);
    console.log(`Chromium -> Node server over WebSocket, ${RTT} PING round trips: p50 ${pct(50)} ms, p99 ${pct(99)} ms`);
  } else {
    console.log(`${harness.CHROMIUM} is missing: Chromium latency skipped`);
  }
} finally {
  child.stdin.end();
  const timer = setTimeout(() => child.kill('SIGKILL'), 3000);
  await new Promise((r) => child.once('exit', r));
  clearTimeout(timer);
}
