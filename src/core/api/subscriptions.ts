/**
 * Pub/sub for the embedded API: a handler per message, or an async iterator.
 * Each subscription is a client of its own, so it counts in PUBSUB NUMSUB
 * and CLIENT LIST like a network subscriber, and a slow iterator is bounded
 * like a slow connection.
 * This module is browser compatible.
 */
import { bytesToU8, bytesToUtf8, toBytes, type Bytes } from '../bytes.js';
import { PubSub } from '../pubsub.js';
import { PushReply, type Reply } from '../resp/reply.js';
import type { Server } from '../server.js';

export interface Message<T = string> {
  channel: T;
  message: T;
  /** The pattern that matched, for pattern subscriptions. */
  pattern?: T;
}

export interface SubscribeOptions {
  /** Channels are glob patterns (PSUBSCRIBE). */
  pattern?: boolean;
  /** Messages as Uint8Array instead of UTF-8 text. */
  bytes?: boolean;
}

type Decoded = string | Uint8Array;

/** Subscribes `handler`; returns the function that ends the subscription. */
export function subscribe(
  server: Server,
  channels: (string | Uint8Array)[],
  handler: (m: Message<Decoded>) => void,
  options: SubscribeOptions = {},
): () => void {
  const decode = (b: Bytes): Decoded => (options.bytes ? bytesToU8(b) : bytesToUtf8(b));
  const client = server.connect({ kind: 'embedded-subscriber' });
  let open = true;
  const close = () => {
    if (!open) return;
    open = false;
    server.disconnect(client);
  };
  client.sink = {
    push(reply: Reply) {
      if (!(reply instanceof PushReply)) return;
      const [kind, a, b, c] = reply.items as Bytes[];
      try {
        if (kind === 'message') handler({ channel: decode(a!), message: decode(b!) });
        else if (kind === 'pmessage') handler({ pattern: decode(a!), channel: decode(b!), message: decode(c!) });
      } catch (e) {
        server.log('warning', `Subscriber handler failed: ${e instanceof Error ? e.message : String(e)}`);
      }
    },
    close,
    outputBytes: () => 0,
  };
  PubSub.of(server).subscribe(client, options.pattern ? 'pattern' : 'channel', channels.map(toBytes));
  return close;
}

export interface IterateOptions extends SubscribeOptions {
  /** Messages held for a consumer that has not caught up; past it the iterator fails. */
  maxQueued?: number;
}

/** Subscribes and yields messages in order; `return()` (or `break`) unsubscribes. */
export function iterate(server: Server, channels: (string | Uint8Array)[], options: IterateOptions = {}): AsyncIterableIterator<Message<Decoded>> {
  const max = options.maxQueued ?? 10_000;
  const queue: Message<Decoded>[] = [];
  let waiting: ((r: IteratorResult<Message<Decoded>>) => void) | null = null;
  let failed: Error | null = null;
  let done = false;
  const stop = subscribe(
    server,
    channels,
    (m) => {
      if (waiting !== null) {
        const w = waiting;
        waiting = null;
        w({ value: m, done: false });
      } else if (queue.length >= max) {
        failed = new Error(`Cannot keep up with subscription: more than ${max} messages are waiting`);
        stop();
      } else queue.push(m);
    },
    options,
  );
  const finish = (): IteratorResult<Message<Decoded>> => {
    done = true;
    stop();
    return { value: undefined, done: true };
  };
  return {
    [Symbol.asyncIterator]() {
      return this;
    },
    next() {
      if (queue.length > 0) return Promise.resolve({ value: queue.shift()!, done: false });
      if (failed !== null) return Promise.reject(failed);
      if (done) return Promise.resolve({ value: undefined, done: true });
      return new Promise((resolve) => (waiting = resolve));
    },
    return() {
      const r = finish();
      if (waiting !== null) waiting(r);
      return Promise.resolve(r);
    },
  };
}
