#!/usr/bin/env node
// Writes the README's command table (between <!-- commands:start --> and
// <!-- commands:end -->) from the command table in dist/ (run `npm run build`
// first; `npm run gen` does both). Usage: node scripts/gen-compat.js [--check]
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const { createCommandTable } = await import(path.join(root, 'dist/core/commands/index.js'));

const START = '<!-- commands:start -->';
const END = '<!-- commands:end -->';

const escape = (s) => String(s ?? '').replace(/\|/g, '\\|').replace(/\n/g, ' ');

function rows(spec, parent) {
  const name = parent ? `${parent.name.toUpperCase()} ${spec.name.toUpperCase()}` : spec.name.toUpperCase();
  const supported = spec.unsupported ? `no (${spec.unsupported})` : 'yes';
  const out = [[`\`${name}\``, spec.group ?? parent?.group ?? '', escape(spec.summary), spec.since ?? '', supported]];
  for (const sub of [...(spec.subcommands ?? [])].sort((a, b) => a.name.localeCompare(b.name))) out.push(...rows(sub, spec));
  return out;
}

const specs = createCommandTable().all().sort((a, b) => a.group.localeCompare(b.group) || a.name.localeCompare(b.name));
const table = specs.flatMap((s) => rows(s));
const supportedCount = table.filter((r) => r[4] === 'yes').length;
const lines = [
  START,
  `${supportedCount} of ${table.length} listed commands and subcommands are supported. Generated from the command table by \`npm run gen\`.`,
  '',
  '| command | group | summary | since | supported |',
  '| --- | --- | --- | --- | --- |',
  ...table.map((r) => `| ${r.join(' | ')} |`),
  END,
];

const readmePath = path.join(root, 'README.md');
const readme = readFileSync(readmePath, 'utf8');
const a = readme.indexOf(START);
const b = readme.indexOf(END);
if (a === -1 || b === -1 || b < a) throw new Error(`README.md lacks the ${START} ... ${END} markers`);
const next = readme.slice(0, a) + lines.join('\n') + readme.slice(b + END.length);
if (process.argv.includes('--check')) {
  if (next !== readme) {
    console.error('README command table is stale: run npm run gen');
    process.exit(1);
  }
} else {
  writeFileSync(readmePath, next);
  console.log(`gen-compat: ${table.length} rows -> README.md`);
}
