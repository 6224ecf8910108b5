import { describe, expect, it } from 'vitest';
import { encryptionFindings } from './encryption.js';
import { ClassEngine } from './engine.js';
import { networkFindings } from './findings.js';
import { clusterOf, deployment, namespace, policy } from './testing/builders.js';

const svc = (ns: string, name: string, type: string, selector: Record<string, string>) => ({
  apiVersion: 'v1',
  kind: 'Service',
  metadata: { name, namespace: ns },
  spec: { type, selector, ports: [{ port: 80, targetPort: 8080, nodePort: 30080 }] },
});

function findings(objects: Record<string, unknown>[]) {
  const cluster = clusterOf(objects);
  return networkFindings(cluster, new ClassEngine(cluster));
}

const ids = (fs: { id: string; location: { resource?: string } }[]) =>
  fs.map((f) => `${f.id} ${f.location.resource}`).sort();

describe('network findings', () => {
  it('flags namespaces without default-deny and pods no policy selects', () => {
    const fs = findings([namespace('a'), deployment('a', 'web', { ports: ['8080'] })]);
    expect(ids(fs)).toEqual([
      'NETPOL-NO-DEFAULT-DENY-EGRESS Namespace/a',
      'NETPOL-NO-DEFAULT-DENY-INGRESS Namespace/a',
      'NETPOL-POD-NOT-SELECTED Deployment/a/web',
    ]);
  });

  it('is quiet for a namespace with default-deny in both directions', () => {
    const fs = findings([
      namespace('a'),
      deployment('a', 'web'),
      policy('a', 'deny', { podSelector: {}, policyTypes: ['Ingress', 'Egress'] }),
    ]);
    expect(fs).toEqual([]);
  });

  it('flags policies that select nothing', () => {
    const fs = findings([
      deployment('a', 'web'),
      policy('a', 'deny', { podSelector: {}, policyTypes: ['Ingress', 'Egress'] }),
      policy('a', 'ghost', { podSelector: { matchLabels: { app: 'nope' } } }),
    ]);
    expect(ids(fs)).toEqual(['NETPOL-POLICY-SELECTS-NOTHING NetworkPolicy/a/ghost']);
  });

  it.each([
    ['an empty from', { ingress: [{}] }, 'NETPOL-ALLOW-ALL-INGRESS', 'HIGH'],
    [
      '0.0.0.0/0 with ports',
      { ingress: [{ from: [{ ipBlock: { cidr: '0.0.0.0/0' } }], ports: [{ port: 443 }] }] },
      'NETPOL-ALLOW-ALL-INGRESS',
      'MEDIUM',
    ],
    ['an empty to', { policyTypes: ['Egress'], egress: [{}] }, 'NETPOL-ALLOW-ALL-EGRESS', 'MEDIUM'],
    [
      'a public egress CIDR',
      {
        policyTypes: ['Egress'],
        egress: [{ to: [{ ipBlock: { cidr: '0.0.0.0/0', except: ['10.0.0.0/8'] } }] }],
      },
      'NETPOL-EGRESS-TO-INTERNET',
      'LOW',
    ],
    [
      'a public ingress CIDR',
      { ingress: [{ from: [{ ipBlock: { cidr: '203.0.113.0/24' } }] }] },
      'NETPOL-INGRESS-FROM-INTERNET',
      'MEDIUM',
    ],
    [
      'every namespace',
      { ingress: [{ from: [{ namespaceSelector: {} }] }] },
      'NETPOL-CROSS-NAMESPACE',
      'MEDIUM',
    ],
    [
      'another namespace',
      { ingress: [{ from: [{ namespaceSelector: { matchLabels: { team: 'b' } } }] }] },
      'NETPOL-CROSS-NAMESPACE',
      'LOW',
    ],
  ])('flags a rule with %s', (_name, spec, id, severity) => {
    const fs = findings([
      namespace('a'),
      namespace('b', { team: 'b' }),
      deployment('a', 'web'),
      policy('a', 'deny', { podSelector: {}, policyTypes: ['Ingress', 'Egress'] }),
      policy('a', 'rule', { podSelector: { matchLabels: { app: 'web' } }, ...spec }),
    ]);
    const hit = fs.filter((f) => f.location.resource === 'NetworkPolicy/a/rule');
    expect(hit.map((f) => [f.id, f.severity])).toEqual([[id, severity]]);
    expect(hit[0]!.location.path).toBe('test.yaml');
  });

  it('does not call a same-namespace selector cross-namespace', () => {
    const fs = findings([
      namespace('a', { team: 'a' }),
      deployment('a', 'web'),
      policy('a', 'p', {
        podSelector: {},
        policyTypes: ['Ingress', 'Egress'],
        ingress: [{ from: [{ namespaceSelector: { matchLabels: { team: 'a' } } }] }],
      }),
    ]);
    expect(fs.filter((f) => f.id === 'NETPOL-CROSS-NAMESPACE')).toEqual([]);
  });

  it('flags sensitive ports reachable from other namespaces, and from the internet as critical', () => {
    const base = [
      namespace('data'),
      namespace('app'),
      deployment('data', 'pg', { ports: ['5432'] }),
      deployment('app', 'api'),
    ];
    const open = findings(base).filter((f) => f.id === 'NETPOL-SENSITIVE-PORT-EXPOSED');
    expect(
      open.map((f) => [
        f.severity,
        f.location.resource,
        'fromNamespaces' in f.evidence ? f.evidence.fromNamespaces : undefined,
      ]),
    ).toEqual([['HIGH', 'Deployment/data/pg', ['app']]]);
    const internet = findings([
      ...base,
      policy('data', 'p', { podSelector: {}, ingress: [{ from: [{ ipBlock: { cidr: '0.0.0.0/0' } }] }] }),
    ]).filter((f) => f.id === 'NETPOL-SENSITIVE-PORT-EXPOSED');
    expect(internet.map((f) => f.severity)).toEqual(['CRITICAL']);
    const closed = findings([
      ...base,
      policy('data', 'p', { podSelector: {}, ingress: [{ from: [{ podSelector: {} }] }] }),
    ]).filter((f) => f.id === 'NETPOL-SENSITIVE-PORT-EXPOSED');
    expect(closed).toEqual([]);
  });

  it.each([
    ['LoadBalancer', true],
    ['NodePort', true],
    ['ClusterIP', false],
  ])('flags a %s Service fronting unprotected pods: %s', (type, expected) => {
    const fs = findings([
      deployment('a', 'web', { labels: { app: 'web' } }),
      svc('a', 'web', type, { app: 'web' }),
    ]);
    expect(fs.some((f) => f.id === 'NETPOL-EXPOSED-SERVICE-UNPROTECTED')).toBe(expected);
  });

  it('does not flag an exposed Service whose pods an ingress policy isolates', () => {
    const fs = findings([
      deployment('a', 'web', { labels: { app: 'web' } }),
      svc('a', 'web', 'LoadBalancer', { app: 'web' }),
      policy('a', 'p', { podSelector: {} }),
    ]);
    expect(fs.some((f) => f.id === 'NETPOL-EXPOSED-SERVICE-UNPROTECTED')).toBe(false);
  });
});

describe('DNS egress', () => {
  const dns = deployment('kube-system', 'coredns', {
    labels: { 'k8s-app': 'kube-dns' },
    ports: ['dns:53/UDP'],
  });
  const dnsIds = (objects: Record<string, unknown>[]) =>
    findings(objects)
      .filter((f) => f.id === 'NETPOL-DNS-EGRESS-BLOCKED')
      .map((f) => f.location.resource);

  it('flags egress-isolated pods that cannot resolve names', () => {
    expect(
      dnsIds([
        dns,
        deployment('a', 'web'),
        policy('a', 'deny', { podSelector: {}, policyTypes: ['Egress'] }),
      ]),
    ).toEqual(['Deployment/a/web']);
  });

  it('is quiet when an egress rule allows 53/UDP to kube-dns', () => {
    const allowDns = policy('a', 'dns', {
      podSelector: {},
      policyTypes: ['Egress'],
      egress: [
        {
          to: [{ namespaceSelector: {}, podSelector: { matchLabels: { 'k8s-app': 'kube-dns' } } }],
          ports: [{ port: 53, protocol: 'UDP' }],
        },
      ],
    });
    expect(dnsIds([dns, deployment('a', 'web'), allowDns])).toEqual([]);
  });

  it('is quiet for pods whose egress is not isolated', () => {
    expect(dnsIds([dns, deployment('a', 'web')])).toEqual([]);
  });
});

const configMap = (data: Record<string, string>) => ({
  apiVersion: 'v1',
  kind: 'ConfigMap',
  metadata: { name: 'cilium-config', namespace: 'kube-system' },
  data,
});
const felix = (enabled: boolean) => ({
  apiVersion: 'crd.projectcalico.org/v1',
  kind: 'FelixConfiguration',
  metadata: { name: 'default' },
  spec: { wireguardEnabled: enabled },
});
const peerAuth = (ns: string, name: string, mode: string, selector?: Record<string, string>) => ({
  apiVersion: 'security.istio.io/v1',
  kind: 'PeerAuthentication',
  metadata: { name, namespace: ns },
  spec: { ...(selector ? { selector: { matchLabels: selector } } : {}), mtls: { mode } },
});

describe('encryption posture', () => {
  const web = deployment('a', 'web', { labels: { app: 'web' } });
  const meshed = namespace('a', { 'istio-injection': 'enabled' });
  const posture = (objects: Record<string, unknown>[]) =>
    encryptionFindings(clusterOf(objects)).map((f) => `${f.id} ${f.location.resource}`);

  it.each([
    ['no CNI encryption and no mesh', [web], ['NETPOL-UNENCRYPTED Deployment/a/web']],
    ['Cilium WireGuard', [web, configMap({ 'enable-wireguard': 'true' })], []],
    ['Cilium IPsec', [web, configMap({ 'enable-ipsec': 'true' })], []],
    [
      'Cilium with encryption off',
      [web, configMap({ 'enable-wireguard': 'false' })],
      ['NETPOL-UNENCRYPTED Deployment/a/web'],
    ],
    ['Calico WireGuard', [web, felix(true)], []],
    ['Calico WireGuard off', [web, felix(false)], ['NETPOL-UNENCRYPTED Deployment/a/web']],
    ['Linkerd injection on the namespace', [namespace('a', {}, { 'linkerd.io/inject': 'enabled' }), web], []],
    [
      'Linkerd injection on the pod template',
      [deployment('a', 'web', { annotations: { 'linkerd.io/inject': 'enabled' } })],
      [],
    ],
    [
      'Linkerd namespace injection disabled on the pod',
      [
        namespace('a', {}, { 'linkerd.io/inject': 'enabled' }),
        deployment('a', 'web', { annotations: { 'linkerd.io/inject': 'disabled' } }),
      ],
      ['NETPOL-UNENCRYPTED Deployment/a/web'],
    ],
    ['Istio mesh-wide STRICT', [meshed, web, peerAuth('istio-system', 'default', 'STRICT')], []],
    [
      'Istio without PeerAuthentication (PERMISSIVE default)',
      [meshed, web],
      ['NETPOL-MTLS-PERMISSIVE Deployment/a/web'],
    ],
    [
      'Istio namespace PERMISSIVE overrides mesh STRICT',
      [meshed, web, peerAuth('istio-system', 'default', 'STRICT'), peerAuth('a', 'ns', 'PERMISSIVE')],
      ['NETPOL-MTLS-PERMISSIVE Deployment/a/web'],
    ],
    [
      'Istio workload STRICT overrides namespace DISABLE',
      [meshed, web, peerAuth('a', 'ns', 'DISABLE'), peerAuth('a', 'w', 'STRICT', { app: 'web' })],
      [],
    ],
    [
      'Istio workload DISABLE',
      [
        meshed,
        web,
        peerAuth('istio-system', 'default', 'STRICT'),
        peerAuth('a', 'w', 'DISABLE', { app: 'web' }),
      ],
      ['NETPOL-UNENCRYPTED Deployment/a/web'],
    ],
    [
      'Istio UNSET inherits from the mesh',
      [meshed, web, peerAuth('istio-system', 'default', 'STRICT'), peerAuth('a', 'ns', 'UNSET')],
      [],
    ],
    [
      'Istio STRICT but the pod is not injected',
      [namespace('a'), web, peerAuth('istio-system', 'default', 'STRICT')],
      ['NETPOL-UNENCRYPTED Deployment/a/web'],
    ],
  ])('%s', (_name, objects, expected) => {
    expect(posture(objects as Record<string, unknown>[])).toEqual(expected);
  });
});
