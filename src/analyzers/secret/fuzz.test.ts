import { describe, expect, it } from 'vitest';
import { BUILTIN_RULES } from './rules/index.js';
import { SecretScanner } from './scanner.js';
import type { SecretRule } from './types.js';

/**
 * Adversarial inputs for every built-in rule: short units (a rule's literals and keywords glued to
 * the characters its classes and separators use) repeated to 256 KiB. A backtracking rule is
 * quadratic on some of them (the JWT rule took 20 s on 128 KiB of `eyJ`); the test timeout is the
 * bound, so a regression fails instead of passing slowly.
 */
const SIZE = 256 * 1024;
const PIECES = ['A', 'a', '0', ' ', '\n', '=', ':', '"', "'", '.', '-', '_', '/', '+', '@', '{', '\\'];

function seeded(seed: number): () => number {
  let s = seed;
  return () => {
    s = (s * 1_103_515_245 + 12_345) & 0x7fffffff;
    return s / 0x7fffffff;
  };
}

function unitsFor(source: string, keywords: readonly string[]): string[] {
  const random = seeded(source.length);
  const literals = [...(source.match(/[A-Za-z][A-Za-z0-9_]{2,}/g) ?? []), ...keywords];
  const units = new Set<string>();
  for (const literal of literals) {
    units.add(literal);
    for (const p of PIECES) units.add(literal + p);
    units.add(literal + 'A'.repeat(20));
    const glued = Array.from({ length: 3 }, () => PIECES[Math.floor(random() * PIECES.length)]).join('');
    units.add(literal + glued);
  }
  return [...units];
}

/** the rule alone, on any path and without its context literals, so its regex runs on every unit */
function alone(rule: SecretRule): SecretScanner {
  const { path: _path, requires: _requires, ...anywhere } = rule;
  return new SecretScanner({ rules: [anywhere], allowRules: [] });
}

describe('built-in secret rules on adversarial input', () => {
  it.each(BUILTIN_RULES.map((r) => [r.id, r] as const))('%s stays linear', (_id, rule) => {
    const scanner = alone(rule);
    const units = unitsFor(rule.regex.source, rule.keywords ?? []);
    expect(units.length).toBeGreaterThan(0);
    for (const unit of units) {
      const text = unit.repeat(Math.ceil(SIZE / unit.length)).slice(0, SIZE);
      expect(scanner.scan('srv/app/a.txt', text).unfinished).toEqual([]);
    }
  });
});
