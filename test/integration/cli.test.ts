/**
 * The `ubique` command as a user runs it: flags, a redis.conf-style file,
 * UBIQUE_* variables, bad options, the banner, graceful shutdown.
 * Runs the built CLI (npm test builds first).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { freePort } from '../helpers/redis-server.js';
import { RawClient } from '../helpers/resp-client.js';

const bin = join(import.meta.dirname, '../../bin/ubique.js');
const started: ChildProcess[] = [];

interface Run {
  child: ChildProcess;
  output: () => string;
  exited: Promise<number | null>;
}

function run(args: string[], env: Record<string, string> = {}): Run {
  const child = spawn(process.execPath, [bin, ...args], { env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  started.push(child);
  let out = '';
  child.stdout!.on('data', (d) => (out += d));
  child.stderr!.on('data', (d) => (out += d));
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  return { child, output: () => out, exited };
}

async function waitFor(r: Run, text: string, ms = 10_000): Promise<void> {
  const deadline = Date.now() + ms;
  while (!r.output().includes(text)) {
    if (r.child.exitCode !== null) throw new Error(`exited early:\n${r.output()}`);
    if (Date.now() > deadline) throw new Error(`no '${text}' in:\n${r.output()}`);
    await new Promise((res) => setTimeout(res, 25));
  }
}

afterEach(() => {
  for (const c of started.splice(0)) if (c.exitCode === null) c.kill('SIGKILL');
});

describe('ubique CLI', () => {
  it('starts with --port and --bind, prints a banner with version, port and pid, and serves RESP', async () => {
    const port = await freePort();
    const r = run(['--port', String(port), '--bind', '127.0.0.1']);
    await waitFor(r, 'Ready to accept connections');
    expect(r.output()).toMatch(new RegExp(`ubique \\d+\\.\\d+\\.\\d+ started, pid=${r.child.pid}, port=${port}`));
    const c = await RawClient.connect(port);
    expect(await c.call('SET', 'k', 'v')).toBe('+OK\r\n');
    expect(await c.call('GET', 'k')).toBe('$1\r\nv\r\n');
    c.close();
  });

  it('reads a config file first and lets flags override it', async () => {
    const [filePort, flagPort] = [await freePort(), await freePort()];
    const dir = mkdtempSync(join(tmpdir(), 'ubique-cli-'));
    const file = join(dir, 'ubique.conf');
    writeFileSync(file, `# comment\nport ${filePort}\nbind 127.0.0.1\ndatabases 4\n`);
    const r = run([file, '--port', String(flagPort)]);
    await waitFor(r, 'Ready to accept connections');
    const c = await RawClient.connect(flagPort);
    expect(await c.call('SELECT', '3')).toBe('+OK\r\n');
    expect(await c.call('SELECT', '4')).toBe('-ERR DB index is out of range\r\n');
    c.close();
  });

  it('takes UBIQUE_* environment variables beneath the flags', async () => {
    const port = await freePort();
    const r = run([], { UBIQUE_PORT: String(port), UBIQUE_DATABASES: '2' });
    await waitFor(r, 'Ready to accept connections');
    const c = await RawClient.connect(port);
    expect(await c.call('SELECT', '2')).toBe('-ERR DB index is out of range\r\n');
    c.close();
  });

  it('refuses a bad option, naming the option, the value and what is allowed', async () => {
    const r = run(['--port', 'seventy']);
    expect(await r.exited).toBe(1);
    expect(r.output()).toContain("'seventy' is not valid for 'port': expected an integer from 0 to 65535");
    const r2 = run(['--appendfsync', 'sometimes']);
    expect(await r2.exited).toBe(1);
    expect(r2.output()).toContain("'sometimes' is not valid for 'appendfsync': expected one of 'always', 'everysec', 'no'");
    const r3 = run(['--no-such-option', '1']);
    expect(await r3.exited).toBe(1);
    expect(r3.output()).toContain("Unknown option 'no-such-option'");
  });

  it('reports a port in use clearly', async () => {
    const port = await freePort();
    const a = run(['--port', String(port)]);
    await waitFor(a, 'Ready to accept connections');
    const b = run(['--port', String(port)]);
    expect(await b.exited).toBe(1);
    expect(b.output()).toContain(`port ${port} is already in use`);
  });

  it('shuts down gracefully on SIGTERM', async () => {
    const port = await freePort();
    const r = run(['--port', String(port)]);
    await waitFor(r, 'Ready to accept connections');
    r.child.kill('SIGTERM');
    expect(await r.exited).toBe(0);
    expect(r.output()).toContain('ready to exit');
  });
});
