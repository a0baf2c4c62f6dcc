/**
 * The ubique server command: `ubique [configfile] [--name value ...]`, like
 * redis-server. Options are redis.conf parameters; UBIQUE_* environment
 * variables set defaults beneath the file and the flags.
 */
import { readFileSync } from 'node:fs';
import process from 'node:process';
import { ConfigError, type ConfigInput } from './core/config/config.js';
import { PARAMS } from './core/config/params.js';
import { parseArgs, parseConfigFile, parseEnv } from './core/config/sources.js';
import type { LogLevel } from './core/server.js';
import { listen } from './node.js';
import { VERSION } from './core/version.js';

const LEVELS: Record<string, number> = { debug: 0, verbose: 1, notice: 2, warning: 3, nothing: 4 };

function usage(): string {
  const lines = PARAMS.filter((p) => p.help).map((p) => `  --${p.name.padEnd(22)} ${p.help} (default: ${p.default || '""'})`);
  return [
    `ubique ${VERSION}: a Redis-compatible data store`,
    '',
    'Usage: ubique [configfile] [--name value ...]',
    '',
    'Any redis.conf parameter is accepted as --name value. Common ones:',
    ...lines,
    '',
    'Environment variables UBIQUE_<NAME> (e.g. UBIQUE_PORT=7000) set defaults.',
  ].join('\n');
}

export async function main(argv: string[]): Promise<number> {
  if (argv.includes('--help') || argv.includes('-h')) {
    console.log(usage());
    return 0;
  }
  if (argv.includes('--version') || argv.includes('-v')) {
    console.log(`ubique v=${VERSION}`);
    return 0;
  }
  let config: ConfigInput;
  try {
    const env = parseEnv(process.env);
    const { file, options } = parseArgs(argv);
    let fromFile: ConfigInput = {};
    if (file !== undefined) {
      let text: string;
      try {
        text = readFileSync(file, 'utf8');
      } catch (e) {
        console.error(`Cannot read config file '${file}': ${(e as Error).message}`);
        return 1;
      }
      fromFile = parseConfigFile(text, `config file '${file}'`);
    }
    config = { ...env, ...fromFile, ...options };
  } catch (e) {
    if (e instanceof ConfigError) {
      console.error(`Cannot start ubique: ${e.message}`);
      console.error(`Run 'ubique --help' for the options.`);
      return 1;
    }
    throw e;
  }

  const level = LEVELS[String(config['loglevel'] ?? 'notice')] ?? 2;
  const logger = (l: LogLevel, message: string) => {
    if (LEVELS[l]! < level) return;
    const mark = l === 'warning' ? '#' : l === 'notice' ? '*' : l === 'verbose' ? '-' : '.';
    const ts = new Date().toISOString().replace('T', ' ').replace('Z', '');
    process.stdout.write(`${process.pid}:M ${ts} ${mark} ${message}\n`);
  };

  let srv;
  try {
    srv = await listen({ config, logger });
  } catch (e) {
    const err = e as NodeJS.ErrnoException;
    if (err instanceof ConfigError || (err as Error).name === 'UbiqueError') console.error(`Cannot start ubique: ${err.message}`);
    else console.error(`Cannot start ubique: ${err.code === 'EADDRINUSE' ? `port ${String(config['port'] ?? 6379)} is already in use` : err.message}`);
    return 1;
  }
  const cfg = srv.server.config;
  const storage = cfg.bool('appendonly') ? `AOF in ${cfg.str('dir')}/${cfg.str('appendfilename')} (appendfsync ${cfg.str('appendfsync')})` : 'in-memory';
  logger('notice', `ubique ${VERSION} started, pid=${process.pid}, port=${srv.port}, bind=${(cfg.get('bind') as string[]).join(' ')}, ${storage}`);

  const stop = async (signal: string) => {
    logger('warning', `Received ${signal}, shutting down.`);
    await srv.close();
    logger('warning', 'ubique is now ready to exit, bye bye...');
    process.exit(0);
  };
  process.once('SIGINT', () => void stop('SIGINT'));
  process.once('SIGTERM', () => void stop('SIGTERM'));
  srv.server.ext['shutdown'] = () => stop('SHUTDOWN');
  logger('notice', 'Ready to accept connections tcp');
  return -1;
}
