import { describe, expect, it } from 'vitest';
import { TtlCache } from './cache.js';

describe('TtlCache', () => {
  it('keeps a value for its TTL, then forgets it', () => {
    let now = 0;
    const c = new TtlCache<number>(1_000, 10, () => now);
    c.set('a', 1);
    now = 999;
    expect(c.get('a')).toBe(1);
    now = 1_000;
    expect(c.get('a')).toBeUndefined();
  });

  it('evicts the oldest entry over its size bound', () => {
    const c = new TtlCache<number>(1_000, 2, () => 0);
    c.set('a', 1);
    c.set('b', 2);
    c.set('c', 3);
    expect([c.get('a'), c.get('b'), c.get('c')]).toEqual([undefined, 2, 3]);
  });

  it('shares one load between concurrent callers and caches only successes', async () => {
    const c = new TtlCache<number>(1_000, 10, () => 0);
    let loads = 0;
    const load = async () => {
      loads++;
      return 7;
    };
    expect(await Promise.all([c.getOrLoad('k', load), c.getOrLoad('k', load)])).toEqual([7, 7]);
    expect(loads).toBe(1);
    await expect(c.getOrLoad('bad', () => Promise.reject(new Error('registry down')))).rejects.toThrow(
      'registry down',
    );
    expect(await c.getOrLoad('bad', load)).toBe(7);
  });

  it('caches nothing with a TTL of 0', () => {
    const c = new TtlCache<number>(0);
    c.set('a', 1);
    expect(c.get('a')).toBeUndefined();
  });
});
