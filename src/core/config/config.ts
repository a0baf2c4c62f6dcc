/**
 * The configuration: one zod schema validates values from every source (CLI
 * flags, a redis.conf-style file, UBIQUE_* environment variables, embedded
 * options, CONFIG SET), and one store answers CONFIG GET.
 * This module is browser compatible.
 */
// zod/mini: the same validation as classic zod at a fraction of its bundle size.
import * as z from 'zod/mini';
import { globMatch } from '../glob.js';
import { PARAMS, findParam, type ParamDef } from './params.js';

export type ConfigValue = string | number | boolean | string[];

/** Parses a redis.conf memory value: 100, 1k, 1kb, 5mb, 2gb (k = 1000, kb = 1024). */
export function parseMemory(text: string): number | null {
  const m = /^(-?\d+)(b|k|kb|m|mb|g|gb)?$/i.exec(text.trim());
  if (!m) return null;
  const n = Number(m[1]);
  const unit = (m[2] ?? 'b').toLowerCase();
  const mul: Record<string, number> = { b: 1, k: 1e3, kb: 1024, m: 1e6, mb: 1024 ** 2, g: 1e9, gb: 1024 ** 3 };
  return n * mul[unit]!;
}

function describe(def: ParamDef): string {
  switch (def.type) {
    case 'bool': return "'yes' or 'no'";
    case 'enum': return `one of ${def.values!.map((v) => `'${v}'`).join(', ')}`;
    case 'int': return `an integer from ${def.min} to ${def.max}`;
    case 'memory': return `a size in bytes (like 100mb) from ${def.min} to ${def.max}`;
    case 'float': return 'a number';
    default: return 'a string';
  }
}

/** The zod schema of one parameter: accepts the forms a user would write, gives the canonical value. */
export function paramSchema(def: ParamDef): z.ZodMiniType<ConfigValue, unknown> {
  const allowed = describe(def);
  const raw = z.union([z.string(), z.number(), z.boolean(), z.array(z.string())]);
  return z.pipe(raw, z.transform((input, ctx): ConfigValue => {
    const fail = () => {
      ctx.issues.push({ code: 'custom', message: `'${String(input)}' is not valid for '${def.name}': expected ${allowed}`, input });
      return z.NEVER;
    };
    const text = Array.isArray(input) ? input.join(' ') : String(input);
    switch (def.type) {
      case 'bool': {
        if (input === true || /^(yes)$/i.test(text)) return true;
        if (input === false || /^(no)$/i.test(text)) return false;
        return fail();
      }
      case 'int': {
        if (!/^-?\d+$/.test(text.trim())) return fail();
        const n = Number(text);
        if (n < def.min! || n > def.max!) return fail();
        return n;
      }
      case 'memory': {
        const n = parseMemory(text);
        if (n === null || n < def.min! || n > def.max!) {
          // Redis allows 0 for limits that mean "off".
          if (n === 0 && def.min! > 0) return fail();
          return fail();
        }
        return n;
      }
      case 'float': {
        const n = Number(text);
        return Number.isFinite(n) ? n : fail();
      }
      case 'enum': {
        const v = text.toLowerCase();
        return def.values!.includes(v) ? v : fail();
      }
      case 'list':
        return Array.isArray(input) ? input : text.split(/\s+/).filter(Boolean);
      default:
        return text;
    }
  }));
}

/** The one schema for a whole configuration object keyed by redis.conf names. */
export const configSchema = z.strictObject(
  Object.fromEntries(PARAMS.map((p) => [p.name, z.optional(paramSchema(p))])),
);

export type ConfigInput = Partial<Record<string, string | number | boolean | string[]>>;

/** A bad option: names the option, the value and what is allowed. */
export class ConfigError extends Error {
  constructor(readonly option: string, message: string) {
    super(message);
    this.name = 'ConfigError';
  }
}

export function formatValue(def: ParamDef, value: ConfigValue): string {
  if (def.type === 'bool') return value ? 'yes' : 'no';
  if (Array.isArray(value)) return value.join(' ');
  return String(value);
}

/** Validates one value for `name`; throws ConfigError. */
export function validateParam(name: string, value: string | number | boolean | string[]): { def: ParamDef; value: ConfigValue } {
  const def = findParam(name);
  if (!def) throw new ConfigError(name, `Unknown option '${name}'`);
  const r = paramSchema(def).safeParse(value);
  if (!r.success) throw new ConfigError(def.name, r.error.issues[0]!.message);
  return { def, value: r.data };
}

type Listener = (name: string, value: ConfigValue) => void;

export class ConfigStore {
  private readonly values = new Map<string, ConfigValue>();
  private readonly listeners: Listener[] = [];

  constructor(input: ConfigInput = {}) {
    for (const def of PARAMS) this.values.set(def.name, paramSchema(def).parse(def.default));
    for (const [name, v] of Object.entries(input)) {
      if (v === undefined) continue;
      const { def, value } = validateParam(name, v);
      this.values.set(def.name, value);
    }
  }

  get(name: string): ConfigValue | undefined {
    const def = findParam(name);
    return def ? this.values.get(def.name) : undefined;
  }

  int(name: string): number {
    return this.get(name) as number;
  }

  bool(name: string): boolean {
    return this.get(name) as boolean;
  }

  str(name: string): string {
    return this.get(name) as string;
  }

  /** Sets at run time (CONFIG SET). Throws ConfigError. */
  set(name: string, raw: string, runtime = true): void {
    const { def, value } = validateParam(name, raw);
    if (runtime && def.immutable) throw new ConfigError(def.name, `can't set immutable config`);
    this.values.set(def.name, value);
    for (const l of this.listeners) l(def.name, value);
  }

  onChange(listener: Listener): void {
    this.listeners.push(listener);
  }

  /** CONFIG GET: name/value pairs of every parameter matching any pattern. */
  match(patterns: string[]): [string, string][] {
    const out = new Map<string, string>();
    for (const pattern of patterns) {
      const lower = pattern.toLowerCase();
      const exact = findParam(lower);
      if (exact && !/[*?[]/.test(lower)) {
        out.set(lower, formatValue(exact, this.values.get(exact.name)!));
        continue;
      }
      for (const def of PARAMS) {
        for (const name of [def.name, ...(def.aliases ?? [])]) {
          if (globMatch(lower, name, true)) out.set(name, formatValue(def, this.values.get(def.name)!));
        }
      }
    }
    return [...out];
  }
}
