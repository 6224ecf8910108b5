import { describe, expect, it } from 'vitest';
import { parseKubeText } from './parse.js';

const configMap = (keys: readonly string[]) =>
  `apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: big\ndata:\n${keys.map((k) => `  ${k}: v\n`).join('')}`;

describe('duplicate keys', () => {
  it.each([
    ['a block mapping', 'apiVersion: v1\nkind: Pod\nmetadata:\n  name: a\n  name: b\n', 5],
    ['a flow mapping', 'apiVersion: v1\nkind: Pod\nmetadata: {name: a,\n  name: b}\n', 4],
    [
      'a nested list item',
      'apiVersion: v1\nkind: List\nitems:\n- kind: Pod\n  apiVersion: v1\n  kind: Pod\n',
      6,
    ],
  ])('are reported in %s with their line', (_what, text, line) => {
    const { resources, errors } = parseKubeText(text, 'a.yaml');
    expect(resources).toEqual([]);
    expect(errors.map((e) => e.message)).toEqual([`line ${line}: Map keys must be unique`]);
  });

  it('are not confused by equal-looking keys of other types', () => {
    const { errors } = parseKubeText('apiVersion: v1\nkind: ConfigMap\ndata:\n  1: a\n  "1": b\n', 'a.yaml');
    expect(errors).toEqual([]);
  });

  // the library's check was quadratic: 80 000 keys took 90 s; the test timeout is the bound
  it('are checked in one pass over a mapping of 80 000 keys', { timeout: 30_000 }, () => {
    const keys = Array.from({ length: 80_000 }, (_, i) => `k${i}`);
    expect(parseKubeText(configMap(keys), 'big.yaml').resources).toHaveLength(1);
    const { errors } = parseKubeText(configMap([...keys, 'k7']), 'big.yaml');
    expect(errors.map((e) => e.message)).toEqual([`line ${5 + keys.length + 1}: Map keys must be unique`]);
  });
});

describe('a duplicate key wherever it is', () => {
  it('is the error of a document that is not a mapping, of a List item and of a document with aliases', () => {
    const text = `- a: 1
  a: 2
---
apiVersion: v1
kind: List
items:
  - apiVersion: v1
    kind: ConfigMap
    metadata: {name: x, name: y}
---
apiVersion: v1
kind: ConfigMap
metadata: &m {name: z}
data: {k: v, k: w}
other: *m
---
apiVersion: v1
kind: ConfigMap
metadata: {name: ok}
`;
    const { resources, errors } = parseKubeText(text, 'dup.yaml');
    expect(errors.map((e) => e.message)).toEqual([
      'line 2: Map keys must be unique',
      'line 9: Map keys must be unique',
      'line 14: Map keys must be unique',
    ]);
    expect(resources.map((r) => r.name)).toEqual(['ok']);
  });
});
