import { describe, expect, it } from 'vitest';
import { Server } from '../../src/core/server.js';
import { ErrorReply, MapReply, OK, SimpleString } from '../../src/core/resp/reply.js';
import { REDIS_VERSION } from '../../src/version.js';

function setup(config = {}) {
  const server = new Server({ config });
  const client = server.connect({ addr: '10.0.0.1:5000', laddr: '127.0.0.1:6379', kind: 'tcp' });
  const run = (...args: string[]) => server.dispatch(client, args);
  return { server, client, run };
}

describe('AUTH against requirepass', () => {
  it('refuses commands until authenticated, then accepts them', () => {
    const { run, client } = setup({ requirepass: 'secret' });
    expect(run('GET', 'k')).toEqual(new ErrorReply('NOAUTH Authentication required.'));
    expect(run('AUTH', 'wrong')).toEqual(new ErrorReply('WRONGPASS invalid username-password pair or user is disabled.'));
    expect(client.authenticated).toBe(false);
    expect(run('AUTH', 'secret')).toBe(OK);
    expect(run('GET', 'k')).toBeNull();
  });

  it('accepts the two-argument form for the default user only', () => {
    const { run } = setup({ requirepass: 'secret' });
    expect(run('AUTH', 'other', 'secret')).toBeInstanceOf(ErrorReply);
    expect(run('AUTH', 'default', 'secret')).toBe(OK);
  });

  it('follows a password set at run time', () => {
    const { run, server } = setup();
    expect(run('CONFIG', 'SET', 'requirepass', 'p2')).toBe(OK);
    const other = server.connect({});
    expect(other.authenticated).toBe(false);
    expect(server.dispatch(other, ['AUTH', 'p2'])).toBe(OK);
  });
});

describe('HELLO', () => {
  it('switches protocol and answers the handshake map', () => {
    const { run, client } = setup();
    const reply = run('HELLO', '3') as MapReply;
    expect(reply).toBeInstanceOf(MapReply);
    expect(reply.entries).toEqual(['server', 'redis', 'version', REDIS_VERSION, 'proto', 3, 'id', client.id, 'mode', 'standalone', 'role', 'master', 'modules', []]);
    expect(client.resp).toBe(3);
  });

  it('authenticates and names the client in one step', () => {
    const { run, client } = setup({ requirepass: 'pw' });
    expect(run('HELLO', '3')).toEqual(new ErrorReply(expect.stringMatching(/^NOAUTH HELLO must be called/) as unknown as string));
    expect(client.resp).toBe(2);
    expect(run('HELLO', '3', 'AUTH', 'default', 'bad')).toBeInstanceOf(ErrorReply);
    expect(run('HELLO', '3', 'AUTH', 'default', 'pw', 'SETNAME', 'app')).toBeInstanceOf(MapReply);
    expect(client.authenticated).toBe(true);
    expect(client.name).toBe('app');
  });
});

describe('RESET', () => {
  it('restores the connection defaults and drops authentication when a password is set', () => {
    const { run, client } = setup({ requirepass: 'pw' });
    run('AUTH', 'pw');
    run('SELECT', '4');
    run('HELLO', '3', 'SETNAME', 'n');
    run('CLIENT', 'NO-EVICT', 'on');
    expect(run('RESET')).toEqual(new SimpleString('RESET'));
    expect(client.db).toBe(0);
    expect(client.resp).toBe(2);
    expect(client.name).toBe('');
    expect(client.noEvict).toBe(false);
    expect(client.authenticated).toBe(false);
  });
});

describe('real clients', () => {
  it('ioredis and node-redis connect, handshake and read INFO', async () => {
    const { listen } = await import('../../src/node.js');
    const { Redis } = await import('ioredis');
    const { createClient } = await import('redis');
    const srv = await listen({ port: 0 });
    try {
      const io = new Redis(srv.port, '127.0.0.1', { lazyConnect: true, enableReadyCheck: true });
      await io.connect();
      await io.client('SETNAME', 'io');
      expect(await io.client('GETNAME')).toBe('io');
      expect(await io.info('server')).toMatch(/redis_mode:standalone/);
      io.disconnect();

      const nr = createClient({ socket: { port: srv.port, host: '127.0.0.1' }, RESP: 3 });
      await nr.connect();
      expect(await nr.ping()).toBe('PONG');
      const list = await nr.sendCommand(['CLIENT', 'INFO']);
      expect(String(list)).toMatch(/lib-name=node-redis/);
      expect(String(list)).toMatch(/resp=3/);
      await nr.quit();
    } finally {
      await srv.close();
    }
  });
});

describe('commands refused before authentication', () => {
  it('count as rejected calls in INFO commandstats', () => {
    const { run } = setup({ requirepass: 'pw' });
    run('GET', 'k');
    run('AUTH', 'pw');
    const text = (run('INFO', 'commandstats') as { text: string }).text;
    expect(text).toMatch(/cmdstat_get:calls=0,usec=0,usec_per_call=0\.00,rejected_calls=1,failed_calls=0/);
  });
});
