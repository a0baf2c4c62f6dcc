/**
 * One client described the way CLIENT LIST and CLIENT INFO print it, with
 * Redis 7.2's fields in Redis's order. Other modules keep their per-client
 * state in `client.ext`; the names read here are listed in `ClientExt`.
 * This module is browser compatible.
 */
import type { Client } from '../client.js';

/** The `client.ext` slots this module reads (each written by the module that owns it). */
export interface ClientExt {
  /** pubsub (../pubsub.ts): the client's subscriptions. */
  subs?: { channels: { size: number }; patterns: { size: number }; shard: { size: number } };
  subscribed?: boolean;
  /** transactions (../transactions.ts): set while in MULTI. */
  multi?: { queue: unknown[] };
  /** transactions: watched keys; `dirty` once one changed (EXEC will fail). */
  watch?: { dirty: boolean };
  /** blocking commands: set while blocked. */
  blocked?: unknown;
  /** MONITOR: set while monitoring. */
  monitor?: boolean;
  /** tracking (../tracking.ts): set while tracking is on. */
  tracking?: { redirect: number };
}

export type ClientType = 'normal' | 'master' | 'replica' | 'pubsub';

/** CLIENT LIST TYPE / CLIENT KILL TYPE names (slave is replica's old name). */
export function clientTypeByName(name: string): ClientType | undefined {
  switch (name.toLowerCase()) {
    case 'normal': return 'normal';
    case 'master': return 'master';
    case 'slave':
    case 'replica': return 'replica';
    case 'pubsub': return 'pubsub';
    default: return undefined;
  }
}

export function clientType(client: Client): ClientType {
  if (client.ext['monitor'] === true) return 'replica';
  if (client.ext['subscribed'] === true) return 'pubsub';
  return 'normal';
}

function size(v: unknown): number {
  return v !== null && typeof v === 'object' && typeof (v as { size?: unknown }).size === 'number' ? (v as { size: number }).size : 0;
}

function flags(client: Client): string {
  const e = client.ext as ClientExt;
  let f = '';
  if (e.monitor === true) f += 'O';
  if (e.subscribed === true) f += 'P';
  if (e.multi !== undefined) f += 'x';
  if (e.blocked) f += 'b';
  if (e.tracking !== undefined) f += 't';
  if (e.watch?.dirty === true) f += 'd';
  if (client.closing) f += 'c';
  if (client.noEvict) f += 'e';
  if (client.noTouch) f += 'T';
  return f === '' ? 'N' : f;
}

/** One line of CLIENT LIST, without the trailing newline. */
export function describeClient(client: Client, now: number): string {
  const e = client.ext as ClientExt;
  const omem = client.sink?.outputBytes() ?? 0;
  const qbuf = client.queryBuffer;
  const multi = e.multi !== undefined ? e.multi.queue.length : -1;
  return (
    `id=${client.id} addr=${client.info.addr ?? ''} laddr=${client.info.laddr ?? ''} fd=-1 name=${client.name}` +
    ` age=${Math.max(0, Math.floor((now - client.createdAt) / 1000))} idle=${Math.max(0, Math.floor((now - client.lastInteraction) / 1000))}` +
    ` flags=${flags(client)} db=${client.db} sub=${size(e.subs?.channels)} psub=${size(e.subs?.patterns)} ssub=${size(e.subs?.shard)}` +
    ` multi=${multi} qbuf=${qbuf} qbuf-free=0 argv-mem=0 multi-mem=0 rbs=1024 rbp=0 obl=0 oll=0 omem=${omem}` +
    ` tot-mem=${qbuf + omem + 1024} events=${omem > 0 ? 'rw' : 'r'} cmd=${client.lastCommand} user=${client.user}` +
    ` redir=${e.tracking !== undefined ? e.tracking.redirect : -1} resp=${client.resp} lib-name=${client.libName} lib-ver=${client.libVer}`
  );
}
