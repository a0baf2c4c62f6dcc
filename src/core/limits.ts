/**
 * Connection limits: who may connect (maxclients; protected mode: with no
 * password and bound to every interface, only loopback peers), idle
 * clients (timeout, closed by the server cron), and how much output a
 * normal client may leave unread (client-output-buffer-limit's normal
 * class; the pubsub class is enforced where messages are delivered).
 * This module is browser compatible.
 */
import type { Client } from './client.js';
import type { Server } from './server.js';

export const MAX_CLIENTS_REACHED = 'ERR max number of clients reached';

export const PROTECTED_MODE_DENIED =
  "DENIED Redis is running in protected mode because protected mode is enabled and no password is set for the default user. In this mode connections are only accepted from the loopback interface. If you want to connect from external computers to Redis you may adopt one of the following solutions: 1) Just disable protected mode sending the command 'CONFIG SET protected-mode no' from the loopback interface by connecting to Redis from the same host the server is running, however MAKE SURE Redis is not publicly accessible from internet if you do so. Use CONFIG REWRITE to make this change permanent. 2) Alternatively you can just disable the protected mode by editing the Redis configuration file, and setting the protected mode option to 'no', and then restarting the server. 3) If you started the server manually just for testing, restart it with the '--protected-mode no' option. 4) Setup a an authentication password for the default user. NOTE: You only need to do one of the above things in order for the server to start accepting connections from the outside.";

/** The host part of `ip:port` (IPv6 addresses keep their colons). */
export function hostOf(addr: string): string {
  const i = addr.lastIndexOf(':');
  return i < 0 ? addr : addr.slice(0, i);
}

export function isLoopback(host: string): boolean {
  return host.startsWith('127.') || host === '::1' || host.startsWith('::ffff:127.') || host === 'localhost';
}

/**
 * Whether a new network connection may stay: null, or the error it gets
 * before it is closed. Called once the client is registered (so it counts
 * toward maxclients, as in Redis).
 */
export function admissionRefusal(server: Server, client: Client): string | null {
  if (server.clients.size > server.config.int('maxclients')) {
    server.stats.rejectedConnections++;
    server.stats.connectionsReceived--;
    return MAX_CLIENTS_REACHED;
  }
  if (server.config.bool('protected-mode') && client.info.addr !== undefined && boundToAll(server) && !isLoopback(hostOf(client.info.addr))) {
    const nopass = server.ext['defaultNopass'] as (() => boolean) | undefined;
    if (nopass !== undefined ? nopass() : server.config.str('requirepass') === '') return PROTECTED_MODE_DENIED;
  }
  return null;
}

/** Addresses meaning "every interface" in `bind`. */
const ANY_ADDRESS = new Set(['*', '-*', '0.0.0.0', '::', '-::*', '::*']);

/**
 * Whether the node listens on every interface: the addresses the transport
 * bound (`ext.bindAddresses`, set by the Node entry point), else `bind`.
 */
export function boundToAll(server: Server): boolean {
  const bound = (server.ext['bindAddresses'] as readonly string[] | undefined) ?? (server.config.get('bind') as string[] | string);
  const list = typeof bound === 'string' ? bound.split(/\s+/).filter((a) => a !== '') : bound;
  return list.length === 0 || list.some((a) => ANY_ADDRESS.has(a));
}

export interface OutputLimit {
  hard: number;
  soft: number;
  softSeconds: number;
}

/** Parses client-output-buffer-limit ("<class> <hard> <soft> <seconds>" ...) into its classes. */
export function parseOutputLimits(text: string): Map<string, OutputLimit> {
  const out = new Map<string, OutputLimit>();
  const words = text.trim().split(/\s+/);
  for (let i = 0; i + 3 < words.length; i += 4) {
    const cls = words[i]!.toLowerCase() === 'slave' ? 'replica' : words[i]!.toLowerCase();
    out.set(cls, { hard: memoryValue(words[i + 1]!), soft: memoryValue(words[i + 2]!), softSeconds: Number(words[i + 3]) });
  }
  return out;
}

function memoryValue(word: string): number {
  const m = /^(\d+)(b|k|kb|m|mb|g|gb)?$/i.exec(word);
  if (m === null) return 0;
  const unit = (m[2] ?? 'b').toLowerCase();
  const mult = { b: 1, k: 1000, kb: 1024, m: 1000 ** 2, mb: 1024 ** 2, g: 1000 ** 3, gb: 1024 ** 3 }[unit]!;
  return Number(m[1]) * mult;
}

export type OutputClass = 'normal' | 'pubsub';

export class Limits {
  /** The normal class's limit, or null when it has none (the default). */
  normal: OutputLimit | null = null;
  /** The pubsub class's limit (checked as messages are delivered), or null. */
  pubsub: OutputLimit | null = null;

  constructor(private readonly server: Server) {
    const read = () => {
      const all = parseOutputLimits(server.config.str('client-output-buffer-limit'));
      const active = (l: OutputLimit | undefined) => (l !== undefined && (l.hard > 0 || l.soft > 0) ? l : null);
      this.normal = active(all.get('normal'));
      this.pubsub = active(all.get('pubsub'));
    };
    read();
    server.config.onChange((name) => {
      if (name === 'client-output-buffer-limit') read();
    });
    server.addCronJob((now) => this.closeIdle(now));
  }

  static of(server: Server): Limits {
    return (server.ext['limits'] ??= new Limits(server)) as Limits;
  }

  /**
   * After output was handed to a client's transport: true (and counted)
   * when what it leaves unread passes its class's hard limit, or stays over
   * the soft limit for its seconds; the caller then drops the client.
   * Normal clients are checked as replies are flushed, subscribers as
   * messages are delivered.
   */
  checkOutput(client: Client, pending: number, cls: OutputClass = 'normal'): boolean {
    const limit = cls === 'normal' ? this.normal : this.pubsub;
    if (limit === null || (cls === 'normal' && client.ext['subscribed'] === true)) return false;
    let over = limit.hard > 0 && pending > limit.hard;
    if (!over && limit.soft > 0 && pending > limit.soft) {
      const now = this.server.clock.monotonic();
      const since = (client.ext['outputSoftSince'] as number | undefined) ?? now;
      client.ext['outputSoftSince'] = since;
      over = now - since >= limit.softSeconds * 1000;
    } else if (!over) {
      delete client.ext['outputSoftSince'];
    }
    if (!over) return false;
    this.server.log('warning', `Client id=${client.id} addr=${client.info.addr ?? '?'} closed for overcoming of output buffer limits (${pending} bytes, class ${cls}).`);
    this.server.stats.clientOutputBufferLimitDisconnections++;
    return true;
  }

  /** `timeout`: closes clients idle longer, except subscribers and blocked clients (as Redis). */
  private closeIdle(now: number): void {
    const timeout = this.server.config.int('timeout');
    if (timeout <= 0) return;
    for (const c of this.server.clients.values()) {
      if (c.sink === undefined || c.info.kind === 'embedded') continue;
      if (c.ext['subscribed'] === true || c.ext['blocked'] !== undefined || c.ext['monitor'] === true) continue;
      if (now - c.lastInteraction > timeout * 1000) {
        this.server.log('verbose', `Closing idle client id=${c.id}`);
        c.sink.close();
      }
    }
  }
}
