/**
 * An ACL selector: which commands, keys and channels a set of rules allows.
 * A user has a root selector plus any number of extra ones `(...)`; a
 * command runs when any one of them allows it whole. Command rules are kept
 * in the order given (a later rule for the same command replaces the
 * earlier one), so they describe back exactly as written.
 * This module is browser compatible.
 */
import type { Bytes } from '../bytes.js';
import type { CommandTable } from '../commands/table.js';
import { aclCategories } from '../commands/table.js';
import type { CommandSpec } from '../commands/types.js';
import { globMatch } from '../glob.js';

/** Redis's categories, in the order ACL CAT lists them. */
export const ACL_CATEGORIES = [
  'keyspace', 'read', 'write', 'set', 'sortedset', 'list', 'hash', 'string', 'bitmap', 'hyperloglog',
  'geo', 'stream', 'pubsub', 'admin', 'fast', 'slow', 'blocking', 'dangerous', 'connection', 'transaction', 'scripting',
] as const;

export const READ = 1;
export const WRITE = 2;
export const READ_WRITE = READ | WRITE;

export interface KeyPattern {
  pattern: Bytes;
  /** READ, WRITE or both. */
  perm: number;
}

/** Why a rule was refused: Redis's wording after "Error in ACL SETUSER modifier '...': ". */
export const RuleError = {
  unknown: 'Unknown command or category name in ACL',
  syntax: 'Syntax error',
  keyAfterAll:
    "Adding a pattern after the * pattern (or the 'allkeys' flag) is not valid and does not have any effect. Try 'resetkeys' to start with an empty list of patterns",
  channelAfterAll:
    "Adding a pattern after the * pattern (or the 'allchannels' flag) is not valid and does not have any effect. Try 'resetchannels' to start with an empty list of channels",
  firstArgOfSub: 'Allowing first-arg of a subcommand is not supported',
} as const;

export class AclRuleError extends Error {}

/** The full name of a command as ACL rules and logs write it: `get`, `config|get`. */
export function fullName(spec: CommandSpec): string {
  return spec.parentName === undefined ? spec.name : `${spec.parentName}|${spec.name}`;
}

/** Every command and subcommand of a table, with its categories. */
export interface CommandIndex {
  table: CommandTable;
  /** full name -> categories */
  categories: Map<string, readonly string[]>;
}

export function indexCommands(table: CommandTable): CommandIndex {
  const categories = new Map<string, readonly string[]>();
  for (const spec of table.all()) {
    categories.set(spec.name, aclCategories(spec));
    for (const sub of spec.subcommands ?? []) categories.set(fullName(sub), aclCategories(sub));
  }
  return { table, categories };
}

export class Selector {
  /** +@all / allcommands was the last word on commands: future commands are allowed too. */
  allCommands = false;
  /** Full names of the commands allowed. */
  allowed = new Set<string>();
  /** command -> first arguments allowed when the command itself is not (`+select|0`). */
  firstArgs = new Map<string, Set<string>>();
  /** The command rules as given, without the leading +@all / -@all. */
  rules: string[] = [];
  allKeys = false;
  keys: KeyPattern[] = [];
  allChannels = false;
  channels: Bytes[] = [];

  constructor(allChannels: boolean) {
    this.allChannels = allChannels;
  }

  clone(): Selector {
    const s = new Selector(this.allChannels);
    s.allCommands = this.allCommands;
    s.allowed = new Set(this.allowed);
    for (const [k, v] of this.firstArgs) s.firstArgs.set(k, new Set(v));
    s.rules = [...this.rules];
    s.allKeys = this.allKeys;
    s.keys = this.keys.map((k) => ({ ...k }));
    s.channels = [...this.channels];
    return s;
  }

  /** True when nothing limits this selector (the default user's fast path). */
  get unrestricted(): boolean {
    return this.allCommands && this.rules.length === 0 && this.allKeys && this.allChannels;
  }

  /** Applies one rule; throws AclRuleError with Redis's reason. */
  apply(op: string, index: CommandIndex): void {
    const lower = op.toLowerCase();
    if (lower === 'allkeys' || op === '~*') {
      this.allKeys = true;
      this.keys = [];
    } else if (lower === 'resetkeys') {
      this.allKeys = false;
      this.keys = [];
    } else if (lower === 'allchannels' || op === '&*') {
      this.allChannels = true;
      this.channels = [];
    } else if (lower === 'resetchannels') {
      this.allChannels = false;
      this.channels = [];
    } else if (lower === 'allcommands' || lower === '+@all') {
      this.setAll(true, index);
    } else if (lower === 'nocommands' || lower === '-@all') {
      this.setAll(false, index);
    } else if (op[0] === '~' || op[0] === '%') {
      this.addKeyPattern(op);
    } else if (op[0] === '&') {
      if (this.allChannels) throw new AclRuleError(RuleError.channelAfterAll);
      const ch = op.slice(1);
      if (!this.channels.includes(ch)) this.channels.push(ch);
    } else if ((op[0] === '+' || op[0] === '-') && op[1] === '@') {
      const cat = lower.slice(2);
      if (!(ACL_CATEGORIES as readonly string[]).includes(cat)) throw new AclRuleError(RuleError.unknown);
      const allow = op[0] === '+';
      for (const [name, cats] of index.categories) {
        if (!cats.includes(cat)) continue;
        this.setCommand(name, allow);
      }
      this.updateRules(`@${cat}`, allow);
    } else if (op[0] === '+' || op[0] === '-') {
      this.applyCommand(lower.slice(1), op[0] === '+', index);
    } else {
      throw new AclRuleError(RuleError.syntax);
    }
  }

  private setAll(allow: boolean, index: CommandIndex): void {
    this.allCommands = allow;
    this.allowed = allow ? new Set(index.categories.keys()) : new Set();
    this.firstArgs.clear();
    this.rules = [];
  }

  private setCommand(name: string, allow: boolean): void {
    if (allow) this.allowed.add(name);
    else this.allowed.delete(name);
    this.firstArgs.delete(name);
  }

  private applyCommand(name: string, allow: boolean, index: CommandIndex): void {
    const bar = name.indexOf('|');
    if (bar < 0) {
      const spec = index.table.lookup(name);
      if (spec === undefined) throw new AclRuleError(RuleError.unknown);
      this.setCommand(spec.name, allow);
      for (const sub of spec.subcommands ?? []) this.setCommand(fullName(sub), allow);
      this.updateRules(spec.name, allow);
      return;
    }
    const parent = index.table.lookup(name.slice(0, bar));
    if (parent === undefined) throw new AclRuleError(RuleError.unknown);
    const rest = name.slice(bar + 1);
    const sub = parent.subcommands !== undefined ? index.table.subcommand(parent, rest.split('|', 1)[0]!) : undefined;
    if (sub !== undefined && !rest.includes('|')) {
      this.setCommand(fullName(sub), allow);
      this.updateRules(fullName(sub), allow);
      return;
    }
    if (sub !== undefined) throw new AclRuleError(RuleError.firstArgOfSub);
    // A first argument of a command without subcommands: `+select|0`. Only allowing is supported.
    if (!allow || rest === '' || rest.includes('|') || parent.subcommands !== undefined) throw new AclRuleError(RuleError.unknown);
    if (!this.allowed.has(parent.name)) {
      let set = this.firstArgs.get(parent.name);
      if (set === undefined) this.firstArgs.set(parent.name, (set = new Set()));
      set.add(rest);
    }
    this.updateRules(`${parent.name}|${rest}`, true);
  }

  /** Drops earlier rules for the same command (and its subcommands), then appends this one. */
  private updateRules(rule: string, allow: boolean): void {
    this.rules = this.rules.filter((r) => {
      const body = r.slice(1);
      return !(body === rule || (body.startsWith(rule) && body[rule.length] === '|'));
    });
    this.rules.push(`${allow ? '+' : '-'}${rule}`);
  }

  private addKeyPattern(op: string): void {
    let perm = 0;
    let i = 0;
    if (op[0] === '%') {
      for (i = 1; i < op.length && op[i] !== '~'; i++) {
        const c = op[i]!.toUpperCase();
        if (c === 'R') perm |= READ;
        else if (c === 'W') perm |= WRITE;
        else throw new AclRuleError(RuleError.syntax);
      }
      if (perm === 0 || i >= op.length) throw new AclRuleError(RuleError.syntax);
    } else {
      perm = READ_WRITE;
    }
    if (this.allKeys) throw new AclRuleError(RuleError.keyAfterAll);
    const pattern = op.slice(i + 1);
    const existing = this.keys.find((k) => k.pattern === pattern);
    if (existing !== undefined) existing.perm |= perm;
    else this.keys.push({ pattern, perm });
  }

  /** The command rules as ACL LIST and GETUSER write them. */
  describeCommands(): string {
    const base = this.allCommands ? '+@all' : '-@all';
    return this.rules.length === 0 ? base : `${base} ${this.rules.join(' ')}`;
  }

  describeKeys(): string {
    if (this.allKeys) return '~*';
    return this.keys.map(describeKey).join(' ');
  }

  /** Channels for GETUSER: `&*`, or the patterns. */
  describeChannels(): string {
    if (this.allChannels) return '&*';
    return this.channels.map((c) => `&${c}`).join(' ');
  }

  /** The whole selector in ACL LIST form: keys, channels, commands. */
  describe(): string {
    const parts: string[] = [];
    const keys = this.describeKeys();
    if (keys !== '') parts.push(keys);
    if (this.allChannels) parts.push('&*');
    else {
      parts.push('resetchannels');
      for (const c of this.channels) parts.push(`&${c}`);
    }
    parts.push(this.describeCommands());
    return parts.join(' ');
  }

  canRun(spec: CommandSpec, args: Bytes[]): boolean {
    if (this.allCommands && this.rules.length === 0) return true;
    const name = spec.parentName === undefined ? spec.name : `${spec.parentName}|${spec.name}`;
    if (this.allowed.has(name)) return true;
    const first = this.firstArgs.get(name);
    return first !== undefined && args.length > 1 && first.has(args[1]!.toLowerCase());
  }

  /** Whether `key` may be accessed with `perm` (READ, WRITE or both). */
  canAccessKey(key: Bytes, perm: number): boolean {
    if (this.allKeys) return true;
    for (const k of this.keys) {
      if ((k.perm & perm) === perm && globMatch(k.pattern, key)) return true;
    }
    return false;
  }

  /** A channel (or, for pattern subscriptions, a pattern taken literally). */
  canAccessChannel(channel: Bytes, literal: boolean): boolean {
    if (this.allChannels) return true;
    for (const c of this.channels) {
      if (literal ? c === channel : globMatch(c, channel)) return true;
    }
    return false;
  }
}

function describeKey(k: KeyPattern): string {
  const prefix = k.perm === READ_WRITE ? '~' : k.perm === READ ? '%R~' : '%W~';
  return prefix + k.pattern;
}
