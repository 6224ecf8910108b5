import { describe, expect, it } from 'vitest';
import { pep440 } from '../version/pep440.js';
import { semver } from '../version/semver.js';
import { evaluateAffected, inRange } from './ranges.js';
import type { OsvAffected, OsvEvent, OsvRange } from './types.js';

const range = (type: OsvRange['type'], ...events: OsvEvent[]): OsvRange => ({ type, events });

// The examples of the OSV schema's "Examples" section (docs/schema.md), evaluated with its pseudocode.
describe('OSV range semantics (schema examples)', () => {
  const unfixed = range('SEMVER', { introduced: '0' });
  const fixed = range('SEMVER', { introduced: '0' }, { fixed: '1.0.2' });
  const multiple = range(
    'SEMVER',
    { introduced: '1.0.0' },
    { fixed: '1.0.2' },
    { introduced: '3.0.0' },
    { fixed: '3.2.5' },
  );
  const lastAffected = range('ECOSYSTEM', { introduced: '0' }, { last_affected: '2.1.214' });
  const fixedAt = range('ECOSYSTEM', { introduced: '0' }, { fixed: '2.1.214' });
  const limited = range('SEMVER', { introduced: '1.0.0' }, { limit: '2.0.0' });
  const unordered = range(
    'SEMVER',
    { fixed: '3.2.5' },
    { introduced: '3.0.0' },
    { fixed: '1.0.2' },
    { introduced: '1.0.0' },
  );

  it.each([
    ['unfixed: every version', unfixed, '0.0.1', true],
    ['unfixed: every version', unfixed, '99.0.0', true],
    ['fixed: before the fix', fixed, '1.0.1', true],
    ['fixed: the fix itself', fixed, '1.0.2', false],
    ['fixed: a pre-release of the fix', fixed, '1.0.2-rc.1', true],
    ['multiple: below the first range', multiple, '0.9.0', false],
    ['multiple: first range start', multiple, '1.0.0', true],
    ['multiple: between the ranges', multiple, '2.0.0', false],
    ['multiple: second range', multiple, '3.2.4', true],
    ['multiple: second fix', multiple, '3.2.5', false],
    ['unordered events are sorted first', unordered, '3.1.0', true],
    ['unordered events are sorted first', unordered, '1.5.0', false],
    ['last_affected: the version itself', lastAffected, '2.1.214', true],
    ['last_affected: above it', lastAffected, '2.1.215', false],
    ['fixed at the same version', fixedAt, '2.1.214', false],
    ['limit: below', limited, '1.5.0', true],
    ['limit: at the limit', limited, '2.0.0', false],
  ] as const)('%s (%s)', (_name, r, v, expected) => {
    expect(inRange(v, r, semver)).toBe(expected);
  });

  it('never evaluates GIT ranges', () => {
    expect(inRange('1.0.0', range('GIT', { introduced: '0' }), semver)).toBe(false);
  });

  it('throws on an unparseable installed version rather than guessing', () => {
    expect(() => inRange('not-a-version', fixed, semver)).toThrow(/not valid/);
  });
});

describe('evaluateAffected', () => {
  const entry = (ranges: OsvRange[], versions: string[] = []): OsvAffected => ({
    ecosystem: 'PyPI',
    name: 'py',
    ranges,
    versions,
  });

  it('matches an explicit versions entry even without a range', () => {
    const v = evaluateAffected('1.4.7.dev3', entry([], ['1.4.7.dev3']), () => pep440);
    expect(v).toMatchObject({ affected: true, via: 'versions' });
  });

  it('returns the lowest fix above the installed version', () => {
    const r = range(
      'ECOSYSTEM',
      { introduced: '0' },
      { fixed: '1.2' },
      { introduced: '2.0' },
      { fixed: '2.3' },
    );
    const v = evaluateAffected('1.0', entry([r]), () => pep440);
    expect(v).toMatchObject({ affected: true, via: 'range', fixes: ['1.2', '2.3'] });
  });

  it('is not affected above every fix, and lists no fix', () => {
    const r = range('ECOSYSTEM', { introduced: '0' }, { fixed: '1.2' });
    expect(evaluateAffected('1.3', entry([r]), () => pep440)).toEqual({ affected: false, fixes: [] });
  });
});
