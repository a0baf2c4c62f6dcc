/**
 * ACL: users, their permissions, the ACL log, and the ACL file (read and
 * written through a port the runtime supplies; the core touches no files).
 * This module is browser compatible.
 */
import { Acl, dryrunMessage } from '../acl/acl.js';
import { ACL_CATEGORIES, AclRuleError, fullName } from '../acl/selector.js';
import type { User } from '../acl/user.js';
import { CommandError, Err } from '../errors.js';
import { DoubleReply, ErrorReply, MapReply, OK, SetReply, SimpleString, type Reply } from '../resp/reply.js';
import type { Server } from '../server.js';
import { parseInt64 } from './parse.js';
import { aclCategories } from './table.js';
import { command, type CommandInput, type CommandSpec } from './types.js';

/** How the core reads and writes the ACL file; the Node entry point installs one. */
export interface AclFilePort {
  read(path: string): string;
  write(path: string, text: string): void;
}

export function setAclFilePort(server: Server, port: AclFilePort): void {
  server.ext['aclFilePort'] = port;
}

const HELP = [
  'ACL <subcommand> [<arg> [value] [opt] ...]. Subcommands are:',
  'CAT [<category>]',
  '    List all commands that belong to <category>, or all command categories',
  '    when no category is specified.',
  'DELUSER <username> [<username> ...]',
  '    Delete a list of users.',
  'DRYRUN <username> <command> [<arg> ...]',
  '    Returns whether the user can execute the given command without executing the command.',
  'GETUSER <username>',
  "    Get the user's details.",
  'GENPASS [<bits>]',
  '    Generate a secure 256-bit user password. The optional `bits` argument can',
  '    be used to specify a different size.',
  'LIST',
  '    Show users details in config file format.',
  'LOAD',
  '    Reload users from the ACL file.',
  'LOG [<count> | RESET]',
  '    Show the ACL log entries.',
  'SAVE',
  '    Save the current config to the ACL file.',
  'SETUSER <username> <attribute> [<attribute> ...]',
  '    Create or modify a user with the specified attributes.',
  'USERS',
  '    List all the registered usernames.',
  'WHOAMI',
  '    Return the current connection username.',
  'HELP',
  '    Prints this help.',
].map((l) => new SimpleString(l));

const NO_ACL_FILE =
  'ERR This Redis instance is not configured to use an ACL file. You may want to specify users via the ACL SETUSER command and then issue a CONFIG REWRITE (assuming you have a Redis configuration file set) in order to store users in the Redis configuration.';

/** Redis's reply to extra arguments after a subcommand that takes an optional one. */
function subcommandSyntax(args: string[]): string {
  return `ERR unknown subcommand or wrong number of arguments for '${args[1]!}'. Try ACL HELP.`;
}

function hasSpaces(s: string): boolean {
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c === 0 || c === 32 || (c >= 9 && c <= 13)) return true;
  }
  return false;
}

/** Joins `(` ... `)` arguments into one selector argument each, as Redis reads them. */
export function mergeSelectorArgs(ops: string[]): string[] {
  const out: string[] = [];
  let open: string | null = null;
  for (const op of ops) {
    if (open === null) {
      if (op.startsWith('(') && !op.endsWith(')')) open = op;
      else out.push(op);
    } else {
      open += ` ${op}`;
      if (op.endsWith(')')) {
        out.push(open);
        open = null;
      }
    }
  }
  if (open !== null) throw new CommandError(`ERR Unmatched parenthesis in acl selector starting at '${open.split(' ', 1)[0]!}'.`);
  return out;
}

/** Applies SETUSER rules to a copy of the user (or a new one); returns the result or throws Redis's error. */
export function applyRules(acl: Acl, name: string, ops: string[]): User {
  if (hasSpaces(name)) throw new CommandError("ERR Usernames can't contain spaces or null characters");
  const existing = acl.users.get(name);
  const user = existing !== undefined ? existing.clone() : acl.newUser(name);
  for (const op of mergeSelectorArgs(ops)) {
    try {
      user.apply(op, acl.commands());
    } catch (e) {
      if (e instanceof AclRuleError) throw new CommandError(`ERR Error in ACL SETUSER modifier '${op}': ${e.message}`);
      throw e;
    }
  }
  return user;
}

/** Closes the connections authenticated as any of `names` (their user is gone). */
function disconnectUsers(server: Server, names: Set<string>): void {
  for (const c of server.clients.values()) if (names.has(c.user)) c.sink?.close();
}

function describeAll(acl: Acl): string[] {
  return [...acl.users.keys()].sort().map((n) => acl.users.get(n)!.describe());
}

/** Reads ACL file text into users; throws with the line's error. */
export function parseAclFile(acl: Acl, text: string, path: string): Map<string, User> {
  const users = new Map<string, User>();
  const lines = text.split('\n');
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!.trim();
    if (line === '' || line.startsWith('#')) continue;
    const words = line.split(/\s+/);
    if (words[0] !== 'user' || words.length < 2) throw new CommandError(`ERR ${path}:${i + 1}: line should start with user keyword`);
    const name = words[1]!;
    if (users.has(name)) throw new CommandError(`ERR ${path}:${i + 1}: Duplicate user '${name}' found`);
    const fresh = acl.newUser(name);
    try {
      for (const op of mergeSelectorArgs(words.slice(2))) fresh.apply(op, acl.commands());
    } catch (e) {
      const msg = e instanceof AclRuleError ? e.message : e instanceof CommandError ? e.reply.replace(/^ERR /, '') : String(e);
      throw new CommandError(`ERR ${path}:${i + 1}: ${msg}. `);
    }
    users.set(name, fresh);
  }
  return users;
}

function sub(input: Omit<CommandInput, 'group'>): CommandSpec {
  return command({ group: 'server', ...input });
}

const admin = ['admin', 'noscript', 'loading', 'stale'] as const;
const plain = ['noscript', 'loading', 'stale'] as const;

export const aclCommand = command({
  name: 'acl', arity: -2, group: 'server', summary: 'A container for Access List Control commands.', since: '6.0.0',
  complexity: 'Depends on subcommand.',
  subcommands: [
    sub({
      name: 'setuser', arity: -3, flags: admin, summary: 'Creates and modifies an ACL user and its rules.', since: '6.0.0',
      complexity: 'O(N). Where N is the number of rules provided.',
      handler(ctx, args) {
        const acl = Acl.of(ctx.server);
        acl.put(applyRules(acl, args[2]!, args.slice(3)));
        return OK;
      },
    }),
    sub({
      name: 'getuser', arity: 3, flags: admin, summary: 'Lists the ACL rules of a user.', since: '6.0.0',
      complexity: 'O(N). Where N is the number of password, command and pattern rules that the user has.',
      handler(ctx, args) {
        const user = Acl.of(ctx.server).users.get(args[2]!);
        if (user === undefined) return null;
        const selectors = user.selectors.map((s) => new MapReply([
          'commands', s.describeCommands(),
          'keys', s.describeKeys(),
          'channels', s.describeChannels(),
        ]));
        return new MapReply([
          'flags', new SetReply(user.flags()),
          'passwords', [...user.passwords],
          'commands', user.root.describeCommands(),
          'keys', user.root.describeKeys(),
          'channels', user.root.describeChannels(),
          'selectors', selectors,
        ]);
      },
    }),
    sub({
      name: 'deluser', arity: -3, flags: admin, summary: 'Deletes ACL users, and terminates their connections.', since: '6.0.0',
      complexity: 'O(1) amortized time considering the typical user.',
      handler(ctx, args) {
        const acl = Acl.of(ctx.server);
        const gone = new Set<string>();
        for (let i = 2; i < args.length; i++) {
          if (args[i] === 'default') throw new CommandError("ERR The 'default' user cannot be removed");
        }
        for (let i = 2; i < args.length; i++) if (acl.delete(args[i]!)) gone.add(args[i]!);
        disconnectUsers(ctx.server, gone);
        return gone.size;
      },
    }),
    sub({
      name: 'users', arity: 2, flags: admin, summary: 'Lists all ACL users.', since: '6.0.0',
      complexity: 'O(N). Where N is the number of configured users.',
      handler: (ctx) => [...Acl.of(ctx.server).users.keys()].sort(),
    }),
    sub({
      name: 'list', arity: 2, flags: admin, summary: 'Dumps the effective rules in ACL file format.', since: '6.0.0',
      complexity: 'O(N). Where N is the number of configured users.',
      handler: (ctx) => describeAll(Acl.of(ctx.server)),
    }),
    sub({
      name: 'whoami', arity: 2, flags: plain, summary: 'Returns the authenticated username of the current connection.', since: '6.0.0',
      complexity: 'O(1)',
      handler: (ctx) => ctx.client.user,
    }),
    sub({
      name: 'cat', arity: -2, flags: plain, summary: 'Lists the ACL categories, or the commands inside a category.', since: '6.0.0',
      complexity: 'O(1) since the categories and commands are a fixed set.',
      handler(ctx, args) {
        if (args.length > 3) throw new CommandError(subcommandSyntax(args));
        if (args.length === 2) return [...ACL_CATEGORIES];
        const cat = args[2]!.toLowerCase();
        if (!(ACL_CATEGORIES as readonly string[]).includes(cat)) throw new CommandError(`ERR Unknown category '${args[2]!}'`);
        const out: string[] = [];
        for (const spec of ctx.server.commands.all()) {
          if (aclCategories(spec).includes(cat)) out.push(spec.name);
          for (const s of spec.subcommands ?? []) if (aclCategories(s).includes(cat)) out.push(fullName(s));
        }
        return out;
      },
    }),
    sub({
      name: 'log', arity: -2, flags: admin, summary: 'Lists recent security events generated due to ACL rules.', since: '6.0.0',
      complexity: 'O(N) with N being the number of entries shown.',
      handler(ctx, args) {
        if (args.length > 3) throw new CommandError(subcommandSyntax(args));
        const log = Acl.of(ctx.server).log;
        let count = 10;
        if (args.length === 3) {
          if (args[2]!.toLowerCase() === 'reset') {
            log.reset();
            return OK;
          }
          const n = parseInt64(args[2]!);
          if (n === null) throw new CommandError(Err.notInteger);
          count = n < 0n ? 0 : Number(n > 1000000n ? 1000000n : n);
        }
        const out: Reply[] = [];
        for (const e of log.entries.slice(0, count)) {
          out.push(new MapReply([
            'count', e.count,
            'reason', e.reason,
            'context', e.context,
            'object', e.object,
            'username', e.username,
            'age-seconds', new DoubleReply((ctx.now - e.createdAt) / 1000),
            'client-info', e.clientInfo,
            'entry-id', e.entryId,
            'timestamp-created', e.createdAt,
            'timestamp-last-updated', e.updatedAt,
          ]));
        }
        return out;
      },
    }),
    sub({
      name: 'dryrun', arity: -4, flags: admin, summary: 'Simulates the execution of a command by a user, without executing the command.',
      since: '7.0.0', complexity: 'O(1).',
      handler(ctx, args) {
        const acl = Acl.of(ctx.server);
        const user = acl.users.get(args[2]!);
        if (user === undefined) throw new CommandError(`ERR User '${args[2]!}' not found`);
        const cmdArgs = args.slice(3);
        if (ctx.server.commands.lookup(cmdArgs[0]!) === undefined) throw new CommandError(`ERR Command '${cmdArgs[0]!}' not found`);
        const spec = ctx.server.resolve(cmdArgs);
        if (spec instanceof ErrorReply) return spec;
        const denial = acl.check(user, spec, cmdArgs);
        return denial === null ? OK : dryrunMessage(denial);
      },
    }),
    sub({
      name: 'genpass', arity: -2, flags: plain, summary: 'Generates a pseudorandom, secure password that can be used to identify ACL users.',
      since: '6.0.0', complexity: 'O(N)',
      handler(_ctx, args) {
        if (args.length > 3) throw new CommandError(subcommandSyntax(args));
        let bits = 256;
        if (args.length === 3) {
          const n = parseInt64(args[2]!);
          if (n === null) throw new CommandError(Err.notInteger);
          if (n <= 0n || n > 4096n) {
            throw new CommandError('ERR ACL GENPASS argument must be the number of bits for the output password, a positive number up to 4096');
          }
          bits = Number(n);
        }
        const chars = Math.ceil(bits / 4);
        const bytes = new Uint8Array(Math.ceil(chars / 2));
        crypto.getRandomValues(bytes);
        let hex = '';
        for (const b of bytes) hex += b.toString(16).padStart(2, '0');
        return hex.slice(0, chars);
      },
    }),
    sub({
      name: 'load', arity: 2, flags: admin, summary: 'Reloads the rules from the configured ACL file.', since: '6.0.0',
      complexity: 'O(N). Where N is the number of configured users.',
      handler(ctx) {
        const server = ctx.server;
        const path = server.config.str('aclfile');
        const port = server.ext['aclFilePort'] as AclFilePort | undefined;
        if (path === '' || port === undefined) throw new CommandError(NO_ACL_FILE);
        loadAclFile(server, port, path);
        return OK;
      },
    }),
    sub({
      name: 'save', arity: 2, flags: admin, summary: 'Saves the effective ACL rules in the configured ACL file.', since: '6.0.0',
      complexity: 'O(N). Where N is the number of configured users.',
      handler(ctx) {
        const server = ctx.server;
        const path = server.config.str('aclfile');
        const port = server.ext['aclFilePort'] as AclFilePort | undefined;
        if (path === '' || port === undefined) throw new CommandError(NO_ACL_FILE);
        try {
          port.write(path, describeAll(Acl.of(server)).join('\n') + '\n');
        } catch (e) {
          throw new CommandError(`ERR There was an error trying to save the ACLs. Please check the server logs for more information`);
        }
        return OK;
      },
    }),
    sub({
      name: 'help', arity: 2, flags: ['loading', 'stale'], summary: 'Returns helpful text about the different subcommands.', since: '6.0.0',
      complexity: 'O(1)',
      handler: () => HELP,
    }),
  ],
});

/** Replaces every user with the file's (a file without the default user gets a fresh one, as in Redis). */
export function loadAclFile(server: Server, port: AclFilePort, path: string): void {
  const acl = Acl.of(server);
  let text: string;
  try {
    text = port.read(path);
  } catch (e) {
    throw new CommandError(`ERR Error loading ACLs, opening file '${path}': ${e instanceof Error ? e.message : String(e)}`);
  }
  const users = parseAclFile(acl, text, path);
  if (!users.has('default')) users.set('default', acl.freshDefaultUser());
  const gone = new Set<string>();
  for (const name of acl.users.keys()) if (name !== 'default' && !users.has(name)) gone.add(name);
  for (const name of gone) acl.users.delete(name);
  for (const u of users.values()) acl.users.set(u.name, u);
  acl.changed();
  disconnectUsers(server, gone);
}

export const aclCommands: CommandSpec[] = [aclCommand];
