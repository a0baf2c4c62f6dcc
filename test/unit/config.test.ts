import { describe, expect, it, vi } from 'vitest';
import { manualClock } from '../../src/core/clock.js';
import { closeIdleClients } from '../../src/core/commands/server-hooks.js';
import { Server } from '../../src/core/server.js';
import { Session } from '../../src/core/session.js';
import { ErrorReply, MapReply, OK, type Reply } from '../../src/core/resp/reply.js';

function setup(options: ConstructorParameters<typeof Server>[0] = {}) {
  const server = new Server(options);
  const client = server.connect({});
  const run = (...args: string[]) => server.dispatch(client, args) as Reply;
  return { server, client, run };
}

describe('CONFIG SET', () => {
  it('sets several parameters at once', () => {
    const { run, server } = setup();
    expect(run('CONFIG', 'SET', 'maxmemory', '10mb', 'maxmemory-policy', 'allkeys-lru')).toBe(OK);
    expect(server.config.int('maxmemory')).toBe(10 * 1024 * 1024);
    expect(run('CONFIG', 'GET', 'maxmemory-policy')).toEqual(new MapReply(['maxmemory-policy', 'allkeys-lru']));
  });

  it('is all or nothing', () => {
    const { run, server } = setup();
    expect(run('CONFIG', 'SET', 'maxmemory', '10mb', 'hz', 'abc')).toEqual(
      new ErrorReply("ERR CONFIG SET failed (possibly related to argument 'hz') - argument couldn't be parsed into an integer"),
    );
    expect(server.config.int('maxmemory')).toBe(0);
    expect(run('CONFIG', 'SET', 'maxmemory', '10mb', 'port', '1')).toEqual(
      new ErrorReply("ERR CONFIG SET failed (possibly related to argument 'port') - can't set immutable config"),
    );
    expect(server.config.int('maxmemory')).toBe(0);
  });

  it('reaches the parsers of new connections (proto-max-bulk-len)', () => {
    const { run, server } = setup();
    run('CONFIG', 'SET', 'proto-max-bulk-len', '1mb');
    let out = '';
    const s = new Session(server, { write: (b) => { out += Buffer.from(b).toString('latin1'); }, close() {} }, {});
    s.receive(Buffer.from(`*2\r\n$4\r\nECHO\r\n$${1024 * 1024 + 1}\r\n`));
    expect(out).toBe('-ERR Protocol error: invalid bulk length\r\n');
  });

  it('restarts the cron at a new hz', async () => {
    vi.useFakeTimers();
    try {
      const { run, server } = setup();
      let ticks = 0;
      server.addCronJob(() => ticks++);
      server.start();
      vi.advanceTimersByTime(200);
      expect(ticks).toBe(2);
      run('CONFIG', 'SET', 'hz', '100');
      vi.advanceTimersByTime(200);
      expect(ticks).toBe(22);
      await server.close();
    } finally {
      vi.useRealTimers();
    }
  });

  it('closes idle clients after `timeout` seconds', () => {
    const clock = manualClock();
    const server = new Server({ clock, config: { timeout: 2 } });
    let closed = false;
    const s = new Session(server, { write() {}, close: () => { closed = true; } }, {});
    closeIdleClients(server, clock.now() + 1000);
    expect(closed).toBe(false);
    closeIdleClients(server, clock.now() + 2500);
    expect(closed).toBe(true);
    expect(s.client.closing).toBe(true);
  });
});

describe('CONFIG REWRITE', () => {
  it('answers an error without a config file', () => {
    const { run } = setup();
    expect(run('CONFIG', 'REWRITE')).toEqual(new ErrorReply('ERR The server is running without a config file'));
  });

  it('calls the host when there is one', () => {
    let rewritten = 0;
    const { run, server } = setup({ runtime: { name: 'test', configFile: '/etc/ubique.conf' } });
    server.ext['configRewrite'] = () => rewritten++;
    expect(run('CONFIG', 'REWRITE')).toBe(OK);
    expect(rewritten).toBe(1);
  });
});

describe('maxclients', () => {
  it('refuses connections beyond the limit with Redis\'s error', () => {
    const server = new Server({ config: { maxclients: 1 } });
    const outs: string[] = [];
    const open = () => {
      let closed = false;
      const i = outs.push('') - 1;
      new Session(server, { write: (b) => { outs[i] += Buffer.from(b).toString('latin1'); }, close: () => { closed = true; } }, {});
      return () => closed;
    };
    expect(open()()).toBe(false);
    expect(open()()).toBe(true);
    expect(outs[1]).toBe('-ERR max number of clients reached\r\n');
    expect(server.clients.size).toBe(1);
    expect(server.stats.rejectedConnections).toBe(1);
  });
});

describe('loglevel', () => {
  it('filters server log lines and follows CONFIG SET', () => {
    const lines: string[] = [];
    const server = new Server({ logger: (level, m) => lines.push(`${level}:${m}`) });
    const c = server.connect({});
    server.dispatch(c, ['DEBUG', 'LOG', 'one']);
    server.dispatch(c, ['CONFIG', 'SET', 'loglevel', 'nothing']);
    server.dispatch(c, ['DEBUG', 'LOG', 'two']);
    expect(lines).toEqual(['warning:DEBUG LOG: one']);
  });
});
