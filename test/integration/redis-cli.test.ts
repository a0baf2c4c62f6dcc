/**
 * redis-cli against a real ubique TCP server: one-shot commands, inline
 * quoting, and --pipe mass insertion (redis-cli ends the stream with an ECHO
 * of a random 20-byte marker and waits for it to come back).
 */
import { spawn, spawnSync } from 'node:child_process';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { listen, type ListeningServer } from '../../src/node.js';

let srv: ListeningServer;

beforeAll(async () => {
  srv = await listen({ port: 0 });
});

afterAll(async () => {
  await srv.close();
});

// spawnSync would block the event loop the server runs on, so run redis-cli asynchronously.
function cli(args: string[], input?: Buffer | string): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn('redis-cli', ['-p', String(srv.port), ...args]);
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString('latin1')));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString('latin1')));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code: code ?? -1, stdout, stderr }));
    child.stdin.end(input);
  });
}

function resp(args: (string | Buffer)[]): Buffer {
  const parts: Buffer[] = [Buffer.from(`*${args.length}\r\n`)];
  for (const a of args) {
    const b = Buffer.isBuffer(a) ? a : Buffer.from(a);
    parts.push(Buffer.from(`$${b.length}\r\n`), b, Buffer.from('\r\n'));
  }
  return Buffer.concat(parts);
}

describe('redis-cli', () => {
  it('is installed', () => {
    expect(spawnSync('redis-cli', ['--version']).status).toBe(0);
  });

  it('PING and friends, one command per run', async () => {
    expect((await cli(['PING'])).stdout).toBe('PONG\n');
    expect((await cli(['SET', 'greeting', 'hello world'])).stdout).toBe('OK\n');
    expect((await cli(['GET', 'greeting'])).stdout).toBe('hello world\n');
    expect((await cli(['GET', 'nothing'])).stdout).toBe('\n');
    expect((await cli(['DBSIZE'])).stdout).toBe('1\n');
    expect((await cli(['ECHO', 'a b'])).stdout).toBe('a b\n');
  });

  it('prints error replies', async () => {
    const r = await cli(['NOSUCHCMD', 'x']);
    expect(r.stdout).toMatch(/^ERR unknown command 'NOSUCHCMD', with args beginning with: 'x'/);
  });

  it('sends interactive-style lines from stdin', async () => {
    const r = await cli([], 'SET "quoted key" "a\\x41b"\nGET "quoted key"\nDEL "quoted key"\n');
    expect(r.stdout).toBe('OK\naAb\n1\n');
  });

  it('--pipe mass insertion reports every reply and no errors', async () => {
    await cli(['FLUSHALL']);
    const n = 20_000;
    const parts: Buffer[] = [];
    for (let i = 0; i < n; i++) parts.push(resp(['SET', `key:${i}`, `value:${i}`]));
    // Binary keys and values, and a large value, in the same stream.
    parts.push(resp(['SET', Buffer.from([0, 255, 13, 10]), Buffer.alloc(300_000, 0xab)]));
    const r = await cli(['--pipe'], Buffer.concat(parts));
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(new RegExp(`errors: 0, replies: ${n + 1}`));
    expect((await cli(['DBSIZE'])).stdout).toBe(`${n + 1}\n`);
    expect((await cli(['GET', 'key:12345'])).stdout).toBe('value:12345\n');
  });

  it('--pipe counts error replies', async () => {
    const input = Buffer.concat([resp(['SET', 'a', '1']), resp(['NOSUCHCMD']), resp(['GET'])]);
    const r = await cli(['--pipe'], input);
    expect(r.stdout).toMatch(/errors: 2, replies: 3/);
  });
});
