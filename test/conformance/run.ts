/**
 * Runs one conformance scenario against anything that executes commands: the
 * embedded engine or the network client, in any runtime. No test framework:
 * it throws an Error describing the first step that differs.
 */
import type { Scenario, Step } from './scenarios.js';

export interface Target {
  /** Runs a command; resolves with the JS reply or rejects with the error reply. */
  command(args: unknown[]): Promise<unknown>;
  /** Subscribes `onMessage` to a channel; resolves once subscribed. */
  subscribe(channel: string, onMessage: (channel: string, message: string) => void): Promise<void>;
  /** Runs between scenarios: back to database 0, everything flushed. */
  reset(): Promise<void>;
}

export async function runScenario(target: Target, scenario: Scenario): Promise<void> {
  await target.reset();
  const received: string[] = [];
  for (let i = 0; i < scenario.steps.length; i++) {
    const step: Step = scenario.steps[i]!;
    const where = `${scenario.name}, step ${i + 1}`;
    if (!Array.isArray(step)) {
      if ('sleep' in step) await sleep(step.sleep);
      else if ('subscribe' in step) await target.subscribe(step.subscribe, (c, m) => received.push(`${c}:${m}`));
      else await waitForMessages(received, step.messages, where);
      continue;
    }
    const args = step.slice(0, -1);
    const expected = step[step.length - 1];
    let actual: unknown;
    let error: string | null = null;
    try {
      actual = await target.command(args);
    } catch (e) {
      error = e instanceof Error ? e.message : String(e);
    }
    check(where, args, expected, actual, error);
  }
}

function check(where: string, args: unknown[], expected: unknown, actual: unknown, error: string | null): void {
  const cmd = args.map(String).join(' ');
  if (isObject(expected) && 'error' in expected) {
    if (error === null || !error.startsWith(String(expected.error))) {
      throw new Error(`${where} (${cmd}): expected error '${String(expected.error)}...', got ${error ?? show(actual)}`);
    }
    return;
  }
  if (error !== null) throw new Error(`${where} (${cmd}): expected ${show(expected)}, got error '${error}'`);
  if (isObject(expected) && 'between' in expected) {
    const [lo, hi] = expected.between as [number, number];
    if (typeof actual !== 'number' || actual < lo || actual > hi) throw new Error(`${where} (${cmd}): expected ${lo}..${hi}, got ${show(actual)}`);
    return;
  }
  if (show(actual) !== show(expected)) throw new Error(`${where} (${cmd}): expected ${show(expected)}, got ${show(actual)}`);
}

async function waitForMessages(received: string[], expected: string[], where: string): Promise<void> {
  for (let waited = 0; received.length < expected.length && waited < 2000; waited += 10) await sleep(10);
  if (show(received) !== show(expected)) throw new Error(`${where}: expected messages ${show(expected)}, got ${show(received)}`);
}

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function show(v: unknown): string {
  return JSON.stringify(v, (_k, x: unknown) => (typeof x === 'bigint' ? `${x}n` : x));
}

function sleep(ms: number): Promise<void> {
  return new Promise((r) => setTimeout(r, ms));
}
