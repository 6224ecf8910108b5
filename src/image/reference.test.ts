import { describe, expect, it } from 'vitest';
import { formatReference, parseReference, splitReference } from './reference.js';

const D = `sha256:${'a'.repeat(64)}`;

describe('parseReference', () => {
  describe('when the reference is valid', () => {
    it.each([
      ['alpine', 'docker.io', 'library/alpine', 'latest', undefined],
      ['alpine:3.20', 'docker.io', 'library/alpine', '3.20', undefined],
      ['library/alpine', 'docker.io', 'library/alpine', 'latest', undefined],
      ['docker.io/alpine', 'docker.io', 'library/alpine', 'latest', undefined],
      ['index.docker.io/library/alpine:edge', 'docker.io', 'library/alpine', 'edge', undefined],
      ['bitnami/redis:7', 'docker.io', 'bitnami/redis', '7', undefined],
      ['ghcr.io/aquasecurity/trivy:0.50.0', 'ghcr.io', 'aquasecurity/trivy', '0.50.0', undefined],
      ['localhost/app', 'localhost', 'app', 'latest', undefined],
      ['localhost:5000/team/app:v1', 'localhost:5000', 'team/app', 'v1', undefined],
      ['127.0.0.1:5000/app:1', '127.0.0.1:5000', 'app', '1', undefined],
      ['[::1]:5000/app', '[::1]:5000', 'app', 'latest', undefined],
      ['Registry.Example/app', 'Registry.Example', 'app', 'latest', undefined],
      [`alpine@${D}`, 'docker.io', 'library/alpine', undefined, D],
      [`quay.io/a/b:tag@${D}`, 'quay.io', 'a/b', 'tag', D],
      ['a/b/c/d_e__f-g.h:T_1.x-y', 'docker.io', 'a/b/c/d_e__f-g.h', 'T_1.x-y', undefined],
    ])('%s -> registry %s, repository %s, tag %s, digest %s', (text, registry, repository, tag, digest) => {
      const ref = parseReference(text);
      expect(ref).toEqual({
        registry,
        repository,
        ...(tag !== undefined ? { tag } : {}),
        ...(digest !== undefined ? { digest } : {}),
      });
    });
  });

  describe('when the reference is invalid', () => {
    it.each([
      ['', 'empty'],
      ['Alpine', 'lowercase'],
      ['alpine:', 'bad tag'],
      ['alpine:-x', 'bad tag'],
      [`alpine:${'t'.repeat(129)}`, 'bad tag'],
      ['alpine@sha256:abc', 'bad digest'],
      [`alpine@md5:${'a'.repeat(32)}`, 'unsupported digest'],
      ['a//b', 'bad repository'],
      ['a/-b', 'bad repository'],
      ['a/b_', 'bad repository'],
      ['host:port/app', 'bad registry'],
      [`${'a'.repeat(256)}`, 'longer than 255'],
      ['docker-archive:/x.tar', 'bad registry'],
    ])('%j is rejected (%s)', (text, why) => {
      expect(() => parseReference(text)).toThrow(why);
      expect(() => parseReference(text)).toThrow(expect.objectContaining({ code: 'INVALID_REFERENCE' }));
    });
  });

  it('formats back to the canonical form', () => {
    expect(formatReference(parseReference('alpine'))).toBe('docker.io/library/alpine:latest');
    expect(formatReference(parseReference(`x.io/a@${D}`))).toBe(`x.io/a@${D}`);
  });
});

describe('splitReference (the one splitter, unchecked)', () => {
  it.each([
    ['nginx', { name: 'nginx', path: 'nginx' }],
    ['nginx:1.25', { name: 'nginx', tag: '1.25', path: 'nginx' }],
    ['localhost:5000/app', { name: 'localhost:5000/app', domain: 'localhost:5000', path: 'app' }],
    [
      'ghcr.io/org/app:v1@sha256:abc',
      { name: 'ghcr.io/org/app', tag: 'v1', digest: 'sha256:abc', domain: 'ghcr.io', path: 'org/app' },
    ],
    ['localhost/app', { name: 'localhost/app', domain: 'localhost', path: 'app' }],
    ['Org/app', { name: 'Org/app', domain: 'Org', path: 'app' }],
    ['org/app', { name: 'org/app', path: 'org/app' }],
    ['$BASE:$TAG', { name: '$BASE', tag: '$TAG', path: '$BASE' }],
  ])('splits %s as Docker does', (text, parts) => {
    expect(splitReference(text)).toEqual(parts);
  });
});
