/**
 * The conformance scenarios in Bun: the embedded engine, the client over
 * WebSocket to a Bun.serve ubique server, the client over TCP to the Node
 * (node:net) server running under Bun, and (when the matrix runner passes
 * UBIQUE_NODE_URL) the client over WebSocket to a Node ubique server.
 */
import { afterAll, expect, test } from 'bun:test';
import { serveWebSocket } from '../../src/adapters/bun/websocket.js';
import { connect } from '../../src/client.js';
import { open, Server } from '../../src/index.js';
import { listen } from '../../src/node.js';
import { runScenario, type Target } from '../conformance/run.js';
import { scenarios } from '../conformance/scenarios.js';
import { clientTarget, embeddedTarget } from '../conformance/targets.js';

const closers: (() => unknown)[] = [];
afterAll(async () => {
  for (const c of closers.reverse()) await c();
});

function suite(label: string, setup: () => Promise<Target>) {
  let ready: Promise<Target> | null = null;
  for (const s of scenarios) {
    test(`${label}: ${s.name}`, async () => {
      ready ??= setup();
      await runScenario(await ready, s);
    });
  }
}

suite('conformance: embedded (Bun)', async () => {
  const db = await open();
  closers.push(() => db.close());
  return embeddedTarget(db);
});

suite('conformance: client over WebSocket to a Bun.serve server', async () => {
  const server = new Server({ logger: () => {} });
  server.start();
  const ws = serveWebSocket(server, { port: 0 });
  const client = await connect(`ws://127.0.0.1:${ws.port}`);
  closers.push(async () => {
    client.close();
    await ws.close();
    await server.close();
  });
  return clientTarget(client);
});

suite('conformance: client over TCP to the node:net server under Bun', async () => {
  const srv = await listen({ port: 0 });
  const client = await connect(`redis://127.0.0.1:${srv.port}`);
  closers.push(async () => {
    client.close();
    await srv.close();
  });
  return clientTarget(client);
});

const nodeUrl = process.env['UBIQUE_NODE_URL'];
if (nodeUrl !== undefined) {
  suite('conformance: client over WebSocket to a Node server', async () => {
    const client = await connect(nodeUrl);
    closers.push(() => client.close());
    return clientTarget(client);
  });
}

test('Bun.serve closes a connection whose message is too big with 1009', async () => {
  const server = new Server({ logger: () => {} });
  server.start();
  const ws = serveWebSocket(server, { port: 0, maxMessageSize: 1024, allowedOrigins: ['http://ok.example'] });
  closers.push(async () => {
    await ws.close();
    await server.close();
  });
  const socket = new WebSocket(`ws://127.0.0.1:${ws.port}`);
  await new Promise((r) => (socket.onopen = r));
  const code = await new Promise<number>((r) => {
    socket.onclose = (ev) => r(ev.code);
    socket.send(new Uint8Array(2048));
  });
  expect(code).toBe(1009);
});
