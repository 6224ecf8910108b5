import { describe, expect, it } from 'vitest';
import { BadRecordError, parseOsvRecord } from './parse.js';

const base = {
  id: 'X-1',
  modified: '2024-01-01T00:00:00Z',
  affected: [
    {
      package: { ecosystem: 'npm', name: 'a' },
      ranges: [{ type: 'SEMVER', events: [{ introduced: '0' }, { fixed: '1.2.3' }] }],
    },
  ],
};
const withAffected = (patch: object) => ({ ...base, affected: [{ ...base.affected[0], ...patch }] });

describe('parseOsvRecord', () => {
  it('reads a record into the fields Strata uses', () => {
    expect(parseOsvRecord({ ...base, summary: '', aliases: null, references: [{ url: 'u' }] })).toEqual({
      id: 'X-1',
      modified: '2024-01-01T00:00:00Z',
      aliases: [],
      upstream: [],
      severity: [],
      affected: [
        {
          ecosystem: 'npm',
          name: 'a',
          ranges: [{ type: 'SEMVER', events: [{ introduced: '0' }, { fixed: '1.2.3' }] }],
          versions: [],
        },
      ],
      references: ['u'],
    });
  });

  it('drops empty events and entries without a package (GIT commits), unchecked', () => {
    const r = parseOsvRecord({
      ...base,
      affected: [
        { ranges: 'not checked' },
        {
          ...base.affected[0],
          ranges: [{ type: 'ECOSYSTEM', events: [{ introduced: '0' }, { fixed: '' }] }],
        },
      ],
    });
    expect(r.affected).toHaveLength(1);
    expect(r.affected[0]?.ranges[0]?.events).toEqual([{ introduced: '0' }]);
  });

  it.each([
    ['a record that is not an object', [], '(root): expected object, got array'],
    ['a bad id', { ...base, id: 'has space' }, 'id: expected an OSV id, got "has space"'],
    [
      'a bad time',
      { ...base, modified: 'yesterday' },
      'modified: expected an RFC 3339 time, got "yesterday"',
    ],
    ['a non-string alias', { ...base, aliases: ['A', 2] }, 'aliases[1]: expected string, got number'],
    [
      'an empty package name',
      withAffected({ package: { ecosystem: 'npm', name: '' } }),
      'affected[0].package.name: expected a non-empty string',
    ],
    [
      'an unknown range type',
      withAffected({ ranges: [{ type: 'DATE', events: [{ introduced: '0' }] }] }),
      'affected[0].ranges[0].type: expected SEMVER, ECOSYSTEM or GIT, got "DATE"',
    ],
    [
      'an event with two keys',
      withAffected({ ranges: [{ type: 'SEMVER', events: [{ introduced: '0', fixed: '1' }] }] }),
      'affected[0].ranges[0].events[0]: must hold exactly one of introduced, fixed, last_affected, limit',
    ],
    [
      'a range without an introduced event',
      withAffected({ ranges: [{ type: 'SEMVER', events: [{ fixed: '1' }] }] }),
      'affected[0].ranges[0].events: no introduced event',
    ],
    [
      'a reference without a url',
      { ...base, references: [{}] },
      'references[0].url: expected string, got undefined',
    ],
  ])('refuses %s, naming the field', (_n, record, message) => {
    expect(() => parseOsvRecord(record)).toThrow(BadRecordError);
    expect(() => parseOsvRecord(record)).toThrow(message);
  });
});
