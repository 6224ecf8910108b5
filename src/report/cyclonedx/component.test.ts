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
    ['Spaced   \t <a@b.org>  ', { name: 'Spaced', email: 'a@b.org' }],
    ['Two <x> <a@b.org>', { name: 'Two <x>', email: 'a@b.org' }],
    ['Nested <a<b@c.org>', { name: 'Nested <a', email: 'b@c.org' }],
    ['Dot <a@.org>', { name: 'Dot <a@.org>' }],
    ['Dot <a@org.>', { name: 'Dot <a@org.>' }],
    ['Line\nbreak <a@b.org>', { name: 'Line\nbreak <a@b.org>' }],
  ])('%s', (text, expected) => {
    expect(contact(text)).toEqual(expected);
  });

  // both used to backtrack quadratically (minutes at this size); the test timeout is the bound
  it.each([
    ['a whitespace run before the address', `a${' '.repeat(1_000_000)}x <a@b.org>`],
    ['a dotted domain with a bad tail', `x <a@${'b.'.repeat(500_000)} >`],
  ])('reads %s in one pass', (_, text) => {
    expect(contact(text).name).toBeDefined();
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
