import { describe, expect, it } from 'vitest';
import { ownedPackagesNote } from './owned.js';
import { debianImageResult, ownedPackageResult } from './spdx/testing/schemas.js';
import { writeTable } from './table.js';

describe('ownedPackagesNote', () => {
  it('lists each language package an OS package installed, with its owner, and says why', () => {
    expect(ownedPackagesNote(ownedPackageResult())).toEqual([
      "Installed by OS packages (1): matched through the OS package's advisories, not PyPI's",
      '  urllib3 1.26.12 (usr/lib/python3/dist-packages/urllib3-1.26.12.egg-info/PKG-INFO) <- deb python3-urllib3 1.26.12-1+deb12u4',
    ]);
  });

  it('says nothing when no package is owned', () => {
    expect(ownedPackagesNote(debianImageResult())).toEqual([]);
  });

  it('is part of the table report', () => {
    expect(writeTable(ownedPackageResult())).toContain('urllib3 1.26.12 (usr/lib/python3');
  });
});
