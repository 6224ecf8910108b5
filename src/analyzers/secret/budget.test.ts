import { describe, expect, it } from 'vitest';
import { SecretScanner } from './scanner.js';
import type { SecretRule } from './types.js';

const rule = (id: string): SecretRule => ({
  id,
  category: 'Test',
  title: id,
  severity: 'LOW',
  regex: /tok_[a-z0-9]{8}/,
});

/** A clock that moves one millisecond each time it is read. */
function tickingClock(): () => number {
  let t = 0;
  return () => t++;
}

describe('secret scanner time budget', () => {
  describe('when a file takes longer than its budget', () => {
    it('stops the running rule, skips the rest and names them', () => {
      const scanner = new SecretScanner({
        rules: [rule('first'), rule('second')],
        allowRules: [],
        budgetMs: 10,
        now: tickingClock(),
      });
      const text = Array.from({ length: 50 }, (_, i) => `tok_${String(i).padStart(8, 'a')}`).join('\n');
      const outcome = scanner.scan('srv/app/a.txt', text);
      expect(outcome.unfinished).toEqual(['first', 'second']);
      expect(outcome.hits.length).toBeGreaterThan(0);
      expect(outcome.hits.length).toBeLessThan(50);
    });
  });

  describe('when a file ends within its budget', () => {
    it('runs every rule to the end', () => {
      const scanner = new SecretScanner({
        rules: [rule('only')],
        allowRules: [],
        budgetMs: 1_000,
        now: tickingClock(),
      });
      const outcome = scanner.scan('srv/app/a.txt', 'tok_aaaaaaa1 tok_aaaaaaa2');
      expect(outcome.unfinished).toEqual([]);
      expect(outcome.hits).toHaveLength(2);
    });
  });
});
