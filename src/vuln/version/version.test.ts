import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { apk, isValidApk } from './apk.js';
import { dpkg } from './dpkg.js';
import { maven } from './maven.js';
import { packagist } from './packagist.js';
import { pep440 } from './pep440.js';
import { comparatorFor } from './registry.js';
import { rpm, rpmvercmp } from './rpm.js';
import { rubygems } from './rubygems.js';
import { goVersion, nuget, semver } from './semver.js';

function tsv(name: string): string[][] {
  const text = readFileSync(new URL(`./fixtures/${name}`, import.meta.url), 'utf8');
  return text
    .split('\n')
    .slice(1)
    .filter((l) => l.trim() !== '')
    .map((l) => l.split('\t'));
}

const rows = (name: string): [string, string, number][] =>
  tsv(name).map((r) => [r[0]!, r[1]!, Number(r[2])] as [string, string, number]);

describe('dpkg comparator (Debian, Ubuntu)', () => {
  it.each(rows('dpkg_vercmp.tsv'))('cmp(%s, %s) = %i', (a, b, expected) => {
    expect(dpkg.compare(a, b)).toBe(expected);
  });
  it.each(['', 'a1.0', '1:', 'x:1.0', '1.0-a_b', '1.0 2'])('rejects %j', (v) => {
    expect(() => dpkg.compare(v, '1.0')).toThrow(/dpkg version/);
  });
});

describe('apk comparator (Alpine, Wolfi)', () => {
  const table = rows('apk_vercmp.tsv');
  it.each(table)('cmp(%s, %s) = %i', (a, b, expected) => {
    if (isValidApk(a) && isValidApk(b)) expect(apk.compare(a, b)).toBe(expected);
    else expect(() => apk.compare(a, b)).toThrow(/apk version/);
  });
  it.each(tsv('apk_validity.tsv'))('validity of %j is %s', (v, valid) => {
    expect(isValidApk(v!)).toBe(valid === 'true');
  });
});

describe('rpm comparator (Red Hat family, SUSE)', () => {
  it.each(rows('rpmvercmp.tsv'))('rpmvercmp(%s, %s) = %i', (a, b, expected) => {
    expect(rpmvercmp(a, b)).toBe(expected);
  });
  it.each([
    ['1:1.0-1', '2.0-1', 1],
    ['0:1.0-1', '1.0-1', 0],
    ['1.0-1.el9', '1.0-2.el9', -1],
    ['3.0.7-24.el9', '3.0.7-24.el9_3.1', -1],
  ] as const)('EVR cmp(%s, %s) = %i', (a, b, expected) => {
    expect(rpm.compare(a, b)).toBe(expected);
  });
});

describe('PEP 440 comparator (PyPI)', () => {
  it.each(rows('pep440_vercmp.tsv'))('cmp(%s, %s) = %i', (a, b, expected) => {
    expect(pep440.compare(a, b)).toBe(expected);
  });
  const cases = JSON.parse(
    readFileSync(new URL('./fixtures/pep440_param_cases.json', import.meta.url), 'utf8'),
  );
  it.each(cases.test_invalid_versions.cases as string[])('rejects %j', (v) => {
    expect(pep440.isValid(v)).toBe(false);
  });
  it.each(cases.test_normalized_versions.cases as [string, string][])(
    '%s equals its normal form %s',
    (v, n) => {
      expect(pep440.compare(v, n)).toBe(0);
    },
  );
});

describe('Maven comparator', () => {
  it.each(rows('maven_vercmp.tsv'))('cmp(%s, %s) = %i', (a, b, expected) => {
    expect(maven.compare(a, b)).toBe(expected);
  });
});

describe('semver comparator (npm, crates.io)', () => {
  it.each(rows('semver_vercmp.tsv'))('cmp(%s, %s) = %i', (a, b, expected) => {
    expect(semver.compare(a, b)).toBe(expected);
  });
  it.each(['1.2', '1.2.3.4', '01.2.3', '1.2.3-01', 'x.y.z', ''])('rejects %j', (v) => {
    expect(semver.isValid(v)).toBe(false);
  });
});

describe('Go comparator', () => {
  it.each([
    ['v1.2.3', '1.2.3', 0],
    ['v0.0.0-20210101000000-abcdefabcdef', '0.0.0', -1],
    ['go1.21', '1.21.0', 0],
    ['go1.21rc2', '1.21.0-rc.2', 0],
    ['1.21.0-rc.2', '1.21.0', -1],
    ['go1.19.8', '1.19.9', -1],
    ['v2.0.0+incompatible', '2.0.0', 0],
  ] as const)('cmp(%s, %s) = %i', (a, b, expected) => {
    expect(goVersion.compare(a, b)).toBe(expected);
  });
});

describe('NuGet comparator', () => {
  it.each([
    ['1.0', '1.0.0', 0],
    ['1.0.0.1', '1.0.0', 1],
    ['1.0.0-Beta', '1.0.0-beta', 0],
    ['1.0.0-alpha', '1.0.0', -1],
    ['4.7.2', '4.7.10', -1],
  ] as const)('cmp(%s, %s) = %i', (a, b, expected) => {
    expect(nuget.compare(a, b)).toBe(expected);
  });
});

describe('Packagist comparator (PHP version_compare order)', () => {
  it.each([
    ['1.0.0', 'v1.0.0', 0],
    ['1.0.0-dev', '1.0.0-alpha', -1],
    ['1.0.0-alpha1', '1.0.0-beta1', -1],
    ['1.0.0-RC1', '1.0.0', -1],
    ['1.0.0', '1.0.0-pl1', -1],
    ['1.0', '1.0.0', -1],
    ['5.4.10', '5.4.9', 1],
  ] as const)('cmp(%s, %s) = %i', (a, b, expected) => {
    expect(packagist.compare(a, b)).toBe(expected);
  });
});

describe('RubyGems comparator (Gem::Version)', () => {
  it.each([
    ['1.0', '1', 0],
    ['1.0.a', '1.0', -1],
    ['1.0.a', '1.a', 0],
    ['1.0.0.rc1', '1.0.0', -1],
    ['1.0.0-1', '1.0.0', -1],
    ['1.10', '1.9', 1],
    ['2.0.0.pre', '2.0.0.rc', -1],
  ] as const)('cmp(%s, %s) = %i', (a, b, expected) => {
    expect(rubygems.compare(a, b)).toBe(expected);
  });
  it('rejects junk', () => expect(rubygems.isValid('1..0 x')).toBe(false));
});

describe('comparatorFor', () => {
  it.each([
    ['Debian:12', 'dpkg'],
    ['Ubuntu:22.04:LTS', 'dpkg'],
    ['Alpine:v3.20', 'apk'],
    ['Red Hat', 'rpm'],
    ['PyPI', 'pep440'],
    ['Go', 'go'],
    ['crates.io', 'semver'],
  ])('%s uses %s', (eco, scheme) => expect(comparatorFor(eco)?.scheme).toBe(scheme));
  it('knows no comparator for an unknown ecosystem', () => expect(comparatorFor('Nope')).toBeUndefined());
});
