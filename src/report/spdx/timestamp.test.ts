import { describe, expect, it } from 'vitest';
import { UsageError } from '../../core/errors.js';
import type { ScanResult } from '../../core/types.js';
import { documentTimes, EPOCH, toUtcSecond } from './timestamp.js';

const withMetadata = (metadata?: Record<string, unknown>): ScanResult => ({
  schemaVersion: 1,
  tool: { name: 'strata', version: '0.1.0' },
  target: { type: 'filesystem', name: 'app' },
  packages: [],
  findings: [],
  summary: { CRITICAL: 0, HIGH: 0, MEDIUM: 0, LOW: 0, UNKNOWN: 0 },
  errors: [],
  ...(metadata ? { metadata } : {}),
});

describe('toUtcSecond', () => {
  it.each([
    ['2024-05-01T10:20:30Z', '2024-05-01T10:20:30Z'],
    ['2024-05-01T10:20:30.123456789Z', '2024-05-01T10:20:30Z'],
    ['2024-05-01T12:20:30+02:00', '2024-05-01T10:20:30Z'],
    ['2024-05-01 10:20:30z', '2024-05-01T10:20:30Z'],
  ])('%s -> %s', (input, output) => {
    expect(toUtcSecond(input)).toBe(output);
  });

  it.each([['2024-05-01'], ['yesterday'], ['2024-13-45T99:00:00Z'], [1714558830], [undefined]])(
    'refuses %j',
    (input) => {
      expect(toUtcSecond(input)).toBeUndefined();
    },
  );
});

describe('documentTimes', () => {
  it('uses metadata.generatedAt for both the timestamp and SPDX created', () => {
    expect(
      documentTimes(
        withMetadata({ generatedAt: '2024-05-01T10:20:30Z', imageCreated: '2020-01-01T00:00:00Z' }),
      ),
    ).toEqual({
      generatedAt: '2024-05-01T10:20:30Z',
      created: '2024-05-01T10:20:30Z',
    });
  });

  it('falls back to the image creation time, then the epoch, and never reads the clock', () => {
    expect(documentTimes(withMetadata({ imageCreated: '2024-04-30T08:00:00.5Z' }))).toEqual({
      created: '2024-04-30T08:00:00Z',
    });
    expect(documentTimes(withMetadata({ config: { created: '2023-06-12T00:52:11.123456789Z' } }))).toEqual({
      created: '2023-06-12T00:52:11Z',
    });
    expect(documentTimes(withMetadata({ imageCreated: 'garbage' }))).toEqual({ created: EPOCH });
    expect(documentTimes(withMetadata({ config: 'garbage' }))).toEqual({ created: EPOCH });
    expect(documentTimes(withMetadata())).toEqual({ created: EPOCH });
  });

  it('rejects a generatedAt that is not an RFC 3339 date-time, naming the field', () => {
    const run = () => documentTimes(withMetadata({ generatedAt: 'now' }));
    expect(run).toThrow(UsageError);
    expect(run).toThrow(/metadata\.generatedAt: "now"/);
  });
});
