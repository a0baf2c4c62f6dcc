/**
 * The streaming request parser: commands split at every byte boundary, many
 * per read, inline commands, big bulks across reads, and every limit with
 * Redis's exact protocol error (the cases below were checked byte for byte
 * against redis-server 7.0.15 over a socket).
 */
import { describe, expect, it } from 'vitest';
import { u8ToBytes } from '../../src/core/bytes.js';
import { DEFAULT_PARSER_LIMITS, ProtocolError, RequestParser, splitInline } from '../../src/core/resp/decoder.js';

const enc = (s: string) => Uint8Array.from(s, (c) => c.charCodeAt(0));

function encodeCommand(args: string[]): string {
  return `*${args.length}\r\n${args.map((a) => `$${a.length}\r\n${a}\r\n`).join('')}`;
}

/** Feeds `chunks` in order; returns the commands and the protocol error, if any. */
function parseChunks(chunks: Uint8Array[], parser = new RequestParser()): { commands: string[][]; error?: ProtocolError } {
  const commands: string[][] = [];
  try {
    for (const c of chunks) parser.feed(c, (args) => void commands.push(args));
  } catch (e) {
    if (!(e instanceof ProtocolError)) throw e;
    return { commands, error: e };
  }
  return { commands };
}

const parseAll = (s: string) => parseChunks([enc(s)]);

/** A small deterministic PRNG (mulberry32), so failures reproduce. */
function prng(seed: number): () => number {
  return () => {
    seed = (seed + 0x6d2b79f5) | 0;
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

describe('RequestParser: framing', () => {
  it('parses one multibulk command', () => {
    expect(parseAll('*3\r\n$3\r\nSET\r\n$1\r\nk\r\n$5\r\nhello\r\n').commands).toEqual([['SET', 'k', 'hello']]);
  });

  it('parses many commands in one read, keeping order', () => {
    const stream = encodeCommand(['PING']) + 'ECHO a\r\n' + encodeCommand(['GET', 'x']) + encodeCommand(['ECHO', '']);
    expect(parseAll(stream).commands).toEqual([['PING'], ['ECHO', 'a'], ['GET', 'x'], ['ECHO', '']]);
  });

  it('gives the same commands when split at every byte boundary', () => {
    const stream = encodeCommand(['SET', 'key', 'va\r\nlue']) + 'PING "a b"\r\n' + encodeCommand(['GET', '']) + 'ECHO x\n';
    const whole = parseAll(stream).commands;
    expect(whole).toEqual([['SET', 'key', 'va\r\nlue'], ['PING', 'a b'], ['GET', ''], ['ECHO', 'x']]);
    const bytes = enc(stream);
    for (let i = 0; i <= bytes.length; i++) {
      for (let j = i; j <= bytes.length; j += 7) {
        const r = parseChunks([bytes.subarray(0, i), bytes.subarray(i, j), bytes.subarray(j)]);
        expect(r.error).toBeUndefined();
        expect(r.commands).toEqual(whole);
      }
    }
  });

  it('gives the same commands one byte per read', () => {
    const stream = encodeCommand(['MSET', 'a', '1', 'b', '2']) + 'PING\r\n';
    const bytes = enc(stream);
    const chunks = Array.from(bytes, (_, i) => bytes.subarray(i, i + 1));
    expect(parseChunks(chunks).commands).toEqual([['MSET', 'a', '1', 'b', '2'], ['PING']]);
  });

  it('property: random command streams split at random points decode the same as whole', () => {
    const random = prng(20261122);
    const randomArg = (): string => {
      const kind = random();
      const len = kind < 0.05 ? 0 : kind < 0.9 ? Math.floor(random() * 40) : Math.floor(random() * 70_000);
      let s = '';
      for (let i = 0; i < len; i++) s += String.fromCharCode(Math.floor(random() * 256));
      return s;
    };
    for (let round = 0; round < 60; round++) {
      const expected: string[][] = [];
      let stream = '';
      const n = 1 + Math.floor(random() * 30);
      for (let c = 0; c < n; c++) {
        if (random() < 0.2) {
          const words = Array.from({ length: 1 + Math.floor(random() * 4) }, () => `w${Math.floor(random() * 1000)}`);
          stream += words.join(' ') + (random() < 0.5 ? '\r\n' : '\n');
          expected.push(words);
        } else {
          const args = Array.from({ length: 1 + Math.floor(random() * 6) }, randomArg);
          stream += encodeCommand(args);
          expected.push(args);
        }
      }
      const bytes = enc(stream);
      const cuts = Array.from({ length: Math.floor(random() * 12) }, () => Math.floor(random() * (bytes.length + 1))).sort((a, b) => a - b);
      const chunks: Uint8Array[] = [];
      let prev = 0;
      for (const cut of [...cuts, bytes.length]) {
        chunks.push(bytes.subarray(prev, cut));
        prev = cut;
      }
      const parser = new RequestParser();
      const split = parseChunks(chunks, parser);
      expect(split.error).toBeUndefined();
      expect(split.commands).toEqual(expected);
      expect(parser.buffered).toBe(0);
    }
  });

  it('reads a large bulk arriving across many reads, holding only the unfinished request', () => {
    const big = 'x'.repeat(3 * 1024 * 1024);
    const bytes = enc(encodeCommand(['SET', 'big', big]));
    const parser = new RequestParser();
    const got: string[][] = [];
    for (let p = 0; p < bytes.length; p += 65536) {
      parser.feed(bytes.subarray(p, p + 65536), (a) => void got.push(a));
      if (p + 65536 < bytes.length) expect(parser.buffered).toBeLessThanOrEqual(p + 65536);
    }
    expect(got.length).toBe(1);
    expect(got[0]![2]!.length).toBe(big.length);
    expect(parser.buffered).toBe(0);
  });

  it('keeps binary bytes as binary-string chars 0-255', () => {
    const raw = Uint8Array.from({ length: 256 }, (_, i) => i);
    const head = enc('*2\r\n$4\r\nECHO\r\n$256\r\n');
    const bytes = new Uint8Array(head.length + 258);
    bytes.set(head);
    bytes.set(raw, head.length);
    bytes.set(enc('\r\n'), head.length + 256);
    expect(parseChunks([bytes]).commands[0]![1]).toBe(u8ToBytes(raw));
  });

  it('ignores empty and non-positive multibulks and blank inline lines, as Redis does', () => {
    expect(parseAll('*0\r\n*-5\r\n\r\n   \r\n\nPING\r\n').commands).toEqual([['PING']]);
  });

  it('does not check the two bytes after a bulk (Redis skips them too)', () => {
    expect(parseAll('*1\r\n$4\r\nPINGxx').commands).toEqual([['PING']]);
  });

  it('stops when the callback returns false and resumes later', () => {
    const parser = new RequestParser();
    const got: string[][] = [];
    parser.feed(enc('PING\r\nECHO a\r\n' + encodeCommand(['GET', 'k'])), (a) => {
      got.push(a);
      return false;
    });
    expect(got).toEqual([['PING']]);
    parser.resume((a) => void got.push(a));
    expect(got).toEqual([['PING'], ['ECHO', 'a'], ['GET', 'k']]);
    expect(parser.buffered).toBe(0);
  });
});

describe('RequestParser: inline commands', () => {
  it.each([
    ['PING', ['PING']],
    ['  SET  k   v  ', ['SET', 'k', 'v']],
    ['ECHO "a b"', ['ECHO', 'a b']],
    ['ECHO "\\x41\\n\\r\\t\\b\\a\\"\\\\"', ['ECHO', 'A\n\r\t\b\x07"\\']],
    ['ECHO "\\xzz"', ['ECHO', 'xzz']],
    ['ECHO "\\xA"', ['ECHO', 'xA']],
    ["ECHO 'a\\'b'", ['ECHO', "a'b"]],
    ["ECHO 'a\\nb'", ['ECHO', 'a\\nb']],
    ['ECHO ""', ['ECHO', '']],
    ['ECHO a""', ['ECHO', 'a']],
    ['PING a\rb', ['PING', 'a', 'b']],
  ])('splits %j', (line, args) => {
    expect(splitInline(line)).toEqual(args);
  });

  it('a line ends at \\n, with or without \\r', () => {
    expect(parseAll('PING\nPING\r\n').commands).toEqual([['PING'], ['PING']]);
  });
});

describe('RequestParser: protocol errors (Redis 7.0.15 strings)', () => {
  it.each([
    ['*abc\r\n', 'Protocol error: invalid multibulk length'],
    ['*05\r\n$4\r\nPING\r\n', 'Protocol error: invalid multibulk length'],
    ['*-0\r\n', 'Protocol error: invalid multibulk length'],
    ['*+1\r\n', 'Protocol error: invalid multibulk length'],
    ['*3000000000\r\n', 'Protocol error: invalid multibulk length'],
    ['*1\n$4\r\nPING\r\n', 'Protocol error: invalid multibulk length'],
    ['*1\r\n$-1\r\n', 'Protocol error: invalid bulk length'],
    ['*1\r\n$04\r\nPING\r\n', 'Protocol error: invalid bulk length'],
    ['*1\r\n$+4\r\nPING\r\n', 'Protocol error: invalid bulk length'],
    ['*1\r\n$600000000\r\n', 'Protocol error: invalid bulk length'],
    ['*1\r\nx4\r\nPING\r\n', "Protocol error: expected '$', got 'x'"],
    ['PING "a\r\n', 'Protocol error: unbalanced quotes in request'],
    ['PING "a"b\r\n', 'Protocol error: unbalanced quotes in request'],
    ['ECHO "a\\"\r\n', 'Protocol error: unbalanced quotes in request'],
    ["ECHO 'a\\\\'\r\n", 'Protocol error: unbalanced quotes in request'],
    ['A'.repeat(70_000), 'Protocol error: too big inline request'],
    ['*' + '1'.repeat(70_000), 'Protocol error: too big mbulk count string'],
    ['*1\r\n$' + '1'.repeat(70_000), 'Protocol error: too big bulk count string'],
  ])('%j -> %s', (input, message) => {
    const r = parseAll(input);
    expect(r.error?.reply).toBe(message);
    expect(r.error?.replyToClient).toBe(true);
  });

  it('delivers the commands before the bad one', () => {
    const r = parseAll('PING\r\n' + 'A'.repeat(66_000));
    expect(r.commands).toEqual([['PING']]);
    expect(r.error?.reply).toBe('Protocol error: too big inline request');
  });

  it('a big bulk split across reads is not mistaken for a big count line', () => {
    const r = parseChunks([enc('*2\r\n$4\r\nECHO\r\n$100000\r\n' + 'x'.repeat(70_000)), enc('x'.repeat(30_000) + '\r\n')]);
    expect(r.error).toBeUndefined();
    expect(r.commands[0]![1]!.length).toBe(100_000);
  });

  it('proto-max-bulk-len bounds one argument', () => {
    const parser = new RequestParser({ ...DEFAULT_PARSER_LIMITS, maxBulkLen: 10 });
    expect(parseChunks([enc(encodeCommand(['ECHO', 'x'.repeat(10)]))], parser).commands).toHaveLength(1);
    expect(parseChunks([enc(encodeCommand(['ECHO', 'x'.repeat(11)]))], parser).error?.reply).toBe('Protocol error: invalid bulk length');
  });

  it('the query buffer limit closes the connection without a reply', () => {
    const parser = new RequestParser({ ...DEFAULT_PARSER_LIMITS, maxQueryBuffer: 1024 });
    const r = parseChunks([enc('*2\r\n$4\r\nECHO\r\n$2000\r\n' + 'x'.repeat(1100))], parser);
    expect(r.error?.reply).toBe('client reached the query buffer limit');
    expect(r.error?.replyToClient).toBe(false);
  });

  it('an argument larger than the query buffer limit closes the connection even when it arrives whole', () => {
    const parser = new RequestParser({ ...DEFAULT_PARSER_LIMITS, maxQueryBuffer: 1024 });
    const r = parseChunks([enc(encodeCommand(['ECHO', 'x'.repeat(2000)]))], parser);
    expect(r.error?.reply).toBe('client reached the query buffer limit');
    expect(r.error?.replyToClient).toBe(false);
  });

  it('many commands in one read may together exceed the query buffer limit', () => {
    const parser = new RequestParser({ ...DEFAULT_PARSER_LIMITS, maxQueryBuffer: 1024 });
    const r = parseChunks([enc(encodeCommand(['ECHO', 'x'.repeat(900)]).repeat(10))], parser);
    expect(r.error).toBeUndefined();
    expect(r.commands).toHaveLength(10);
  });
});
