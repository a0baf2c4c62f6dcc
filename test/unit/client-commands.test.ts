import { describe, expect, it } from 'vitest';
import { manualClock } from '../../src/core/clock.js';
import { Server } from '../../src/core/server.js';
import { Session } from '../../src/core/session.js';
import { ErrorReply, OK, VerbatimReply } from '../../src/core/resp/reply.js';

const FIELDS = [
  'id', 'addr', 'laddr', 'fd', 'name', 'age', 'idle', 'flags', 'db', 'sub', 'psub', 'ssub', 'multi', 'qbuf', 'qbuf-free',
  'argv-mem', 'multi-mem', 'rbs', 'rbp', 'obl', 'oll', 'omem', 'tot-mem', 'events', 'cmd', 'user', 'redir', 'resp',
  'lib-name', 'lib-ver',
];

function parseLine(line: string): Map<string, string> {
  return new Map(line.split(' ').map((kv) => kv.split('=', 2) as [string, string]));
}

/** A session over a fake socket that records what it is sent. */
function session(server: Server, addr: string) {
  let out = '';
  let closed = false;
  const s = new Session(server, {
    write: (b) => {
      out += Buffer.from(b).toString('latin1');
    },
    close: () => {
      closed = true;
    },
  }, { addr, laddr: '127.0.0.1:6379', kind: 'tcp' });
  const send = (...args: string[]) => s.receive(Buffer.from(`*${args.length}\r\n${args.map((a) => `$${a.length}\r\n${a}\r\n`).join('')}`, 'latin1'));
  return {
    s,
    send,
    take: () => {
      const o = out;
      out = '';
      return o;
    },
    get closed() {
      return closed;
    },
  };
}

describe('CLIENT LIST and INFO', () => {
  it('print every field in Redis 7.2 order with real values', () => {
    const clock = manualClock();
    const server = new Server({ clock });
    const a = server.connect({ addr: '10.0.0.1:5000', laddr: '127.0.0.1:6379' });
    server.dispatch(a, ['CLIENT', 'SETNAME', 'worker']);
    server.dispatch(a, ['SELECT', '3']);
    server.dispatch(a, ['CLIENT', 'SETINFO', 'LIB-NAME', 'mylib']);
    clock.advance(5000);
    const b = server.connect({ addr: '10.0.0.2:6000', laddr: '127.0.0.1:6379' });
    const reply = server.dispatch(b, ['CLIENT', 'LIST']) as VerbatimReply;
    expect(reply).toBeInstanceOf(VerbatimReply);
    const lines = reply.text.split('\n');
    expect(lines.pop()).toBe('');
    expect(lines).toHaveLength(2);
    const first = parseLine(lines[0]!);
    expect([...first.keys()]).toEqual(FIELDS);
    expect(first.get('id')).toBe(String(a.id));
    expect(first.get('addr')).toBe('10.0.0.1:5000');
    expect(first.get('name')).toBe('worker');
    expect(first.get('db')).toBe('3');
    expect(first.get('age')).toBe('5');
    expect(first.get('idle')).toBe('5');
    expect(first.get('flags')).toBe('N');
    expect(first.get('cmd')).toBe('client|setinfo');
    expect(first.get('lib-name')).toBe('mylib');
    expect(parseLine(lines[1]!).get('cmd')).toBe('client|list');

    const info = server.dispatch(b, ['CLIENT', 'INFO']) as VerbatimReply;
    expect(parseLine(info.text.trimEnd()).get('id')).toBe(String(b.id));
  });

  it('filters by id and type', () => {
    const server = new Server();
    const a = server.connect({ addr: 'a:1' });
    const b = server.connect({ addr: 'b:2' });
    const byId = server.dispatch(a, ['CLIENT', 'LIST', 'ID', String(b.id), '999']) as VerbatimReply;
    expect(byId.text.split('\n').filter(Boolean).map((l) => parseLine(l).get('id'))).toEqual([String(b.id)]);
    const pubsub = server.dispatch(a, ['CLIENT', 'LIST', 'TYPE', 'pubsub']) as VerbatimReply;
    expect(pubsub.text).toBe('');
  });

  it('shows the no-evict and no-touch flags', () => {
    const server = new Server();
    const a = server.connect({});
    server.dispatch(a, ['CLIENT', 'NO-EVICT', 'ON']);
    server.dispatch(a, ['CLIENT', 'NO-TOUCH', 'ON']);
    const info = server.dispatch(a, ['CLIENT', 'INFO']) as VerbatimReply;
    expect(parseLine(info.text.trimEnd()).get('flags')).toBe('eT');
  });
});

describe('CLIENT SETINFO', () => {
  it('validates the attribute and its value', () => {
    const server = new Server();
    const a = server.connect({});
    expect(server.dispatch(a, ['CLIENT', 'SETINFO', 'lib-ver', '1.2.3'])).toBe(OK);
    expect(a.libVer).toBe('1.2.3');
    expect(server.dispatch(a, ['CLIENT', 'SETINFO', 'foo', 'x'])).toEqual(new ErrorReply("ERR Unrecognized option 'foo'"));
    expect(server.dispatch(a, ['CLIENT', 'SETINFO', 'lib-name', 'a b'])).toEqual(
      new ErrorReply('ERR lib-name cannot contain spaces, newlines or special characters.'),
    );
  });
});

describe('CLIENT KILL', () => {
  it('closes another connection by id, address or user, and counts them', () => {
    const server = new Server();
    const a = session(server, '10.0.0.1:1');
    const b = session(server, '10.0.0.2:2');
    a.send('CLIENT', 'KILL', 'ID', String(b.s.client.id));
    expect(a.take()).toBe(':1\r\n');
    expect(b.closed).toBe(true);
    expect(server.clients.has(b.s.client.id)).toBe(false);
    const c = session(server, '10.0.0.3:3');
    a.send('CLIENT', 'KILL', '10.0.0.3:3');
    expect(a.take()).toBe('+OK\r\n');
    expect(c.closed).toBe(true);
    a.send('CLIENT', 'KILL', 'USER', 'default');
    expect(a.take()).toBe(':0\r\n');
    expect(a.closed).toBe(false);
  });

  it('closes the caller itself after the reply with the old form or SKIPME no', () => {
    const server = new Server();
    const a = session(server, '10.0.0.1:1');
    a.send('CLIENT', 'KILL', 'ADDR', '10.0.0.1:1', 'SKIPME', 'no');
    expect(a.take()).toBe(':1\r\n');
    expect(a.closed).toBe(true);
  });
});

describe('CLIENT REPLY', () => {
  it('OFF silences replies until ON; SKIP silences only the next one', () => {
    const server = new Server();
    const a = session(server, 'x:1');
    a.send('CLIENT', 'REPLY', 'OFF');
    a.send('PING');
    expect(a.take()).toBe('');
    a.send('CLIENT', 'REPLY', 'ON');
    expect(a.take()).toBe('+OK\r\n');
    a.send('CLIENT', 'REPLY', 'SKIP');
    a.send('ECHO', 'skipped');
    a.send('ECHO', 'shown');
    expect(a.take()).toBe('$5\r\nshown\r\n');
  });
});

describe('CLIENT PAUSE', () => {
  it('holds writes (not reads) until UNPAUSE, then runs them in order', async () => {
    const server = new Server();
    const writer = session(server, 'w:1');
    const reader = session(server, 'r:2');
    reader.send('CLIENT', 'PAUSE', '100000', 'WRITE');
    expect(reader.take()).toBe('+OK\r\n');
    writer.send('SET', 'k', '1');
    writer.send('GET', 'k');
    expect(writer.take()).toBe('');
    reader.send('GET', 'k');
    expect(reader.take()).toBe('$-1\r\n');
    const other = session(server, 'o:3');
    other.send('SET', 'k', '2');
    reader.send('CLIENT', 'UNPAUSE');
    expect(reader.take()).toBe('+OK\r\n');
    await new Promise((r) => setTimeout(r, 10));
    // The writer's pipeline (SET then GET) runs before the next paused client.
    expect(writer.take()).toBe('+OK\r\n$1\r\n1\r\n');
    expect(other.take()).toBe('+OK\r\n');
    reader.send('GET', 'k');
    expect(reader.take()).toBe('$1\r\n2\r\n');
  });

  it('ALL holds every command, and the pause ends at its timeout', async () => {
    const server = new Server();
    const a = session(server, 'a:1');
    const b = session(server, 'b:2');
    a.send('CLIENT', 'PAUSE', '20');
    b.send('PING');
    expect(b.take()).toBe('');
    await new Promise((r) => setTimeout(r, 60));
    expect(b.take()).toBe('+PONG\r\n');
  });
});

describe('CLIENT UNBLOCK', () => {
  it('asks the blocking module, answering 1 when it unblocked someone', () => {
    const server = new Server();
    const a = server.connect({});
    const calls: [number, string][] = [];
    server.ext['unblockClient'] = (id: number, reason: string) => {
      calls.push([id, reason]);
      return id === 7;
    };
    expect(server.dispatch(a, ['CLIENT', 'UNBLOCK', '7', 'ERROR'])).toBe(1);
    expect(server.dispatch(a, ['CLIENT', 'UNBLOCK', '8'])).toBe(0);
    expect(calls).toEqual([[7, 'ERROR'], [8, 'TIMEOUT']]);
  });
});
