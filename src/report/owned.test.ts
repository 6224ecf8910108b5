import { describe, expect, it } from 'vitest';
import { ownedPackagesNote } from './owned.js';
import { debianImageResult, ownedPackageResult } from './spdx/testing/schemas.js';
import { writeTable } from './table.js';

describe('ownedPackagesNote', () => {
  it('lists each language package an OS package installed, with its owner, and says why', () => {
    expect(ownedPackagesNote(ownedPackageResult())).toEqual([
      "Installed by OS packages (1; their advisories apply, not PyPI's):",
      '  urllib3 1.26.12 <- deb python3-urllib3 1.26.12-1+deb12u4',
    ]);
  });

  it('says nothing when no package is owned', () => {
    expect(ownedPackagesNote(debianImageResult())).toEqual([]);
  });

  it('is part of the table report', () => {
    expect(writeTable(ownedPackageResult())).toContain('urllib3 1.26.12 <- deb python3-urllib3');
  });
});
