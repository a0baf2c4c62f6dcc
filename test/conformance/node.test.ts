/**
 * The conformance scenarios in Node: embedded, and through the client over
 * WebSocket and TCP against the Node server.
 */
import { afterAll, beforeAll, describe, it } from 'vitest';
import WebSocket from 'ws';
import { connect, type Client } from '../../src/client.js';
import { open, type Db } from '../../src/index.js';
import { listen, type ListeningServer } from '../../src/node.js';
import { runScenario, type Target } from './run.js';
import { scenarios } from './scenarios.js';
import { clientTarget, embeddedTarget } from './targets.js';

let db: Db;
let srv: ListeningServer;
let overWs: Client;
let overTcp: Client;

beforeAll(async () => {
  db = await open();
  srv = await listen({ port: 0, ws: true });
  overWs = await connect(`ws://127.0.0.1:${srv.port}`, { WebSocket: WebSocket as never });
  overTcp = await connect(`redis://127.0.0.1:${srv.port}`);
});

afterAll(async () => {
  overWs.close();
  overTcp.close();
  await srv.close();
  await db.close();
});

// One target per suite: it remembers the subscriptions to end before the next scenario.
function suite(name: string, target: () => Target) {
  describe(name, () => {
    let t: Target;
    beforeAll(() => {
      t = target();
    });
    for (const s of scenarios) it(s.name, () => runScenario(t, s));
  });
}

suite('conformance: embedded (Node)', () => embeddedTarget(db));
suite('conformance: client over WebSocket (Node)', () => clientTarget(overWs));
suite('conformance: client over TCP (Node)', () => clientTarget(overTcp));
