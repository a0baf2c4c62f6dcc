/**
 * Bounded, seeded fuzzing of the RESP request path. Random and mutated
 * requests go to the parser directly and to a real server; the parser may
 * only ever refuse with a ProtocolError, and the server must stay up and
 * keep serving a healthy client. Property: well-formed commands split at
 * random points give the same commands (parser) and the same replies
 * (server) as when sent whole. Fixed seeds and iteration counts: a failure
 * reproduces.
 */
import net from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ProtocolError, RequestParser } from '../../src/core/resp/decoder.js';
import { seededRandom } from '../../src/core/random.js';
import { listen, type ListeningServer } from '../../src/node.js';
import { RawClient, encodeCommand, replyEnd } from '../helpers/resp-client.js';

type Rng = () => number;
const int = (rng: Rng, n: number) => Math.floor(rng() * n);
const pick = <T>(rng: Rng, xs: readonly T[]): T => xs[int(rng, xs.length)]!;

function randomBytes(rng: Rng, n: number): string {
  let s = '';
  for (let i = 0; i < n; i++) s += String.fromCharCode(int(rng, 256));
  return s;
}

/** A well-formed command on a few keys: strings, counters, deletes, echoes. */
function randomCommand(rng: Rng): string[] {
  const key = `k${int(rng, 8)}`;
  const value = rng() < 0.3 ? String(int(rng, 1000) - 500) : randomBytes(rng, int(rng, 40));
  switch (int(rng, 9)) {
    case 0: return ['SET', key, value];
    case 1: return ['GET', key];
    case 2: return ['INCR', key];
    case 3: return ['APPEND', key, value];
    case 4: return ['DEL', key, `k${int(rng, 8)}`];
    case 5: return ['ECHO', value];
    case 6: return ['MSET', key, value, `k${int(rng, 8)}`, value];
    case 7: return ['GETRANGE', key, String(int(rng, 10) - 5), String(int(rng, 10) - 3)];
    default: return ['EXISTS', key, 'nokey'];
  }
}

const NASTY = ['*-1\r\n', '*0\r\n', '*99999999999\r\n', '$-5\r\n', '$99999999999\r\n', '*2\r\n$3\r\nGET\r\n*1\r\n', '\r\n', '*1\r\n$0\r\n\r\n',
  '"unbalanced\r\n', "'x\r\n", '*3\r\n$3\r\nSET\r\n$1\r\na\r\n$1\r\nbc\r\n', '*1\r\n$4\r\nPING', '+OK\r\n', ':12\r\n', '*2\r\n:1\r\n:2\r\n',
  '$3\r\nabc\r\n', 'PING PING PING\r\n', '\x00\x00\x00\r\n', '*\r\n', '$\r\n', '*1\r\n$\r\n'];

/** A request as a client might mangle it: random bytes, nasty fragments, or a valid command mutated. */
function fuzzInput(rng: Rng): string {
  const kind = int(rng, 4);
  if (kind === 0) return randomBytes(rng, int(rng, 200));
  if (kind === 1) {
    let s = '';
    for (let i = int(rng, 5) + 1; i > 0; i--) s += rng() < 0.5 ? pick(rng, NASTY) : encodeCommand(randomCommand(rng));
    return s;
  }
  let s = encodeCommand(randomCommand(rng));
  if (kind === 3) s = randomCommand(rng).join(' ') + '\r\n';
  for (let m = int(rng, 4) + 1; m > 0; m--) {
    const at = int(rng, s.length + 1);
    switch (int(rng, 5)) {
      case 0: s = s.slice(0, at) + String.fromCharCode(s.charCodeAt(at) ^ (1 << int(rng, 8))) + s.slice(at + 1); break;
      case 1: s = s.slice(0, at); break;
      case 2: s = s.slice(0, at) + pick(rng, ['\r\n', '*', '$', '-1', '999999999', '\r', '\n', '"']) + s.slice(at); break;
      case 3: s = s.slice(0, at) + s.slice(at + int(rng, 4)); break;
      default: s = s.slice(0, at) + s.slice(int(rng, s.length)); break;
    }
  }
  return s;
}

function bytesOf(s: string): Uint8Array {
  const b = new Uint8Array(s.length);
  for (let i = 0; i < s.length; i++) b[i] = s.charCodeAt(i);
  return b;
}

/** Splits bytes at random points. */
function splitRandomly(rng: Rng, b: Uint8Array): Uint8Array[] {
  const out: Uint8Array[] = [];
  let p = 0;
  while (p < b.length) {
    const n = 1 + int(rng, Math.min(64, b.length - p));
    out.push(b.subarray(p, p + n));
    p += n;
  }
  return out;
}

const LIMITS = { maxBulkLen: 1024 * 1024, maxQueryBuffer: 4 * 1024 * 1024, maxMultibulkLen: 1024 * 1024 };

describe('RESP parser fuzzing', () => {
  it('refuses bad input only with ProtocolError, whatever the chunking', () => {
    const rng = seededRandom(0xc0ffee);
    for (let i = 0; i < 3000; i++) {
      const parser = new RequestParser(LIMITS);
      const input = bytesOf(fuzzInput(rng));
      try {
        for (const chunk of splitRandomly(rng, input)) parser.feed(chunk, () => true);
      } catch (e) {
        if (!(e instanceof ProtocolError)) throw new Error(`iteration ${i}: ${String(e)} on ${JSON.stringify(input)}`);
      }
    }
  });

  it('property: well-formed commands split anywhere parse to the same commands', () => {
    const rng = seededRandom(42);
    for (let i = 0; i < 500; i++) {
      const cmds: string[][] = [];
      for (let n = int(rng, 10) + 1; n > 0; n--) cmds.push(randomCommand(rng));
      const bytes = bytesOf(cmds.map(encodeCommand).join(''));
      const whole: string[][] = [];
      new RequestParser(LIMITS).feed(bytes, (a) => void whole.push([...a]));
      const split: string[][] = [];
      const parser = new RequestParser(LIMITS);
      for (const chunk of splitRandomly(rng, bytes)) parser.feed(chunk.slice(), (a) => void split.push([...a]));
      expect(whole).toEqual(cmds);
      expect(split).toEqual(cmds);
    }
  });
});

describe('server fuzzing', () => {
  let srv: ListeningServer;
  let admin: RawClient;

  beforeAll(async () => {
    srv = await listen({ port: 0 });
    admin = await RawClient.connect(srv.port);
    // Fuzzed connections run as the default user, kept away from what could stop or stall the server.
    expect(await admin.call('ACL', 'SETUSER', 'ops', 'on', '>ops', '~*', '&*', '+@all')).toBe('+OK\r\n');
    expect(await admin.call('AUTH', 'ops', 'ops')).toBe('+OK\r\n');
    const allowed = ['get', 'set', 'incr', 'append', 'del', 'echo', 'mset', 'mget', 'getrange', 'exists', 'strlen', 'getset',
      'ping', 'multi', 'exec', 'discard', 'hello', 'auth', 'quit', 'reset', 'type', 'keys', 'scan', 'expire', 'ttl'];
    const restricted = await admin.call('ACL', 'SETUSER', 'default', 'resetkeys', '~*', '-@all', ...allowed.map((c) => `+${c}`));
    expect(restricted).toBe('+OK\r\n');
  });

  afterAll(async () => {
    admin?.close();
    await srv?.close();
  });

  /** Sends bytes in random chunks, gives the server a turn, and drops the connection. */
  async function throwAt(rng: Rng, input: string): Promise<void> {
    const socket = net.connect({ port: srv.port, host: '127.0.0.1' });
    socket.on('error', () => {});
    socket.on('data', () => {});
    await new Promise<void>((resolve) => socket.once('connect', () => resolve()));
    for (const chunk of splitRandomly(rng, bytesOf(input))) {
      if (socket.destroyed) break;
      socket.write(chunk);
      if (rng() < 0.2) await new Promise((r) => setImmediate(r));
    }
    await new Promise((r) => setImmediate(r));
    socket.destroy();
  }

  it('survives random and mutated requests and keeps serving a healthy client', async () => {
    const rng = seededRandom(7);
    for (let round = 0; round < 20; round++) {
      const batch: Promise<void>[] = [];
      for (let i = 0; i < 10; i++) batch.push(throwAt(rng, fuzzInput(rng)));
      await Promise.all(batch);
      expect(await admin.call('PING')).toBe('+PONG\r\n');
    }
    expect(await admin.call('SET', 'health', 'ok')).toBe('+OK\r\n');
    expect(await admin.call('GET', 'health')).toBe('$2\r\nok\r\n');
  });

  /** Sends bytes (whole or split) and returns the raw replies once `count` have arrived. */
  async function exchange(bytes: Uint8Array, count: number, chunks: Uint8Array[] | null): Promise<string> {
    const socket = net.connect({ port: srv.port, host: '127.0.0.1' });
    socket.on('error', () => {});
    let buf = Buffer.alloc(0);
    const done = new Promise<string>((resolve, reject) => {
      socket.on('data', (d) => {
        buf = Buffer.concat([buf, d]);
        let p = 0;
        let n = 0;
        while (n < count) {
          const end = replyEnd(buf, p);
          if (end === -1) return;
          p = end;
          n++;
        }
        resolve(buf.toString('latin1'));
      });
      socket.on('close', () => reject(new Error(`closed after ${JSON.stringify(buf.toString('latin1'))}`)));
    });
    await new Promise<void>((resolve) => socket.once('connect', () => resolve()));
    socket.write(encodeCommandBytes(['AUTH', 'ops', 'ops']));
    socket.write(encodeCommandBytes(['FLUSHALL']));
    if (chunks === null) socket.write(bytes);
    else for (const c of chunks) {
      socket.write(c);
      await new Promise((r) => setImmediate(r));
    }
    const out = await done;
    socket.destroy();
    return out;
  }

  it('property: split requests get the same replies as whole ones', async () => {
    const rng = seededRandom(1234);
    for (let i = 0; i < 30; i++) {
      const cmds: string[][] = [];
      for (let n = int(rng, 20) + 1; n > 0; n--) cmds.push(randomCommand(rng));
      const bytes = bytesOf(cmds.map(encodeCommand).join(''));
      const whole = await exchange(bytes, cmds.length + 2, null);
      const split = await exchange(bytes, cmds.length + 2, splitRandomly(rng, bytes));
      expect(split).toBe(whole);
    }
  });
});

function encodeCommandBytes(args: string[]): Buffer {
  return Buffer.from(encodeCommand(args), 'latin1');
}
