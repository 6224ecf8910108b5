import { describe, expect, it } from 'vitest';
import { compileLinear, nonLinearConstruct } from './linear-pattern.js';
import { isAllowed, SecretScanner } from './scanner.js';
import type { LinearPattern, SecretRule } from './types.js';

const KiB = 1024;

function linear(source: string): LinearPattern {
  const compiled = compileLinear(source);
  if (!compiled.ok) throw new Error(compiled.message);
  return compiled.pattern;
}

const rule = (id: string, regex: SecretRule['regex'], extra: Partial<SecretRule> = {}): SecretRule => ({
  id,
  category: 'Custom',
  title: id,
  severity: 'HIGH',
  regex,
  ...extra,
});

/** Runs one rule on a text and counts the finder's searches: the work the scanner asked for. */
function scanCounting(regex: LinearPattern, text: string) {
  let searches = 0;
  const counted: LinearPattern = {
    ...regex,
    engine: 're2',
    test: (t) => regex.test(t),
    over(t) {
      const finder = regex.over(t);
      return {
        find: (from) => {
          searches++;
          return finder.find(from);
        },
      };
    },
  };
  const scanner = new SecretScanner({ rules: [rule('custom', counted)], allowRules: [] });
  const started = performance.now();
  const outcome = scanner.scan('srv/app/data.txt', Buffer.from(text, 'latin1'));
  return { outcome, searches, ms: performance.now() - started };
}

describe('custom patterns on RE2', () => {
  describe('when a pattern would backtrack catastrophically on V8', () => {
    // each pair takes V8 longer than the age of the universe on 64 KiB; RE2 reads the text once per search
    it.each([
      ['(a+)+$', `${'a'.repeat(64 * KiB)}!`],
      ['(x+x+)+y', 'x'.repeat(64 * KiB)],
      ['(x+x+)+[yz]', 'x'.repeat(64 * KiB)],
      ['(?P<secret>(\\w+\\s?)+)!$', `${'ab '.repeat((64 * KiB) / 3)}?`],
      ['(a|aa)+b', 'a'.repeat(64 * KiB)],
    ])('%s on 64 KiB of adversarial input ends, in one search', (source, text) => {
      const { outcome, searches, ms } = scanCounting(linear(source), text);
      expect(outcome).toEqual({ hits: [], truncated: [], unfinished: [] });
      expect(searches).toBe(1);
      // generous for a loaded machine: backtracking would take minutes at 30 characters
      expect(ms).toBeLessThan(5_000);
    });
  });

  describe('when a path allow rule backtracks catastrophically on V8', () => {
    it('decides on a long path at once', () => {
      const allow = [{ id: 'nested', path: linear('^(a+)+$') }];
      expect(isAllowed(allow, `${'a'.repeat(4 * KiB)}/`, undefined)).toBe(false);
      expect(isAllowed(allow, 'a'.repeat(4 * KiB), undefined)).toBe(true);
    });
  });

  describe('matches', () => {
    const text = 'x=1\napi_key = "tok_abcdef123456" ; token: tok_zyxwvu654321\nend';
    const source = '(?P<key>api_key|token)\\s*[:=]\\s*"?(?P<secret>tok_[a-z0-9]{12})';

    it('gives the same hits as V8 for the same pattern: secret group, key, line, offsets', () => {
      const v8 = /(?<key>api_key|token)\s*[:=]\s*"?(?<secret>tok_[a-z0-9]{12})/;
      const scan = (regex: SecretRule['regex']) =>
        new SecretScanner({ rules: [rule('custom', regex)], allowRules: [] })
          .scan('a.txt', text)
          .hits.map(({ line, start, end, secret, key }) => ({ line, start, end, secret, key }));
      const hits = scan(linear(source));
      expect(hits).toEqual([
        { line: 2, start: 15, end: 31, secret: 'tok_abcdef123456', key: 'api_key' },
        { line: 2, start: 42, end: 58, secret: 'tok_zyxwvu654321', key: 'token' },
      ]);
      expect(scan(v8)).toEqual(hits);
    });

    it('uses the named group the rule names as the secret', () => {
      const scanner = new SecretScanner({
        rules: [rule('custom', linear('token: (?<value>tok_[a-z0-9]+)'), { secretGroup: 'value' })],
        allowRules: [],
      });
      expect(scanner.scan('a.txt', text).hits.map((h) => [h.secret, h.line])).toEqual([
        ['tok_zyxwvu654321', 2],
      ]);
    });

    it('counts offsets in bytes when the text holds UTF-8', () => {
      const scanner = new SecretScanner({ rules: [rule('custom', linear('tok_[a-z]{6}'))], allowRules: [] });
      const [hit] = scanner.scan('a.txt', Buffer.from('passé € tok_abcdef')).hits;
      expect([hit?.start, hit?.secret]).toEqual([11, 'tok_abcdef']);
    });

    it('steps past empty matches instead of looping', () => {
      const { outcome, searches } = scanCounting(linear('\\b(?P<secret>x*)'), 'ab xx cd');
      expect(outcome.hits.map((h) => h.secret)).toEqual(['xx']);
      expect(searches).toBeLessThan(10);
    });
  });

  describe('refused patterns', () => {
    it.each([
      ['a(?=b)', 'lookahead "(?="'],
      ['a(?!b)', 'negative lookahead "(?!"'],
      ['(?<=a)b', 'lookbehind "(?<="'],
      ['(?<!a)b', 'negative lookbehind "(?<!"'],
      ['(a)\\1', 'backreference "\\1"'],
      ['(?<n>a)\\k<n>', 'named backreference "\\k<...>"'],
    ])('%s is named as %s', (source, construct) => {
      const compiled = compileLinear(source);
      expect(compiled.ok).toBe(false);
      expect(!compiled.ok && compiled.message).toBe(
        `${construct} is not supported: custom patterns run on RE2 (linear time), which has no lookaround or backreferences`,
      );
    });

    it('reads constructs inside a class or a \\Q...\\E quote as literals', () => {
      expect(nonLinearConstruct('[(?=]\\1')).toBe('backreference "\\1"');
      expect(nonLinearConstruct('[]\\1(?=]')).toBeUndefined();
      expect(nonLinearConstruct('\\Q(?=\\E')).toBeUndefined();
      expect(compileLinear('[(?=]+').ok).toBe(true);
    });

    it('reports other syntax errors in RE2 words', () => {
      expect(compileLinear('token_([a-z')).toEqual({
        ok: false,
        message: 'invalid regular expression: missing closing ]: `[a-z`',
      });
    });
  });
});
