/**
 * The core stays runtime-free: no file under src/core imports node:*, ws or
 * idb-keyval, or uses Buffer, process, Deno or require(); and the universal
 * entry (src/index.ts) bundles for a neutral platform with nothing external.
 */
import { readFileSync, readdirSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { gzipSync } from 'node:zlib';
import { build } from 'esbuild';
import { describe, expect, it } from 'vitest';

const root = join(import.meta.dirname, '../..');
const coreDir = join(root, 'src/core');

function filesUnder(dir: string): string[] {
  const out: string[] = [];
  for (const name of readdirSync(dir)) {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) out.push(...filesUnder(path));
    else if (/\.(ts|js|mjs)$/.test(name)) out.push(path);
  }
  return out;
}

/**
 * Blanks comments and the text of string literals (keeping template `${}`
 * expressions), so words in messages and docs do not count as uses.
 * Module specifiers are kept in `specifiers` for the import checks.
 */
export function codeOnly(source: string): { code: string; specifiers: string[] } {
  let code = '';
  const specifiers: string[] = [];
  const braces: number[] = []; // template nesting: brace depth at each `${`
  let depth = 0;
  let i = 0;
  const n = source.length;
  const readQuoted = (quote: string): string => {
    let text = '';
    i++;
    while (i < n && source[i] !== quote) {
      if (source[i] === '\\') {
        text += source[i + 1] ?? '';
        i += 2;
        continue;
      }
      if (source[i] === '\n') break;
      text += source[i++];
    }
    i++;
    return text;
  };
  const readTemplate = (): void => {
    // From just after a backtick or a closing `}` of an expression, to the end of this text part.
    while (i < n) {
      if (source[i] === '\\') i += 2;
      else if (source[i] === '`') {
        i++;
        code += '``';
        return;
      } else if (source[i] === '$' && source[i + 1] === '{') {
        i += 2;
        code += '`${';
        braces.push(depth);
        depth++;
        return;
      } else i++;
    }
  };
  while (i < n) {
    const c = source[i]!;
    const next = source[i + 1];
    if (c === '/' && next === '/') {
      while (i < n && source[i] !== '\n') i++;
    } else if (c === '/' && next === '*') {
      const end = source.indexOf('*/', i + 2);
      i = end === -1 ? n : end + 2;
      code += ' ';
    } else if (c === "'" || c === '"') {
      specifiers.push(readQuoted(c));
      code += '""';
    } else if (c === '`') {
      i++;
      readTemplate();
    } else if (c === '{') {
      depth++;
      code += c;
      i++;
    } else if (c === '}') {
      depth--;
      i++;
      if (braces.length > 0 && braces[braces.length - 1] === depth) {
        braces.pop();
        readTemplate();
      } else code += c;
    } else {
      code += c;
      i++;
    }
  }
  return { code, specifiers };
}

const FORBIDDEN_IDENTIFIERS = ['Buffer', 'process', 'Deno'];

function violations(file: string): string[] {
  const source = readFileSync(file, 'utf8');
  const { code } = codeOnly(source);
  const found: string[] = [];
  // Module specifiers of static imports/exports and dynamic import().
  const importRe = /(?:^|\n)\s*(?:import|export)\s[^;]*?from\s*['"]([^'"]+)['"]|import\s*\(\s*['"]([^'"]+)['"]\s*\)|(?:^|\n)\s*import\s*['"]([^'"]+)['"]/g;
  for (const m of source.matchAll(importRe)) {
    const spec = m[1] ?? m[2] ?? m[3] ?? '';
    if (spec.startsWith('node:') || spec === 'ws' || spec === 'idb-keyval' || /^(fs|net|path|os|crypto|buffer|child_process|stream|zlib|url)$/.test(spec)) {
      found.push(`imports '${spec}'`);
    }
  }
  for (const name of FORBIDDEN_IDENTIFIERS) {
    if (new RegExp(`(?<![\\w$.])${name}(?![\\w$])`).test(code)) found.push(`uses ${name}`);
  }
  if (/(?<![\w$.])require\s*\(/.test(code)) found.push('uses require(');
  return found;
}

describe('core purity', () => {
  it('the scanner ignores comments and strings but sees code', () => {
    expect(codeOnly("// Buffer\nconst a = 'process'; /* Deno */ x").code).not.toMatch(/Buffer|process|Deno/);
    expect(codeOnly('const s = `a ${Buffer.from(x)} b`;').code).toContain('Buffer');
    expect(codeOnly('const s = `a ${f({ a: 1 })} process`;').code).not.toContain('process');
  });

  it('no file under src/core uses a runtime-specific API', () => {
    const files = filesUnder(coreDir);
    expect(files.length).toBeGreaterThan(10);
    const bad: string[] = [];
    for (const file of files) for (const v of violations(file)) bad.push(`${relative(root, file)}: ${v}`);
    expect(bad).toEqual([]);
  });

  it('src/index.ts bundles for a neutral platform with nothing external', async () => {
    const result = await build({
      entryPoints: [join(root, 'src/index.ts')],
      bundle: true,
      platform: 'neutral',
      mainFields: ['module', 'main'],
      format: 'esm',
      minify: true,
      write: false,
      logLevel: 'silent',
      metafile: true,
    });
    expect(result.errors).toEqual([]);
    const inputs = Object.keys(result.metafile.inputs);
    expect(inputs.filter((p) => p.includes('src/adapters') || /(^|\/)node:/.test(p))).toEqual([]);
    const bytes = result.outputFiles[0]!.contents;
    const gz = gzipSync(bytes).length;
    console.log(`src/index.ts bundle: ${(bytes.length / 1024).toFixed(1)} KiB minified, ${(gz / 1024).toFixed(1)} KiB gzipped`);
    expect(gz).toBeGreaterThan(0);
  });
});
