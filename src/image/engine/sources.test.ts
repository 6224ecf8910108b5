import { describe, expect, it } from 'vitest';
import { DEFAULT_IMAGE_SOURCES, parseImageSources } from './sources.js';

describe('parseImageSources (--image-src)', () => {
  it('defaults to the local engines first, then the registry, as Trivy', () => {
    expect(DEFAULT_IMAGE_SOURCES).toEqual(['docker', 'podman', 'containerd', 'remote']);
  });

  it.each([
    ['docker,podman,containerd,remote', ['docker', 'podman', 'containerd', 'remote']],
    ['remote,docker', ['remote', 'docker']],
    [' Podman , containerd ', ['podman', 'containerd']],
    ['docker,docker', ['docker']],
  ])('%j keeps the order given', (text, expected) => {
    expect(parseImageSources(text)).toEqual(expected);
  });

  it.each([
    [
      'dockre',
      '--image-src: unknown source "dockre" (expected a list of docker, podman, containerd, remote)',
    ],
    ['', '--image-src: unknown source ""'],
    ['docker,,remote', '--image-src: unknown source ""'],
  ])('%j is a usage error naming the flag', (text, message) => {
    expect(() => parseImageSources(text)).toThrow(message);
    expect(() => parseImageSources(text)).toThrow(expect.objectContaining({ code: 'INVALID_ARGUMENT' }));
  });
});
