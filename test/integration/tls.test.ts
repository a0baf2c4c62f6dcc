/**
 * TLS and mutual TLS with real certificates made by openssl in a temp dir:
 * a CA, a server certificate for 127.0.0.1 (SAN IP), a client certificate,
 * and a client certificate from another CA. redis-cli --tls and ioredis
 * connect; under tls-auth-clients yes a client without a certificate or with
 * the wrong CA's is refused; TLS 1.1 is refused; RESP over wss:// is served
 * on the TLS port with the same certificates.
 */
import { execFile, execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import tls from 'node:tls';
import { Redis } from 'ioredis';
import WebSocket from 'ws';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { listen, type ListeningServer } from '../../src/node.js';

let dir: string;
const file = (name: string) => join(dir, name);

function openssl(...args: string[]): void {
  execFileSync('openssl', args, { cwd: dir, stdio: 'ignore' });
}

/** A key and a certificate signed by `ca` (or self-signed when ca is null). */
function makeCert(name: string, subject: string, ca: string | null, ext?: string): void {
  openssl('req', '-new', '-newkey', 'rsa:2048', '-nodes', '-keyout', `${name}.key`, '-out', `${name}.csr`, '-subj', subject);
  if (ca === null) {
    openssl('x509', '-req', '-in', `${name}.csr`, '-signkey', `${name}.key`, '-out', `${name}.crt`, '-days', '2',
      '-extfile', 'ca.ext');
  } else {
    const args = ['x509', '-req', '-in', `${name}.csr`, '-CA', `${ca}.crt`, '-CAkey', `${ca}.key`, '-CAcreateserial', '-out', `${name}.crt`, '-days', '2'];
    if (ext) args.push('-extfile', ext);
    openssl(...args);
  }
}

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'ubique-tls-'));
  writeFileSync(file('ca.ext'), 'basicConstraints=critical,CA:TRUE\nkeyUsage=keyCertSign,cRLSign\n');
  writeFileSync(file('server.ext'), 'subjectAltName=IP:127.0.0.1\nextendedKeyUsage=serverAuth\n');
  writeFileSync(file('client.ext'), 'extendedKeyUsage=clientAuth\n');
  makeCert('ca', '/CN=Test CA', null);
  makeCert('other-ca', '/CN=Other CA', null);
  makeCert('server', '/CN=127.0.0.1', 'ca', 'server.ext');
  makeCert('client', '/CN=alice', 'ca', 'client.ext');
  makeCert('rogue', '/CN=mallory', 'other-ca', 'client.ext');
}, 60_000);

afterAll(() => {
  rmSync(dir, { recursive: true, force: true });
});

let srv: ListeningServer | undefined;
afterEach(async () => {
  await srv?.close();
  srv = undefined;
});

function start(authClients: 'yes' | 'no' | 'optional', extra: Record<string, string> = {}) {
  return listen({
    port: 0,
    tlsPort: 0,
    config: {
      'tls-cert-file': file('server.crt'),
      'tls-key-file': file('server.key'),
      'tls-ca-cert-file': `${file('other-ca.crt')} ${file('ca.crt')}`,
      'tls-auth-clients': authClients,
      ...extra,
    },
  });
}

/** Tries a TLS handshake and a PING; resolves to the reply or the failure. */
function tryPing(port: number, opts: tls.ConnectionOptions): Promise<string> {
  return new Promise((resolve) => {
    const s = tls.connect({ host: '127.0.0.1', port, ca: readFileSync(file('ca.crt')), ...opts }, () => s.write('PING\r\n'));
    let data = '';
    s.on('data', (d) => {
      data += d.toString('latin1');
      if (data.endsWith('\r\n')) {
        s.destroy();
        resolve(data);
      }
    });
    s.on('error', (e) => resolve(`error: ${e.message}`));
    s.on('close', () => resolve(data === '' ? 'closed' : data));
  });
}

function redisCli(args: string[]): Promise<string> {
  return new Promise((resolve) => {
    execFile('redis-cli', args, { timeout: 20_000 }, (err, stdout, stderr) => resolve(`${stdout}${stderr}${err && !stdout ? String(err.message) : ''}`.trim()));
  });
}

describe('TLS', () => {
  it('redis-cli --tls and ioredis connect with a client certificate (mTLS)', async () => {
    srv = await start('yes');
    expect(srv.tlsPort).toBeGreaterThan(0);
    const out = await redisCli(['--tls', '--cacert', file('ca.crt'), '--cert', file('client.crt'), '--key', file('client.key'),
      '-h', '127.0.0.1', '-p', String(srv.tlsPort), 'PING']);
    expect(out).toBe('PONG');
    const redis = new Redis({
      host: '127.0.0.1', port: srv.tlsPort!, lazyConnect: true, maxRetriesPerRequest: 0,
      tls: { ca: readFileSync(file('ca.crt')), cert: readFileSync(file('client.crt')), key: readFileSync(file('client.key')) },
    });
    await redis.connect();
    expect(await redis.set('k', 'v')).toBe('OK');
    expect(await redis.get('k')).toBe('v');
    const list = await redis.client('LIST') as string;
    expect(list).toContain('addr=127.0.0.1:');
    redis.disconnect();
    // The plain TCP port still works alongside.
    expect(await redisCli(['-p', String(srv.port), 'GET', 'k'])).toBe('v');
  });

  it('refuses a client without a certificate under tls-auth-clients yes', async () => {
    srv = await start('yes');
    expect(await tryPing(srv.tlsPort!, {})).not.toBe('+PONG\r\n');
  });

  it('refuses a certificate from a CA it does not trust', async () => {
    srv = await start('yes', { 'tls-ca-cert-file': file('ca.crt') });
    const reply = await tryPing(srv.tlsPort!, { cert: readFileSync(file('rogue.crt')), key: readFileSync(file('rogue.key')) });
    expect(reply).not.toBe('+PONG\r\n');
    const good = await tryPing(srv.tlsPort!, { cert: readFileSync(file('client.crt')), key: readFileSync(file('client.key')) });
    expect(good).toBe('+PONG\r\n');
  });

  it('tls-auth-clients optional: no certificate is fine, a bad one is not', async () => {
    srv = await start('optional', { 'tls-ca-cert-file': file('ca.crt') });
    expect(await tryPing(srv.tlsPort!, {})).toBe('+PONG\r\n');
    expect(await tryPing(srv.tlsPort!, { cert: readFileSync(file('rogue.crt')), key: readFileSync(file('rogue.key')) })).not.toBe('+PONG\r\n');
  });

  it('tls-auth-clients no: redis-cli connects with only the CA', async () => {
    srv = await start('no');
    expect(await redisCli(['--tls', '--cacert', file('ca.crt'), '-h', '127.0.0.1', '-p', String(srv.tlsPort), 'PING'])).toBe('PONG');
  });

  it('refuses TLS 1.1, and TLS 1.2 when tls-protocols allows only 1.3', async () => {
    srv = await start('no');
    const old = await tryPing(srv.tlsPort!, { minVersion: 'TLSv1', maxVersion: 'TLSv1.1' });
    expect(old).not.toBe('+PONG\r\n');
    await srv.close();
    srv = await start('no', { 'tls-protocols': 'TLSv1.3' });
    expect(await tryPing(srv.tlsPort!, { maxVersion: 'TLSv1.2' })).not.toBe('+PONG\r\n');
    expect(await tryPing(srv.tlsPort!, { minVersion: 'TLSv1.3' })).toBe('+PONG\r\n');
  });

  it('tls-auth-clients-user CN: the certificate\'s CN logs in as that ACL user', async () => {
    srv = await start('yes', { 'tls-auth-clients-user': 'CN', requirepass: 'secret' });
    const plain = new Redis({ port: srv.port, password: 'secret', lazyConnect: true });
    await plain.connect();
    expect(await plain.call('ACL', 'SETUSER', 'alice', 'on', '>pw', '+@all', '~*')).toBe('OK');
    plain.disconnect();
    const out = await redisCli(['--tls', '--cacert', file('ca.crt'), '--cert', file('client.crt'), '--key', file('client.key'),
      '-h', '127.0.0.1', '-p', String(srv.tlsPort), 'ACL', 'WHOAMI']);
    expect(out).toBe('alice');
  });

  it('shows the TLS parameters in CONFIG GET', async () => {
    srv = await start('optional');
    const redis = new Redis({ port: srv.port, lazyConnect: true });
    await redis.connect();
    expect(await redis.config('GET', 'tls-auth-clients')).toEqual(['tls-auth-clients', 'optional']);
    expect(await redis.config('GET', 'tls-cert-file')).toEqual(['tls-cert-file', file('server.crt')]);
    redis.disconnect();
  });

  it('serves RESP over wss:// on the TLS port with the same certificates', async () => {
    srv = await start('yes', { ws: 'yes' });
    const ws = new WebSocket(`wss://127.0.0.1:${srv.tlsPort}`, {
      ca: readFileSync(file('ca.crt')),
      cert: readFileSync(file('client.crt')),
      key: readFileSync(file('client.key')),
    });
    const replies: string[] = [];
    await new Promise<void>((resolve, reject) => {
      ws.on('error', reject);
      ws.on('open', () => ws.send(Buffer.from('*3\r\n$3\r\nSET\r\n$1\r\nk\r\n$3\r\nwss\r\n*2\r\n$3\r\nGET\r\n$1\r\nk\r\n')));
      ws.on('message', (data: Buffer) => {
        replies.push(data.toString('latin1'));
        if (replies.join('').endsWith('$3\r\nwss\r\n')) resolve();
      });
    });
    ws.close();
    expect(replies.join('')).toBe('+OK\r\n$3\r\nwss\r\n');
    // Without a client certificate the handshake is refused, as for RESP.
    const refused = new WebSocket(`wss://127.0.0.1:${srv.tlsPort}`, { ca: readFileSync(file('ca.crt')) });
    const outcome = await new Promise<string>((resolve) => {
      refused.on('open', () => resolve('open'));
      refused.on('error', () => resolve('error'));
    });
    expect(outcome).toBe('error');
  });
});
