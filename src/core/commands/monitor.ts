/**
 * MONITOR: every command the server runs, as one line pushed to each
 * monitoring client: `+<unix time>.<usec> [<db> <addr>] "arg" "arg" ...`.
 * Admin commands are not shown (as in Redis).
 * This module is browser compatible.
 */
import type { Bytes } from '../bytes.js';
import type { Client } from '../client.js';
import { OK, SimpleString } from '../resp/reply.js';
import type { Server } from '../server.js';
import { onClientReset } from './connection.js';
import { command, type CommandSpec } from './types.js';

/** Redis's sdscatrepr: a quoted string with non-printable bytes escaped. */
export function quoteRepr(s: Bytes): string {
  let out = '"';
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    switch (c) {
      case 0x5c: out += '\\\\'; break;
      case 0x22: out += '\\"'; break;
      case 0x0a: out += '\\n'; break;
      case 0x0d: out += '\\r'; break;
      case 0x09: out += '\\t'; break;
      case 0x07: out += '\\a'; break;
      case 0x08: out += '\\b'; break;
      default:
        out += c >= 0x20 && c <= 0x7e ? s[i] : `\\x${c.toString(16).padStart(2, '0')}`;
    }
  }
  return `${out}"`;
}

/** The line MONITOR shows for one command. */
export function monitorLine(nowMs: number, db: number, addr: string, args: Bytes[]): string {
  const usec = Math.round(nowMs * 1000);
  const sec = Math.floor(usec / 1e6);
  let line = `${sec}.${String(usec - sec * 1e6).padStart(6, '0')} [${db} ${addr}]`;
  for (const a of args) line += ` ${quoteRepr(a)}`;
  return line;
}

export class Monitors {
  readonly clients = new Set<Client>();

  constructor(server: Server) {
    server.onDisconnect((c) => this.clients.delete(c));
    onClientReset(server, (c) => {
      this.clients.delete(c);
      delete c.ext['monitor'];
    });
  }

  add(client: Client): void {
    client.ext['monitor'] = true;
    this.clients.add(client);
  }

  feed(client: Client, spec: CommandSpec, args: Bytes[], nowMs: number): void {
    if (spec.flags.includes('admin') || spec.flags.includes('skip_monitor')) return;
    const line = new SimpleString(monitorLine(nowMs, client.db, client.info.addr ?? client.info.kind ?? 'embedded', args));
    for (const m of this.clients) m.sink?.push(line);
  }
}

export function monitors(server: Server): Monitors {
  return (server.ext['monitors'] ??= new Monitors(server)) as Monitors;
}

export const monitorCommand = command({
  name: 'monitor', arity: 1, flags: ['admin', 'noscript', 'loading', 'stale'], group: 'server',
  summary: 'Listens for all requests received by the server in real-time.', since: '1.0.0',
  handler(ctx) {
    monitors(ctx.server).add(ctx.client);
    return OK;
  },
});
