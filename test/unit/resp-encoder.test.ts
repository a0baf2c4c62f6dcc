/**
 * The reply encoder: every reply type in RESP2 and RESP3, byte for byte
 * against the RESP3 specification and what redis-server 7.0 sends for the
 * same replies (RESP2 downgrades: maps and sets as flat arrays, doubles as
 * bulk strings, booleans as 0/1 integers).
 */
import { describe, expect, it } from 'vitest';
import { portableCodec, u8ToBytes } from '../../src/core/bytes.js';
import { RespWriter, type Protocol } from '../../src/core/resp/encoder.js';
import {
  BigNumberReply, BoolReply, DoubleReply, ErrorReply, MapReply, NO_REPLY, NULL_ARRAY, OK, PONG, PushReply,
  RawReply, SetReply, SimpleString, VerbatimReply, type Reply,
} from '../../src/core/resp/reply.js';
import { bufferCodec } from '../../src/adapters/node/buffer-codec.js';

/** Encodes with a tiny initial buffer, so every reply also exercises growing it. */
function encode(reply: Reply, proto: Protocol, codec = portableCodec): string {
  const w = new RespWriter(codec, 1);
  w.write(reply, proto);
  return u8ToBytes(w.take());
}

const cases: [string, Reply, string, string][] = [
  // name, reply, RESP2, RESP3
  ['bulk string', 'hello', '$5\r\nhello\r\n', '$5\r\nhello\r\n'],
  ['empty bulk string', '', '$0\r\n\r\n', '$0\r\n\r\n'],
  ['binary bulk string', '\x00\xff\r\n', '$4\r\n\x00\xff\r\n\r\n', '$4\r\n\x00\xff\r\n\r\n'],
  ['null bulk', null, '$-1\r\n', '_\r\n'],
  ['null array', NULL_ARRAY, '*-1\r\n', '_\r\n'],
  ['integer', 42, ':42\r\n', ':42\r\n'],
  ['zero', 0, ':0\r\n', ':0\r\n'],
  ['negative integer', -17, ':-17\r\n', ':-17\r\n'],
  ['large integer', 2 ** 53 - 1, ':9007199254740991\r\n', ':9007199254740991\r\n'],
  ['bigint integer', -9223372036854775808n, ':-9223372036854775808\r\n', ':-9223372036854775808\r\n'],
  ['simple string', OK, '+OK\r\n', '+OK\r\n'],
  ['PONG', PONG, '+PONG\r\n', '+PONG\r\n'],
  ['error', new ErrorReply('ERR unknown command'), '-ERR unknown command\r\n', '-ERR unknown command\r\n'],
  ['error with newlines', new ErrorReply('ERR a\r\nb\nc'), '-ERR a  b c\r\n', '-ERR a  b c\r\n'],
  ['empty array', [], '*0\r\n', '*0\r\n'],
  ['array', ['a', 1, null], '*3\r\n$1\r\na\r\n:1\r\n$-1\r\n', '*3\r\n$1\r\na\r\n:1\r\n_\r\n'],
  ['nested array', [['a'], []], '*2\r\n*1\r\n$1\r\na\r\n*0\r\n', '*2\r\n*1\r\n$1\r\na\r\n*0\r\n'],
  ['map', new MapReply(['f', 'v', 'n', 1]), '*4\r\n$1\r\nf\r\n$1\r\nv\r\n$1\r\nn\r\n:1\r\n', '%2\r\n$1\r\nf\r\n$1\r\nv\r\n$1\r\nn\r\n:1\r\n'],
  ['empty map', new MapReply([]), '*0\r\n', '%0\r\n'],
  ['set', new SetReply(['a', 'b']), '*2\r\n$1\r\na\r\n$1\r\nb\r\n', '~2\r\n$1\r\na\r\n$1\r\nb\r\n'],
  ['double', new DoubleReply(1.5), '$3\r\n1.5\r\n', ',1.5\r\n'],
  ['integral double', new DoubleReply(10), '$2\r\n10\r\n', ',10\r\n'],
  ['negative double', new DoubleReply(-0.25), '$5\r\n-0.25\r\n', ',-0.25\r\n'],
  ['inexact double (%.17g)', new DoubleReply(0.1), '$19\r\n0.10000000000000001\r\n', ',0.10000000000000001\r\n'],
  ['tiny double (as redis-server prints it)', new DoubleReply(1e-20), '$22\r\n9.9999999999999995e-21\r\n', ',9.9999999999999995e-21\r\n'],
  ['inf', new DoubleReply(Infinity), '$3\r\ninf\r\n', ',inf\r\n'],
  ['-inf', new DoubleReply(-Infinity), '$4\r\n-inf\r\n', ',-inf\r\n'],
  ['nan', new DoubleReply(NaN), '$3\r\nnan\r\n', ',nan\r\n'],
  ['true', new BoolReply(true), ':1\r\n', '#t\r\n'],
  ['false', new BoolReply(false), ':0\r\n', '#f\r\n'],
  ['verbatim', new VerbatimReply('txt', 'Some string'), '$11\r\nSome string\r\n', '=15\r\ntxt:Some string\r\n'],
  ['big number', new BigNumberReply('3492890328409238509324850943850943825024385'), '$43\r\n3492890328409238509324850943850943825024385\r\n', '(3492890328409238509324850943850943825024385\r\n'],
  ['push', new PushReply(['message', 'ch', 'hi']), '*3\r\n$7\r\nmessage\r\n$2\r\nch\r\n$2\r\nhi\r\n', '>3\r\n$7\r\nmessage\r\n$2\r\nch\r\n$2\r\nhi\r\n'],
  ['raw', new RawReply('+QUEUED\r\n'), '+QUEUED\r\n', '+QUEUED\r\n'],
  ['no reply', NO_REPLY, '', ''],
  ['map of mixed replies', new MapReply([new SimpleString('server'), 'redis', 'proto', 3, 'modules', []]),
    '*6\r\n+server\r\n$5\r\nredis\r\n$5\r\nproto\r\n:3\r\n$7\r\nmodules\r\n*0\r\n',
    '%3\r\n+server\r\n$5\r\nredis\r\n$5\r\nproto\r\n:3\r\n$7\r\nmodules\r\n*0\r\n'],
  ['set of doubles inside an array', [new SetReply([new DoubleReply(2)]), new BoolReply(true)],
    '*2\r\n*1\r\n$1\r\n2\r\n:1\r\n', '*2\r\n~1\r\n,2\r\n#t\r\n'],
];

describe('RespWriter: every reply type', () => {
  it.each(cases)('%s', (_name, reply, resp2, resp3) => {
    expect(encode(reply, 2)).toBe(resp2);
    expect(encode(reply, 3)).toBe(resp3);
    // Node's Buffer codec gives the same bytes.
    expect(encode(reply, 2, bufferCodec)).toBe(resp2);
    expect(encode(reply, 3, bufferCodec)).toBe(resp3);
  });
});

describe('RespWriter: buffering', () => {
  it('appends many replies into one buffer and empties on take', () => {
    const w = new RespWriter(portableCodec, 8);
    for (let i = 0; i < 1000; i++) w.write(`v${i}`, 2);
    const first = u8ToBytes(w.take());
    expect(first.startsWith('$2\r\nv0\r\n$2\r\nv1\r\n')).toBe(true);
    expect(first.endsWith('$4\r\nv999\r\n')).toBe(true);
    expect(w.length).toBe(0);
    w.write(OK, 2);
    expect(u8ToBytes(w.take())).toBe('+OK\r\n');
  });

  it('encodes large binary bulks (both codecs)', () => {
    let big = '';
    for (let i = 0; i < 300_000; i++) big += String.fromCharCode(i % 256);
    for (const codec of [portableCodec, bufferCodec]) {
      const w = new RespWriter(codec, 16);
      w.write(big, 3);
      const out = u8ToBytes(w.take());
      expect(out).toBe(`$300000\r\n${big}\r\n`);
    }
  });

  it('take hands out a copy the writer does not touch again', () => {
    const w = new RespWriter(portableCodec, 64);
    w.write('first', 2);
    const a = w.take();
    w.write('other', 2);
    expect(u8ToBytes(a)).toBe('$5\r\nfirst\r\n');
  });

  it('refuses values that are not replies', () => {
    const w = new RespWriter();
    expect(() => w.write({} as unknown as Reply, 2)).toThrow(/Cannot encode reply/);
  });
});
