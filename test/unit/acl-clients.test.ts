/**
 * Real clients logging in as ACL users: ioredis and node-redis with
 * username/password, redis-cli with --user/--pass; refused commands reach
 * them as NOPERM errors, and a wrong password as WRONGPASS.
 */
import { execFile } from 'node:child_process';
import { Redis } from 'ioredis';
import { createClient } from 'redis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { listen, type ListeningServer } from '../../src/node.js';

let srv: ListeningServer;

beforeAll(async () => {
  srv = await listen({ port: 0, config: { requirepass: 'adminpw' } });
  const admin = new Redis({ port: srv.port, password: 'adminpw', lazyConnect: true });
  await admin.connect();
  await admin.call('ACL', 'SETUSER', 'reader', 'on', '>readpw', '~cache:*', '+@read', '+@connection');
  await admin.set('cache:1', 'one');
  admin.disconnect();
});

afterAll(async () => {
  await srv?.close();
});

function redisCli(args: string[]): Promise<string> {
  return new Promise((resolve) => {
    execFile('redis-cli', args, { timeout: 20_000 }, (_err, stdout, stderr) => resolve(`${stdout}${stderr}`.trim()));
  });
}

describe('clients as ACL users', () => {
  it('ioredis with username and password', async () => {
    const r = new Redis({ port: srv.port, username: 'reader', password: 'readpw', lazyConnect: true, maxRetriesPerRequest: 0 });
    await r.connect();
    expect(await r.get('cache:1')).toBe('one');
    expect(await r.call('ACL', 'WHOAMI').catch((e: Error) => e.message)).toMatch(/^NOPERM/);
    await expect(r.set('cache:1', 'x')).rejects.toThrow("NOPERM this user has no permissions to run the 'set' command");
    await expect(r.get('other')).rejects.toThrow('NOPERM this user has no permissions to access one of the keys used as arguments');
    await expect(r.call('AUTH', 'reader', 'nope')).rejects.toThrow('WRONGPASS invalid username-password pair or user is disabled.');
    r.disconnect();
  });

  it('node-redis with username and password (HELLO 3 AUTH)', async () => {
    const c = createClient({ socket: { port: srv.port }, username: 'reader', password: 'readpw', RESP: 3 });
    await c.connect();
    expect(await c.get('cache:1')).toBe('one');
    await expect(c.set('cache:1', 'x')).rejects.toThrow(/NOPERM/);
    await c.close();
  });

  it('redis-cli --user --pass', async () => {
    expect(await redisCli(['-p', String(srv.port), '--user', 'reader', '--pass', 'readpw', '--no-auth-warning', 'GET', 'cache:1'])).toBe('one');
    expect(await redisCli(['-p', String(srv.port), '--user', 'reader', '--pass', 'readpw', '--no-auth-warning', 'DEL', 'cache:1']))
      .toBe("NOPERM this user has no permissions to run the 'del' command");
  });
});
