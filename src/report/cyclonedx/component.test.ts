import { describe, expect, it } from 'vitest';
import { normalizeLicenses } from '../spdx/index.js';
import { contact, licenseChoice } from './component.js';

describe('contact', () => {
  it.each([
    ['Mark Brown <broonie@debian.org>', { name: 'Mark Brown', email: 'broonie@debian.org' }],
    ['<team@example.org>', { email: 'team@example.org' }],
    ['Jane Doe', { name: 'Jane Doe' }],
    ['Odd <not an address>', { name: 'Odd <not an address>' }],
    ['Local <root@localhost>', { name: 'Local <root@localhost>' }],
  ])('%s', (text, expected) => {
    expect(contact(text)).toEqual(expected);
  });
});

describe('licenseChoice', () => {
  it('lists ids and names', () => {
    expect(licenseChoice(normalizeLicenses(['MIT', 'public-domain']))).toEqual([
      { license: { id: 'MIT' } },
      { license: { name: 'public-domain' } },
    ]);
  });

  it('turns everything into one expression as soon as one entry is an expression', () => {
    expect(licenseChoice(normalizeLicenses(['MIT OR ISC', 'Zlib', 'public-domain']))).toEqual([
      { expression: '(MIT OR ISC) AND Zlib AND LicenseRef-public-domain' },
    ]);
  });

  it('gives nothing without licenses', () => {
    expect(licenseChoice([])).toBeUndefined();
  });
});
