/**
 * The TCP transport: replies in order under load, a slow reader paused rather
 * than buffered without bound, and connections closed on both sides.
 */
import net from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { listen, type ListeningServer } from '../../src/node.js';

let srv: ListeningServer;

beforeAll(async () => {
  srv = await listen({ port: 0 });
});

afterAll(async () => {
  await srv.close();
});

const command = (...args: string[]) => `*${args.length}\r\n${args.map((a) => `$${Buffer.byteLength(a, 'latin1')}\r\n${a}\r\n`).join('')}`;

function connect(): Promise<net.Socket> {
  return new Promise((resolve, reject) => {
    const s = net.connect({ port: srv.port, host: '127.0.0.1' }, () => resolve(s));
    s.once('error', reject);
  });
}

describe('TCP transport', () => {
  it('answers thousands of pipelined commands in order, across many reads', async () => {
    const s = await connect();
    const n = 5000;
    let request = '';
    let expected = '';
    for (let i = 0; i < n; i++) {
      request += command('ECHO', `m${i}`);
      expected += `$${String(`m${i}`).length}\r\nm${i}\r\n`;
    }
    let got = '';
    const done = new Promise<void>((resolve) =>
      s.on('data', (d: Buffer) => {
        got += d.toString('latin1');
        if (got.length >= expected.length) resolve();
      }),
    );
    // Write in odd-sized pieces so commands straddle reads.
    for (let p = 0; p < request.length; p += 997) s.write(request.slice(p, p + 997));
    await done;
    expect(got).toBe(expected);
    s.destroy();
  });

  it('stops reading from a client that does not read its replies, and catches up later', async () => {
    const s = await connect();
    const value = 'v'.repeat(1 << 20);
    s.write(command('SET', 'big', value));
    await new Promise<void>((resolve) => s.once('data', () => resolve()));
    s.pause();
    const requests = 64;
    // One request per write, so the server sees them arrive over time.
    for (let i = 0; i < requests; i++) {
      s.write(command('GET', 'big'));
      await new Promise((r) => setTimeout(r, 5));
    }
    await new Promise((r) => setTimeout(r, 100));
    // The server stopped reading at its high-water mark instead of holding all 64 MiB asked for.
    const client = [...srv.server.clients.values()].find((c) => c.info.kind === 'tcp' && c.lastCommand === 'get');
    expect(client).toBeDefined();
    const held = client!.sink!.outputBytes();
    expect(held).toBeLessThan(32 * 1024 * 1024);
    // Reading again, every reply arrives in full.
    let total = 0;
    const reply = `$${value.length}\r\n`.length + value.length + 2;
    const done = new Promise<void>((resolve) =>
      s.on('data', (d: Buffer) => {
        total += d.length;
        if (total >= reply * requests) resolve();
      }),
    );
    s.resume();
    await done;
    expect(total).toBe(reply * requests);
    s.destroy();
  });

  it('closes the connection after a protocol error reply', async () => {
    const s = await connect();
    let got = '';
    s.on('data', (d: Buffer) => (got += d.toString('latin1')));
    const closed = new Promise<void>((resolve) => s.on('close', () => resolve()));
    s.write('*1\r\n$-5\r\n');
    await closed;
    expect(got).toBe('-ERR Protocol error: invalid bulk length\r\n');
  });

  it('client-query-buffer-limit closes the connection without a reply (as redis-server 7.0 does)', async () => {
    const limited = await listen({ port: 0, config: { 'client-query-buffer-limit': '1mb' } });
    const exchange = (payload: string) =>
      new Promise<{ bytes: number; closed: boolean }>((resolve) => {
        const s = net.connect({ port: limited.port, host: '127.0.0.1' }, () => s.write(payload));
        let bytes = 0;
        s.on('data', (d: Buffer) => (bytes += d.length));
        s.on('error', () => {});
        s.on('close', () => resolve({ bytes, closed: true }));
        setTimeout(() => {
          s.destroy();
          resolve({ bytes, closed: false });
        }, 500);
      });
    try {
      const head = (n: number) => `*2\r\n$4\r\nECHO\r\n$${n}\r\n`;
      // Half of a 2 MB argument, and a whole one: closed, nothing sent back.
      expect(await exchange(head(2_000_000) + 'x'.repeat(1_500_000))).toEqual({ bytes: 0, closed: true });
      expect(await exchange(head(2_000_000) + 'x'.repeat(2_000_000) + '\r\n')).toEqual({ bytes: 0, closed: true });
      // Under the limit, and many commands that only together exceed it: answered.
      expect(await exchange(head(900_000) + 'x'.repeat(900_000) + '\r\n')).toEqual({ bytes: 900_011, closed: false });
      const many = await exchange((head(100_000) + 'x'.repeat(100_000) + '\r\n').repeat(30));
      expect(many).toEqual({ bytes: 3_000_330, closed: false });
    } finally {
      await limited.close();
    }
  });

  it('QUIT answers, then the server closes after the replies before it', async () => {
    const s = await connect();
    let got = '';
    s.on('data', (d: Buffer) => (got += d.toString('latin1')));
    const closed = new Promise<void>((resolve) => s.on('close', () => resolve()));
    s.write(command('ECHO', 'x'.repeat(300_000)) + command('QUIT') + command('PING'));
    await closed;
    expect(got).toBe(`$300000\r\n${'x'.repeat(300_000)}\r\n+OK\r\n`);
  });

  it('forgets a client whose socket closed', async () => {
    const s = await connect();
    s.write(command('PING'));
    await new Promise<void>((resolve) => s.once('data', () => resolve()));
    const before = srv.server.clients.size;
    const closed = new Promise<void>((resolve) => s.on('close', () => resolve()));
    s.end();
    await closed;
    await new Promise((r) => setTimeout(r, 50));
    expect(srv.server.clients.size).toBe(before - 1);
  });
});
