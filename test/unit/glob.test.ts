/**
 * Glob matching as Redis's stringmatchlen (the differential scenarios cover
 * KEYS and SCAN MATCH; these cover nocase and pathological patterns).
 */
import { describe, expect, it } from 'vitest';
import { globMatch } from '../../src/core/glob.js';

describe('globMatch', () => {
  it.each([
    ['h?llo', 'hello', true],
    ['h?llo', 'hllo', false],
    ['h*llo', 'hllo', true],
    ['h*llo', 'heeeello', true],
    ['h[ae]llo', 'hallo', true],
    ['h[ae]llo', 'hillo', false],
    ['h[^e]llo', 'hallo', true],
    ['h[^e]llo', 'hello', false],
    ['h[a-b]llo', 'hbllo', true],
    ['h[b-a]llo', 'hbllo', true],
    ['h\\*llo', 'h*llo', true],
    ['h\\*llo', 'hello', false],
    ['[\\]]', ']', true],
    ['[a-', 'a', true], // unterminated class ends with the pattern
    ['[a-', '-', true],
    ['[', 'x', false],
    ['[^', 'x', true],
    ['', '', true],
    ['*', '', true],
    ['**', '', false], // only a lone * matches the empty key, as in Redis's callers
    ['a*', 'a', true],
    ['*a', 'a', true],
    ['x[a-\xff]', 'xb', false], // signed chars: [a-\xff] is [-1, 97]
    ['x[a-\xff]', 'x\xff', true],
    ['x[a-\xff]', 'xa', true],
    ['x[\x80-a]', 'x\x00', true],
    ['x[\x80-a]', 'x\x90', true],
    ['x[\x80-a]', 'xb', false],
  ])('%j against %j is %s', (pattern, subject, expected) => {
    expect(globMatch(pattern, subject)).toBe(expected);
  });

  it('nocase folds ASCII only, after ordering a range (as Redis)', () => {
    expect(globMatch('HELLO', 'hello', true)).toBe(true);
    expect(globMatch('h[A-C]llo', 'hbllo', true)).toBe(true);
    // [Z-a]: bounds fold to z..a after ordering, an empty range.
    expect(globMatch('[Z-a]', 'b', true)).toBe(false);
    expect(globMatch('[Z-a]', '_', false)).toBe(true);
    // An escaped char in a class is compared as is.
    expect(globMatch('[\\A]', 'a', true)).toBe(false);
    expect(globMatch('\xc9', '\xe9', true)).toBe(false);
  });

  it('gives up quickly on patterns that would backtrack exponentially', () => {
    const subject = 'a'.repeat(5000);
    expect(globMatch('*a*a*a*a*a*a*a*a*a*a*b', subject)).toBe(false);
    expect(globMatch('*'.repeat(3) + 'a*'.repeat(2000) + 'b', subject)).toBe(false);
  });

  it('stops at Redis nesting limit of stars', () => {
    const pattern = 'a*'.repeat(1002) + 'a';
    expect(globMatch(pattern, 'a'.repeat(2005))).toBe(false);
    expect(globMatch('a*'.repeat(500) + 'a', 'a'.repeat(1001))).toBe(true);
  });
});
