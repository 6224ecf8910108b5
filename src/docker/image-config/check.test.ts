import { describe, expect, it } from 'vitest';
import type { ImageConfig } from '../../image/types.js';
import { checkImageConfig } from './check.js';

const HARDENED: ImageConfig = {
  config: {
    User: '65532:65532',
    Env: ['PATH=/usr/bin', 'TOKEN_FILE='],
    ExposedPorts: { '8080/tcp': {} },
    Healthcheck: { Test: ['CMD', '/app', 'health'] },
  },
  rootfs: { type: 'layers', diff_ids: ['sha256:a', 'sha256:b'] },
  history: [
    { created_by: '/bin/sh -c #(nop) ADD file:abc in /' },
    { created_by: '/bin/sh -c #(nop)  USER 65532', empty_layer: true },
    { created_by: 'RUN /bin/sh -c apk add --no-cache ca-certificates # buildkit' },
  ],
};

const ids = (config: ImageConfig) => checkImageConfig(config, 'registry.example.com/app:1').map((f) => f.id);

describe('image config checks', () => {
  it('finds nothing in a hardened config', () => {
    expect(ids(HARDENED)).toEqual([]);
  });

  it.each([
    ['runs as root (no user)', { config: { ...HARDENED.config, User: '' } }, ['STRATA-IMG-001']],
    ['runs as root (0:0)', { config: { ...HARDENED.config, User: '0:0' } }, ['STRATA-IMG-001']],
    [
      'exposes SSH',
      { config: { ...HARDENED.config, ExposedPorts: { '22/tcp': {}, '80/tcp': {} } } },
      ['STRATA-IMG-002'],
    ],
    ['has no healthcheck', { config: { ...HARDENED.config, Healthcheck: undefined } }, ['STRATA-IMG-003']],
    [
      'keeps a secret in env',
      { config: { ...HARDENED.config, Env: ['AWS_SECRET_ACCESS_KEY=abc'] } },
      ['STRATA-IMG-004'],
    ],
  ] as const)('reports an image that %s', (_name, patch, expected) => {
    expect(ids({ ...HARDENED, ...patch })).toEqual(expected);
  });

  it('ties history findings to the layer the step made', () => {
    const config: ImageConfig = {
      ...HARDENED,
      history: [
        { created_by: 'ENV X=1', empty_layer: true },
        { created_by: 'ADD file:abc in /' },
        { created_by: 'RUN /bin/sh -c curl -k https://get.example.com | sh # buildkit' },
      ],
    };
    const found = checkImageConfig(config, 'img');
    expect(
      found.map((f) => [f.id, f.location.layer, 'field' in f.evidence ? f.evidence.field : undefined]),
    ).toEqual([
      ['STRATA-IMG-005', 'sha256:b', 'history[2].created_by'],
      ['STRATA-IMG-006', 'sha256:b', 'history[2].created_by'],
    ]);
    expect(found[0]?.location.resource).toBe('img');
  });
});
