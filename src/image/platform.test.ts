import { describe, expect, it } from 'vitest';
import { formatPlatform, parsePlatform, platformMatches, selectPlatform } from './platform.js';
import type { Platform } from './types.js';

describe('parsePlatform', () => {
  it.each([
    ['linux/amd64', 'linux/amd64'],
    ['linux/x86_64', 'linux/amd64'],
    ['linux/amd64/v3', 'linux/amd64'],
    ['linux/arm64', 'linux/arm64/v8'],
    ['linux/aarch64', 'linux/arm64/v8'],
    ['linux/arm', 'linux/arm/v7'],
    ['linux/arm/v6', 'linux/arm/v6'],
    ['Windows/AMD64', 'windows/amd64'],
  ])('%s normalises to %s', (text, expected) => {
    expect(formatPlatform(parsePlatform(text))).toBe(expected);
  });

  it.each(['linux', 'linux/', '/amd64', 'linux/arm/v7/x', 'linux/arm/'])('rejects %j', (text) => {
    expect(() => parsePlatform(text)).toThrow('--platform');
  });
});

describe('platform selection from an index', () => {
  const entries: { name: string; platform?: Platform }[] = [
    { name: 'amd64', platform: { os: 'linux', architecture: 'amd64' } },
    { name: 'arm-v6', platform: { os: 'linux', architecture: 'arm', variant: 'v6' } },
    { name: 'arm-v7', platform: { os: 'linux', architecture: 'arm', variant: 'v7' } },
    { name: 'arm64', platform: { os: 'linux', architecture: 'arm64' } },
    { name: 'attestation', platform: { os: 'unknown', architecture: 'unknown' } },
    { name: 'no-platform' },
  ];

  it.each([
    ['linux/amd64', 'amd64'],
    ['linux/arm64', 'arm64'],
    ['linux/arm64/v8', 'arm64'],
    ['linux/arm', 'arm-v7'],
    ['linux/arm/v6', 'arm-v6'],
  ])('%s picks %s', (wanted, name) => {
    expect(selectPlatform(entries, parsePlatform(wanted), 'img').name).toBe(name);
  });

  it('takes the first match: index order is the preference', () => {
    const twice = [
      { name: 'first', platform: { os: 'linux', architecture: 'amd64' } },
      { name: 'second', platform: { os: 'linux', architecture: 'amd64' } },
    ];
    expect(selectPlatform(twice, parsePlatform('linux/amd64'), 'img').name).toBe('first');
  });

  it('names the available platforms (sorted, without attestation entries) when none matches', () => {
    expect(() => selectPlatform(entries, parsePlatform('linux/s390x'), 'img')).toThrow(
      'img: no image for platform linux/s390x; available: linux/amd64, linux/arm/v6, linux/arm/v7, linux/arm64/v8',
    );
    expect(() => selectPlatform(entries, parsePlatform('linux/s390x'), 'img')).toThrow(
      expect.objectContaining({ code: 'PLATFORM_NOT_FOUND' }),
    );
  });

  it('does not run arm/v7 images on arm/v6', () => {
    expect(
      platformMatches(parsePlatform('linux/arm/v6'), { os: 'linux', architecture: 'arm', variant: 'v7' }),
    ).toBe(false);
  });
});
