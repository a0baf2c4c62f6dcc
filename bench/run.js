#!/usr/bin/env node
// Benchmarks ubique against a real redis-server on loopback, then the
// embedded API in-process, then memory per key. Runs against dist/ (build
// first: `npm run bench` does). Usage:
//   node bench/run.js [--quick] [--only=server|embedded|memory] [--tests=set,get] [--pipelines=1,16]
import { spawn, spawnSync } from 'node:child_process';
import { readFileSync, existsSync } from 'node:fs';
import net from 'node:net';
import { fileURLToPath } from 'node:url';
import path from 'node:path';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const argv = process.argv.slice(2);
const flag = (name) => argv.includes(`--${name}`);
const option = (name) => argv.find((a) => a.startsWith(`--${name}=`))?.split('=')[1];
const quick = flag('quick');
const only = option('only');
const requests = Number(option('n') ?? (quick ? 20000 : 200000));
const pipelines = (option('pipelines') ?? '1,16').split(',').map(Number);
const hasTaskset = spawnSync('taskset', ['-c', '0', 'true']).status === 0;
const CLK_TCK = Number(spawnSync('getconf', ['CLK_TCK']).stdout?.toString().trim() || 100);

// redis-benchmark -t name -> the test names its --csv output uses.
const SERVER_TESTS = [
  { t: 'set', probe: ['SET', '__bench_probe', 'x'], names: ['SET'] },
  { t: 'get', probe: ['GET', '__bench_probe'], names: ['GET'] },
  { t: 'incr', probe: ['INCR', '__bench_probe_n'], names: ['INCR'] },
  { t: 'mset', probe: ['MSET', '__bench_probe', 'x'], names: ['MSET (10 keys)'] },
  { t: 'ping', probe: ['PING'], names: ['PING_INLINE', 'PING_MBULK'] },
  { t: 'lpush', probe: ['LPUSH', '__bench_probe_l', 'x'], names: ['LPUSH'] },
  { t: 'lpop', probe: ['LPOP', '__bench_probe_l'], names: ['LPOP'] },
  { t: 'sadd', probe: ['SADD', '__bench_probe_s', 'x'], names: ['SADD'] },
  { t: 'hset', probe: ['HSET', '__bench_probe_h', 'f', 'x'], names: ['HSET'] },
  { t: 'zadd', probe: ['ZADD', '__bench_probe_z', '1', 'x'], names: ['ZADD'] },
  // The LPUSH that fills the list is measured too, but only LRANGE is reported.
  { t: 'lrange_100', probe: ['LRANGE', '__bench_probe_l', '0', '99'], names: ['LRANGE_100 (first 100 elements)'] },
  // A custom command: ZRANGE of 100 members of a 100-member sorted set, filled before each run.
  {
    t: 'zrange_100',
    probe: ['ZRANGE', '__bench_probe_z', '0', '99'],
    setup: ['ZADD', 'bench:zset', ...Array.from({ length: 100 }, (_, i) => [String(i), `member:${i}`]).flat()],
    command: ['ZRANGE', 'bench:zset', '0', '99'],
    names: ['ZRANGE bench:zset 0 99'],
  },
];
const testFilter = option('tests')?.split(',');

function pinned(cpu, cmd, args) {
  return hasTaskset ? ['taskset', ['-c', String(cpu), cmd, ...args]] : [cmd, args];
}

async function freePort() {
  return new Promise((resolve, reject) => {
    const s = net.createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address();
      s.close(() => resolve(port));
    });
  });
}

function cli(port, ...args) {
  const r = spawnSync('redis-cli', ['-p', String(port), ...args], { encoding: 'utf8' });
  return (r.stdout ?? '') + (r.stderr ?? '');
}

async function waitReady(port) {
  for (let i = 0; i < 200; i++) {
    if (cli(port, 'PING').trim() === 'PONG') return;
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error(`server on port ${port} did not start`);
}

async function startServer(kind) {
  const port = await freePort();
  const [cmd, args] =
    kind === 'ubique'
      ? pinned(0, process.execPath, [path.join(root, 'bin/ubique.js'), '--port', String(port), '--loglevel', 'warning'])
      : pinned(0, 'redis-server', ['--port', String(port), '--save', '', '--appendonly', 'no', '--loglevel', 'warning']);
  const child = spawn(cmd, args, { stdio: ['ignore', 'ignore', 'inherit'] });
  await waitReady(port);
  return { kind, port, child, pid: child.pid };
}

async function stopServer(s) {
  const done = new Promise((r) => s.child.once('exit', r));
  s.child.kill('SIGTERM');
  await done;
}

function cpuSeconds(pid) {
  // Fields after the command name (which is in parentheses): utime is 14th, stime 15th overall.
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  const rest = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return (Number(rest[11]) + Number(rest[12])) / CLK_TCK;
}

function rssBytes(pid) {
  const m = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
  return m ? Number(m[1]) * 1024 : NaN;
}

function runBenchmark(port, test, pipeline) {
  const what = test.command ?? ['-t', test.t];
  const [cmd, args] = pinned(1, 'redis-benchmark', [
    '-p', String(port), '-P', String(pipeline), '-c', '50', '-n', String(requests), '--csv', ...what,
  ]);
  const r = spawnSync(cmd, args, { encoding: 'utf8' });
  const out = new Map();
  for (const line of r.stdout.split('\n')) {
    const cols = line.split('","').map((c) => c.replace(/^"|"$/g, ''));
    if (cols.length >= 2 && cols[0] !== 'test') out.set(cols[0], Number(cols[1]));
  }
  return out;
}

const fmt = (n, digits = 0) => (Number.isFinite(n) ? n.toLocaleString('en-US', { maximumFractionDigits: digits, minimumFractionDigits: digits }) : 'n/a');

function printTable(headers, rows) {
  const widths = headers.map((h, i) => Math.max(h.length, ...rows.map((r) => String(r[i]).length)));
  const line = (cells) => `| ${cells.map((c, i) => String(c).padEnd(widths[i])).join(' | ')} |`;
  console.log(line(headers));
  console.log(`| ${widths.map((w) => '-'.repeat(w)).join(' | ')} |`);
  for (const r of rows) console.log(line(r));
  console.log('');
}

async function serverPart() {
  console.log(`## Server: redis-benchmark -c 50 -n ${requests}${hasTaskset ? ' (server on CPU 0, benchmark on CPU 1)' : ''}\n`);
  const servers = [await startServer('ubique'), await startServer('redis')];
  const rows = [];
  const skipped = [];
  try {
    for (const test of SERVER_TESTS) {
      if (testFilter && !testFilter.includes(test.t)) continue;
      const unsupported = servers.filter((s) => cli(s.port, ...test.probe).startsWith('(error)') || /^ERR/.test(cli(s.port, ...test.probe)));
      if (unsupported.length > 0) {
        skipped.push(`${test.t.toUpperCase()} (errors on ${unsupported.map((s) => s.kind).join(', ')})`);
        continue;
      }
      for (const pipeline of pipelines) {
        const results = {};
        // Alternate which server goes first, so neither always runs on a warmer machine.
        const order = rows.length % 2 === 0 ? servers : [...servers].reverse();
        for (const s of order) {
          cli(s.port, 'FLUSHALL');
          if (test.setup) cli(s.port, ...test.setup);
          const cpu0 = cpuSeconds(s.pid);
          const rates = runBenchmark(s.port, test, pipeline);
          const cpu = cpuSeconds(s.pid) - cpu0;
          const total = [...rates.values()].length;
          results[s.kind] = { rates, cpuPerK: (cpu / (requests * Math.max(1, total))) * 1000 };
        }
        for (const name of test.names) {
          const u = results.ubique.rates.get(name);
          const r = results.redis.rates.get(name);
          rows.push([
            name, `-P ${pipeline}`, fmt(u), fmt(r), fmt(u / r, 2),
            fmt(results.ubique.cpuPerK * 1000, 1), fmt(results.redis.cpuPerK * 1000, 1),
            fmt(results.ubique.cpuPerK / results.redis.cpuPerK, 2),
          ]);
        }
      }
    }
  } finally {
    for (const s of servers) await stopServer(s);
  }
  printTable(
    ['test', 'pipeline', 'ubique req/s', 'redis req/s', 'ratio', 'ubique CPU ms/1k req', 'redis CPU ms/1k req', 'CPU ratio'],
    rows,
  );
  if (skipped.length > 0) console.log(`Skipped (the command errors): ${skipped.join('; ')}\n`);
}

async function embeddedPart() {
  const dist = path.join(root, 'dist/index.js');
  if (!existsSync(dist)) throw new Error('dist/ is missing: run npm run build');
  const { open } = await import(dist);
  const n = quick ? 200_000 : 2_000_000;
  const keys = Array.from({ length: 1000 }, (_, i) => `key:${i}`);
  const value = 'v'.repeat(16);
  const measure = async (label, fn) => {
    await fn(Math.min(n, 100_000)); // warm up
    const t0 = performance.now();
    const c0 = process.cpuUsage();
    await fn(n);
    const secs = (performance.now() - t0) / 1000;
    const cpu = process.cpuUsage(c0);
    const cpuSecs = (cpu.user + cpu.system) / 1e6;
    return [label, fmt((n * 2) / secs), fmt((n * 2) / cpuSecs)];
  };
  const rows = [];
  for (const timeCommands of [true, false]) {
    const db = await open({ timeCommands });
    const note = timeCommands ? '' : ' (timeCommands: false)';
    rows.push(await measure(`await db.set + await db.get${note}`, async (count) => {
      for (let i = 0; i < count; i++) {
        const k = keys[i % 1000];
        await db.set(k, value);
        await db.get(k);
      }
    }));
    rows.push(await measure(`db.sync.set + db.sync.get${note}`, (count) => {
      const s = db.sync;
      for (let i = 0; i < count; i++) {
        const k = keys[i % 1000];
        s.set(k, value);
        s.get(k);
      }
    }));
    rows.push(await measure(`db.commandSync(SET/GET)${note}`, (count) => {
      for (let i = 0; i < count; i++) {
        const k = keys[i % 1000];
        db.commandSync('SET', k, value);
        db.commandSync('GET', k);
      }
    }));
    await db.close();
  }
  rows.push(await measure('Map set + get (baseline)', (count) => {
    const m = new Map();
    let sink = 0;
    for (let i = 0; i < count; i++) {
      const k = keys[i % 1000];
      m.set(k, value);
      sink += m.get(k).length;
    }
    return sink;
  }));
  console.log(`## Embedded API, in-process (${fmt(n)} SET + ${fmt(n)} GET)\n`);
  printTable(['path', 'ops/s', 'ops per CPU-second'], rows);
}

const resp = (...args) => `*${args.length}\r\n${args.map((a) => `$${a.length}\r\n${a}\r\n`).join('')}`;

// Each fill: what is loaded (as RESP for redis-cli --pipe) and what a unit is.
function memoryFills(count) {
  const key = (prefix, i) => `${prefix}${String(i).padStart(16 - prefix.length, '0')}`; // 16 bytes
  const value = 'x'.repeat(100);
  const zsetBatch = 1000;
  return [
    {
      title: `${fmt(count)} keys of 16 bytes with 100-byte values`,
      unit: 'key',
      commands: () => Array.from({ length: count }, (_, i) => resp('SET', key('key:', i), value)),
      size: (port) => cli(port, 'DBSIZE').trim(),
    },
    {
      title: `${fmt(count)} small hashes (3 fields, 8-byte values)`,
      unit: 'hash',
      commands: () =>
        Array.from({ length: count }, (_, i) => resp('HSET', key('h:', i), 'name', 'abcdefgh', 'city', 'ijklmnop', 'n', String(i % 100000000).padStart(8, '0'))),
      size: (port) => cli(port, 'DBSIZE').trim(),
    },
    {
      title: `one sorted set of ${fmt(count)} members (16-byte members)`,
      unit: 'member',
      commands: () =>
        Array.from({ length: Math.ceil(count / zsetBatch) }, (_, b) => {
          const args = ['ZADD', 'bench:zset'];
          for (let i = b * zsetBatch; i < Math.min(count, (b + 1) * zsetBatch); i++) args.push(String(i * 1.5), key('m:', i));
          return resp(...args);
        }),
      size: (port) => cli(port, 'ZCARD', 'bench:zset').trim(),
    },
  ];
}

async function memoryPart() {
  const count = quick ? 100_000 : 1_000_000;
  for (const fill of memoryFills(count)) {
    console.log(`## Memory: ${fill.title}\n`);
    const input = Buffer.from(fill.commands().join(''), 'latin1');
    const rows = [];
    const perUnit = {};
    for (const kind of ['ubique', 'redis']) {
      const s = await startServer(kind);
      try {
        await new Promise((r) => setTimeout(r, 200));
        const before = rssBytes(s.pid);
        const r = spawnSync('redis-cli', ['-p', String(s.port), '--pipe'], { input, encoding: 'utf8', maxBuffer: 1 << 26 });
        if (!/errors: 0/.test(r.stdout)) throw new Error(`fill failed on ${kind}: ${r.stdout}${r.stderr}`);
        const size = fill.size(s.port);
        await new Promise((r) => setTimeout(r, 500));
        const after = rssBytes(s.pid);
        perUnit[kind] = (after - before) / count;
        rows.push([kind, size, fmt(before / 1048576, 1), fmt(after / 1048576, 1), fmt(perUnit[kind], 0)]);
      } finally {
        await stopServer(s);
      }
    }
    printTable(['server', fill.unit === 'member' ? 'members' : 'keys', 'RSS before MiB', 'RSS after MiB', `bytes/${fill.unit}`], rows);
    console.log(`ubique/redis bytes per ${fill.unit}: ${fmt(perUnit.ubique / perUnit.redis, 2)}\n`);
  }
}

console.log(`# ubique benchmark (${new Date().toISOString().slice(0, 10)}, ${(await import('node:os')).cpus().length} cores, node ${process.version})\n`);
if (!only || only === 'server') await serverPart();
if (!only || only === 'embedded') await embeddedPart();
if (!only || only === 'memory') await memoryPart();
