/**
 * A redis-benchmark smoke run against a real ubique TCP server: it must
 * complete and report rates (no timing assertions: the machine is shared).
 */
import { spawn } from 'node:child_process';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { listen, type ListeningServer } from '../../src/node.js';

let srv: ListeningServer;

beforeAll(async () => {
  srv = await listen({ port: 0 });
});

afterAll(async () => {
  await srv.close();
});

function benchmark(args: string[]): Promise<{ code: number; stdout: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn('redis-benchmark', ['-p', String(srv.port), ...args]);
    let stdout = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code: code ?? -1, stdout }));
  });
}

describe('redis-benchmark', () => {
  it('runs SET and GET to completion and prints rates', async () => {
    const r = await benchmark(['-t', 'set,get', '-n', '2000', '-q']);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/SET: [\d.]+ requests per second/);
    expect(r.stdout).toMatch(/GET: [\d.]+ requests per second/);
    // The keys it wrote are there (it uses key:__rand_int__, so at least one).
    expect(srv.server.engine.dbs[0]!.data.size).toBeGreaterThan(0);
  });

  it('runs pipelined (-P 16) with CSV output', async () => {
    const r = await benchmark(['-t', 'ping,set,get', '-n', '2000', '-P', '16', '--csv']);
    expect(r.code).toBe(0);
    const tests = r.stdout
      .trim()
      .split('\n')
      .slice(1)
      .map((line) => JSON.parse(`[${line}]`) as string[]);
    expect(tests.map((t) => t[0])).toEqual(['PING_INLINE', 'PING_MBULK', 'SET', 'GET']);
    for (const t of tests) expect(Number(t[1])).toBeGreaterThan(0);
  });
});
