import { describe, expect, it } from 'vitest';
import { durationOption, parseDuration, timeoutsFromEnv } from './timeouts.js';

describe('parseDuration', () => {
  it.each([
    ['500ms', 500],
    ['30s', 30_000],
    ['5m', 300_000],
    ['1m30s', 90_000],
    ['2', 2000],
    ['0.5', 500],
    ['1h', 3_600_000],
  ])('%s = %d ms', (text, ms) => expect(parseDuration(text)).toBe(ms));
  it.each(['', 'soon', '5 m', '-1s', '1d'])('%j is not a duration', (text) =>
    expect(parseDuration(text)).toBeUndefined(),
  );
});

describe('timeoutsFromEnv', () => {
  it('reads the documented variables over the defaults', () => {
    expect(timeoutsFromEnv({ STRATA_CONNECT_TIMEOUT: '2s', STRATA_IDLE_TIMEOUT: '750ms' })).toEqual({
      connectMs: 2000,
      idleMs: 750,
      deadlineMs: 60_000,
    });
  });
  it('names the variable when its value is not a duration', () => {
    expect(() => timeoutsFromEnv({ STRATA_REQUEST_DEADLINE: 'forever' })).toThrow(
      /STRATA_REQUEST_DEADLINE: "forever" is not a duration/,
    );
    expect(() => durationOption('--timeout', '0s')).toThrow(/--timeout/);
  });
});
