/**
 * Protected mode: with no password on the default user, only loopback
 * clients are served; others get Redis's DENIED explanation and are closed.
 * The real-socket check binds 0.0.0.0 and connects from this machine's
 * first non-loopback IPv4 address; the decision itself is also checked with
 * fake remote addresses so it is covered on machines without one.
 */
import net from 'node:net';
import os from 'node:os';
import { afterEach, describe, expect, it } from 'vitest';
import { PROTECTED_MODE_DENIED, admissionRefusal } from '../../src/core/limits.js';
import { Server } from '../../src/core/server.js';
import { listen, type ListeningServer } from '../../src/node.js';
import { RawClient } from '../helpers/resp-client.js';

let srv: ListeningServer | undefined;
afterEach(async () => {
  await srv?.close();
  srv = undefined;
});

function externalIPv4(): string | undefined {
  for (const list of Object.values(os.networkInterfaces())) {
    for (const a of list ?? []) if (a.family === 'IPv4' && !a.internal) return a.address;
  }
  return undefined;
}

/** Connects to `host` from `host` (so the server sees a non-loopback peer) and returns all it receives. */
function exchange(port: number, host: string, send: string): Promise<string> {
  return new Promise((resolve) => {
    const s = net.connect({ port, host, localAddress: host }, () => s.write(send));
    let data = '';
    s.on('data', (d) => (data += d.toString('latin1')));
    s.on('error', () => {});
    s.on('close', () => resolve(data));
  });
}

describe('protected mode decision', () => {
  it('refuses non-loopback peers only while the default user has no password', () => {
    const server = new Server({ logger: () => undefined, config: { bind: '* -::*' } });
    const remote = server.connect({ addr: '203.0.113.9:4000', kind: 'tcp' });
    const local = server.connect({ addr: '127.0.0.1:4000', kind: 'tcp' });
    const local6 = server.connect({ addr: '::1:4000', kind: 'tcp' });
    const mapped = server.connect({ addr: '::ffff:127.0.0.1:4000', kind: 'tcp' });
    expect(admissionRefusal(server, remote)).toBe(PROTECTED_MODE_DENIED);
    expect(admissionRefusal(server, local)).toBe(null);
    expect(admissionRefusal(server, local6)).toBe(null);
    expect(admissionRefusal(server, mapped)).toBe(null);
    server.config.set('requirepass', 'pw');
    expect(admissionRefusal(server, remote)).toBe(null);
    server.config.set('requirepass', '');
    server.config.set('protected-mode', 'no');
    expect(admissionRefusal(server, remote)).toBe(null);
  });

  it('applies only when bound to every interface', () => {
    const server = new Server({ logger: () => undefined, config: { bind: '127.0.0.1 192.0.2.2' } });
    expect(admissionRefusal(server, server.connect({ addr: '192.0.2.7:4000', kind: 'tcp' }))).toBe(null);
    server.ext['bindAddresses'] = ['0.0.0.0'];
    expect(admissionRefusal(server, server.connect({ addr: '192.0.2.7:4000', kind: 'tcp' }))).toBe(PROTECTED_MODE_DENIED);
  });
});

describe('protected mode over TCP', () => {
  it('a peer on a non-loopback address gets DENIED and is closed; loopback is served', async () => {
    const ip = externalIPv4();
    srv = await listen({ port: 0, host: '0.0.0.0' });
    const loop = await RawClient.connect(srv.port);
    expect(await loop.call('PING')).toBe('+PONG\r\n');
    if (ip !== undefined) {
      expect(await exchange(srv.port, ip, 'PING\r\n')).toBe(`-${PROTECTED_MODE_DENIED}\r\n`);
      await loop.call('CONFIG', 'SET', 'protected-mode', 'no');
      const served = exchange(srv.port, ip, 'PING\r\nQUIT\r\n');
      expect(await served).toBe('+PONG\r\n+OK\r\n');
      await loop.call('CONFIG', 'SET', 'protected-mode', 'yes');
      await loop.call('CONFIG', 'SET', 'requirepass', 'pw');
      expect(await exchange(srv.port, ip, 'PING\r\nQUIT\r\n')).toBe('-NOAUTH Authentication required.\r\n+OK\r\n');
    }
    loop.close();
  });
});
