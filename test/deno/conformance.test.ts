/**
 * The conformance scenarios in Deno: the embedded engine from src/deno.ts,
 * the client over WebSocket and TCP against a Deno ubique server, and (when
 * the matrix runner passes UBIQUE_NODE_URL) against a Node ubique server.
 */
import { connect, type Client } from '../../src/client.js';
import { listen, open } from '../../src/deno.js';
import { runScenario, type Target } from '../conformance/run.js';
import { scenarios } from '../conformance/scenarios.js';
import { clientTarget, embeddedTarget } from '../conformance/targets.js';
import { Deno } from './deno-test.js';

/** One Deno test per scenario; the target is set up before the first and closed after the last. */
function suite(label: string, setup: () => Promise<{ target: Target; close(): Promise<void> | void }>) {
  let ready: ReturnType<typeof setup> | null = null;
  scenarios.forEach((s, i) => {
    Deno.test({
      name: `${label}: ${s.name}`,
      sanitizeOps: false,
      sanitizeResources: false,
      fn: async () => {
        ready ??= setup();
        const { target, close } = await ready;
        try {
          await runScenario(target, s);
        } finally {
          if (i === scenarios.length - 1) await close();
        }
      },
    });
  });
}

suite('conformance: embedded (Deno)', async () => {
  const db = await open();
  return { target: embeddedTarget(db), close: () => db.close() };
});

suite('conformance: client over WebSocket to a Deno server', async () => {
  const srv = await listen({ port: 0, wsPort: 0 });
  const client = await connect(`ws://127.0.0.1:${srv.wsPort}`);
  return { target: clientTarget(client), close: async () => { client.close(); await srv.close(); } };
});

suite('conformance: client over TCP to a Deno server', async () => {
  const srv = await listen({ port: 0 });
  const client = await connect(`redis://127.0.0.1:${srv.port}`);
  return { target: clientTarget(client), close: async () => { client.close(); await srv.close(); } };
});

const nodeUrl = Deno.env.get('UBIQUE_NODE_URL');
if (nodeUrl !== undefined) {
  suite('conformance: client over WebSocket to a Node server', async () => {
    const client: Client = await connect(nodeUrl);
    return { target: clientTarget(client), close: () => client.close() };
  });
}
