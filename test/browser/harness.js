// Shared by the Chromium test runner and the WebSocket benchmark: bundles the
// page with esbuild, serves it from 127.0.0.1, starts a Node ubique server
// from the TypeScript sources, and launches Debian's Chromium with Playwright.
import { mkdirSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import http from 'node:http';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import * as esbuild from 'esbuild';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
export const outDir = join(root, 'test-artifacts', 'browser');

export const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const CHROMIUM_ARGS = [
  '--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking',
  '--disable-component-update', '--disable-sync', '--no-first-run',
];

/** Bundles the page and worker scripts, and the Node server, into test-artifacts/browser/. */
export async function buildBundles() {
  mkdirSync(outDir, { recursive: true });
  await esbuild.build({
    entryPoints: { page: join(root, 'test/browser/entry.ts'), worker: join(root, 'test/browser/worker.ts') },
    outdir: outDir,
    bundle: true,
    format: 'esm',
    platform: 'browser',
    target: 'es2022',
    logLevel: 'warning',
  });
  await esbuild.build({
    entryPoints: { 'node-server': join(root, 'src/node.ts') },
    outdir: outDir,
    outExtension: { '.js': '.mjs' },
    bundle: true,
    format: 'esm',
    platform: 'node',
    target: 'node20',
    packages: 'external',
    logLevel: 'warning',
  });
}

/** The Node ubique server module (built by buildBundles). */
export function nodeServerModule() {
  return import(pathToFileURL(join(outDir, 'node-server.mjs')).href);
}

/** Serves the bundles on 127.0.0.1; resolves with { url, close }. */
export async function serveStatic() {
  const pages = {
    '/': ['text/html', '<!doctype html><meta charset="utf-8"><title>ubique</title><script type="module" src="/page.js"></script>'],
  };
  const srv = http.createServer(async (req, res) => {
    const path = (req.url ?? '/').split('?')[0];
    if (pages[path]) {
      res.writeHead(200, { 'content-type': pages[path][0] });
      res.end(pages[path][1]);
      return;
    }
    if (path === '/page.js' || path === '/worker.js') {
      res.writeHead(200, { 'content-type': 'text/javascript' });
      res.end(await readFile(join(outDir, path.slice(1))));
      return;
    }
    res.writeHead(404);
    res.end();
  });
  await new Promise((r) => srv.listen(0, '127.0.0.1', r));
  return {
    url: `http://127.0.0.1:${srv.address().port}`,
    close: () => new Promise((r) => srv.close(r)),
  };
}

/** Launches Chromium and opens the test page; resolves with { browser, page }. */
export async function openPage(url) {
  const { chromium } = await import('playwright-core');
  const browser = await chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS, timeout: 30_000 });
  const page = await browser.newPage();
  page.on('pageerror', (e) => console.error(`page error: ${e.message}`));
  await page.goto(url);
  await page.waitForFunction(() => globalThis.ubique !== undefined, null, { timeout: 15_000 });
  return { browser, page };
}
