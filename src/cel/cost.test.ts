import { describe, expect, it } from 'vitest';
import { nestedQuantifier } from './cost.js';
import { evaluateCelRules } from './evaluate.js';
import { compileCelRules } from './load.js';

const rulesFile = (expression: string) =>
  `rules:\n- id: r1\n  severity: LOW\n  message: m\n  expression: ${JSON.stringify(expression)}\n`;

const list = (n: number) => `[${Array.from({ length: n }, (_, i) => i).join(',')}]`;

describe('CEL rule cost', () => {
  describe('when a rule is loaded', () => {
    it.each([
      [
        'three nested comprehensions',
        `${list(3)}.all(a, ${list(3)}.all(b, ${list(3)}.all(c, true)))`,
        /nest deeper than 2/,
      ],
      ['a nested quantifier in matches()', "object.kind.matches('(a+)+$')", /nests quantifiers/],
      ['an alternation under a quantifier', "object.kind.matches('^(a|aa)*$')", /nests quantifiers/],
      ['a pattern read from the resource', 'object.kind.matches(object.metadata.name)', /constant pattern/],
    ])('refuses %s', (_what, expression, message) => {
      expect(() => compileCelRules(rulesFile(expression), 'rules.yaml')).toThrow(message);
    });

    it.each([
      ['two nested comprehensions', 'object.spec.containers.all(c, c.ports.all(p, p.containerPort > 0))'],
      ['a plain pattern', "object.kind.matches('^[A-Z][a-z]+(Set)?$')"],
    ])('accepts %s', (_what, expression) => {
      expect(compileCelRules(rulesFile(expression), 'rules.yaml')).toHaveLength(1);
    });
  });

  describe('when a rule runs', () => {
    it('stops an evaluation that reads the resource too often and reports it for that rule', () => {
      const [rule] = compileCelRules(
        rulesFile('object.items.all(a, object.items.all(b, a != b || true))'),
        'r.yaml',
      );
      const items = Array.from({ length: 3_000 }, (_, i) => i);
      const resource = {
        kind: 'List',
        name: 'big',
        object: { kind: 'List', items },
        file: 'big.yaml',
        line: 1,
      };
      const { findings, errors } = evaluateCelRules([rule!], [resource]);
      expect(findings).toEqual([]);
      expect(errors.map((e) => e.message)).toEqual([
        expect.stringMatching(/^rule r1 on List\/big: evaluation stopped after 1000000 reads/),
      ]);
    });

    it('counts the keys of a map a comprehension iterates', () => {
      const [rule] = compileCelRules(
        rulesFile('object.data.all(a, object.data.all(b, a == b || true))'),
        'r.yaml',
      );
      const data = Object.fromEntries(Array.from({ length: 3_000 }, (_, i) => [`k${i}`, 'v']));
      const resource = {
        kind: 'ConfigMap',
        name: 'c',
        object: { kind: 'ConfigMap', data },
        file: 'c.yaml',
        line: 1,
      };
      expect(evaluateCelRules([rule!], [resource]).errors.map((e) => e.message)).toEqual([
        expect.stringMatching(/evaluation stopped after 1000000 reads/),
      ]);
    });

    it('evaluates a cheap rule as before', () => {
      const [rule] = compileCelRules(rulesFile("object.kind == 'Pod'"), 'r.yaml');
      const resource = { kind: 'Pod', name: 'p', object: { kind: 'Pod' }, file: 'p.yaml', line: 1 };
      expect(evaluateCelRules([rule!], [resource])).toEqual({ findings: [], errors: [] });
    });
  });
});

describe('nestedQuantifier', () => {
  it.each([
    ['(a+)+', true],
    ['(a*)*', true],
    ['(?:x|y)+', true],
    ['((ab)+c)*', true],
    ['^[a-z]+$', false],
    ['(ab)+', false],
    ['(a+)?', false],
    ['[(+)]+', false],
    ['\\(a+\\)+', false],
  ])('%s -> %s', (pattern, expected) => {
    expect(nestedQuantifier(pattern)).toBe(expected);
  });
});
