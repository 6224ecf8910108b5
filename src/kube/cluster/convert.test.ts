import { describe, expect, it } from 'vitest';
import { toKubeResource } from './convert.js';

describe('list items as loader resources', () => {
  const item = {
    metadata: {
      name: 'web',
      namespace: 'shop',
      managedFields: [{ manager: 'kubectl' }],
      annotations: {
        'kubectl.kubernetes.io/last-applied-configuration': '{"data":{"p":"c2VjcmV0"}}',
        team: 'a',
      },
    },
    spec: { containers: [{ name: 'c', image: 'nginx' }] },
  };

  it('restores kind and apiVersion, points at cluster:<context> line 0, drops managedFields and last-applied', () => {
    const r = toKubeResource(item, 'Pod', 'v1', 'cluster:prod');
    expect(r).toMatchObject({
      apiVersion: 'v1',
      kind: 'Pod',
      name: 'web',
      namespace: 'shop',
      file: 'cluster:prod',
      line: 0,
    });
    expect(r?.object).toEqual({
      apiVersion: 'v1',
      kind: 'Pod',
      metadata: { name: 'web', namespace: 'shop', annotations: { team: 'a' } },
      spec: { containers: [{ name: 'c', image: 'nginx' }] },
    });
    expect(r?.lineOf(['spec'])).toBeUndefined();
  });

  it.each([null, 'x', [], { spec: {} }])('skips an item without metadata: %j', (bad) => {
    expect(toKubeResource(bad, 'Pod', 'v1', 'cluster:x')).toBeUndefined();
  });
});
