#!/usr/bin/env node
// Runs every test suite the project has and prints one closing line:
// "N passed, N failed, N skipped", totalled over all suites.
// Usage: npm test [-- <vitest filters>]
import { spawnSync } from 'node:child_process';
import { readFileSync, mkdirSync, rmSync } from 'node:fs';

const extra = process.argv.slice(2);
const totals = { passed: 0, failed: 0, skipped: 0 };
let broken = false;

function run(cmd, args, opts = {}) {
  const r = spawnSync(cmd, args, { stdio: 'inherit', ...opts });
  return r.status ?? 1;
}

// The CLI and the package exports run from dist/, so build first.
if (run('npx', ['tsc', '-p', 'tsconfig.build.json']) !== 0) {
  console.error('build failed');
  broken = true;
}

// Vitest: unit, integration, differential, simulation.
mkdirSync('.vitest-results', { recursive: true });
const out = '.vitest-results/vitest.json';
rmSync(out, { force: true });
const status = run('npx', ['vitest', 'run', '--reporter=default', '--reporter=json', `--outputFile.json=${out}`, ...extra]);
try {
  const r = JSON.parse(readFileSync(out, 'utf8'));
  totals.passed += r.numPassedTests;
  totals.failed += r.numFailedTests;
  totals.skipped += r.numPendingTests + r.numTodoTests;
  // A file that fails to load counts as a failure even when no test in it ran.
  for (const f of r.testResults) if (f.status === 'failed' && f.assertionResults.length === 0) totals.failed++;
} catch {
  console.error('vitest produced no results');
  broken = true;
}
if (status !== 0 && totals.failed === 0) broken = true;

// Deno, Bun and Chromium (scripts/run-matrix.js); skipped when vitest filters were given.
if (extra.length === 0) {
  try {
    const { runMatrix } = await import('./run-matrix.js');
    const m = await runMatrix();
    totals.passed += m.passed;
    totals.failed += m.failed;
    totals.skipped += m.skipped;
  } catch (e) {
    console.error(`the runtime matrix failed to run: ${e instanceof Error ? e.stack : e}`);
    broken = true;
  }
}

if (broken && totals.failed === 0) totals.failed = 1;
console.log(`${totals.passed} passed, ${totals.failed} failed, ${totals.skipped} skipped`);
process.exit(totals.failed > 0 || broken ? 1 : 0);
