/**
 * Differential scenarios: plain-text files of commands run against ubique
 * and a real redis-server; the raw replies must be equal byte for byte.
 *
 * File format (test/diff/scenarios/*.txt):
 *   # a comment
 *   === scenario name          starts a scenario (fresh connection, FLUSHALL, RESP2)
 *   SET k "a b"                a command, split like an inline command (quotes, \x escapes)
 *   sort: SMEMBERS s           compare with the aggregate's elements sorted
 *   ignore: DEBUG SLEEP 0      run on both, do not compare the reply
 *   approx: TTL k              integers may differ by 1 (time passes between servers)
 *   raw: "*1\r\n$4\r\nPING\r\n"  send bytes as they are (escapes as in double quotes)
 *   closed:                    the server must have closed the connection
 */
import { readFileSync } from 'node:fs';
import { splitInline } from '../../src/core/resp/decoder.js';
import { RawClient, splitAggregate } from './resp-client.js';

export interface Step {
  mode: 'cmd' | 'sort' | 'ignore' | 'approx' | 'raw' | 'closed';
  args: string[];
  line: number;
  text: string;
}

export interface Scenario {
  name: string;
  steps: Step[];
}

export function parseScenarios(text: string): Scenario[] {
  const out: Scenario[] = [];
  let cur: Scenario | null = null;
  text.split('\n').forEach((rawLine, i) => {
    const line = rawLine.trim();
    if (line === '' || line.startsWith('#')) return;
    if (line.startsWith('===')) {
      cur = { name: line.slice(3).trim(), steps: [] };
      out.push(cur);
      return;
    }
    if (cur === null) throw new Error(`line ${i + 1}: a command before the first '=== name'`);
    const m = /^(sort|ignore|approx|raw|closed):\s*(.*)$/.exec(line);
    const mode = (m ? m[1] : 'cmd') as Step['mode'];
    const rest = m ? m[2]! : line;
    // Lines are UTF-8 text; arguments are bytes.
    const bytes = Buffer.from(rest, 'utf8').toString('latin1');
    (cur as Scenario).steps.push({ mode, args: mode === 'closed' ? [] : splitInline(bytes), line: i + 1, text: line });
  });
  return out;
}

export function loadScenarios(path: string): Scenario[] {
  return parseScenarios(readFileSync(path, 'utf8'));
}

function normalize(step: Step, reply: string): string {
  if (step.mode === 'sort') {
    const agg = splitAggregate(reply);
    if (agg) return agg.header + [...agg.items].sort().join('');
  }
  return reply;
}

async function runOn(port: number, sc: Scenario): Promise<string[]> {
  const c = await RawClient.connect(port);
  try {
    await c.call('FLUSHALL');
    const replies: string[] = [];
    for (const step of sc.steps) {
      if (step.mode === 'closed') {
        replies.push((await c.waitClosed()) ? '<closed>' : '<open>');
        continue;
      }
      let reply: string;
      try {
        if (step.mode === 'raw') {
          c.write(step.args.join(''));
          reply = await c.next(2000);
        } else {
          reply = await c.call(...step.args);
        }
      } catch (e) {
        reply = `<${(e as Error).message}>`;
      }
      replies.push(normalize(step, reply));
    }
    return replies;
  } finally {
    c.close();
  }
}

export interface Mismatch {
  step: Step;
  ubique: string;
  redis: string;
}

/** Runs a scenario on both servers; returns the steps whose replies differ. */
export async function compareScenario(ubiquePort: number, redisPort: number, sc: Scenario): Promise<Mismatch[]> {
  const [a, b] = [await runOn(ubiquePort, sc), await runOn(redisPort, sc)];
  const out: Mismatch[] = [];
  sc.steps.forEach((step, i) => {
    if (step.mode === 'ignore') return;
    if (a[i] === b[i]) return;
    if (step.mode === 'approx' && /^:-?\d+\r\n$/.test(a[i]!) && /^:-?\d+\r\n$/.test(b[i]!)) {
      if (Math.abs(Number(a[i]!.slice(1)) - Number(b[i]!.slice(1))) <= 1) return;
    }
    out.push({ step, ubique: a[i]!, redis: b[i]! });
  });
  return out;
}

export function describeMismatches(m: Mismatch[]): string {
  return m
    .map((x) => `line ${x.step.line}: ${x.step.text}\n  ubique: ${JSON.stringify(x.ubique)}\n  redis:  ${JSON.stringify(x.redis)}`)
    .join('\n');
}
