import { describe, expect, it } from 'vitest';
import { debugLog, formatAge, formatBytes, formatDuration } from './debug.js';

describe('debugLog', () => {
  it('without a sink builds no message at all', () => {
    const debug = debugLog(undefined);
    let built = 0;
    debug.log(() => {
      built++;
      return 'expensive';
    });
    expect(debug.enabled).toBe(false);
    expect(built).toBe(0);
  });

  it('times a step with the clock it is given', async () => {
    const lines: string[] = [];
    const ticks = [100, 1350];
    const debug = debugLog(
      (m) => lines.push(m),
      () => ticks.shift()!,
    );
    const value = await debug.time(
      (n: number) => `counted ${n}`,
      async () => 42,
    );
    expect(value).toBe(42);
    expect(lines).toEqual(['counted 42 in 1.3 s']);
  });

  it('says when a timed step failed, and lets the error through', async () => {
    const lines: string[] = [];
    const debug = debugLog(
      (m) => lines.push(m),
      () => 0,
    );
    await expect(debug.time('opening', () => Promise.reject(new Error('boom')))).rejects.toThrow('boom');
    expect(lines).toEqual(['opening failed after 0 ms']);
  });
});

describe('formatting', () => {
  it.each([
    [512, '512 B'],
    [3 * 1024 + 400, '3.4 KiB'],
    [12 * 1024 * 1024, '12.0 MiB'],
    [1.5 * 1024 ** 3, '1.5 GiB'],
  ])('formatBytes(%d) = %s', (n, text) => expect(formatBytes(n)).toBe(text));

  it.each([
    [850.4, '850 ms'],
    [12_345, '12.3 s'],
    [245_000, '4 min 05 s'],
  ])('formatDuration(%d) = %s', (ms, text) => expect(formatDuration(ms)).toBe(text));

  it.each([
    [5 * 60_000, '5 min'],
    [5 * 3_600_000, '5 h'],
    [3 * 86_400_000 + 5, '3 days'],
  ])('formatAge(%d) = %s', (ms, text) => expect(formatAge(ms)).toBe(text));
});
