import { describe, expect, it } from 'vitest';
import { cleanText, displayWidth, ellipsize, padEnd, wrapWords } from './text.js';

describe('displayWidth', () => {
  it.each([
    ['plain ASCII', 'CRITICAL', 8],
    ['colour codes count for nothing', '\x1b[1;31mCRITICAL\x1b[0m', 8],
    ['wide CJK characters take two columns', '漏洞', 4],
    ['combining marks take none', 'e\u0301', 1],
    ['emoji take two', '🔥', 2],
  ])('%s', (_, text, width) => {
    expect(displayWidth(text)).toBe(width);
  });
});

describe('padEnd', () => {
  it('pads a coloured cell to the width it shows, not the bytes it has', () => {
    expect(padEnd('\x1b[31mHIGH\x1b[0m', 8)).toBe('\x1b[31mHIGH\x1b[0m    ');
  });
});

describe('cleanText', () => {
  it('turns escapes, newlines and tabs of untrusted text into single spaces', () => {
    expect(cleanText('evil\x1b[2J title\r\n\twith\x07 bell ')).toBe('evil [2J title with bell');
  });
});

describe('ellipsize', () => {
  it.each([
    ['fits as it is', 'heap overflow', 20, 'heap overflow'],
    ['ends at a word boundary', 'heap overflow in inflate', 20, 'heap overflow in…'],
    ['cuts a single long word', 'aaaaaaaaaaaaaaaaaaaaaaaaa', 10, 'aaaaaaaaa…'],
  ])('%s', (_, text, width, expected) => {
    const out = ellipsize(text, width);
    expect(out).toBe(expected);
    expect(displayWidth(out)).toBeLessThanOrEqual(width);
  });
});

describe('wrapWords', () => {
  const title =
    'MiniZip in zlib through 1.3 has an integer overflow and resultant heap-based buffer overflow';

  it('breaks between words, every line within the width', () => {
    const lines = wrapWords(title, 24);
    expect(lines).toEqual([
      'MiniZip in zlib through',
      '1.3 has an integer',
      'overflow and resultant',
      'heap-based buffer',
      'overflow',
    ]);
    expect(lines.join(' ')).toBe(title);
  });

  it('ends the last allowed line with … at a word boundary', () => {
    expect(wrapWords(title, 24, 2)).toEqual(['MiniZip in zlib through', '1.3 has an integer…']);
  });

  it('splits a word longer than a line (a URL)', () => {
    const lines = wrapWords('see https://example.com/a/very/long/path/to/an/advisory', 16);
    expect(lines.every((l) => displayWidth(l) <= 16)).toBe(true);
    expect(lines.join('').replace(/ /g, '')).toBe('seehttps://example.com/a/very/long/path/to/an/advisory');
  });

  it('gives one line when one fits', () => {
    expect(wrapWords('short', 10)).toEqual(['short']);
  });
});
