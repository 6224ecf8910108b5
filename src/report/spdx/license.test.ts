import { describe, expect, it } from 'vitest';
import { combineLicenses, licenseRefId, normalizeLicense, normalizeLicenses } from './license.js';

describe('normalizeLicense', () => {
  describe('maps list licenses and their common spellings to SPDX ids', () => {
    it.each([
      ['Apache-2.0', 'Apache-2.0'],
      ['apache-2.0', 'Apache-2.0'],
      ['MIT', 'MIT'],
      ['Expat', 'MIT'],
      ['BSD-3-clause', 'BSD-3-Clause'],
      ['BSD-2-clause', 'BSD-2-Clause'],
      ['Zlib', 'Zlib'],
      ['zlib', 'Zlib'],
      ['ASL 2.0', 'Apache-2.0'],
      ['Apache License 2.0', 'Apache-2.0'],
      ['PSF-2', 'PSF-2.0'],
      ['CC0-1.0', 'CC0-1.0'],
      ['GPL-2', 'GPL-2.0-only'],
      ['GPL-2+', 'GPL-2.0-or-later'],
      ['GPL-2.0', 'GPL-2.0-only'],
      ['GPL-2.0+', 'GPL-2.0-or-later'],
      ['GPL-2.0-or-later', 'GPL-2.0-or-later'],
      ['GPLv2+', 'GPL-2.0-or-later'],
      ['GPLv3', 'GPL-3.0-only'],
      ['GPL-1+', 'GPL-1.0-or-later'],
      ['LGPL-2', 'LGPL-2.0-only'],
      ['LGPL-2.1', 'LGPL-2.1-only'],
      ['LGPL-2.1+', 'LGPL-2.1-or-later'],
      ['LGPL-2.1 or later', 'LGPL-2.1-or-later'],
      ['LGPL-2.1 or any later version', 'LGPL-2.1-or-later'],
      ['LGPLv2+', 'LGPL-2.0-or-later'],
      ['AGPL-3', 'AGPL-3.0-only'],
      ['GFDL-1.3+', 'GFDL-1.3-or-later'],
      ['FSFULLR', 'FSFULLR'],
      ['Latex2e', 'Latex2e'],
    ])('%s -> %s', (raw, id) => {
      expect(normalizeLicense(raw)).toEqual({ kind: 'id', id });
    });
  });

  describe('rebuilds expressions with canonical ids and upper-case operators', () => {
    it.each([
      ['GPL-2+ or LGPL-2.1', 'GPL-2.0-or-later OR LGPL-2.1-only'],
      ['MIT OR Apache-2.0', 'MIT OR Apache-2.0'],
      ['(MIT AND CC-BY-3.0)', '(MIT AND CC-BY-3.0)'],
      ['Apache License 2.0 or MIT', 'Apache-2.0 OR MIT'],
      ['GPL-2.0-only WITH Classpath-exception-2.0', 'GPL-2.0-only WITH Classpath-exception-2.0'],
      ['(bsd-3-clause or mit) and isc', '(BSD-3-Clause OR MIT) AND ISC'],
      ['MPL-1.1+', 'MPL-1.1+'],
      ['GPL-3+ with Bison exception', 'GPL-3.0-or-later WITH Bison-exception-2.2'],
      ['GPL-3+ with autoconf exception', 'GPL-3.0-or-later WITH Autoconf-exception-3.0'],
      ['GPL-2+ with Autoconf exception', 'GPL-2.0-or-later WITH Autoconf-exception-2.0'],
      ['GPL-2 with Linux-syscall-note exception', 'GPL-2.0-only WITH Linux-syscall-note'],
      ['GPL-2+ with Texinfo exception', 'GPL-2.0-or-later WITH Texinfo-exception'],
      ['GPL-3+ with GCC exception or MIT', 'GPL-3.0-or-later WITH GCC-exception-3.1 OR MIT'],
    ])('%s -> %s', (raw, expression) => {
      expect(normalizeLicense(raw)).toEqual({ kind: 'expression', expression });
    });
  });

  describe('keeps anything it cannot map for sure as a plain name', () => {
    it.each([
      'public-domain',
      'Artistic',
      'GPL',
      'GFDL-NIV-1.3',
      'GPL-1+ or Artistic',
      'GPL-2 with OpenSSL exception',
      'LGPL-2.1+ with Autoconf exception',
      'GPL with automake exception',
      'MIT AND',
      '(MIT',
      'MIT OR OR ISC',
      '(GPL-2.0-only OR MIT) WITH Classpath-exception-2.0',
      'GPL-2.0-only WITH Classpath-exception-2.0 WITH LLVM-exception',
      'GPL-2.0-only WITH MIT',
      'Custom License v3',
    ])('%s', (raw) => {
      expect(normalizeLicense(raw)).toEqual({ kind: 'name', name: raw });
    });
  });

  it('collapses white space in names', () => {
    expect(normalizeLicense('  some   license ')).toEqual({ kind: 'name', name: 'some license' });
  });
});

describe('normalizeLicenses', () => {
  it('drops empty entries and duplicates (also spelling variants of one id)', () => {
    expect(normalizeLicenses(['GPL-2+', '', 'GPL-2.0-or-later', 'MIT', ' '])).toEqual([
      { kind: 'id', id: 'GPL-2.0-or-later' },
      { kind: 'id', id: 'MIT' },
    ]);
  });

  it('returns nothing for a package without licenses', () => {
    expect(normalizeLicenses(undefined)).toEqual([]);
  });
});

describe('normalizeLicense on hostile strings', () => {
  // each used to backtrack quadratically (minutes at this size); the test timeout is the bound
  it.each([
    ['one megabyte-long word', 'a'.repeat(1_000_000)],
    ['a long run of "with" phrases', 'GPL-2 with '.repeat(100_000)],
    ['a long run of "or" phrases', 'MIT or '.repeat(100_000)],
    ['a license with a million "+"', `GPL-2${'+'.repeat(1_000_000)}`],
  ])('keeps %s as a name in one pass', (_, text) => {
    expect(normalizeLicense(text).kind).toBe('name');
  });
});

describe('licenseRefId', () => {
  it('keeps a name made of allowed characters', () => {
    expect(licenseRefId('public-domain')).toBe('LicenseRef-public-domain');
  });

  it('sanitizes other names and adds a hash, so names that sanitize alike stay apart', () => {
    const a = licenseRefId('GPL 2 with OpenSSL exception');
    const b = licenseRefId('GPL-2 with OpenSSL exception');
    expect(a).toMatch(/^LicenseRef-GPL-2-with-OpenSSL-exception-[0-9a-f]{8}$/);
    expect(b).toMatch(/^LicenseRef-GPL-2-with-OpenSSL-exception-[0-9a-f]{8}$/);
    expect(a).not.toBe(b);
  });

  it('always yields an SPDX idstring', () => {
    expect(licenseRefId('©®')).toMatch(/^LicenseRef-[0-9a-f]{8}$/);
  });
});

describe('combineLicenses', () => {
  it('joins ids, parenthesized expressions and LicenseRefs with AND', () => {
    const combined = combineLicenses(normalizeLicenses(['GPL-1+ or Artistic', 'Artistic-2.0', 'MIT OR ISC']));
    expect(combined).toBe(`${licenseRefId('GPL-1+ or Artistic')} AND Artistic-2.0 AND (MIT OR ISC)`);
  });

  it('leaves a single expression unwrapped and gives nothing for no licenses', () => {
    expect(combineLicenses(normalizeLicenses(['MIT OR ISC']))).toBe('MIT OR ISC');
    expect(combineLicenses([])).toBeUndefined();
  });
});
