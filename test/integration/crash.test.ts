/**
 * Crash safety with `appendfsync always`: a server process takes writes from
 * a client that records every acknowledged reply, is killed with SIGKILL at
 * random moments, restarted, and must still hold every acknowledged write.
 * Bounded: UBIQUE_CRASH_KILLS kills (default 10).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, expect, it } from 'vitest';
import { freePort } from '../helpers/redis-server.js';
import { RawClient } from '../helpers/resp-client.js';

const bin = join(import.meta.dirname, '../../bin/ubique.js');
const kills = Number(process.env['UBIQUE_CRASH_KILLS'] ?? 10);
const dir = mkdtempSync(join(tmpdir(), 'ubique-crash-'));
let child: ChildProcess | undefined;

afterAll(() => {
  if (child && child.exitCode === null) child.kill('SIGKILL');
  rmSync(dir, { recursive: true, force: true });
});

function startServer(port: number): Promise<ChildProcess> {
  return new Promise((resolve, reject) => {
    const c = spawn(process.execPath, [bin, '--port', String(port), '--appendonly', 'yes', '--appendfsync', 'always', '--dir', dir], {
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    const onData = (d: Buffer) => {
      out += d;
      if (out.includes('Ready to accept connections')) resolve(c);
    };
    c.stdout!.on('data', onData);
    c.stderr!.on('data', (d) => (out += d));
    c.on('exit', (code) => reject(new Error(`server exited (${code}):\n${out}`)));
  });
}

it(`keeps every acknowledged write across ${kills} SIGKILLs`, { timeout: 120_000 }, async () => {
  const port = await freePort();
  const acked = new Map<string, string>();
  let seq = 0;
  // A tiny deterministic generator: failures replay.
  let r = 12345;
  const rand = () => ((r = (r * 1103515245 + 12345) & 0x7fffffff) / 0x7fffffff);

  for (let round = 0; round < kills; round++) {
    child = await startServer(port);
    const c = await RawClient.connect(port);
    // Everything acknowledged in earlier rounds is there.
    for (const [k, v] of acked) expect(await c.call('GET', k), `round ${round}: ${k}`).toBe(`$${v.length}\r\n${v}\r\n`);
    const killAt = Date.now() + 20 + Math.floor(rand() * 150);
    const killer = setTimeout(() => child!.kill('SIGKILL'), killAt - Date.now());
    try {
      for (;;) {
        const key = `k${seq % 500}`;
        const value = `v${seq++}`;
        const reply = await c.call('SET', key, value);
        if (reply !== '+OK\r\n') throw new Error(`unexpected reply ${reply}`);
        acked.set(key, value);
      }
    } catch {
      // The connection died with the server: whatever was in flight is unknown, not acknowledged.
    } finally {
      clearTimeout(killer);
      c.close();
    }
    await new Promise((res) => (child!.exitCode !== null || child!.signalCode !== null ? res(null) : child!.once('exit', res)));
  }
  child = await startServer(port);
  const c = await RawClient.connect(port);
  for (const [k, v] of acked) expect(await c.call('GET', k)).toBe(`$${v.length}\r\n${v}\r\n`);
  c.close();
  expect(acked.size).toBeGreaterThan(0);
});
