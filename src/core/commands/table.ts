/**
 * The command table: every command group's declarations gathered in one
 * place, with case-insensitive lookup that allocates nothing on the hot path.
 * This module is browser compatible.
 */
import type { Bytes } from '../bytes.js';
import type { CommandSpec } from './types.js';

export class CommandTable {
  private readonly byName = new Map<string, CommandSpec>();
  /** Exact spellings seen on the wire (GET, get, Get) -> spec; spares a toLowerCase per command. */
  private readonly bySpelling = new Map<string, CommandSpec>();
  private readonly subs = new Map<CommandSpec, Map<string, CommandSpec>>();

  constructor(groups: readonly (readonly CommandSpec[])[]) {
    for (const group of groups) for (const spec of group) this.add(spec);
  }

  add(spec: CommandSpec): void {
    if (this.byName.has(spec.name)) throw new Error(`Cannot add command: '${spec.name}' is declared twice`);
    this.byName.set(spec.name, spec);
    this.bySpelling.set(spec.name, spec);
    this.bySpelling.set(spec.name.toUpperCase(), spec);
    if (spec.subcommands) {
      const m = new Map<string, CommandSpec>();
      for (const sub of spec.subcommands) {
        sub.parentName = spec.name;
        m.set(sub.name, sub);
      }
      this.subs.set(spec, m);
    }
  }

  lookup(name: Bytes): CommandSpec | undefined {
    const hit = this.bySpelling.get(name);
    if (hit !== undefined) return hit;
    const spec = this.byName.get(name.toLowerCase());
    if (spec !== undefined && this.bySpelling.size < 4096) this.bySpelling.set(name, spec);
    return spec;
  }

  subcommand(container: CommandSpec, name: Bytes): CommandSpec | undefined {
    return this.subs.get(container)?.get(name.toLowerCase());
  }

  all(): CommandSpec[] {
    return [...this.byName.values()];
  }
}

/** ACL categories of a command: those that follow from its flags plus its own. */
export function aclCategories(spec: CommandSpec): string[] {
  const cats = new Set<string>();
  const f = new Set(spec.flags);
  if (f.has('write')) cats.add('write');
  if (f.has('readonly') && spec.group !== 'scripting') cats.add('read');
  if (f.has('admin')) {
    cats.add('admin');
    cats.add('dangerous');
  }
  if (f.has('pubsub')) cats.add('pubsub');
  if (f.has('fast')) cats.add('fast');
  if (f.has('blocking')) cats.add('blocking');
  if (!f.has('fast')) cats.add('slow');
  for (const c of spec.categories) cats.add(c);
  return [...cats];
}

/** The key indexes of a command invocation (COMMAND GETKEYS, WATCH, ACL key checks). */
export function keyIndexes(spec: CommandSpec, args: Bytes[]): number[] {
  if (spec.getKeys) return spec.getKeys(args);
  const k = spec.keys;
  if (!k || k.first === 0) return [];
  const last = k.last < 0 ? args.length + k.last : k.last;
  const out: number[] = [];
  for (let i = k.first; i <= last && i < args.length; i += k.step) out.push(i);
  return out;
}
