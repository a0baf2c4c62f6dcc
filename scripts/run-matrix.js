#!/usr/bin/env node
// Runs the suites outside vitest: Deno (deno test), Bun (bun test) and
// Chromium (test/browser/run.js), with a Node ubique server for their clients
// to reach (UBIQUE_NODE_URL). Parses each runner's own summary and totals it.
// Standalone: `node scripts/run-matrix.js` prints "N passed, N failed, N skipped".
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const bin = (name) => join(root, 'node_modules', '.bin', name);
const TIMEOUT_MS = 240_000;

/** Runs a command, echoing its output; resolves with { code, output }. Kills only its own child on timeout. */
function run(cmd, args, env) {
  return new Promise((resolve) => {
    const child = spawn(cmd, args, { cwd: root, env: { ...process.env, NO_COLOR: '1', FORCE_COLOR: '0', ...env } });
    let output = '';
    const take = (stream, out) => stream.on('data', (d) => {
      output += d.toString();
      out.write(d);
    });
    take(child.stdout, process.stdout);
    take(child.stderr, process.stderr);
    const timer = setTimeout(() => {
      output += `\n${cmd} timed out after ${TIMEOUT_MS / 1000} s\n`;
      child.kill('SIGKILL');
    }, TIMEOUT_MS);
    child.on('error', (e) => {
      output += `\n${e.message}\n`;
    });
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ code: code ?? 1, output: output.replace(/\x1b\[[0-9;]*m/g, '') });
    });
  });
}

function lastMatch(text, re) {
  const all = [...text.matchAll(re)];
  return all.length === 0 ? null : all[all.length - 1];
}

/** deno test closes with "ok | 39 passed | 0 failed" (or "FAILED | ..."; "| N ignored" when any). */
function parseDeno({ code, output }) {
  const m = lastMatch(output, /(?:ok|FAILED) \| (\d+) passed(?: \(\d+ steps?\))? \| (\d+) failed(?: \| (\d+) ignored)?/g);
  if (m === null) return { passed: 0, failed: 1, skipped: 0 };
  const r = { passed: Number(m[1]), failed: Number(m[2]), skipped: Number(m[3] ?? 0) };
  if (code !== 0 && r.failed === 0) r.failed = 1; // an uncaught error outside any test
  return r;
}

/** bun test closes with " 40 pass", " 0 fail" (and " N skip" when any). */
function parseBun({ code, output }) {
  const num = (word) => Number(lastMatch(output, new RegExp(`^\\s*(\\d+) ${word}$`, 'gm'))?.[1] ?? 0);
  const r = { passed: num('pass'), failed: num('fail'), skipped: num('skip') + num('todo') };
  if (code !== 0 && r.failed === 0) r.failed = 1;
  return r;
}

/** The Chromium runner closes with "N passed, N failed, N skipped". */
function parseSummary({ code, output }) {
  const m = lastMatch(output, /^(\d+) passed, (\d+) failed, (\d+) skipped$/gm);
  if (m === null) return { passed: 0, failed: 1, skipped: 0 };
  const r = { passed: Number(m[1]), failed: Number(m[2]), skipped: Number(m[3]) };
  if (code !== 0 && r.failed === 0) r.failed = 1;
  return r;
}

export async function runMatrix() {
  const totals = { passed: 0, failed: 0, skipped: 0 };
  const add = (label, r) => {
    console.log(`${label}: ${r.passed} passed, ${r.failed} failed, ${r.skipped} skipped`);
    totals.passed += r.passed;
    totals.failed += r.failed;
    totals.skipped += r.skipped;
  };

  // A Node ubique server (from the TypeScript sources, bundled by esbuild) for the other runtimes' clients.
  const harness = await import(pathToFileURL(join(root, 'test/browser/harness.js')).href);
  await harness.buildBundles();
  const { listen } = await harness.nodeServerModule();
  const srv = await listen({ port: 0, ws: true });
  const env = { UBIQUE_NODE_URL: `ws://127.0.0.1:${srv.port}` };
  try {
    if (existsSync(bin('deno'))) {
      add('deno', parseDeno(await run(bin('deno'), [
        'test', '--no-check', '--sloppy-imports', '--no-prompt', '--allow-read', '--allow-net=127.0.0.1',
        '--allow-env=UBIQUE_NODE_URL', 'test/deno/',
      ], env)));
    } else add('deno (not installed)', { passed: 0, failed: 0, skipped: 1 });

    if (existsSync(bin('bun'))) {
      add('bun', parseBun(await run(bin('bun'), ['test', '--timeout', '20000', 'test/bun/'], env)));
    } else add('bun (not installed)', { passed: 0, failed: 0, skipped: 1 });

    add('chromium', parseSummary(await run(process.execPath, ['test/browser/run.js'], env)));
  } finally {
    await srv.close();
  }
  return totals;
}

if (process.argv[1] !== undefined && fileURLToPath(import.meta.url) === process.argv[1]) {
  const t = await runMatrix();
  console.log(`${t.passed} passed, ${t.failed} failed, ${t.skipped} skipped`);
  process.exit(t.failed > 0 ? 1 : 0);
}
