import { describe, expect, it } from 'vitest';
import { parseKubeText } from '../load/index.js';
import { parseCluster } from './parse.js';
import { namespace, pod, policy, resource } from './testing/builders.js';

const parse = (objects: Record<string, unknown>[]) => parseCluster(objects.map((o) => resource(o)));

describe('parseCluster', () => {
  describe('when a NetworkPolicy breaks the API validation', () => {
    it.each([
      [
        'an unknown selector operator',
        { podSelector: { matchExpressions: [{ key: 'a', operator: 'Equals', values: ['x'] }] } },
        'spec.podSelector.matchExpressions[0].operator: expected In, NotIn, Exists or DoesNotExist, got "Equals"',
      ],
      [
        'In without values',
        { podSelector: { matchExpressions: [{ key: 'a', operator: 'In' }] } },
        'spec.podSelector.matchExpressions[0].values: must be non-empty for In',
      ],
      [
        'Exists with values',
        { podSelector: { matchExpressions: [{ key: 'a', operator: 'Exists', values: ['x'] }] } },
        'must be empty for Exists',
      ],
      [
        'an invalid CIDR',
        { podSelector: {}, ingress: [{ from: [{ ipBlock: { cidr: '10.0.0.0/33' } }] }] },
        'spec.ingress[0].from[0].ipBlock.cidr: expected a CIDR, got "10.0.0.0/33"',
      ],
      [
        'an except outside the CIDR',
        {
          podSelector: {},
          ingress: [{ from: [{ ipBlock: { cidr: '10.0.0.0/16', except: ['10.1.0.0/24'] } }] }],
        },
        'spec.ingress[0].from[0].ipBlock.except[0]: 10.1.0.0/24 must be strictly within 10.0.0.0/16',
      ],
      [
        'ipBlock with a selector',
        { podSelector: {}, ingress: [{ from: [{ ipBlock: { cidr: '10.0.0.0/16' }, podSelector: {} }] }] },
        'cannot be combined',
      ],
      [
        'an empty peer',
        { podSelector: {}, egress: [{ to: [{}] }] },
        'spec.egress[0].to[0]: a peer needs podSelector, namespaceSelector or ipBlock',
      ],
      [
        'a label value that is a mapping',
        { podSelector: { matchLabels: { app: { x: 1 } } } },
        'spec.podSelector.matchLabels.app: expected string, got object',
      ],
      [
        'an unknown protocol',
        { podSelector: {}, ingress: [{ ports: [{ port: 80, protocol: 'ICMP' }] }] },
        'spec.ingress[0].ports[0].protocol: expected TCP, UDP or SCTP, got "ICMP"',
      ],
      [
        'a port out of range',
        { podSelector: {}, ingress: [{ ports: [{ port: 70000 }] }] },
        'spec.ingress[0].ports[0].port: expected a port number 1-65535 or a port name, got 70000',
      ],
      [
        'endPort below port',
        { podSelector: {}, ingress: [{ ports: [{ port: 80, endPort: 79 }] }] },
        'spec.ingress[0].ports[0].endPort: must be >= port 80',
      ],
      [
        'endPort with a named port',
        { podSelector: {}, ingress: [{ ports: [{ port: 'http', endPort: 90 }] }] },
        'spec.ingress[0].ports[0].endPort: requires a numeric port',
      ],
      [
        'an invalid port name',
        { podSelector: {}, ingress: [{ ports: [{ port: 'HTTP_1' }] }] },
        'spec.ingress[0].ports[0].port: expected a port name (IANA_SVC_NAME), got "HTTP_1"',
      ],
      [
        'an unknown policy type',
        { podSelector: {}, policyTypes: ['Both'] },
        'spec.policyTypes[0]: expected Ingress or Egress, got "Both"',
      ],
      [
        'rules that are not a list',
        { podSelector: {}, ingress: { from: [] } },
        'spec.ingress: expected array, got object',
      ],
    ])('reports %s in errors and keeps going', (_name, spec, message) => {
      const { cluster, errors } = parse([
        pod('a', 'p'),
        policy('a', 'bad', spec),
        policy('a', 'good', { podSelector: {} }),
      ]);
      expect(errors).toHaveLength(1);
      expect(errors[0]!.message).toContain('NetworkPolicy a/bad');
      expect(errors[0]!.message).toContain(message);
      expect(cluster.policies.map((p) => p.name)).toEqual(['good']);
      expect(cluster.pods).toHaveLength(1);
    });
  });

  it('adds the automatic metadata.name label, overriding a user value', () => {
    const { cluster } = parse([namespace('a', { 'kubernetes.io/metadata.name': 'lie', team: 'x' })]);
    expect(cluster.namespaces.get('a')!.labels).toEqual({ 'kubernetes.io/metadata.name': 'a', team: 'x' });
  });

  it('creates namespaces that are referenced but not given, with the automatic label', () => {
    const { cluster } = parse([pod('ghost', 'p')]);
    expect(cluster.namespaces.get('ghost')).toMatchObject({
      implicit: true,
      labels: { 'kubernetes.io/metadata.name': 'ghost' },
    });
  });

  it('defaults policyTypes as the API does', () => {
    const { cluster } = parse([
      policy('a', 'ing', { podSelector: {}, ingress: [{}] }),
      policy('a', 'both', { podSelector: {}, egress: [{}] }),
      policy('a', 'empty-egress', { podSelector: {}, egress: [] }),
      policy('a', 'explicit', { podSelector: {}, policyTypes: ['Egress'], ingress: [{}] }),
    ]);
    const types = Object.fromEntries(cluster.policies.map((p) => [p.name, p.types]));
    expect(types).toEqual({
      both: { ingress: true, egress: true },
      'empty-egress': { ingress: true, egress: false },
      explicit: { ingress: false, egress: true },
      ing: { ingress: true, egress: false },
    });
  });

  it.each([
    [
      'Deployment',
      {
        spec: {
          template: {
            metadata: { labels: { app: 'x' } },
            spec: { containers: [{ ports: [{ containerPort: 80, name: 'http' }] }] },
          },
        },
      },
    ],
    [
      'StatefulSet',
      {
        spec: {
          template: {
            metadata: { labels: { app: 'x' } },
            spec: { containers: [{ ports: [{ containerPort: 80, name: 'http' }] }] },
          },
        },
      },
    ],
    [
      'DaemonSet',
      {
        spec: {
          template: {
            metadata: { labels: { app: 'x' } },
            spec: { containers: [{ ports: [{ containerPort: 80, name: 'http' }] }] },
          },
        },
      },
    ],
    [
      'ReplicaSet',
      {
        spec: {
          template: {
            metadata: { labels: { app: 'x' } },
            spec: { containers: [{ ports: [{ containerPort: 80, name: 'http' }] }] },
          },
        },
      },
    ],
    [
      'ReplicationController',
      {
        spec: {
          template: {
            metadata: { labels: { app: 'x' } },
            spec: { containers: [{ ports: [{ containerPort: 80, name: 'http' }] }] },
          },
        },
      },
    ],
    [
      'Job',
      {
        spec: {
          template: {
            metadata: { labels: { app: 'x' } },
            spec: { containers: [{ ports: [{ containerPort: 80, name: 'http' }] }] },
          },
        },
      },
    ],
    [
      'CronJob',
      {
        spec: {
          jobTemplate: {
            spec: {
              template: {
                metadata: { labels: { app: 'x' } },
                spec: { initContainers: [{ ports: [{ containerPort: 80, name: 'http' }] }] },
              },
            },
          },
        },
      },
    ],
  ])('reads the pod template of a %s', (kind, body) => {
    const { cluster, errors } = parse([
      { apiVersion: 'apps/v1', kind, metadata: { name: 'w', namespace: 'n' }, ...body },
    ]);
    expect(errors).toEqual([]);
    expect(cluster.pods[0]).toMatchObject({
      kind,
      namespace: 'n',
      name: 'w',
      labels: { app: 'x' },
      ports: [{ port: 80, protocol: 'TCP', name: 'http' }],
    });
  });

  it('keeps rule lines from the loader', () => {
    const text = [
      'apiVersion: networking.k8s.io/v1',
      'kind: NetworkPolicy',
      'metadata: {name: p, namespace: a}',
      'spec:',
      '  podSelector: {}',
      '  ingress:',
      '  - from: [{podSelector: {}}]',
      '  - ports: [{port: 80}]',
    ].join('\n');
    const { cluster } = parseCluster(parseKubeText(text, 'p.yaml').resources);
    expect(cluster.policies[0]!.ingress.map((r) => r.line)).toEqual([7, 8]);
    expect(cluster.policies[0]!.source).toEqual({ file: 'p.yaml', line: 1 });
  });

  it('reads pod IPs from status.podIP and status.podIPs', () => {
    const p = {
      ...pod('a', 'p'),
      status: { podIP: '10.0.0.1', podIPs: [{ ip: '10.0.0.1' }, { ip: 'fd00::1' }] },
    };
    expect(parse([p]).cluster.pods[0]!.ips).toEqual(['10.0.0.1', 'fd00::1']);
  });
});
