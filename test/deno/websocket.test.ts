/**
 * The Deno WebSocket server's limits and the client's behaviour in Deno:
 * plain HTTP is refused with 426, an over-size message closes with 1009, and
 * the client reconnects and re-subscribes after the Deno server restarts.
 */
import { connect } from '../../src/client.js';
import { listen } from '../../src/deno.js';
import { Deno } from './deno-test.js';

function assertEquals(actual: unknown, expected: unknown): void {
  if (JSON.stringify(actual) !== JSON.stringify(expected)) throw new Error(`expected ${JSON.stringify(expected)}, got ${JSON.stringify(actual)}`);
}

async function waitFor(check: () => boolean | Promise<boolean>, what: string): Promise<void> {
  for (let i = 0; i < 200; i++) {
    if (await check()) return;
    await new Promise((r) => setTimeout(r, 25));
  }
  throw new Error(`timed out waiting for ${what}`);
}

Deno.test({
  name: 'Deno.serve: plain HTTP gets 426, an over-size message closes with 1009',
  sanitizeOps: false,
  sanitizeResources: false,
  fn: async () => {
    const srv = await listen({ port: null, wsPort: 0, ws: { maxMessageSize: 1024 } });
    try {
      const res = await fetch(`http://127.0.0.1:${srv.wsPort}/`);
      await res.body?.cancel();
      assertEquals(res.status, 426);
      const socket = new WebSocket(`ws://127.0.0.1:${srv.wsPort}`);
      await new Promise((r) => (socket.onopen = r));
      const code = await new Promise<number>((r) => {
        socket.onclose = (ev) => r(ev.code);
        socket.send(new Uint8Array(2048));
      });
      assertEquals(code, 1009);
    } finally {
      await srv.close();
    }
  },
});

Deno.test({
  name: 'client in Deno: reconnects and re-subscribes after the server restarts',
  sanitizeOps: false,
  sanitizeResources: false,
  fn: async () => {
    let srv = await listen({ port: null, wsPort: 0 });
    const port = srv.wsPort!;
    const client = await connect(`ws://127.0.0.1:${port}`, { reconnect: { minDelay: 20, maxDelay: 100 } });
    const publisher = await connect(`ws://127.0.0.1:${port}`, { reconnect: { minDelay: 20, maxDelay: 100 } });
    const got: string[] = [];
    try {
      await client.subscribe('ch', (m) => got.push(m.message));
      assertEquals(await publisher.command('PUBLISH', 'ch', 'one'), 1);
      await waitFor(() => got.length === 1, 'the first message');
      await srv.close();
      await waitFor(() => client.state !== 'ready', 'the disconnect');
      srv = await listen({ port: null, wsPort: port });
      await waitFor(async () => {
        await publisher.command('PUBLISH', 'ch', 'two').catch(() => 0);
        return got.includes('two');
      }, 'a message after the restart');
      assertEquals(await client.command('ECHO', 'back'), 'back');
    } finally {
      client.close();
      publisher.close();
      await srv.close();
    }
  },
});

Deno.test({
  name: 'INFO on a Deno server reports the Deno process',
  sanitizeOps: false,
  sanitizeResources: false,
  fn: async () => {
    const srv = await listen({ port: 0 });
    const client = await connect(`redis://127.0.0.1:${srv.port}`);
    try {
      const info = String(await client.command('INFO', 'server'));
      if (!/process_id:[1-9]/.test(info)) throw new Error(`no process_id in INFO: ${info}`);
      if (!/tcp_port:[1-9]/.test(info)) throw new Error(`no tcp_port in INFO: ${info}`);
    } finally {
      client.close();
      await srv.close();
    }
  },
});
