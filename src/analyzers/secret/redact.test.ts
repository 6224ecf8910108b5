import { describe, expect, it } from 'vitest';
import { redact } from './redact.js';

describe('redact', () => {
  it.each([
    ['', '********'],
    ['hunter2', '********'],
    ['s3cr3tpw', 's********w'],
    ['Tr0ub4dor&3x', 'Tr********3x'],
    ['ghp_0123456789abcdefghijklmnopqrstuvwxyz', 'ghp_********wxyz'],
    ['AKIA0123456789ABCDEF', 'AKIA********CDEF'],
    ['MIIEow\nIBAAK\n  CAQEA==', 'MI********=='],
  ])('%j becomes %j', (value, expected) => {
    expect(redact(value)).toBe(expected);
  });

  it('keeps no more than 8 characters of any value, whatever its length', () => {
    for (const length of [8, 12, 19, 20, 40, 4000]) {
      const value = 'x'.repeat(length);
      expect(redact(value).replace(/\*/g, '').length).toBeLessThanOrEqual(8);
    }
  });

  it('does not reveal the length of the value', () => {
    expect(redact('a'.repeat(24)).length).toBe(redact('a'.repeat(400)).length);
  });
});
