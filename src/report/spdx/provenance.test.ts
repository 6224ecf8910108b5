import { describe, expect, it } from 'vitest';
import type { Package } from '../../core/types.js';
import { isOsPackage, packageProvenance } from './provenance.js';

const pkg = (over: Partial<Package>): Package => ({
  name: 'p',
  version: '1',
  ecosystem: 'npm',
  purl: 'pkg:npm/p@1',
  path: 'package-lock.json',
  ...over,
});

describe('isOsPackage', () => {
  it.each([
    ['pkg:deb/debian/libc6@2.36-9?arch=amd64', true],
    ['pkg:apk/alpine/musl@1.2.4-r2?arch=x86_64', true],
    ['pkg:rpm/redhat/openssl@3.0.7-1.el9?arch=x86_64', true],
    ['pkg:RPM/redhat/bash@5.1', true],
    ['pkg:alpm/arch/pacman@6.0.2-1', true],
    ['pkg:npm/%40babel/core@7.24.0', false],
    ['pkg:golang/github.com/x/y@v1.0.0', false],
    ['pkg:pypi/requests@2.31.0', false],
    ['', false],
  ])('%s -> %s', (purl, expected) => {
    expect(isOsPackage(pkg({ purl }))).toBe(expected);
  });
});

describe('packageProvenance', () => {
  it('names only what the package records, sorted by name', () => {
    expect(packageProvenance(pkg({}), new Map())).toEqual([
      ['strata:ecosystem', 'npm'],
      ['strata:path', 'package-lock.json'],
    ]);
  });

  it('adds the diffID only when the layer is known', () => {
    const layer = 'sha256:aa';
    expect(packageProvenance(pkg({ layer }), new Map())).toContainEqual(['strata:layer:digest', layer]);
    expect(
      packageProvenance(pkg({ layer }), new Map([[layer, { digest: layer, diffId: 'sha256:bb', size: 1 }]])),
    ).toContainEqual(['strata:layer:diffId', 'sha256:bb']);
  });
});
