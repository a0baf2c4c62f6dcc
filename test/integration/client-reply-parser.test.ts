/**
 * The client's reply parser: every RESP2/RESP3 type, replies split at every
 * byte, many replies in one read, and what the server's encoder writes parses
 * back to the same value.
 */
import { describe, expect, it } from 'vitest';
import { encodeCommand, ReplyParser, ReplyProtocolError } from '../../src/core/client/reply-parser.js';
import { RespWriter } from '../../src/core/resp/encoder.js';
import {
  BigNumberReply, BoolReply, DoubleReply, ErrorReply, MapReply, PushReply, SetReply, SimpleString, VerbatimReply, type Reply,
} from '../../src/core/resp/reply.js';

const bytes = (s: string) => Uint8Array.from(s, (c) => c.charCodeAt(0));

function parseAll(input: string, splitAt: number[] = []): Reply[] {
  const p = new ReplyParser();
  const out: Reply[] = [];
  let last = 0;
  for (const at of [...splitAt, input.length]) {
    p.feed(bytes(input.slice(last, at)), (r) => out.push(r));
    last = at;
  }
  expect(p.buffered).toBe(0);
  return out;
}

const cases: [string, string, Reply][] = [
  ['simple string', '+OK\r\n', new SimpleString('OK')],
  ['error', '-ERR bad\r\n', new ErrorReply('ERR bad')],
  ['integer', ':-42\r\n', -42],
  ['big integer', ':9223372036854775807\r\n', 9223372036854775807n],
  ['bulk', '$5\r\nh\r\nlo\r\n', 'h\r\nlo'],
  ['binary bulk', '$3\r\n\x00\xff\x80\r\n', '\x00\xff\x80'],
  ['null bulk', '$-1\r\n', null],
  ['null array', '*-1\r\n', null],
  ['RESP3 null', '_\r\n', null],
  ['nested array', '*2\r\n*1\r\n:1\r\n$0\r\n\r\n', [[1], '']],
  ['map', '%2\r\n+a\r\n:1\r\n$1\r\nb\r\n,2.5\r\n', new MapReply([new SimpleString('a'), 1, 'b', new DoubleReply(2.5)])],
  ['set', '~2\r\n$1\r\nx\r\n$1\r\ny\r\n', new SetReply(['x', 'y'])],
  ['push', '>3\r\n$7\r\nmessage\r\n$2\r\nch\r\n$2\r\nhi\r\n', new PushReply(['message', 'ch', 'hi'])],
  ['double inf', ',-inf\r\n', new DoubleReply(-Infinity)],
  ['boolean', '#t\r\n', new BoolReply(true)],
  ['big number', '(123456789012345678901234567890\r\n', new BigNumberReply('123456789012345678901234567890')],
  ['verbatim', '=8\r\ntxt:some\r\n', new VerbatimReply('txt', 'some')],
  ['bulk error', '!9\r\nERR oops!\r\n', new ErrorReply('ERR oops!')],
  ['attributes are skipped', '|1\r\n+ttl\r\n:3\r\n:7\r\n', 7],
  ['attributes inside an array', '*2\r\n|1\r\n+a\r\n*1\r\n:1\r\n:5\r\n:6\r\n', [5, 6]],
  ['empty aggregates', '*2\r\n*0\r\n%0\r\n', [[], new MapReply([])]],
];

describe('ReplyParser', () => {
  it.each(cases)('parses %s', (_name, wire, expected) => {
    expect(parseAll(wire)).toEqual([expected]);
  });

  it.each(cases)('parses %s split at every byte', (_name, wire, expected) => {
    for (let i = 1; i < wire.length; i++) expect(parseAll(wire, [i])).toEqual([expected]);
  });

  it('parses many replies in one read, in order', () => {
    const wire = cases.map(([, w]) => w).join('');
    expect(parseAll(wire)).toEqual(cases.map(([, , r]) => r));
  });

  it('waits for a large bulk arriving in small pieces', () => {
    const big = 'x'.repeat(100_000);
    const wire = `$${big.length}\r\n${big}\r\n:1\r\n`;
    const cuts = Array.from({ length: 99 }, (_, i) => (i + 1) * 1000);
    expect(parseAll(wire, cuts)).toEqual([big, 1]);
  });

  it('keeps the finished elements of a large array between pieces', () => {
    const n = 20_000;
    const wire = `*${n}\r\n` + Array.from({ length: n }, (_, i) => `$${String(i).length}\r\n${i}\r\n`).join('');
    const cuts = Array.from({ length: Math.floor(wire.length / 997) }, (_, i) => (i + 1) * 997);
    const [arr] = parseAll(wire, cuts) as string[][];
    expect(arr).toHaveLength(n);
    expect(arr![n - 1]).toBe(String(n - 1));
  });

  it('reads back what the server encoder writes, RESP2 and RESP3', () => {
    const replies: Reply[] = ['v', 5, null, ['a', [1, 2]], new SimpleString('OK'), new MapReply(['k', 'v']), new SetReply(['m']), new DoubleReply(1.5), new BoolReply(false)];
    for (const proto of [2, 3] as const) {
      const w = new RespWriter();
      for (const r of replies) w.write(r, proto);
      const out: Reply[] = [];
      new ReplyParser().feed(w.take(), (r) => out.push(r));
      expect(out).toHaveLength(replies.length);
      if (proto === 3) expect(out).toEqual(replies);
      else expect(out.slice(5)).toEqual([['k', 'v'], ['m'], '1.5', 0]);
    }
  });

  it('rejects bytes that are not RESP', () => {
    expect(() => new ReplyParser().feed(bytes('HTTP/1.1 200 OK\r\n'), () => {})).toThrow(ReplyProtocolError);
  });
});

describe('encodeCommand', () => {
  it('writes a binary-safe multibulk', () => {
    const out = encodeCommand(['SET', 'k\r\n', '\x00\xff']);
    expect(String.fromCharCode(...out)).toBe('*3\r\n$3\r\nSET\r\n$3\r\nk\r\n\r\n$2\r\n\x00\xff\r\n');
  });
});
