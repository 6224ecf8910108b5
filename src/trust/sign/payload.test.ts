import { describe, expect, it } from 'vitest';
import { buildPayload, dockerReference, parsePayload } from './payload.js';

const digest = `sha256:${'a'.repeat(64)}`;

describe('simple-signing payload', () => {
  it('is byte for byte what cosign signs (no annotations: optional null)', () => {
    const bytes = buildPayload({ registry: '127.0.0.1:5000', repository: 'team/app' }, digest);
    expect(bytes.toString()).toBe(
      `{"critical":{"identity":{"docker-reference":"127.0.0.1:5000/team/app"},"image":{"docker-manifest-digest":"${digest}"},"type":"cosign container image signature"},"optional":null}`,
    );
  });

  it('sorts annotations and escapes HTML characters as Go does', () => {
    const bytes = buildPayload({ registry: 'r.example', repository: 'a' }, digest, { z: '1', a: '<b>&' });
    expect(bytes.toString()).toContain('"optional":{"a":"\\u003cb\\u003e\\u0026","z":"1"}');
    expect(parsePayload(bytes, 'p').annotations).toEqual({ a: '<b>&', z: '1' });
  });

  it.each([
    [{ registry: 'docker.io', repository: 'library/alpine' }, 'index.docker.io/library/alpine'],
    [{ registry: 'ghcr.io', repository: 'o/r' }, 'ghcr.io/o/r'],
  ])('names %o as %s', (ref, name) => {
    expect(dockerReference(ref)).toBe(name);
  });

  it.each([
    ['not JSON', 'x', /not JSON/],
    [
      'no image',
      '{"critical":{"identity":{"docker-reference":"a"},"type":"t"}}',
      'layer: payload: critical.image: expected object, got undefined',
    ],
    [
      'a bad digest',
      '{"critical":{"identity":{"docker-reference":"a"},"image":{"docker-manifest-digest":"sha256:x"},"type":"t"}}',
      'layer: payload: critical.image.docker-manifest-digest: expected a digest, got "sha256:x"',
    ],
    [
      'no reference',
      `{"critical":{"image":{"docker-manifest-digest":"${digest}"},"type":"t"}}`,
      'layer: payload: critical.identity: expected object, got undefined',
    ],
    ['null', 'null', 'layer: payload: (root): expected object, got null'],
  ])('rejects a payload with %s', (_n, text, message) => {
    expect(() => parsePayload(Buffer.from(text), 'layer')).toThrow(message);
  });
});
