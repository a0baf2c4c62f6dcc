/**
 * The list value (ring-buffer deque, encodings) and the list commands
 * against an array model with random operations.
 */
import { describe, expect, it } from 'vitest';
import { open } from '../../src/index.js';
import { manualClock } from '../../src/core/clock.js';
import { seededRandom } from '../../src/core/random.js';
import { Server } from '../../src/core/server.js';
import { ListValue, listpackEntrySize } from '../../src/core/types/list.js';

const limits = (fill: number) => ({ get: (name: string) => (name === 'list-max-listpack-size' ? fill : undefined) });

describe('ListValue', () => {
  it('pushes and pops at both ends, growing past its first capacity', () => {
    const l = new ListValue();
    for (let i = 0; i < 20; i++) l.pushTail(`t${i}`);
    for (let i = 0; i < 20; i++) l.pushHead(`h${i}`);
    expect(l.length).toBe(40);
    expect(l.at(0)).toBe('h19');
    expect(l.at(39)).toBe('t19');
    expect(l.popHead()).toBe('h19');
    expect(l.popTail()).toBe('t19');
    expect(l.range(0, 2)).toEqual(['h18', 'h17', 'h16']);
    expect(l.at(38)).toBeUndefined();
    expect(l.at(-1)).toBeUndefined();
  });

  it('inserts in the middle from either side and retains in order', () => {
    const l = ListValue.from(['a', 'b', 'c', 'd', 'e']);
    l.insertAt(1, 'x');
    l.insertAt(5, 'y');
    expect(l.toArray()).toEqual(['a', 'x', 'b', 'c', 'd', 'y', 'e']);
    expect(l.retain((v) => v !== 'c' && v !== 'y')).toBe(2);
    expect(l.toArray()).toEqual(['a', 'x', 'b', 'd', 'e']);
    expect([...l]).toEqual(['a', 'x', 'b', 'd', 'e']);
  });

  it('clones deeply', () => {
    const l = ListValue.from(['a', 'b']);
    const c = l.clone();
    c.pushTail('c');
    l.set(0, 'z');
    expect(l.toArray()).toEqual(['z', 'b']);
    expect(c.toArray()).toEqual(['a', 'b', 'c']);
  });

  it('matches an array model under random operations', () => {
    const rnd = seededRandom(42);
    const l = new ListValue();
    const model: string[] = [];
    for (let step = 0; step < 5000; step++) {
      const op = Math.floor(rnd() * 7);
      const v = `v${Math.floor(rnd() * 50)}`;
      const i = Math.floor(rnd() * (model.length + 1));
      switch (op) {
        case 0: l.pushHead(v); model.unshift(v); break;
        case 1: l.pushTail(v); model.push(v); break;
        case 2: expect(l.popHead()).toBe(model.shift()); break;
        case 3: expect(l.popTail()).toBe(model.pop()); break;
        case 4: l.insertAt(i, v); model.splice(i, 0, v); break;
        case 5: if (i < model.length) { l.set(i, v); model[i] = v; } break;
        case 6: {
          const drop = `v${Math.floor(rnd() * 50)}`;
          const removed = model.filter((x) => x === drop).length;
          expect(l.retain((x) => x !== drop)).toBe(removed);
          for (let k = model.length - 1; k >= 0; k--) if (model[k] === drop) model.splice(k, 1);
          break;
        }
      }
      expect(l.length).toBe(model.length);
    }
    expect(l.toArray()).toEqual(model);
  });
});

describe('list encodings', () => {
  it('is a listpack while small and a quicklist once over the byte limit of its size class', () => {
    const l = new ListValue();
    for (let i = 0; i < 100; i++) l.pushTail('x'.repeat(30));
    expect(l.encoding(limits(-2))).toBe('listpack'); // about 3.3 KB < 8 KB
    expect(l.encoding(limits(-1))).toBe('listpack'); // < 4 KB
    for (let i = 0; i < 100; i++) l.pushTail('x'.repeat(30));
    expect(l.encoding(limits(-1))).toBe('quicklist'); // about 6.6 KB > 4 KB
    expect(l.encoding(limits(-2))).toBe('listpack');
    expect(l.encoding(limits(-5))).toBe('listpack');
  });

  it('counts entries for a positive limit, still capped at 8 KB', () => {
    const l = new ListValue();
    for (let i = 0; i < 5; i++) l.pushTail('a');
    expect(l.encoding(limits(5))).toBe('listpack');
    expect(l.encoding(limits(4))).toBe('quicklist');
    const big = new ListValue();
    big.pushTail('y'.repeat(9000));
    expect(big.encoding(limits(128))).toBe('quicklist');
  });

  it('never converts back to a listpack when it shrinks', () => {
    const l = new ListValue();
    for (let i = 0; i < 200; i++) l.pushTail('z'.repeat(50));
    expect(l.encoding(limits(-2))).toBe('quicklist');
    while (l.length > 1) l.popTail();
    expect(l.encoding(limits(-2))).toBe('quicklist');
    expect(l.clone().encoding(limits(-2))).toBe('quicklist');
  });

  it('a single element above 64 KB makes a quicklist for every setting', () => {
    const l = new ListValue();
    l.pushHead('q'.repeat(70000));
    for (const fill of [-1, -2, -5, 1000]) expect(l.encoding(limits(fill))).toBe('quicklist');
  });

  it('sizes listpack entries like Redis: small integers compactly, strings with a length header', () => {
    expect(listpackEntrySize('7')).toBe(2);
    expect(listpackEntrySize('1000')).toBe(3);
    expect(listpackEntrySize('100000')).toBe(5);
    expect(listpackEntrySize('abc')).toBe(5);
    expect(listpackEntrySize('01')).toBe(4); // not canonical: a string
    expect(listpackEntrySize('x'.repeat(100))).toBe(103);
  });
});

describe('list commands against an array model', () => {
  it('agree after random pushes, pops, sets, inserts, removes and trims', async () => {
    const db = await open();
    const rnd = seededRandom(7);
    const model: string[] = [];
    const norm = (i: number) => (i < 0 ? model.length + i : i);
    for (let step = 0; step < 1500; step++) {
      const v = String(Math.floor(rnd() * 8));
      const i = Math.floor(rnd() * 14) - 7;
      switch (Math.floor(rnd() * 9)) {
        case 0: expect(db.commandSync('LPUSH', 'l', v, 'x')).toBe(model.unshift('x', v)); break;
        case 1: expect(db.commandSync('RPUSH', 'l', v)).toBe(model.push(v)); break;
        case 2: expect(db.commandSync('LPOP', 'l')).toBe(model.shift() ?? null); break;
        case 3: {
          const n = Math.floor(rnd() * 3);
          const reply = db.commandSync('RPOP', 'l', n);
          if (model.length === 0) expect(reply).toBeNull();
          else expect(reply).toEqual(model.splice(Math.max(0, model.length - n)).reverse());
          break;
        }
        case 4: {
          const j = norm(i);
          if (model.length === 0) expect(() => db.commandSync('LSET', 'l', i, v)).toThrow('no such key');
          else if (j < 0 || j >= model.length) expect(() => db.commandSync('LSET', 'l', i, v)).toThrow('index out of range');
          else { expect(db.commandSync('LSET', 'l', i, v)).toBe('OK'); model[j] = v; }
          break;
        }
        case 5: {
          const at = model.indexOf(v);
          const reply = db.commandSync('LINSERT', 'l', 'AFTER', v, 'n');
          if (model.length === 0) expect(reply).toBe(0);
          else if (at === -1) expect(reply).toBe(-1);
          else { model.splice(at + 1, 0, 'n'); expect(reply).toBe(model.length); }
          break;
        }
        case 6: {
          const count = Math.floor(rnd() * 5) - 2;
          let removed = 0;
          if (count >= 0) {
            for (let k = 0; k < model.length; k++) {
              if (model[k] === v && (count === 0 || removed < count)) { model.splice(k--, 1); removed++; }
            }
          } else {
            for (let k = model.length - 1; k >= 0 && removed < -count; k--) if (model[k] === v) { model.splice(k, 1); removed++; }
          }
          expect(db.commandSync('LREM', 'l', count, v)).toBe(removed);
          break;
        }
        case 7: {
          if (rnd() < 0.8) break;
          const start = Math.max(0, norm(i));
          const stop = Math.min(model.length - 1, norm(i + 5));
          expect(db.commandSync('LTRIM', 'l', i, i + 5)).toBe('OK');
          const kept = start > stop ? [] : model.slice(start, stop + 1);
          model.splice(0, model.length, ...kept);
          break;
        }
        case 8: expect(db.commandSync('LINDEX', 'l', i)).toBe(model[norm(i)] ?? null); break;
      }
      expect(db.commandSync('LLEN', 'l')).toBe(model.length);
    }
    expect(db.commandSync('LRANGE', 'l', 0, -1)).toEqual(model);
    // An empty list is never kept.
    db.commandSync('LTRIM', 'l', 1, 0);
    expect(db.commandSync('LPUSHX', 'l', 'a')).toBe(0);
    await db.close();
  });

  it('LPOS finds ranks, counts and respects MAXLEN like a scan of the model', async () => {
    const db = await open();
    const items = ['a', 'b', 'a', 'c', 'a', 'b'];
    db.commandSync('RPUSH', 'l', ...items);
    expect(db.commandSync('LPOS', 'l', 'a', 'COUNT', 0)).toEqual([0, 2, 4]);
    expect(db.commandSync('LPOS', 'l', 'a', 'RANK', -1, 'COUNT', 2)).toEqual([4, 2]);
    expect(db.commandSync('LPOS', 'l', 'b', 'RANK', 2)).toBe(5);
    expect(db.commandSync('LPOS', 'l', 'b', 'RANK', 3)).toBeNull();
    expect(db.commandSync('LPOS', 'l', 'a', 'COUNT', 0, 'MAXLEN', 3)).toEqual([0, 2]);
    await db.close();
  });
});

describe('OBJECT ENCODING of lists', () => {
  it('follows list-max-listpack-size and stays quicklist once converted', async () => {
    const db = await open();
    db.commandSync('RPUSH', 'l', 'a', 'b');
    expect(db.commandSync('OBJECT', 'ENCODING', 'l')).toBe('listpack');
    db.commandSync('CONFIG', 'SET', 'list-max-listpack-size', '3');
    db.commandSync('RPUSH', 'l', 'c');
    expect(db.commandSync('OBJECT', 'ENCODING', 'l')).toBe('listpack');
    db.commandSync('RPUSH', 'l', 'd');
    expect(db.commandSync('OBJECT', 'ENCODING', 'l')).toBe('quicklist');
    db.commandSync('LTRIM', 'l', 0, 0);
    expect(db.commandSync('OBJECT', 'ENCODING', 'l')).toBe('quicklist');
    db.commandSync('CONFIG', 'SET', 'list-max-listpack-size', '-2');
    db.commandSync('RPUSH', 'big', 'x'.repeat(9000));
    expect(db.commandSync('OBJECT', 'ENCODING', 'big')).toBe('quicklist');
    await db.close();
  });
});

describe('lists and lazy expiry', () => {
  it('a write to an expired list deletes it first and logs the deletion before the command', () => {
    const clock = manualClock();
    const server = new Server({ clock, logger: () => {} });
    const log: string[] = [];
    server.setWriteLog((_, commands) => {
      for (const c of commands) log.push(c.join(' '));
    });
    const c = server.connect({ kind: 'test' });
    server.dispatch(c, ['RPUSH', 'l', 'a']);
    server.dispatch(c, ['PEXPIRE', 'l', '10']);
    clock.advance(20);
    expect(server.dispatch(c, ['LLEN', 'l'])).toBe(0);
    expect(server.dispatch(c, ['LPUSH', 'l', 'b'])).toBe(1);
    expect(server.dispatch(c, ['TTL', 'l'])).toBe(-1);
    expect(log.slice(-2)).toEqual(['DEL l', 'LPUSH l b']);
  });
});
