/**
 * IndexedDB storage in a real browser: a page bundled with esbuild runs a
 * Server whose AOF (appendfsync always) sits on the adapter; what it
 * acknowledged is back after a page reload, and a second tab of the same
 * origin is refused with STORAGE_LOCKED while the first holds the database.
 * Drives Debian's Chromium (/usr/bin/chromium) through playwright-core.
 */
import { createServer, type Server as HttpServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';
import { chromium, type Browser, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { OpenResult, PageApi } from '../fixtures/indexeddb/page.js';

const CHROMIUM = '/usr/bin/chromium';
const ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'];
const STEP_MS = 15_000;

let http: HttpServer;
let browser: Browser;
let origin: string;

beforeAll(async () => {
  const bundle = await build({
    entryPoints: [fileURLToPath(new URL('../fixtures/indexeddb/page.ts', import.meta.url))],
    bundle: true,
    write: false,
    platform: 'browser',
    format: 'esm',
    target: 'es2022',
    logLevel: 'silent',
  });
  const script = bundle.outputFiles[0]!.contents;
  const html = '<!doctype html><meta charset="utf-8"><title>ubique</title><script type="module" src="/page.js"></script>';
  http = createServer((req, res) => {
    if (req.url === '/page.js') res.writeHead(200, { 'content-type': 'text/javascript' }).end(script);
    else if (req.url === '/') res.writeHead(200, { 'content-type': 'text/html' }).end(html);
    else res.writeHead(404).end();
  });
  await new Promise<void>((resolve) => http.listen(0, '127.0.0.1', resolve));
  origin = `http://127.0.0.1:${(http.address() as AddressInfo).port}`;
  browser = await chromium.launch({ executablePath: CHROMIUM, args: ARGS, timeout: STEP_MS });
}, 60_000);

afterAll(async () => {
  await browser?.close();
  await new Promise<void>((resolve) => (http ? http.close(() => resolve()) : resolve()));
  http?.closeAllConnections();
});

async function load(page: Page): Promise<void> {
  page.setDefaultTimeout(STEP_MS);
  await page.goto(`${origin}/`);
  await page.waitForFunction(() => 'ubique' in globalThis);
}

const open = (page: Page, name: string, waitMs = 0): Promise<OpenResult> =>
  page.evaluate(([n, w]) => (globalThis as unknown as { ubique: PageApi }).ubique.open(n, w), [name, waitMs] as const);

const run = (page: Page, commands: string[][]): Promise<unknown[]> =>
  page.evaluate((c) => (globalThis as unknown as { ubique: PageApi }).ubique.run(c), commands);

const inspect = (page: Page, name: string) => page.evaluate((n) => (globalThis as unknown as { ubique: PageApi }).ubique.inspect(n), name);

const closeStorage = (page: Page): Promise<void> => page.evaluate(() => (globalThis as unknown as { ubique: PageApi }).ubique.close());

describe('IndexedDB storage in Chromium', () => {
  it('keeps acknowledged writes across a reload and keeps a second tab out', async () => {
    const context = await browser.newContext();
    try {
      const first = await context.newPage();
      await load(first);
      expect(await open(first, 'tabs')).toEqual({ ok: true });
      const writes = Array.from({ length: 50 }, (_, i) => ['SET', `key:${i}`, `value ${i}`]);
      await run(first, [...writes, ['SET', 'binary', '\x00\x01\xfe\xff\r\n'], ['INCRBY', 'counter', '7']]);
      expect(await run(first, [['INCR', 'counter']])).toEqual([8]);
      // Each turn's writes: one record, committed with strict durability.
      expect(await inspect(first, 'tabs')).toEqual({ records: 2, durabilities: ['strict', 'strict'] });

      // Same origin, while the first tab holds the database.
      const second = await context.newPage();
      await load(second);
      expect(await open(second, 'tabs')).toEqual({
        ok: false,
        code: 'STORAGE_LOCKED',
        message: "Cannot open IndexedDB storage 'tabs': another tab or worker of this origin has it open; only one writer per origin",
      });
      // Another database name is another writer's.
      expect(await open(second, 'other')).toEqual({ ok: true });
      await closeStorage(second);

      // No clean close: the reload drops the page as a crash would; replies waited for the commit.
      await first.reload();
      await first.waitForFunction(() => 'ubique' in globalThis);
      // The old document's lock is released as it goes away, which may trail the new document a little.
      expect(await open(first, 'tabs', 5_000)).toEqual({ ok: true });
      const keys = writes.map((w) => ['GET', w[1]!]);
      expect(await run(first, keys)).toEqual(writes.map((w) => w[2]));
      expect(await run(first, [['GET', 'binary'], ['GET', 'counter']])).toEqual(['\x00\x01\xfe\xff\r\n', '8']);

      // Handing over: once the first tab closes its storage, the second may open it and sees the data.
      await run(first, [['SET', 'handover', 'done']]);
      await closeStorage(first);
      expect(await open(second, 'tabs')).toEqual({ ok: true });
      expect(await run(second, [['GET', 'handover'], ['GET', 'key:49']])).toEqual(['done', 'value 49']);
      await closeStorage(second);
    } finally {
      await context.close();
    }
  }, 90_000);
});
