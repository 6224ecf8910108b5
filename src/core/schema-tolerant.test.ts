import { describe, expect, it } from 'vitest';
import { defined, tolerant, validEntries, validItems, z } from './schema.js';

describe('tolerant schemas (for formats whose writers disagree)', () => {
  const Config = z.object({
    User: tolerant(z.string()),
    Env: tolerant(validItems(z.string())),
    Labels: tolerant(validEntries(z.string())),
  });

  it('keeps fields of the right shape', () => {
    expect(Config.parse({ User: 'app', Env: ['A=1'], Labels: { a: 'b' } })).toEqual({
      User: 'app',
      Env: ['A=1'],
      Labels: { a: 'b' },
    });
  });

  it('drops a field, an item or an entry of the wrong shape instead of failing', () => {
    expect(defined(Config.parse({ User: 7, Env: ['A=1', 2], Labels: { a: 'b', n: 1 } }))).toEqual({
      Env: ['A=1'],
      Labels: { a: 'b' },
    });
    expect(defined(Config.parse({ Env: 'A=1', Labels: ['x'] }))).toEqual({});
  });

  it('never lets a "__proto__" key reach the prototype', () => {
    const labels = validEntries(z.string()).parse(JSON.parse('{"__proto__": {"polluted": "x"}, "a": "b"}'));
    expect(Object.getPrototypeOf(labels)).toBe(Object.prototype);
    expect(labels).toEqual({ a: 'b' });
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });
});
