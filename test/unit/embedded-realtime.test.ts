/**
 * The embedded API's live features: pub/sub handlers and iterators,
 * transactions with optimistic locking, and watchKeys.
 */
import { describe, expect, it } from 'vitest';
import { open, ReplyError } from '../../src/index.js';

describe('embedded pub/sub', () => {
  it('delivers messages to handlers and counts them as subscribers', async () => {
    const db = await open();
    const got: string[] = [];
    const stop = db.subscribe('news', (m) => got.push(`${m.channel}:${m.message}`));
    const stopP = db.subscribe('n*', (m) => got.push(`${m.pattern}|${m.channel}:${m.message}`), { pattern: true });
    expect(await db.command('PUBLISH', 'news', 'héllo')).toBe(2);
    expect(await db.command('PUBSUB', 'NUMSUB', 'news')).toEqual(['news', 1]);
    stop();
    expect(await db.command('PUBLISH', 'news', 'again')).toBe(1);
    stopP();
    expect(await db.command('PUBLISH', 'news', 'gone')).toBe(0);
    expect(got).toEqual(['news:héllo', 'n*|news:héllo', 'n*|news:again']);
    await db.close();
  });

  it('iterates messages in order and unsubscribes on break', async () => {
    const db = await open();
    const it = db.messages('q');
    await db.command('PUBLISH', 'q', '1');
    await db.command('PUBLISH', 'q', '2');
    const seen: string[] = [];
    for await (const m of it) {
      seen.push(m.message);
      if (seen.length === 2) break;
    }
    expect(seen).toEqual(['1', '2']);
    expect(await db.command('PUBSUB', 'NUMSUB', 'q')).toEqual(['q', 0]);
    await db.close();
  });

  it('fails a consumer that falls too far behind instead of growing without bound', async () => {
    const db = await open();
    const it = db.messages('flood', { maxQueued: 3 });
    for (let i = 0; i < 5; i++) await db.command('PUBLISH', 'flood', String(i));
    await it.next();
    await it.next();
    await it.next();
    await expect(it.next()).rejects.toThrow(/Cannot keep up with subscription/);
    await db.close();
  });
});

describe('embedded transactions', () => {
  it('runs queued commands as one unit and reports per-command errors', async () => {
    const db = await open();
    const replies = await db.multi().set('a', 'x').add('SET', 'b', '2').get('a').incr('a').exec();
    expect(replies!.slice(0, 3)).toEqual(['OK', 'OK', 'x']);
    expect(replies![3]).toBeInstanceOf(ReplyError);
    expect((replies![3] as ReplyError).message).toBe('ERR value is not an integer or out of range');
    await db.close();
  });

  it('returns null when a watched key changed before exec', async () => {
    const db = await open();
    await db.set('balance', '100');
    const tx = await db.watch('balance');
    const balance = Number(await tx.get('balance'));
    await db.set('balance', '50'); // someone else
    expect(await tx.multi().set('balance', String(balance - 10)).exec()).toBeNull();
    expect(await db.get('balance')).toBe('50');

    const tx2 = await db.watch('balance');
    const b2 = Number(await tx2.get('balance'));
    expect(await tx2.multi().set('balance', String(b2 - 10)).exec()).toEqual(['OK']);
    expect(await db.get('balance')).toBe('40');
    await db.close();
  });

  it('refuses an unknown command while queuing, discarding the transaction', async () => {
    const db = await open();
    await expect(db.multi().set('a', '1').add('NOPE').exec()).rejects.toThrow(/unknown command 'NOPE'/);
    expect(await db.get('a')).toBeNull();
    await db.close();
  });
});

describe('watchKeys', () => {
  it('hands the new value after each change, once per key per turn, and null on delete', async () => {
    const db = await open();
    const changes: unknown[] = [];
    const stop = db.watchKeys('todo:*', (c) => changes.push([c.key, c.value, c.type]));
    await db.set('todo:1', 'a');
    await db.set('other', 'ignored');
    db.commandSync('SET', 'todo:2', 'x');
    db.commandSync('SET', 'todo:2', 'y');
    await Promise.resolve();
    await db.multi().set('todo:3', 'z').del('todo:1').exec();
    await db.command('FLUSHDB');
    await Promise.resolve();
    stop();
    await db.set('todo:9', 'after stop');
    await Promise.resolve();
    expect(changes).toEqual([
      ['todo:1', 'a', 'string'],
      ['todo:2', 'y', 'string'],
      ['todo:3', 'z', 'string'],
      ['todo:1', null, null],
      ['todo:2', null, null],
      ['todo:3', null, null],
    ]);
    await db.close();
  });
});
