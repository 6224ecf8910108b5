import { describe, expect, it } from 'vitest';
import { formatPurl, parsePurl, purlMatches } from './purl.js';

describe('parsePurl', () => {
  it('reads every component, percent-decoded', () => {
    expect(parsePurl('pkg:deb/debian/libssl3@3.0.11-1~deb12u2?arch=amd64&distro=debian-12')).toEqual({
      type: 'deb',
      namespace: 'debian',
      name: 'libssl3',
      version: '3.0.11-1~deb12u2',
      qualifiers: { arch: 'amd64', distro: 'debian-12' },
    });
    expect(parsePurl('pkg:npm/%40angular/core@16.0.0#lib/x')).toEqual({
      type: 'npm',
      namespace: '@angular',
      name: 'core',
      version: '16.0.0',
      subpath: 'lib/x',
    });
    expect(parsePurl(`pkg:oci/web@sha256%3A${'a'.repeat(64)}?repository_url=r%2Fweb`)).toMatchObject({
      version: `sha256:${'a'.repeat(64)}`,
      qualifiers: { repository_url: 'r/web' },
    });
  });

  it('normalises case-insensitive types and PyPI names', () => {
    expect(parsePurl('pkg:PyPI/Django_Rest@1')).toMatchObject({ type: 'pypi', name: 'django-rest' });
    expect(parsePurl('pkg:maven/Org.X/Y@1')).toMatchObject({ namespace: 'Org.X', name: 'Y' });
  });

  it.each(['deb/debian/x', 'pkg:', 'pkg:deb', 'pkg:deb/', 'pkg:npm/%zz@1'])('refuses %j', (text) => {
    expect(parsePurl(text)).toBeUndefined();
  });

  it('round-trips what formatPurl writes', () => {
    const parts = {
      type: 'deb',
      namespace: 'debian',
      name: 'libc6',
      version: '2.36-9+deb12u4',
      qualifiers: { arch: 'amd64' },
    };
    expect(parsePurl(formatPurl(parts))).toEqual(parts);
  });
});

describe('purlMatches (pattern, subject)', () => {
  const subject = parsePurl('pkg:deb/debian/libc6@2.36-9?arch=amd64&distro=debian-12')!;
  it.each([
    ['pkg:deb/debian/libc6', true],
    ['pkg:deb/debian/libc6@2.36-9', true],
    ['pkg:deb/debian/libc6@2.36-9?arch=amd64', true],
    ['pkg:deb/debian/libc6?distro=debian-12&arch=amd64', true],
    ['pkg:deb/debian/libc6@2.36-8', false],
    ['pkg:deb/debian/libc6?arch=arm64', false],
    ['pkg:deb/debian/libc6?os=linux', false],
    ['pkg:deb/ubuntu/libc6', false],
    ['pkg:apk/debian/libc6', false],
    ['pkg:deb/libc6', false],
    ['pkg:deb/debian/libc6#usr/lib', false],
  ])('%s -> %s', (pattern, expected) => {
    expect(purlMatches(parsePurl(pattern)!, subject)).toBe(expected);
  });
});
