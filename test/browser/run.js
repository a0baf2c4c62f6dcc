#!/usr/bin/env node
// The Chromium test runner: the conformance scenarios embedded in a page and
// in a Web Worker, the client over WebSocket against a Node ubique server,
// pub/sub from ioredis to a browser subscriber (across a server restart), and
// the browser bundle's size. Prints one line per test and closes with
// "N passed, N failed, N skipped" (Chromium missing: everything skipped).
import { existsSync } from 'node:fs';
import { gzipSync } from 'node:zlib';
import * as esbuild from 'esbuild';
import { Redis } from 'ioredis';
import { buildBundles, CHROMIUM, nodeServerModule, openPage, serveStatic } from './harness.js';

const counts = { passed: 0, failed: 0, skipped: 0 };
const cleanups = [];

function report(name, error) {
  if (error === undefined) {
    counts.passed++;
    console.log(`ok - ${name}`);
  } else {
    counts.failed++;
    console.log(`not ok - ${name}\n    ${error}`);
  }
}

async function test(name, fn) {
  try {
    await fn();
    report(name);
  } catch (e) {
    report(name, e instanceof Error ? e.message : String(e));
  }
}

function record(outcomes) {
  for (const o of outcomes) report(o.name, o.error);
}

async function waitFor(fn, what, timeoutMs = 5000) {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (await fn()) return;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 25));
  }
}

async function bundleSize(entry, external = []) {
  const r = await esbuild.build({
    entryPoints: [entry],
    external,
    bundle: true,
    minify: true,
    format: 'esm',
    platform: 'browser',
    target: 'es2022',
    write: false,
    metafile: true,
    logLevel: 'error',
  });
  const code = r.outputFiles[0].contents;
  const inputs = Object.values(r.metafile.outputs)[0].inputs;
  let deps = 0;
  for (const [file, v] of Object.entries(inputs)) if (file.includes('node_modules')) deps += v.bytesInOutput;
  return { raw: code.length, gzip: gzipSync(code, { level: 9 }).length, deps };
}

async function main() {
  await buildBundles();

  await test('bundle size: embedded engine and client, minified and gzipped', async () => {
    const engine = await bundleSize('src/index.ts');
    const browser = await bundleSize('src/browser.ts');
    const client = await bundleSize('src/client.ts');
    const ownCode = await bundleSize('src/index.ts', ['zod']);
    const kb = (n) => `${(n / 1024).toFixed(1)} kB`;
    console.log(`    embedded engine (ubique): ${kb(engine.raw)} minified, ${kb(engine.gzip)} gzipped (target 60 kB); ${kb(engine.deps)} of the minified size is dependencies (zod)`);
    console.log(`    embedded engine without zod (zod external): ${kb(ownCode.raw)} minified, ${kb(ownCode.gzip)} gzipped`);
    console.log(`    browser entry, engine + client (ubique/browser): ${kb(browser.raw)} minified, ${kb(browser.gzip)} gzipped`);
    console.log(`    client alone (ubique/client): ${kb(client.raw)} minified, ${kb(client.gzip)} gzipped`);
    // A generous bound: the target is 60 kB; this only catches something pulled in by mistake.
    if (browser.gzip > 300 * 1024) throw new Error(`browser bundle is ${kb(browser.gzip)} gzipped`);
    if (client.gzip > 40 * 1024) throw new Error(`client bundle is ${kb(client.gzip)} gzipped`);
  });

  if (!existsSync(CHROMIUM)) {
    console.log(`# ${CHROMIUM} is missing: Chromium tests skipped`);
    counts.skipped += 1;
    return;
  }

  const { listen } = await nodeServerModule();
  let srv = await listen({ port: 0, ws: true });
  cleanups.push(() => srv?.close());
  const port = srv.port;
  const wsUrl = `ws://127.0.0.1:${port}`;
  const site = await serveStatic();
  cleanups.push(() => site.close());
  const { browser, page } = await openPage(site.url);
  cleanups.push(() => browser.close());

  record(await page.evaluate(() => globalThis.ubique.embedded()));
  record(await page.evaluate((u) => globalThis.ubique.worker(u), `${site.url}/worker.js`));
  record(await page.evaluate((u) => globalThis.ubique.client(u), wsUrl));

  const pub = new Redis(port, '127.0.0.1', { maxRetriesPerRequest: 1, retryStrategy: (n) => Math.min(n * 20, 200) });
  pub.on('error', () => {});
  cleanups.push(() => pub.disconnect());

  await test('pub/sub: a Chromium subscriber over WebSocket gets what ioredis publishes over TCP', async () => {
    await page.evaluate((u) => globalThis.ubique.subscribe(u, 'chat'), wsUrl);
    const n = await pub.publish('chat', 'hello browser ✓');
    if (n !== 1) throw new Error(`PUBLISH reached ${n} subscribers`);
    await waitFor(async () => (await page.evaluate(() => globalThis.ubique.received())).length === 1, 'the message');
    const got = await page.evaluate(() => globalThis.ubique.received());
    if (got[0] !== 'chat:hello browser ✓') throw new Error(`got ${JSON.stringify(got)}`);
  });

  await test('reconnect: the Chromium subscriber reconnects and re-subscribes after a server restart', async () => {
    await srv.close();
    srv = null;
    await waitFor(async () => (await page.evaluate(() => globalThis.ubique.subscriberState())) !== 'ready', 'the disconnect');
    srv = await listen({ port, ws: true });
    await waitFor(async () => {
      await pub.publish('chat', 'after restart').catch(() => 0);
      const got = await page.evaluate(() => globalThis.ubique.received());
      return got.includes('chat:after restart');
    }, 'a message after the restart', 10_000);
  });
}

const timer = setTimeout(() => {
  console.log('not ok - the Chromium suite did not finish within 180 s');
  counts.failed++;
  finish();
}, 180_000);

async function finish() {
  clearTimeout(timer);
  for (const c of cleanups.reverse()) {
    try {
      await c();
    } catch {
      // best effort
    }
  }
  console.log(`${counts.passed} passed, ${counts.failed} failed, ${counts.skipped} skipped`);
  process.exit(counts.failed > 0 ? 1 : 0);
}

main()
  .catch((e) => {
    console.log(`not ok - Chromium suite: ${e instanceof Error ? e.stack : String(e)}`);
    counts.failed++;
  })
  .then(finish);

