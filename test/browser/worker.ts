/** The Web Worker side: the conformance scenarios against the embedded engine. */
import { open } from '../../src/browser.js';
import { runScenario } from '../conformance/run.js';
import { scenarios } from '../conformance/scenarios.js';
import { embeddedTarget } from '../conformance/targets.js';

const db = await open();
const target = embeddedTarget(db);
const out: { name: string; error?: string }[] = [];
for (const s of scenarios) {
  try {
    await runScenario(target, s);
    out.push({ name: `embedded (Chromium Web Worker): ${s.name}` });
  } catch (e) {
    out.push({ name: `embedded (Chromium Web Worker): ${s.name}`, error: e instanceof Error ? e.message : String(e) });
  }
}
await db.close();
(globalThis as unknown as { postMessage(data: unknown): void }).postMessage(out);
