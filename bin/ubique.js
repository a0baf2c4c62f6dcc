#!/usr/bin/env node
// The `ubique` command. Runs the compiled CLI (built by `npm run build`, which `npm ci` runs via prepare).
import { main } from '../dist/cli.js';

const code = await main(process.argv.slice(2));
if (code >= 0) process.exit(code);
