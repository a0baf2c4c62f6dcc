#!/usr/bin/env node
// Benchmarks ubique against a real redis-server on loopback, then the
// embedded API in-process, then memory per key. Runs against dist/ (build
// first: `npm run bench` does). Usage:
//   node bench/run.js [--quick] [--only=server|pubsub|multi|persistence|embedded|memory] [--tests=set,get] [--pipelines=1,16]
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

/** One PING on a fresh connection: true on +PONG (not while the server is still loading). */
function ping(port) {
  return new Promise((resolve) => {
    const socket = net.connect(port, '127.0.0.1');
    let data = '';
    const done = (ok) => {
      socket.destroy();
      resolve(ok);
    };
    socket.setTimeout(1000, () => done(false));
    socket.on('error', () => done(false));
    socket.on('connect', () => socket.write('PING\r\n'));
    socket.on('data', (chunk) => {
      data += chunk.toString('latin1');
      if (data.includes('\r\n')) done(data.startsWith('+PONG'));
    });
  });
}

function cli(port, ...args) {
  const r = spawnSync('redis-cli', ['-p', String(port), ...args], { encoding: 'utf8' });
  return (r.stdout ?? '') + (r.stderr ?? '');
}

async function waitReady(port, timeoutMs = 10_000) {
  const deadline = performance.now() + timeoutMs;
  while (performance.now() < deadline) {
    if (await ping(port)) return;
    await new Promise((r) => setTimeout(r, 10));
  }
  throw new Error(`server on port ${port} did not start`);
}

async function startServer(kind, extra = ['--appendonly', 'no'], { port, readyTimeoutMs = 10_000 } = {}) {
  port ??= await freePort();
  const [cmd, args] =
    kind === 'ubique'
      ? pinned(0, process.execPath, [...(process.env.BENCH_NODE_FLAGS?.split(' ').filter(Boolean) ?? []), path.join(root, 'bin/ubique.js'), '--port', String(port), '--loglevel', 'warning', '--save', '', ...extra])
      : pinned(0, 'redis-server', ['--port', String(port), '--save', '', '--loglevel', 'warning', ...extra]);
  const started = performance.now();
  const child = spawn(cmd, args, { stdio: ['ignore', 'ignore', 'inherit'] });
  await waitReady(port, readyTimeoutMs);
  return { kind, port, child, pid: child.pid, readyMs: performance.now() - started };
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
    // Warm-up, not measured: ubique's hot path is compiled by the JIT on first use.
    for (const s of servers) {
      const [cmd, args] = pinned(1, 'redis-benchmark', ['-p', String(s.port), '-t', 'set,get,lpush,hset,zadd,ping', '-P', '16', '-c', '50', '-n', String(Math.min(requests, 100000)), '-q']);
      spawnSync(cmd, args, { encoding: 'utf8' });
    }
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
  const fills = option('fills')?.split(',');
  for (const [i, fill] of memoryFills(count).entries()) {
    if (fills && !fills.includes(String(i + 1))) continue;
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

/**
 * A small load generator for what redis-benchmark cannot send (transactions):
 * `conns` connections each keep `depth` batches in flight until `total`
 * batches are done. A batch is done when its `marker` arrives in the replies.
 */
async function load(port, { conns = 50, depth = 1, batch, marker, total }) {
  const started = performance.now();
  let sent = 0;
  let done = 0;
  await Promise.all(
    Array.from({ length: conns }, () =>
      new Promise((resolve, reject) => {
        const socket = net.connect(port, '127.0.0.1');
        socket.setNoDelay(true);
        let inFlight = 0;
        let carry = '';
        const refill = () => {
          let n = 0;
          while (inFlight < depth && sent < total) {
            inFlight++;
            sent++;
            n++;
          }
          if (n > 0) socket.write(n === 1 ? batch : Buffer.concat(Array(n).fill(batch)));
          if (inFlight === 0) {
            socket.end();
            resolve();
          }
        };
        socket.on('error', reject);
        socket.on('connect', refill);
        socket.on('data', (chunk) => {
          const text = carry + chunk.toString('latin1');
          let at = 0;
          let found = 0;
          while ((at = text.indexOf(marker, at)) !== -1) {
            found++;
            at += marker.length;
          }
          carry = text.slice(Math.max(0, text.length - marker.length + 1));
          inFlight -= found;
          done += found;
          refill();
        });
      }),
    ),
  );
  return { perSecond: done / ((performance.now() - started) / 1000) };
}

/** Subscribers on raw sockets counting the messages they receive. */
async function subscribers(port, count, channel) {
  let received = 0;
  const sockets = await Promise.all(
    Array.from({ length: count }, () =>
      new Promise((resolve, reject) => {
        const socket = net.connect(port, '127.0.0.1');
        let carry = '';
        let subscribed = false;
        socket.on('error', reject);
        socket.on('connect', () => socket.write(resp('SUBSCRIBE', channel)));
        socket.on('data', (chunk) => {
          const text = carry + chunk.toString('latin1');
          if (!subscribed && text.includes('subscribe')) {
            subscribed = true;
            resolve(socket);
          }
          let at = 0;
          while ((at = text.indexOf('$7\r\nmessage\r\n', at)) !== -1) {
            received++;
            at += 14;
          }
          carry = text.slice(Math.max(0, text.length - 13));
        });
      }),
    ),
  );
  return {
    get received() {
      return received;
    },
    close: () => sockets.forEach((s) => s.destroy()),
  };
}

async function sideBySide(title, headers, measure) {
  console.log(`## ${title}\n`);
  const rows = [];
  const servers = [await startServer('ubique'), await startServer('redis')];
  try {
    for (const s of servers) await measure(s, rows);
  } finally {
    for (const s of servers) await stopServer(s);
  }
  printTable(headers, rows);
}

async function pubsubPart() {
  const total = quick ? 10_000 : 100_000;
  const results = {};
  await sideBySide(`PUBLISH: ${fmt(total)} messages from 10 connections (16 in flight each)`, ['server', 'subscribers', 'delivered msg/s', 'ratio'], async (s, rows) => {
    // Warm up first (a JIT compiles the hot path on first use; redis-server has nothing to warm).
    const warm = await subscribers(s.port, 1, 'bench:warm');
    await load(s.port, { conns: 10, depth: 16, batch: Buffer.from(resp('PUBLISH', 'bench:warm', 'x'.repeat(16))), marker: '\r\n', total });
    warm.close();
    for (const count of [1, 100]) {
      const subs = await subscribers(s.port, count, 'bench:ch');
      const started = performance.now();
      await load(s.port, { conns: 10, depth: 16, batch: Buffer.from(resp('PUBLISH', 'bench:ch', 'x'.repeat(16))), marker: '\r\n', total });
      const deadline = performance.now() + 60_000;
      while (subs.received < total * count && performance.now() < deadline) await new Promise((r) => setTimeout(r, 5));
      const rate = subs.received / ((performance.now() - started) / 1000);
      subs.close();
      results[`${s.kind}:${count}`] = rate;
      const ratio = s.kind === 'redis' ? fmt(results[`ubique:${count}`] / rate, 2) : '';
      rows.push([s.kind, count, fmt(rate), ratio]);
    }
  });
}

async function multiPart() {
  const total = quick ? 5_000 : 50_000;
  const sets = Array.from({ length: 10 }, (_, i) => resp('SET', `bench:tx:${i}`, 'x'.repeat(16))).join('');
  const batch = Buffer.from(resp('MULTI') + sets + resp('EXEC'));
  const results = {};
  await sideBySide(`MULTI + 10 SET + EXEC: ${fmt(total)} transactions from 50 connections`, ['server', 'in flight', 'transactions/s', 'ratio'], async (s, rows) => {
    await load(s.port, { conns: 50, depth: 16, batch, marker: '*10\r\n', total }); // warm-up
    for (const depth of [1, 16]) {
      const { perSecond } = await load(s.port, { conns: 50, depth, batch, marker: '*10\r\n', total });
      results[`${s.kind}:${depth}`] = perSecond;
      rows.push([s.kind, depth, fmt(perSecond), s.kind === 'redis' ? fmt(results[`ubique:${depth}`] / perSecond, 2) : '']);
    }
  });
}

async function persistencePart() {
  const { mkdtempSync, rmSync } = await import('node:fs');
  const { tmpdir } = await import('node:os');
  const n = quick ? 20_000 : 200_000;
  console.log(`## Persistence: redis-benchmark -t set -c 50 -n ${fmt(n)} with an append-only file\n`);
  const rows = [];
  for (const fsync of ['always', 'everysec']) {
    for (const pipeline of pipelines) {
      const rates = {};
      for (const kind of ['ubique', 'redis']) {
        const dir = mkdtempSync(path.join(tmpdir(), `ubique-bench-${kind}-`));
        const s = await startServer(kind, ['--appendonly', 'yes', '--appendfsync', fsync, '--dir', dir]);
        try {
          const [cmd, args] = pinned(1, 'redis-benchmark', ['-p', String(s.port), '-t', 'set', '-P', String(pipeline), '-c', '50', '-n', String(n), '--csv']);
          const out = spawnSync(cmd, args, { encoding: 'utf8' }).stdout;
          rates[kind] = Number(/"SET","([\d.]+)"/.exec(out)?.[1]);
        } finally {
          await stopServer(s);
          rmSync(dir, { recursive: true, force: true });
        }
      }
      rows.push([`appendfsync ${fsync}`, `-P ${pipeline}`, fmt(rates.ubique), fmt(rates.redis), fmt(rates.ubique / rates.redis, 2)]);
    }
  }
  printTable(['durability', 'pipeline', 'ubique SET/s', 'redis SET/s', 'ratio'], rows);

  const count = quick ? 100_000 : 1_000_000;
  console.log(`## Loading an append-only file of ${fmt(count)} SETs (time from process start to the first PONG)\n`);
  const input = Buffer.from(Array.from({ length: count }, (_, i) => resp('SET', `key:${String(i).padStart(12, '0')}`, 'x'.repeat(100))).join(''), 'latin1');
  const loadRows = [];
  const loadMs = {};
  for (const kind of ['ubique', 'redis']) {
    const dir = mkdtempSync(path.join(tmpdir(), `ubique-bench-${kind}-`));
    const flags = ['--appendonly', 'yes', '--appendfsync', 'no', '--dir', dir];
    try {
      const empty = await startServer(kind, flags);
      const r = spawnSync('redis-cli', ['-p', String(empty.port), '--pipe'], { input, encoding: 'utf8', maxBuffer: 1 << 26 });
      if (!/errors: 0/.test(r.stdout)) throw new Error(`fill failed on ${kind}: ${r.stdout}${r.stderr}`);
      await stopServer(empty);
      const full = await startServer(kind, flags, { readyTimeoutMs: 300_000 });
      const keys = cli(full.port, 'DBSIZE').trim();
      await stopServer(full);
      loadMs[kind] = full.readyMs - empty.readyMs;
      loadRows.push([kind, keys, fmt(empty.readyMs), fmt(full.readyMs), fmt(loadMs[kind])]);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }
  printTable(['server', 'keys loaded', 'empty start ms', 'start with AOF ms', 'load ms'], loadRows);
  console.log(`ubique/redis load time: ${fmt(loadMs.ubique / loadMs.redis, 2)}\n`);
}

console.log(`# ubique benchmark (${new Date().toISOString().slice(0, 10)}, ${(await import('node:os')).cpus().length} cores, node ${process.version})\n`);
if (!only || only === 'server') await serverPart();
if (!only || only === 'pubsub') await pubsubPart();
if (!only || only === 'multi') await multiPart();
if (!only || only === 'persistence') await persistencePart();
if (!only || only === 'embedded') await embeddedPart();
if (!only || only === 'memory') await memoryPart();
