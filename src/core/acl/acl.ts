/**
 * The server's ACL: its users, the permission check every command passes
 * before it runs (commands, keys, channels), authentication, and the ACL
 * log of refusals. Installed on every Server; `requirepass` is the default
 * user's password, as in Redis.
 * This module is browser compatible.
 */
import type { Bytes } from '../bytes.js';
import type { Client } from '../client.js';
import { describeClient } from '../commands/client-info.js';
import { keyIndexes } from '../commands/table.js';
import type { CommandSpec } from '../commands/types.js';
import { ErrorReply } from '../resp/reply.js';
import type { Server } from '../server.js';
import { AclLog, type LogReason } from './log.js';
import { keyPermission } from './key-access.js';
import { fullName, indexCommands, type CommandIndex, type Selector } from './selector.js';
import { User } from './user.js';

export interface Denial {
  reason: Exclude<LogReason, 'auth'>;
  /** The command, key or channel refused. */
  object: string;
}

/** Redis 7.0's NOPERM replies. */
export function nopermMessage(d: Denial): string {
  if (d.reason === 'command') return `NOPERM this user has no permissions to run the '${d.object}' command`;
  if (d.reason === 'key') return 'NOPERM this user has no permissions to access one of the keys used as arguments';
  return 'NOPERM this user has no permissions to access one of the channels used as arguments';
}

/** ACL DRYRUN's wording for the same refusals. */
export function dryrunMessage(d: Denial): string {
  if (d.reason === 'command') return `This user has no permissions to run the '${d.object}' command`;
  if (d.reason === 'key') return `This user has no permissions to access the '${d.object}' key`;
  return `This user has no permissions to access the '${d.object}' channel`;
}

const PRIORITY = { command: 1, key: 2, channel: 4 } as const;

export class Acl {
  readonly users = new Map<string, User>();
  readonly log: AclLog;
  private index: CommandIndex | undefined;
  /** True while every user is unrestricted: the command path skips the check. */
  private open = true;

  constructor(private readonly server: Server) {
    this.log = new AclLog(() => server.config.int('acllog-max-len'));
    this.users.set('default', this.freshDefaultUser());
    this.syncRequirePass();
    server.config.onChange((name) => {
      if (name === 'requirepass') this.syncRequirePass();
    });
  }

  static of(server: Server): Acl {
    return (server.ext['acl'] ??= new Acl(server)) as Acl;
  }

  /** Every command and subcommand the server serves (built once, on first use). */
  commands(): CommandIndex {
    return (this.index ??= indexCommands(this.server.commands));
  }

  /** The default user as a new server has it: on, nopass, every key, channel and command. */
  freshDefaultUser(): User {
    const def = this.newUser('default');
    for (const op of ['on', 'nopass', 'allkeys', 'allchannels', '+@all']) def.apply(op, this.commands());
    return def;
  }

  newUser(name: string): User {
    return new User(name, () => this.server.config.str('acl-pubsub-default') === 'allchannels');
  }

  get defaultUser(): User {
    return this.users.get('default')!;
  }

  /** Replaces (or adds) a user and recomputes the fast path. */
  put(user: User): void {
    this.users.set(user.name, user);
    this.changed();
    this.closeLostSubscribers(user);
  }

  /** Subscribers of `user` whose subscriptions the new rules no longer allow are disconnected, as Redis does. */
  private closeLostSubscribers(user: User): void {
    const allowed = (name: Bytes, literal: boolean) =>
      user.root.canAccessChannel(name, literal) || user.selectors.some((s) => s.canAccessChannel(name, literal));
    for (const c of this.server.clients.values()) {
      if (c.user !== user.name) continue;
      const subs = c.ext['subs'] as { channels: Set<Bytes>; patterns: Set<Bytes>; shard: Set<Bytes> } | undefined;
      if (subs === undefined) continue;
      let ok = true;
      for (const ch of subs.channels) if (!allowed(ch, false)) ok = false;
      for (const ch of subs.shard) if (!allowed(ch, false)) ok = false;
      for (const p of subs.patterns) if (!allowed(p, true)) ok = false;
      if (!ok) c.sink?.close();
    }
  }

  delete(name: string): boolean {
    const ok = this.users.delete(name);
    if (ok) this.changed();
    return ok;
  }

  changed(): void {
    let open = true;
    for (const u of this.users.values()) if (!u.unrestricted) open = false;
    this.open = open;
  }

  /** CONFIG SET requirepass: the default user's only password, or nopass when empty. */
  private syncRequirePass(): void {
    const pass = this.server.config.str('requirepass');
    const def = this.defaultUser;
    def.apply('resetpass', this.commands());
    def.apply(pass === '' ? 'nopass' : `>${pass}`, this.commands());
  }

  /** A new connection is authenticated at once when the default user needs no password. */
  autoAuthenticated(): boolean {
    const def = this.defaultUser;
    return def.enabled && def.nopass;
  }

  /** Logs a client in as `name` without a password (a verified TLS certificate vouched for it). */
  loginVerified(client: Client, name: string): boolean {
    const user = this.users.get(name);
    if (user === undefined || !user.enabled) return false;
    client.user = name;
    client.authenticated = true;
    return true;
  }

  /** AUTH / HELLO AUTH: logs a failure (reason auth) as Redis does. */
  authenticate(client: Client | undefined, name: string, pass: string): boolean {
    const user = this.users.get(name);
    if (user !== undefined && user.enabled && user.checkPassword(pass)) return true;
    if (client !== undefined) this.record(client, 'auth', 'AUTH', name);
    return false;
  }

  /** The permission check before a command runs (or is queued); an error reply refuses it. */
  filter(client: Client, spec: CommandSpec, args: Bytes[]): ErrorReply | undefined {
    if (this.open) return undefined;
    const user = this.users.get(client.user);
    if (user === undefined || user.unrestricted) return undefined;
    const denial = this.check(user, spec, args);
    if (denial === null) return undefined;
    this.record(client, denial.reason, denial.object, user.name);
    this.server.statsFor(spec).rejectedCalls++;
    return this.server.reject(client, new ErrorReply(nopermMessage(denial)));
  }

  /** EXEC checks each queued command again (rules may have changed since it was queued). */
  recheck(client: Client, spec: CommandSpec, args: Bytes[]): ErrorReply | undefined {
    if (this.open) return undefined;
    const user = this.users.get(client.user);
    if (user === undefined || user.unrestricted) return undefined;
    const denial = this.check(user, spec, args);
    if (denial === null) return undefined;
    this.record(client, denial.reason, denial.object, user.name, 'multi');
    return new ErrorReply(nopermMessage(denial));
  }

  /** Null when some selector of `user` allows the command whole. */
  check(user: User, spec: CommandSpec, args: Bytes[]): Denial | null {
    let worst: Denial | null = checkSelector(user.root, spec, args);
    if (worst === null) return null;
    for (const s of user.selectors) {
      const d = checkSelector(s, spec, args);
      if (d === null) return null;
      if (PRIORITY[d.reason] > PRIORITY[worst.reason]) worst = d;
    }
    return worst;
  }

  record(client: Client, reason: LogReason, object: string, username: string, context = client.ext['multi'] !== undefined && reason !== 'auth' ? 'multi' : 'toplevel'): void {
    const st = this.server.stats;
    if (reason === 'auth') st.aclAccessDeniedAuth++;
    else if (reason === 'command') st.aclAccessDeniedCmd++;
    else if (reason === 'key') st.aclAccessDeniedKey++;
    else st.aclAccessDeniedChannel++;
    const now = this.server.clock.now();
    this.log.add({ reason, context, object, username }, now, describeClient(client, now));
  }
}

function checkSelector(s: Selector, spec: CommandSpec, args: Bytes[]): Denial | null {
  if (!spec.flags.includes('no_auth') && !s.canRun(spec, args)) return { reason: 'command', object: fullName(spec) };
  const pubsub = spec.flags.includes('pubsub');
  if (!s.allKeys && !pubsub) {
    const indexes = keyIndexes(spec, args);
    for (let k = 0; k < indexes.length; k++) {
      const i = indexes[k]!;
      if (!s.canAccessKey(args[i]!, keyPermission(spec, args, k))) return { reason: 'key', object: args[i]! };
    }
  }
  if (!s.allChannels && pubsub) {
    const name = spec.name;
    if (name === 'publish' || name === 'spublish') {
      if (!s.canAccessChannel(args[1]!, false)) return { reason: 'channel', object: args[1]! };
    } else if (name === 'subscribe' || name === 'ssubscribe' || name === 'psubscribe') {
      const literal = name === 'psubscribe';
      for (let i = 1; i < args.length; i++) {
        if (!s.canAccessChannel(args[i]!, literal)) return { reason: 'channel', object: args[i]! };
      }
    }
  }
  return null;
}

/** Installs the ACL on a server: the check in the command path and authentication. */
export function installAcl(server: Server): void {
  const acl = Acl.of(server);
  server.addFilter((client, spec, args) => acl.filter(client, spec, args));
  server.ext['authenticate'] = (user: string, pass: string, client?: Client) => acl.authenticate(client, user, pass);
  server.ext['autoAuthenticate'] = () => acl.autoAuthenticated();
  server.ext['defaultNopass'] = () => acl.defaultUser.nopass;
  server.ext['aclRecheck'] = (client: Client, spec: CommandSpec, args: Bytes[]) => acl.recheck(client, spec, args);
}
