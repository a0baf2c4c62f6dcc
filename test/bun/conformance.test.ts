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

suite('conformance: client over WebSocket to the Node (ws) server under Bun, on the RESP port', async () => {
  const srv = await listen({ port: 0, ws: true });
  const client = await connect(`ws://127.0.0.1:${srv.port}`);
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

test('Bun.serve refuses an origin that is not allowed with 403, plain HTTP with 426', async () => {
  const server = new Server({ logger: () => {} });
  server.start();
  const ws = serveWebSocket(server, { port: 0, allowedOrigins: ['http://ok.example'] });
  closers.push(async () => {
    await ws.close();
    await server.close();
  });
  const upgrade = { upgrade: 'websocket', connection: 'Upgrade', 'sec-websocket-version': '13', 'sec-websocket-key': 'dGhlIHNhbXBsZSBub25jZQ==' };
  const bad = await fetch(`http://127.0.0.1:${ws.port}/`, { headers: { ...upgrade, origin: 'http://evil.example' } });
  expect(bad.status).toBe(403);
  const plain = await fetch(`http://127.0.0.1:${ws.port}/`);
  expect(plain.status).toBe(426);
});

test('client in Bun: reconnects and re-subscribes after a Bun.serve server restarts', async () => {
  const start = (port: number) => {
    const server = new Server({ logger: () => {} });
    server.start();
    return { server, ws: serveWebSocket(server, { port }) };
  };
  let s = start(0);
  const port = s.ws.port;
  const client = await connect(`ws://127.0.0.1:${port}`, { reconnect: { minDelay: 20, maxDelay: 100 } });
  const got: string[] = [];
  await client.subscribe('ch', (m) => got.push(m.message));
  await s.ws.close();
  await s.server.close();
  for (let i = 0; i < 200 && client.state === 'ready'; i++) await new Promise((r) => setTimeout(r, 10));
  s = start(port);
  closers.push(async () => {
    client.close();
    await s.ws.close();
    await s.server.close();
  });
  const publisher = await connect(`ws://127.0.0.1:${port}`);
  closers.push(() => publisher.close());
  for (let i = 0; i < 200 && got.length === 0; i++) {
    await publisher.command('PUBLISH', 'ch', 'after restart');
    await new Promise((r) => setTimeout(r, 25));
  }
  expect(got[0]).toBe('after restart');
  expect(await client.command('ECHO', 'back')).toBe('back');
}, 15_000);
