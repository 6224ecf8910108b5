import { describe, expect, it } from 'vitest';
import { assertExportAcceptable, exportProblem } from './export-check.js';
import { emptyCounts, type ImportCounts } from './import.js';

const counts = (c: Partial<ImportCounts>): ImportCounts => ({ ...emptyCounts(), ...c });
const outcome = (c: Partial<ImportCounts>, kept: number, removed: number) => ({
  ecosystem: 'Debian',
  url: 'https://user:pw@mirror.example/Debian/all.zip?token=abc',
  counts: counts(c),
  kept,
  removed,
});

describe('exportProblem', () => {
  it.each([
    ['a normal update', { imported: 10, skipped: 40 }, 50, 2, undefined],
    ['a small churn', { imported: 1, skipped: 1 }, 2, 1, undefined],
    ['an empty export over an empty database', {}, 0, 0, undefined],
    ['a few bad records among many', { skipped: 90, bad: 3 }, 90, 0, undefined],
    ['all records bad (50 -> 0)', { bad: 50 }, 0, 50, /no valid record in the export, 50 bad/],
    ['an empty export that would prune', {}, 0, 3, /no valid record/],
    ['mostly bad records', { imported: 2, bad: 5 }, 2, 0, /5 of 7 records are bad/],
    ['a truncated export', { skipped: 3 }, 3, 47, /remove 47 advisories and keep 3/],
  ])('%s', (_name, c, kept, removed, expected) => {
    const problem = exportProblem(outcome(c, kept, removed));
    if (expected === undefined) expect(problem).toBeUndefined();
    else expect(problem).toMatch(expected);
  });

  it('names the ecosystem and the redacted URL, and says the database was not changed', () => {
    expect(() =>
      assertExportAcceptable(
        outcome({ bad: 2, badRecords: [{ source: 'all.zip!X.json', message: 'id: expected string' }] }, 0, 2),
      ),
    ).toThrow(
      'Debian: refused the export from https://mirror.example/Debian/all.zip?token=***: no valid record in the export, 2 bad (first: all.zip!X.json: id: expected string); the database was not changed',
    );
  });
});
