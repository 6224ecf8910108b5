import { describe, expect, it } from 'vitest';
import { backoffDelay, DEFAULT_RETRY_POLICY, isRetryableNetworkError, parseRetryAfter } from './retry.js';

describe('parseRetryAfter', () => {
  const now = Date.parse('2024-01-01T00:00:00Z');
  it.each([
    ['120', 120_000],
    ['0', 0],
    [' 5 ', 5000],
    ['Mon, 01 Jan 2024 00:00:30 GMT', 30_000],
    ['Sun, 31 Dec 2023 23:59:00 GMT', 0],
  ])('%j waits %d ms', (value, ms) => {
    expect(parseRetryAfter(value, now)).toBe(ms);
  });
  it.each([undefined, '', '-1', '1.5', 'soon', '2024-13-45'])('%j is not a delay', (value) => {
    expect(parseRetryAfter(value, now)).toBeUndefined();
  });
});

describe('backoffDelay', () => {
  it('doubles per attempt up to the cap, with jitter taken off', () => {
    const p = { ...DEFAULT_RETRY_POLICY, baseDelayMs: 100, maxDelayMs: 1000 };
    expect([0, 1, 2, 3, 4, 10].map((a) => backoffDelay(a, p, () => 0))).toEqual([
      100, 200, 400, 800, 1000, 1000,
    ]);
    expect(backoffDelay(2, p, () => 1)).toBe(300);
  });
});

describe('isRetryableNetworkError', () => {
  const err = (code?: string, message = 'x') => Object.assign(new Error(message), code ? { code } : {});
  it.each([
    [err('ECONNRESET'), true],
    [err('ETIMEDOUT'), true],
    [err(undefined, 'socket hang up'), true],
    [err('ECONNREFUSED'), false],
    [err('ENOTFOUND'), false],
    [err('DEPTH_ZERO_SELF_SIGNED_CERT'), false],
  ])('%s -> %s', (e, expected) => {
    expect(isRetryableNetworkError(e)).toBe(expected);
  });
});
