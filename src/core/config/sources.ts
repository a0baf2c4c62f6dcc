/**
 * Configuration from the places a server reads it, in redis-server's order:
 * a config file (redis.conf syntax), then command-line flags, with UBIQUE_*
 * environment variables beneath both. Every value goes through one schema.
 * This module is browser compatible (it parses text; reading files is the caller's job).
 */
import { splitInline } from '../resp/decoder.js';
import { ConfigError, validateParam, type ConfigInput } from './config.js';
import { findParam } from './params.js';

/** Parses redis.conf text: `name value...` per line, `#` comments, quotes as in redis.conf. */
export function parseConfigFile(text: string, source = 'config file'): ConfigInput {
  const out: ConfigInput = {};
  const lines = text.split(/\r?\n/);
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!.trim();
    if (line === '' || line.startsWith('#')) continue;
    let words: string[];
    try {
      words = splitInline(line);
    } catch {
      throw new ConfigError('', `Cannot read ${source}: unbalanced quotes at line ${i + 1}`);
    }
    const [name, ...values] = words;
    add(out, name!, values, `${source}, line ${i + 1}`);
  }
  return out;
}

/** Parses redis-server style arguments: `[configfile] --name value... --name value...`. */
export function parseArgs(argv: string[]): { file?: string; options: ConfigInput } {
  const options: ConfigInput = {};
  let file: string | undefined;
  let i = 0;
  if (argv.length > 0 && !argv[0]!.startsWith('--')) file = argv[i++];
  while (i < argv.length) {
    const flag = argv[i++]!;
    if (!flag.startsWith('--')) throw new ConfigError(flag, `Unexpected argument '${flag}': options are written --name value`);
    const name = flag.slice(2);
    const values: string[] = [];
    while (i < argv.length && !argv[i]!.startsWith('--')) values.push(argv[i++]!);
    add(options, name, values, 'command line');
  }
  return { file, options };
}

/** UBIQUE_PORT=7000, UBIQUE_MAXMEMORY_POLICY=allkeys-lru, ... */
export function parseEnv(env: Record<string, string | undefined>): ConfigInput {
  const out: ConfigInput = {};
  for (const [k, v] of Object.entries(env)) {
    if (!k.startsWith('UBIQUE_') || v === undefined) continue;
    const name = k.slice(7).toLowerCase().replace(/_/g, '-');
    add(out, name, [v], `environment variable ${k}`);
  }
  return out;
}

function add(out: ConfigInput, name: string, values: string[], where: string): void {
  const def = findParam(name);
  if (!def) throw new ConfigError(name, `Unknown option '${name}' (${where})`);
  const value = def.type === 'list' ? values : values.join(' ');
  try {
    validateParam(def.name, value);
  } catch (e) {
    if (e instanceof ConfigError) throw new ConfigError(def.name, `${e.message} (${where})`);
    throw e;
  }
  // `save` and friends accumulate over repeated lines in redis.conf.
  if (def.name === 'save' && typeof out['save'] === 'string' && out['save'] !== '' && value !== '') {
    out['save'] = `${out['save']} ${value as string}`;
  } else {
    out[def.name] = value;
  }
}
