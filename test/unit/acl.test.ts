/**
 * ACL behaviour the differential scenarios cannot reach: rule ordering as
 * Redis 7.2 describes it, read/write key permissions, first-arg rules,
 * selectors, MULTI, the ACL log's fields and grouping, requirepass, the
 * ACL file port, the embedded API as a user, and SHA-256 itself.
 */
import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { sha256Hex } from '../../src/core/acl/sha256.js';
import { manualClock } from '../../src/core/clock.js';
import { setAclFilePort } from '../../src/core/commands/acl.js';
import type { ConfigInput } from '../../src/core/config/config.js';
import { open } from '../../src/core/api/embedded.js';
import { ErrorReply, MapReply, type Reply } from '../../src/core/resp/reply.js';
import { Server } from '../../src/core/server.js';

function setup(config: ConfigInput = {}) {
  const clock = manualClock();
  const server = new Server({ clock, config, logger: () => undefined });
  const admin = server.connect({ kind: 'test' });
  const run = (client = admin) => (...args: string[]): Reply => server.dispatch(client, args) as Reply;
  return { server, clock, admin, run: run(admin), as: run };
}

function err(r: Reply): string {
  expect(r).toBeInstanceOf(ErrorReply);
  return (r as ErrorReply).message;
}

function mapOf(r: Reply): Record<string, Reply> {
  expect(r).toBeInstanceOf(MapReply);
  const e = (r as MapReply).entries;
  const out: Record<string, Reply> = {};
  for (let i = 0; i < e.length; i += 2) out[e[i] as string] = e[i + 1]!;
  return out;
}

describe('sha256', () => {
  it('matches node:crypto across block boundaries and binary bytes', () => {
    for (const s of ['', 'abc', 'p1', 'x'.repeat(55), 'x'.repeat(56), 'x'.repeat(64), 'y'.repeat(1000), '\xff\x00\x80']) {
      expect(sha256Hex(s)).toBe(createHash('sha256').update(Buffer.from(s, 'latin1')).digest('hex'));
    }
  });
});

describe('ACL rules', () => {
  it('keeps command rules in order, a later rule replacing an earlier one for the same command', () => {
    const { run } = setup();
    expect(run('ACL', 'SETUSER', 'u', '+get', '+set', '-get', '+config|get', '+config')).not.toBeInstanceOf(ErrorReply);
    expect(mapOf(run('ACL', 'GETUSER', 'u'))['commands']).toBe('-@all +set -get +config');
    run('ACL', 'SETUSER', 'u', '+@all', '-@dangerous', '+@read', '-@write');
    expect(mapOf(run('ACL', 'GETUSER', 'u'))['commands']).toBe('+@all -@dangerous +@read -@write');
    run('ACL', 'SETUSER', 'u', 'nocommands');
    expect(mapOf(run('ACL', 'GETUSER', 'u'))['commands']).toBe('-@all');
  });

  it('checks read and write key permissions separately', () => {
    const { run, as, server } = setup();
    run('ACL', 'SETUSER', 'u', 'on', 'nopass', '+@all', '%R~r*', '%W~w*', '~rw*');
    const u = server.connect({ kind: 'test' });
    expect(as(u)('AUTH', 'u', 'x')).not.toBeInstanceOf(ErrorReply);
    expect(as(u)('GET', 'r1')).toBe(null);
    expect(err(as(u)('SET', 'r1', 'v'))).toBe('NOPERM this user has no permissions to access one of the keys used as arguments');
    expect(as(u)('SET', 'w1', 'v')).not.toBeInstanceOf(ErrorReply);
    expect(err(as(u)('GET', 'w1'))).toMatch(/^NOPERM/);
    expect(err(as(u)('INCR', 'w1'))).toMatch(/^NOPERM/);
    expect(as(u)('EXISTS', 'w1')).toBe(1);
    expect(err(as(u)('SET', 'w1', 'v', 'GET'))).toMatch(/^NOPERM/);
    expect(as(u)('SET', 'rw1', 'v')).not.toBeInstanceOf(ErrorReply);
    expect(as(u)('GET', 'rw1')).toBe('v');
    expect(mapOf(run('ACL', 'GETUSER', 'u'))['keys']).toBe('%R~r* %W~w* ~rw*');
  });

  it('allows a first argument of a command without allowing the command', () => {
    const { run, as, server } = setup();
    run('ACL', 'SETUSER', 'u', 'on', 'nopass', '~*', '-@all', '+select|0');
    const u = server.connect({ kind: 'test' });
    as(u)('AUTH', 'u', 'x');
    expect(as(u)('SELECT', '0')).not.toBeInstanceOf(ErrorReply);
    expect(err(as(u)('SELECT', '1'))).toBe("NOPERM this user has no permissions to run the 'select' command");
  });

  it('runs a command when any selector allows it whole', () => {
    const { run, as, server } = setup();
    run('ACL', 'SETUSER', 'u', 'on', 'nopass', '+get', '~a*', '(+set ~b*)');
    const u = server.connect({ kind: 'test' });
    as(u)('AUTH', 'u', 'x');
    expect(as(u)('SET', 'b1', 'v')).not.toBeInstanceOf(ErrorReply);
    expect(as(u)('GET', 'a1')).toBe(null);
    // GET b1: the root refuses the key, the selector the command; the key is the more relevant reason.
    expect(err(as(u)('GET', 'b1'))).toMatch(/keys used as arguments/);
    expect(err(as(u)('SET', 'a1', 'v'))).toMatch(/keys used as arguments/);
    expect(err(as(u)('DEL', 'a1'))).toBe("NOPERM this user has no permissions to run the 'del' command");
  });

  it('refuses commands at MULTI queue time and aborts the transaction', () => {
    const { run, as, server } = setup();
    run('ACL', 'SETUSER', 'u', 'on', 'nopass', '+multi', '+exec', '+get', '~*');
    const u = server.connect({ kind: 'test' });
    as(u)('AUTH', 'u', 'x');
    as(u)('MULTI');
    expect(err(as(u)('SET', 'k', 'v'))).toMatch(/'set' command/);
    expect(err(as(u)('EXEC'))).toMatch(/^EXECABORT/);
    const entry = mapOf((run('ACL', 'LOG', '1') as Reply[])[0]!);
    expect(entry['context']).toBe('multi');
    expect(entry['object']).toBe('set');
  });

  it('checks queued commands again at EXEC: a refused one answers NOPERM in its place', async () => {
    const { run, as, server } = setup();
    run('ACL', 'SETUSER', 'u', 'on', 'nopass', '+@all', '~*');
    const u = server.connect({ kind: 'test' });
    as(u)('AUTH', 'u', 'x');
    as(u)('MULTI');
    as(u)('SET', 'a', '1');
    as(u)('GET', 'a');
    as(u)('INCR', 'a');
    run('ACL', 'SETUSER', 'u', '-get');
    const replies = (await as(u)('EXEC')) as Reply[];
    expect(replies).toHaveLength(3);
    expect(err(replies[1]!)).toBe("NOPERM this user has no permissions to run the 'get' command");
    expect(replies[2]).toBe(2);
    expect(run('GET', 'a')).toBe('2');
    expect(mapOf((run('ACL', 'LOG', '1') as Reply[])[0]!)['context']).toBe('multi');
  });

  it('checks channels on publish and subscribe, literally for patterns', () => {
    const { run, as, server } = setup();
    run('ACL', 'SETUSER', 'u', 'on', 'nopass', '+@all', '&news.*');
    const u = server.connect({ kind: 'test' });
    as(u)('AUTH', 'u', 'x');
    expect(as(u)('PUBLISH', 'news.a', 'm')).toBe(0);
    expect(err(as(u)('PUBLISH', 'sport', 'm'))).toMatch(/channels used as arguments/);
    expect(err(as(u)('PSUBSCRIBE', 'news.a*'))).toMatch(/channels used as arguments/);
    expect(err(as(u)('SSUBSCRIBE', 'other'))).toMatch(/channels used as arguments/);
  });

  it('disconnects subscribers whose channels a new rule takes away', () => {
    const { run, server } = setup();
    run('ACL', 'SETUSER', 'u', 'on', 'nopass', '+@all', '&news.*', '&sport');
    const u = server.connect({ kind: 'test' });
    let closed = false;
    u.sink = { push() {}, close: () => (closed = true), outputBytes: () => 0 };
    server.dispatch(u, ['AUTH', 'u', 'x']);
    server.dispatch(u, ['SUBSCRIBE', 'news.a']);
    run('ACL', 'SETUSER', 'u', 'resetchannels', '&news.*');
    expect(closed).toBe(false);
    run('ACL', 'SETUSER', 'u', 'resetchannels', '&sport');
    expect(closed).toBe(true);
  });

  it('disconnects clients of a deleted user', () => {
    const { run, server } = setup();
    run('ACL', 'SETUSER', 'u', 'on', 'nopass', '+@all');
    const u = server.connect({ kind: 'test' });
    let closed = false;
    u.sink = { push() {}, close: () => (closed = true), outputBytes: () => 0 };
    server.dispatch(u, ['AUTH', 'u', 'x']);
    expect(run('ACL', 'DELUSER', 'u')).toBe(1);
    expect(closed).toBe(true);
  });
});

describe('ACL log', () => {
  it('has Redis 7.2 fields and groups repeats within a minute', () => {
    const { run, as, server, clock } = setup();
    run('ACL', 'SETUSER', 'u', 'on', '>pw', '+get', '~a*');
    const u = server.connect({ kind: 'test', addr: '10.0.0.1:5000' });
    as(u)('AUTH', 'u', 'pw');
    as(u)('GET', 'b');
    clock.advance(1000);
    as(u)('GET', 'b');
    as(u)('AUTH', 'u', 'bad');
    const log = run('ACL', 'LOG') as Reply[];
    expect(log).toHaveLength(2);
    const auth = mapOf(log[0]!);
    expect(auth['reason']).toBe('auth');
    expect(auth['object']).toBe('AUTH');
    expect(auth['context']).toBe('toplevel');
    const key = mapOf(log[1]!);
    expect(Object.keys(key)).toEqual([
      'count', 'reason', 'context', 'object', 'username', 'age-seconds', 'client-info',
      'entry-id', 'timestamp-created', 'timestamp-last-updated',
    ]);
    expect(key['count']).toBe(2);
    expect(key['reason']).toBe('key');
    expect(key['object']).toBe('b');
    expect(key['username']).toBe('u');
    expect(key['entry-id']).toBe(0);
    expect((key['timestamp-last-updated'] as number) - (key['timestamp-created'] as number)).toBe(1000);
    expect(key['client-info']).toMatch(/addr=10\.0\.0\.1:5000 .*user=u/);
    clock.advance(61_000);
    as(u)('GET', 'b');
    expect(run('ACL', 'LOG')).toHaveLength(3);
    server.config.set('acllog-max-len', '2');
    as(u)('GET', 'c');
    expect(run('ACL', 'LOG')).toHaveLength(2);
    expect(run('ACL', 'LOG', 'RESET')).not.toBeInstanceOf(ErrorReply);
    expect(run('ACL', 'LOG')).toEqual([]);
  });
});

describe('authentication', () => {
  it('requirepass is the default user\'s password', () => {
    const { server, run } = setup({ requirepass: 'secret' });
    const c = server.connect({ kind: 'test' });
    expect(err(server.dispatch(c, ['GET', 'k']) as Reply)).toMatch(/^NOAUTH/);
    expect(err(server.dispatch(c, ['AUTH', 'nope']) as Reply)).toMatch(/^WRONGPASS/);
    expect(server.dispatch(c, ['AUTH', 'secret'])).not.toBeInstanceOf(ErrorReply);
    expect(server.dispatch(c, ['GET', 'k'])).toBe(null);
    // (the admin connection was made before AUTH: it is not authenticated either)
    expect(err(run('ACL', 'LIST'))).toMatch(/^NOAUTH/);
    server.dispatch(c, ['CONFIG', 'SET', 'requirepass', '']);
    expect(server.connect({ kind: 'test' }).authenticated).toBe(true);
    expect((server.dispatch(c, ['ACL', 'LIST']) as string[])[0]).toBe('user default on nopass ~* &* +@all');
  });

  it('a disabled user cannot authenticate', () => {
    const { run, server } = setup();
    run('ACL', 'SETUSER', 'u', 'off', '>pw', '+@all');
    const c = server.connect({ kind: 'test' });
    expect(err(server.dispatch(c, ['AUTH', 'u', 'pw']) as Reply)).toMatch(/^WRONGPASS/);
    run('ACL', 'SETUSER', 'u', 'on');
    expect(server.dispatch(c, ['AUTH', 'u', 'pw'])).not.toBeInstanceOf(ErrorReply);
    expect(server.dispatch(c, ['ACL', 'WHOAMI'])).toBe('u');
  });

  it('the embedded API runs calls as the user it was opened with', async () => {
    const base = await open();
    await base.command('ACL', 'SETUSER', 'reader', 'on', '>pw', '+get', '~*');
    const db = await open({ server: base.server, user: 'reader', password: 'pw' });
    expect(await db.command('GET', 'k')).toBe(null);
    await expect(db.command('SET', 'k', 'v')).rejects.toThrow(/NOPERM/);
    await expect(open({ server: base.server, user: 'reader', password: 'bad' })).rejects.toThrow(/WRONGPASS|invalid/);
  });
});

describe('ACL file', () => {
  it('saves and loads users through the file port', () => {
    const { run, server, as } = setup({ aclfile: '/acl/users.acl' });
    const files = new Map<string, string>();
    setAclFilePort(server, { read: (p) => files.get(p) ?? '', write: (p, t) => void files.set(p, t) });
    run('ACL', 'SETUSER', 'u', 'on', '>pw', '~a*', '+get');
    expect(run('ACL', 'SAVE')).not.toBeInstanceOf(ErrorReply);
    expect(files.get('/acl/users.acl')).toContain('user u on #');
    run('ACL', 'DELUSER', 'u');
    const c = server.connect({ kind: 'test' });
    expect(run('ACL', 'LOAD')).not.toBeInstanceOf(ErrorReply);
    expect(as(c)('AUTH', 'u', 'pw')).not.toBeInstanceOf(ErrorReply);
    files.set('/acl/users.acl', 'user v on +nosuch\n');
    expect(err(run('ACL', 'LOAD'))).toMatch(/users\.acl:1: Unknown command or category name in ACL/);
    // A refused file changes nothing.
    expect(run('ACL', 'USERS')).toEqual(['default', 'u']);
    files.set('/acl/users.acl', 'user default on #' + '0'.repeat(64) + ' ~* &* +@all\nuser w on nopass +get\n');
    expect(run('ACL', 'LOAD')).not.toBeInstanceOf(ErrorReply);
    expect(run('ACL', 'USERS')).toEqual(['default', 'w']);
    expect(server.connect({ kind: 'test' }).authenticated).toBe(false);
    files.set('/acl/users.acl', '');
    expect(run('ACL', 'LOAD')).not.toBeInstanceOf(ErrorReply);
    expect(run('ACL', 'LIST')).toEqual(['user default on nopass ~* &* +@all']);
  });

  it('answers without a configured file', () => {
    const { run } = setup();
    expect(err(run('ACL', 'SAVE'))).toMatch(/not configured to use an ACL file/);
  });
});
