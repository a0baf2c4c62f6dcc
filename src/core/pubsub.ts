/**
 * Publish/subscribe: channels, patterns and shard channels, keyspace
 * notifications, and the output-buffer limit that keeps a slow subscriber
 * from growing memory without bound (it is disconnected, as Redis does).
 * This module is browser compatible.
 */
import type { Bytes } from './bytes.js';
import type { Client } from './client.js';
import { globMatch } from './glob.js';
import { ErrorReply, PushReply, type Reply } from './resp/reply.js';
import { Limits } from './limits.js';
import type { Server } from './server.js';

interface Subscriptions {
  channels: Set<Bytes>;
  patterns: Set<Bytes>;
  shard: Set<Bytes>;
}

const SUBSCRIBER_COMMANDS = new Set(['subscribe', 'ssubscribe', 'unsubscribe', 'sunsubscribe', 'psubscribe', 'punsubscribe', 'ping', 'quit', 'reset']);

/** Keyspace event classes, as in notify-keyspace-events. */
const CLASS_CHARS = 'g$lshzxetmdn';
const ALL_CLASSES = 'g$lshzxetd';

/** Parses notify-keyspace-events; null when it has a character Redis refuses. */
export function parseNotifyFlags(text: string): Set<string> | null {
  const out = new Set<string>();
  for (const c of text) {
    if (c === 'A') for (const a of ALL_CLASSES) out.add(a);
    else if (c === 'K' || c === 'E' || CLASS_CHARS.includes(c)) out.add(c);
    else return null;
  }
  return out;
}

/** The canonical form Redis shows for notify-keyspace-events. */
export function formatNotifyFlags(flags: Set<string>): string {
  let s = '';
  if ([...ALL_CLASSES].every((c) => flags.has(c))) s += 'A';
  else for (const c of ALL_CLASSES) if (flags.has(c)) s += c;
  if (flags.has('K')) s += 'K';
  if (flags.has('E')) s += 'E';
  if (flags.has('m')) s += 'm';
  if (flags.has('n')) s += 'n';
  return s;
}

export class PubSub {
  readonly channels = new Map<Bytes, Set<Client>>();
  readonly patterns = new Map<Bytes, Set<Client>>();
  readonly shardChannels = new Map<Bytes, Set<Client>>();
  private notifyFlags = new Set<string>();

  constructor(private readonly server: Server) {
    server.onDisconnect((c) => this.unsubscribeAll(c));
    ((server.ext['resetHooks'] ??= []) as ((c: Client) => void)[]).push((c) => this.unsubscribeAll(c));
    server.addFilter((client, spec) => {
      // RESP2 subscriber mode: only these commands, as Redis allows.
      if (client.resp !== 2 || client.ext['subscribed'] !== true || SUBSCRIBER_COMMANDS.has(spec.parentName ?? spec.name)) return undefined;
      return new ErrorReply(
        `ERR Can't execute '${spec.parentName ? `${spec.parentName}|${spec.name}` : spec.name}': only (P|S)SUBSCRIBE / (P|S)UNSUBSCRIBE / PING / QUIT / RESET are allowed in this context`,
      );
    });
    server.engine.onNotify((type, event, key, db) => this.keyspaceEvent(type, event, key, db));
    const read = () => {
      this.notifyFlags = parseNotifyFlags(server.config.str('notify-keyspace-events')) ?? new Set();
    };
    read();
    server.config.onChange((name) => {
      if (name === 'notify-keyspace-events') read();
    });
  }

  static of(server: Server): PubSub {
    return (server.ext['pubsub'] ??= new PubSub(server)) as PubSub;
  }

  subs(client: Client): Subscriptions {
    let s = client.ext['subs'] as Subscriptions | undefined;
    if (s === undefined) client.ext['subs'] = s = { channels: new Set(), patterns: new Set(), shard: new Set() };
    return s;
  }

  /** Channels plus patterns: the count in (un)subscribe confirmations. */
  count(client: Client): number {
    const s = client.ext['subs'] as Subscriptions | undefined;
    return s === undefined ? 0 : s.channels.size + s.patterns.size;
  }

  private updateMode(client: Client): void {
    const s = client.ext['subs'] as Subscriptions | undefined;
    client.ext['subscribed'] = s !== undefined && s.channels.size + s.patterns.size + s.shard.size > 0;
  }

  subscribe(client: Client, kind: 'channel' | 'pattern' | 'shard', names: Bytes[]): Reply[] {
    const s = this.subs(client);
    const [mine, all, verb] =
      kind === 'channel' ? [s.channels, this.channels, 'subscribe'] :
      kind === 'pattern' ? [s.patterns, this.patterns, 'psubscribe'] :
      [s.shard, this.shardChannels, 'ssubscribe'];
    const out: Reply[] = [];
    for (const name of names) {
      if (!mine.has(name)) {
        mine.add(name);
        let set = all.get(name);
        if (set === undefined) all.set(name, (set = new Set()));
        set.add(client);
      }
      out.push(new PushReply([verb, name, kind === 'shard' ? s.shard.size : this.count(client)]));
    }
    this.updateMode(client);
    return out;
  }

  unsubscribe(client: Client, kind: 'channel' | 'pattern' | 'shard', names: Bytes[]): Reply[] {
    const s = this.subs(client);
    const [mine, all, verb] =
      kind === 'channel' ? [s.channels, this.channels, 'unsubscribe'] :
      kind === 'pattern' ? [s.patterns, this.patterns, 'punsubscribe'] :
      [s.shard, this.shardChannels, 'sunsubscribe'];
    const targets = names.length > 0 ? names : [...mine];
    const out: Reply[] = [];
    for (const name of targets) {
      if (mine.delete(name)) {
        const set = all.get(name)!;
        set.delete(client);
        if (set.size === 0) all.delete(name);
      }
      out.push(new PushReply([verb, name, kind === 'shard' ? s.shard.size : this.count(client)]));
    }
    if (targets.length === 0) out.push(new PushReply([verb, null, kind === 'shard' ? s.shard.size : this.count(client)]));
    this.updateMode(client);
    return out;
  }

  unsubscribeAll(client: Client): void {
    const s = client.ext['subs'] as Subscriptions | undefined;
    if (s === undefined) return;
    for (const [mine, all] of [[s.channels, this.channels], [s.patterns, this.patterns], [s.shard, this.shardChannels]] as const) {
      for (const name of mine) {
        const set = all.get(name);
        set?.delete(client);
        if (set?.size === 0) all.delete(name);
      }
      mine.clear();
    }
    this.updateMode(client);
  }

  /** Delivers a message; returns how many subscriptions received it. */
  publish(channel: Bytes, message: Bytes): number {
    let n = 0;
    const direct = this.channels.get(channel);
    if (direct !== undefined) {
      // One reply for every subscriber: it is encoded once per protocol.
      const msg = new PushReply(['message', channel, message]);
      for (const c of direct) {
        this.deliver(c, msg);
        n++;
      }
    }
    for (const [pattern, clients] of this.patterns) {
      if (!globMatch(pattern, channel)) continue;
      const msg = new PushReply(['pmessage', pattern, channel, message]);
      for (const c of clients) {
        this.deliver(c, msg);
        n++;
      }
    }
    return n;
  }

  publishShard(channel: Bytes, message: Bytes): number {
    const set = this.shardChannels.get(channel);
    if (set === undefined) return 0;
    const msg = new PushReply(['smessage', channel, message]);
    for (const c of set) this.deliver(c, msg);
    return set.size;
  }

  private deliver(client: Client, msg: Reply): void {
    const sink = client.sink;
    if (sink === undefined) return;
    sink.push(msg);
    const limits = Limits.of(this.server);
    if (limits.pubsub !== null && limits.checkOutput(client, sink.outputBytes(), 'pubsub')) sink.close();
  }

  private keyspaceEvent(type: string, event: string, key: Bytes, db: number): void {
    const f = this.notifyFlags;
    if (f.size === 0 || !f.has(type)) return;
    if (f.has('K')) this.publish(`__keyspace@${db}__:${key}`, event);
    if (f.has('E')) this.publish(`__keyevent@${db}__:${event}`, key);
  }
}
