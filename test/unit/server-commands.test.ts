import { describe, expect, it } from 'vitest';
import { manualClock } from '../../src/core/clock.js';
import { Server } from '../../src/core/server.js';
import { Session } from '../../src/core/session.js';
import { quoteRepr, monitorLine } from '../../src/core/commands/monitor.js';
import { latencyMonitor } from '../../src/core/commands/latency.js';
import { slowlogArgs } from '../../src/core/commands/slowlog.js';
import {
  ErrorReply, MapReply, NO_REPLY, OK, SetReply, SimpleString, VerbatimReply, type Reply,
} from '../../src/core/resp/reply.js';
import type { Runtime } from '../../src/core/runtime.js';

function setup(options: ConstructorParameters<typeof Server>[0] = {}) {
  const server = new Server(options);
  const client = server.connect({ addr: '10.1.2.3:4567', laddr: '127.0.0.1:6379' });
  const run = (...args: string[]) => server.dispatch(client, args) as Reply;
  return { server, client, run };
}

function infoFields(reply: Reply): Map<string, string> {
  const text = (reply as VerbatimReply).text;
  const out = new Map<string, string>();
  for (const line of text.split('\r\n')) {
    if (line === '' || line.startsWith('#')) continue;
    const i = line.indexOf(':');
    out.set(line.slice(0, i), line.slice(i + 1));
  }
  return out;
}

describe('MONITOR', () => {
  it('pushes each command with time, db and address, escaping like sdscatrepr', () => {
    const clock = manualClock(1_700_000_000_123);
    const server = new Server({ clock });
    let out = '';
    const mon = new Session(server, { write: (b) => { out += Buffer.from(b).toString('latin1'); }, close() {} }, { addr: '127.0.0.1:1' });
    mon.receive(Buffer.from('*1\r\n$7\r\nMONITOR\r\n'));
    expect(out).toBe('+OK\r\n');
    out = '';
    const c = server.connect({ addr: '127.0.0.1:60866' });
    server.dispatch(c, ['SELECT', '2']);
    server.dispatch(c, ['set', 'k', 'a "b"\n\x01\xff']);
    server.dispatch(c, ['CONFIG', 'GET', 'hz']);
    mon.receive(new Uint8Array(0));
    expect(out).toBe(
      '+1700000000.123000 [2 127.0.0.1:60866] "SELECT" "2"\r\n' +
        '+1700000000.123000 [2 127.0.0.1:60866] "set" "k" "a \\"b\\"\\n\\x01\\xff"\r\n',
    );
  });

  it('formats lines and escapes bytes', () => {
    expect(quoteRepr('a\\b\t\r\x07\x08')).toBe('"a\\\\b\\t\\r\\a\\b"');
    expect(monitorLine(1_700_000_000_000.5, 0, 'lua', ['x'])).toBe('1700000000.000500 [0 lua] "x"');
  });
});

describe('SLOWLOG', () => {
  it('logs every command at threshold 0, newest first, with client address and name', () => {
    const clock = manualClock(1_700_000_000_000);
    const { run } = setup({ clock, config: { 'slowlog-log-slower-than': 0 } });
    run('CLIENT', 'SETNAME', 'me');
    run('SET', 'k', 'v');
    const entries = run('SLOWLOG', 'GET', '1') as Reply[][];
    expect(entries).toHaveLength(1);
    const [id, time, usec, args, addr, name] = entries[0]!;
    expect(id).toBe(1);
    expect(time).toBe(1_700_000_000);
    expect(typeof usec).toBe('number');
    expect(args).toEqual(['SET', 'k', 'v']);
    expect(addr).toBe('10.1.2.3:4567');
    expect(name).toBe('me');
    expect(run('SLOWLOG', 'LEN')).toBe(3);
    expect(run('SLOWLOG', 'RESET')).toBe(OK);
    expect(run('SLOWLOG', 'LEN')).toBe(1);
  });

  it('keeps at most slowlog-max-len entries', () => {
    const { run } = setup({ config: { 'slowlog-log-slower-than': 0, 'slowlog-max-len': 3 } });
    for (let i = 0; i < 10; i++) run('SET', `k${i}`, 'v');
    expect(run('SLOWLOG', 'LEN')).toBe(3);
    // SLOWLOG LEN itself was logged last (commands are logged after they run, as in Redis).
    expect((run('SLOWLOG', 'GET', '-1') as Reply[][]).map((e) => (e[3] as string[])[1])).toEqual(['LEN', 'k9', 'k8']);
  });

  it('logs nothing when disabled', () => {
    const { run } = setup({ config: { 'slowlog-log-slower-than': -1 } });
    run('SET', 'k', 'v');
    expect(run('SLOWLOG', 'LEN')).toBe(0);
  });

  it('shortens arguments the way Redis does and hides passwords', () => {
    const { server } = setup();
    const set = server.commands.lookup('set')!;
    const many = ['DEL', ...Array.from({ length: 40 }, (_, i) => `k${i}`)];
    const short = slowlogArgs(set, many);
    expect(short).toHaveLength(32);
    expect(short[31]).toBe('... (10 more arguments)');
    expect(slowlogArgs(set, ['SET', 'k', 'x'.repeat(130)])[2]).toBe(`${'x'.repeat(128)}... (2 more bytes)`);
    expect(slowlogArgs(server.commands.lookup('auth')!, ['AUTH', 'u', 'p'])).toEqual(['AUTH', '(redacted)', '(redacted)']);
  });
});

describe('LATENCY', () => {
  it('records samples above the threshold, one per second with the max', () => {
    const clock = manualClock(1_700_000_000_000);
    const { run, server } = setup({ clock, config: { 'latency-monitor-threshold': 5 } });
    const lat = latencyMonitor(server);
    lat.addSampleIfNeeded('command', 3, clock.now());
    expect(run('LATENCY', 'LATEST')).toEqual([]);
    lat.addSampleIfNeeded('command', 7, clock.now());
    lat.addSampleIfNeeded('command', 9, clock.now());
    clock.advance(1000);
    lat.addSampleIfNeeded('command', 6, clock.now());
    expect(run('LATENCY', 'LATEST')).toEqual([['command', 1_700_000_001, 6, 9]]);
    expect(run('LATENCY', 'HISTORY', 'command')).toEqual([[1_700_000_000, 9], [1_700_000_001, 6]]);
    expect(run('LATENCY', 'RESET', 'command', 'other')).toBe(1);
    expect(run('LATENCY', 'LATEST')).toEqual([]);
  });
});

describe('INFO', () => {
  const runtime: Runtime = {
    name: 'test', pid: 4242, os: 'TestOS 1.0 x86_64', archBits: 64, executable: '/bin/ubique',
    memory: () => ({ rss: 4 * 1024 * 1024, used: 2 * 1024 * 1024 }),
    cpu: () => ({ user: 1.5, system: 0.25 }),
  };

  it('reports the runtime facts, clients, memory, cpu and keyspace', () => {
    const clock = manualClock(1_700_000_000_000);
    const { run } = setup({ clock, runtime });
    run('SET', 'a', '1');
    run('SET', 'b', '2');
    run('PEXPIRE', 'b', '10000');
    clock.advance(3000);
    const f = infoFields(run('INFO'));
    expect(f.get('process_id')).toBe('4242');
    expect(f.get('os')).toBe('TestOS 1.0 x86_64');
    expect(f.get('executable')).toBe('/bin/ubique');
    expect(f.get('redis_mode')).toBe('standalone');
    expect(f.get('uptime_in_seconds')).toBe('3');
    expect(f.get('connected_clients')).toBe('1');
    expect(f.get('used_memory')).toBe(String(2 * 1024 * 1024));
    expect(f.get('used_memory_human')).toBe('2.00M');
    expect(f.get('mem_fragmentation_ratio')).toBe('2.00');
    expect(f.get('used_cpu_user')).toBe('1.500000');
    expect(f.get('role')).toBe('master');
    expect(f.get('db0')).toMatch(/^keys=2,expires=[01],avg_ttl=\d+$/);
    expect(f.has('cmdstat_set')).toBe(false);
  });

  it('selects sections, and ALL adds commandstats and errorstats', () => {
    const { run } = setup();
    run('SET', 'k', 'v');
    run('GET', 'k', 'extra');
    run('LPOPX');
    const text = (run('INFO', 'all') as VerbatimReply).text;
    expect(text).toMatch(/^# Server\r\n/);
    expect(text).toContain('# Commandstats\r\ncmdstat_set:calls=1,usec=');
    expect(text).toMatch(/errorstat_ERR:count=2\r\n/);
    const two = (run('INFO', 'cpu', 'CLUSTER') as VerbatimReply).text;
    expect(two.split('\r\n').filter((l) => l.startsWith('#'))).toEqual(['# CPU', '# Cluster']);
    expect(run('INFO', 'nosuch')).toEqual(new VerbatimReply('txt', ''));
  });

  it('reports zero for what a runtime cannot tell', () => {
    const { run } = setup();
    const f = infoFields(run('INFO', 'memory', 'cpu'));
    expect(f.get('used_memory')).toBe('0');
    expect(f.get('used_cpu_sys')).toBe('0.000000');
  });

  it('counts keyspace stats reset by CONFIG RESETSTAT', () => {
    const { run, server } = setup();
    run('SET', 'k', 'v');
    expect(server.stats.commandsProcessed).toBeGreaterThan(0);
    run('CONFIG', 'RESETSTAT');
    const f = infoFields(run('INFO', 'stats', 'commandstats'));
    // CONFIG RESETSTAT itself is counted once it has run, as in Redis.
    expect(f.get('total_commands_processed')).toBe('1');
    expect([...f.keys()].some((k) => k.startsWith('cmdstat_set'))).toBe(false);
  });
});

describe('TIME and LASTSAVE', () => {
  it('read the clock port', () => {
    const clock = manualClock(1_700_000_000_250);
    const { run } = setup({ clock });
    expect(run('TIME')).toEqual(['1700000000', '250000']);
    clock.advance(5000);
    expect(run('LASTSAVE')).toBe(1_700_000_000);
  });
});

describe('COMMAND', () => {
  it('describes commands from the table', () => {
    const { run, server } = setup();
    const [get] = run('COMMAND', 'INFO', 'get') as Reply[][];
    expect(get![0]).toBe('get');
    expect(get![1]).toBe(2);
    expect((get![2] as SetReply).items).toEqual([new SimpleString('readonly'), new SimpleString('fast')]);
    expect(get!.slice(3, 6)).toEqual([1, 1, 1]);
    expect((get![6] as SetReply).items).toEqual(['@read', '@string', '@fast'].map((c) => new SimpleString(c)));
    expect(run('COMMAND', 'COUNT')).toBe(server.commands.all().length);
    expect((run('COMMAND') as Reply[]).length).toBe(server.commands.all().length);
    const config = (run('COMMAND', 'INFO', 'config') as Reply[][])[0]!;
    expect(((config[9] as SetReply).items as Reply[][]).map((s) => s[0])).toContain('config|get');
  });

  it('documents commands with subcommands, without arguments', () => {
    const { run } = setup();
    const docs = run('COMMAND', 'DOCS', 'client', 'nosuch') as MapReply;
    expect(docs.entries[0]).toBe('client');
    const body = docs.entries[1] as MapReply;
    expect(body.entries.slice(0, 6)).toEqual(['summary', expect.any(String), 'since', '2.4.0', 'group', 'connection']);
    const subs = body.entries[body.entries.indexOf('subcommands') + 1] as MapReply;
    expect(subs.entries).toContain('client|list');
    expect(docs.entries).toHaveLength(2);
  });

  it('lists names with filters and extracts keys', () => {
    const { run } = setup();
    const cat = run('COMMAND', 'LIST', 'FILTERBY', 'ACLCAT', 'connection') as string[];
    expect(cat).toContain('hello');
    expect(cat).not.toContain('get');
    expect(run('COMMAND', 'GETKEYS', 'SET', 'a', 'b')).toEqual(['a']);
    expect(run('COMMAND', 'GETKEYS', 'DEL', 'a', 'b')).toEqual(['a', 'b']);
    expect(run('COMMAND', 'GETKEYS', 'PING', 'x')).toEqual(new ErrorReply('ERR The command has no key arguments'));
  });
});

describe('DEBUG', () => {
  it('OBJECT reports the string encodings', () => {
    const { run } = setup();
    run('SET', 'i', '12345');
    run('SET', 's', 'hello');
    run('SET', 'r', 'x'.repeat(50));
    expect(String((run('DEBUG', 'OBJECT', 'i') as SimpleString).value)).toMatch(/^Value at:0x[0-9a-f]+ refcount:1 encoding:int serializedlength:\d+ lru:\d+ lru_seconds_idle:\d+$/);
    expect((run('DEBUG', 'OBJECT', 's') as SimpleString).value).toContain('encoding:embstr');
    expect((run('DEBUG', 'OBJECT', 'r') as SimpleString).value).toContain('encoding:raw');
  });

  it('DIGEST-VALUE and DIGEST are equal for equal data and differ otherwise', () => {
    const a = setup();
    const b = setup();
    a.run('SET', 'k', 'v');
    b.run('SET', 'k', 'v');
    expect(a.run('DEBUG', 'DIGEST')).toEqual(b.run('DEBUG', 'DIGEST'));
    expect(a.run('DEBUG', 'DIGEST-VALUE', 'k')).toEqual(b.run('DEBUG', 'DIGEST-VALUE', 'k'));
    b.run('SET', 'k', 'w');
    expect(a.run('DEBUG', 'DIGEST')).not.toEqual(b.run('DEBUG', 'DIGEST'));
    expect(setup().run('DEBUG', 'DIGEST')).toEqual(new SimpleString('0'.repeat(40)));
  });

  it('SET-ACTIVE-EXPIRE sets the flag the expire cycle reads', () => {
    const { run, server } = setup();
    run('DEBUG', 'SET-ACTIVE-EXPIRE', '0');
    expect(server.ext['activeExpire']).toBe(false);
    run('DEBUG', 'SET-ACTIVE-EXPIRE', '1');
    expect(server.ext['activeExpire']).toBe(true);
  });

  it('is refused when enable-debug-command is no', () => {
    const { run } = setup({ config: { 'enable-debug-command': 'no' } });
    expect((run('DEBUG', 'SLEEP', '0') as ErrorReply).message).toMatch(/^ERR DEBUG command not allowed. If the enable-debug-command option is set to "local"/);
  });
});

describe('SHUTDOWN', () => {
  it('calls the host hook with the options and answers nothing', async () => {
    const { run, server } = setup();
    let got: unknown;
    server.ext['shutdown'] = (o: unknown) => {
      got = o;
    };
    expect(run('SHUTDOWN', 'NOSAVE', 'NOW')).toBe(NO_REPLY);
    await new Promise((r) => setTimeout(r, 5));
    expect(got).toEqual({ save: false, nosave: true, now: true, force: false });
  });
});

describe('DEBUG PROTOCOL push', () => {
  it('sends a push message before the reply in RESP3 and refuses RESP2', () => {
    const server = new Server();
    let out = '';
    const s = new Session(server, { write: (b) => { out += Buffer.from(b).toString('latin1'); }, close() {} }, {});
    const send = (...args: string[]) => s.receive(Buffer.from(`*${args.length}\r\n${args.map((a) => `$${a.length}\r\n${a}\r\n`).join('')}`));
    send('DEBUG', 'PROTOCOL', 'push');
    expect(out).toBe('-ERR RESP2 is not supported by this command\r\n');
    out = '';
    send('HELLO', '3');
    out = '';
    send('DEBUG', 'PROTOCOL', 'push');
    expect(out).toBe('>2\r\n$16\r\nserver-cpu-usage\r\n:42\r\n$40\r\nSome real reply following the push reply\r\n');
  });
});

describe('LATENCY HISTOGRAM and INFO latencystats', () => {
  it('count calls per command in power-of-two buckets', () => {
    const { run } = setup();
    run('CONFIG', 'RESETSTAT');
    run('SET', 'a', '1');
    run('SET', 'b', '2');
    run('CONFIG', 'GET', 'hz');
    const h = run('LATENCY', 'HISTOGRAM', 'set', 'CONFIG|GET', 'nosuch') as MapReply;
    expect(h.entries.filter((_, i) => i % 2 === 0)).toEqual(['set', 'config|get']);
    const set = h.entries[1] as MapReply;
    expect(set.entries[0]).toBe('calls');
    expect(set.entries[1]).toBe(2);
    const buckets = (set.entries[3] as MapReply).entries as number[];
    expect(buckets[buckets.length - 1]).toBe(2);
    for (let i = 0; i < buckets.length; i += 2) expect(Math.log2(buckets[i]!) % 1).toBe(0);
    const f = infoFields(run('INFO', 'latencystats'));
    expect(f.get('latency_percentiles_usec_set')).toMatch(/^p50=\d+\.000,p99=\d+\.000,p99\.9=\d+\.000$/);
  });

  it('stops recording when latency-tracking is off', () => {
    const { run } = setup({ config: { 'latency-tracking': 'no' } });
    run('SET', 'a', '1');
    expect(run('LATENCY', 'HISTOGRAM')).toEqual(new MapReply([]));
  });
});
