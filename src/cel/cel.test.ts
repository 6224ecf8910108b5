import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { parseKubeText } from '../kube/load/index.js';
import { CelRuleError } from './errors.js';
import { evaluateCelRules } from './evaluate.js';
import { compileCelRules } from './load.js';

const example = fileURLToPath(new URL('../../examples/rules/kubernetes.yaml', import.meta.url));

const MANIFESTS = `apiVersion: apps/v1
kind: Deployment
metadata:
  name: one
  namespace: shop
  labels: {app.kubernetes.io/owner: team-a}
spec:
  replicas: 1
  template:
    spec:
      containers: [{name: a, image: registry.example.com/a:1}]
---
apiVersion: apps/v1
kind: Deployment
metadata: {name: two, namespace: shop}
spec:
  replicas: 3
  template:
    spec:
      containers: [{name: a, image: docker.io/a:1}]
---
apiVersion: v1
kind: Service
metadata: {name: s, namespace: shop}
spec: {type: NodePort}
`;

describe('CEL custom rules', () => {
  it('compiles the shipped example rules', () => {
    const rules = compileCelRules(readFileSync(example, 'utf8'), 'kubernetes.yaml');
    expect(rules.map((r) => [r.id, r.severity, r.line])).toEqual([
      ['CUSTOM-001', 'MEDIUM', 13],
      ['CUSTOM-002', 'HIGH', 20],
      ['CUSTOM-003', 'LOW', 28],
      ['CUSTOM-004', 'MEDIUM', 35],
    ]);
  });

  it('reports a finding for each resource whose expression is false', () => {
    const rules = compileCelRules(readFileSync(example, 'utf8'), 'kubernetes.yaml');
    const { resources } = parseKubeText(MANIFESTS, 'm.yaml');
    const { findings, errors } = evaluateCelRules(rules, resources);
    expect(errors).toEqual([]);
    expect(findings.map((f) => [f.id, f.location.resource, f.location.line])).toEqual([
      ['CUSTOM-001', 'Deployment/shop/one', 1],
      ['CUSTOM-002', 'Deployment/shop/two', 13],
      ['CUSTOM-003', 'Deployment/shop/two', 13],
      ['CUSTOM-004', 'Service/shop/s', 22],
    ]);
    expect(findings[0]).toMatchObject({
      kind: 'misconfiguration',
      severity: 'MEDIUM',
      title: 'Deployments run at least two replicas',
    });
  });

  it('reports an expression that fails on a resource as an error, not a finding', () => {
    const rules = compileCelRules('rules:\n  - id: R1\n    expression: object.spec.replicas > 1\n', 'r.yaml');
    const { resources } = parseKubeText('apiVersion: v1\nkind: ConfigMap\nmetadata: {name: c}\n', 'c.yaml');
    const { findings, errors } = evaluateCelRules(rules, resources);
    expect(findings).toEqual([]);
    expect(errors).toEqual([
      {
        analyzer: 'config/cel',
        path: 'c.yaml',
        message: expect.stringMatching(/^rule R1 on ConfigMap\/c: .*spec/),
      },
    ]);
  });

  it.each([
    [
      'a syntax error, with its position in the file',
      'rules:\n  - id: BAD-1\n    expression: object.spec.replicas >\n',
      /^r\.yaml:3:39: rule BAD-1: .*Unexpected/,
    ],
    [
      'an error in a block scalar, on its own line',
      'rules:\n  - id: BAD-2\n    expression: |\n      object.a &&\n        object.b == == 1\n',
      /^r\.yaml:5:\d+: rule BAD-2: /,
    ],
    [
      'an unknown variable',
      'rules:\n  - id: BAD-3\n    expression: request.name == "x"\n',
      /^r\.yaml:3:\d+: rule BAD-3: .*request/,
    ],
    [
      'a missing expression',
      'rules:\n  - id: BAD-4\n',
      /r\.yaml:2: rules\[0\]: rule BAD-4: expression: is required/,
    ],
    [
      'a bad severity',
      'rules:\n  - id: X\n    severity: urgent\n    expression: "true"\n',
      /r\.yaml:2: rules\[0\]: rule X: severity: unknown severity "URGENT"/,
    ],
    [
      'a duplicate id',
      'rules:\n  - {id: X, expression: "true"}\n  - {id: X, expression: "true"}\n',
      /duplicate id X/,
    ],
    ['no rules list', 'id: X\n', /expected a top-level "rules:" list/],
    [
      'a rule that is not a mapping',
      'rules:\n  - just text\n',
      /^r\.yaml:2: rules\[0\]: expected object, got string$/,
    ],
    [
      'kinds that are not names',
      'rules:\n  - {id: K, expression: "true", kinds: [Pod, 3]}\n',
      /^r\.yaml:2: rules\[0\]: rule K: kinds: expected a list of kind names$/,
    ],
    [
      'an id that is not a word',
      'rules:\n  - {id: "a b", expression: "true"}\n',
      /rules\[0\]: id: expected an id like CUSTOM-001/,
    ],
  ])('refuses %s', (_name, text, message) => {
    const err = (() => {
      try {
        compileCelRules(text, 'r.yaml');
      } catch (e) {
        return e;
      }
      return undefined;
    })();
    expect(err).toBeInstanceOf(CelRuleError);
    expect((err as Error).message).toMatch(message);
  });
});
