import { describe, expect, it } from 'vitest';
import { assessSeverity, ratingFromWord, scoreVector } from './severity.js';

describe('CVSS scoring', () => {
  // Base scores from FIRST's calculators and the NVD entries that carry these vectors.
  it.each([
    ['CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H', '3.1', 9.8, 'CRITICAL'],
    ['CVSS:3.1/AV:N/AC:H/PR:N/UI:N/S:U/C:N/I:N/A:H', '3.1', 5.9, 'MEDIUM'],
    ['CVSS:3.0/AV:N/AC:L/PR:N/UI:R/S:U/C:L/I:N/A:N', '3.0', 4.3, 'MEDIUM'],
    ['CVSS:3.1/AV:L/AC:L/PR:L/UI:N/S:U/C:H/I:H/A:H', '3.1', 7.8, 'HIGH'],
    ['CVSS:3.1/AV:P/AC:H/PR:H/UI:R/S:U/C:L/I:N/A:N', '3.1', 1.6, 'LOW'],
    ['CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:N/VC:H/VI:H/VA:H/SC:N/SI:N/SA:N', '4.0', 9.3, 'CRITICAL'],
    ['CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:N/VC:N/VI:N/VA:N/SC:N/SI:N/SA:N', '4.0', 0, 'UNKNOWN'],
    ['AV:N/AC:L/Au:N/C:P/I:P/A:P', '2.0', 7.5, 'HIGH'],
    ['AV:N/AC:M/Au:N/C:N/I:P/A:N', '2.0', 4.3, 'MEDIUM'],
  ] as const)('%s scores %s/%f (%s)', (vector, version, score, severity) => {
    expect(scoreVector(vector)).toEqual({ version, vector, score, severity });
  });

  it.each(['', 'CVSS:3.1/AV:X', 'not a vector', 'CVSS:9.9/AV:N'])('refuses %j', (v) => {
    expect(scoreVector(v)).toBeUndefined();
  });
});

describe('assessSeverity', () => {
  it('prefers a v3 vector over v4 and v2', () => {
    const v = assessSeverity([
      { type: 'CVSS_V2', score: 'AV:N/AC:L/Au:N/C:P/I:P/A:P' },
      { type: 'CVSS_V4', score: 'CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:N/VC:H/VI:H/VA:H/SC:N/SI:N/SA:N' },
      { type: 'CVSS_V3', score: 'CVSS:3.1/AV:N/AC:H/PR:N/UI:N/S:U/C:N/I:N/A:H' },
    ]);
    expect(v.severity).toBe('MEDIUM');
    expect(v.source).toBe('cvss_v3.1');
    expect(v.cvss.map((c) => c.version)).toEqual(['3.1', '4.0', '2.0']);
  });
  it('falls back to a typed rating word (Ubuntu)', () => {
    expect(assessSeverity([{ type: 'Ubuntu', score: 'medium' }]).severity).toBe('MEDIUM');
  });
  it('falls back to the database rating (GHSA MODERATE)', () => {
    expect(assessSeverity([], ['MODERATE'])).toEqual({ severity: 'MEDIUM', source: 'database', cvss: [] });
  });
  it('is UNKNOWN with nothing to go on', () => {
    expect(assessSeverity([], [undefined]).severity).toBe('UNKNOWN');
  });
  it.each([
    ['Important', 'HIGH'],
    ['negligible', 'LOW'],
    ['bogus', undefined],
  ])('reads the word %s as %s', (w, s) => expect(ratingFromWord(w)).toBe(s));
});
