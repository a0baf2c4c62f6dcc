/**
 * One client's state: who it is, which database and protocol it uses, and
 * how to reach it with pushed messages. Sessions (network connections) and
 * the embedded API each own one.
 * This module is browser compatible.
 */
import type { Protocol } from './resp/encoder.js';
import type { Reply } from './resp/reply.js';

/** How a client is reached outside the request/reply flow (push messages, kill). */
export interface ClientSink {
  push(reply: Reply): void;
  close(): void;
  /** Bytes waiting to be sent to this client. */
  outputBytes(): number;
}

export interface ClientInfo {
  addr?: string;
  laddr?: string;
  /** 'tcp', 'tls', 'ws', 'embedded', ... */
  kind?: string;
}

export class Client {
  name = '';
  db = 0;
  resp: Protocol = 2;
  user = 'default';
  authenticated = true;
  libName = '';
  libVer = '';
  lastCommand = 'NULL';
  /** on | off | skip (CLIENT REPLY) */
  replyMode: 'on' | 'off' | 'skip' = 'on';
  noEvict = false;
  noTouch = false;
  /** Set by QUIT and CLIENT KILL: close once the pending replies are out. */
  closing = false;
  readonly createdAt: number;
  lastInteraction: number;
  /** Bytes held for an unfinished request (for CLIENT LIST qbuf). */
  queryBuffer = 0;
  sink: ClientSink | undefined;
  /** Extension slots for transactions, subscriptions, tracking and blocking (set by those modules). */
  readonly ext: Record<string, unknown> = {};

  constructor(readonly id: number, readonly info: ClientInfo, now: number) {
    this.createdAt = now;
    this.lastInteraction = now;
  }
}
