import { parseCidr } from './cidr.js';
import { DNS_LABELS, DNS_NAMESPACE } from './dns.js';
import { findPod } from './endpoints.js';
import { type Flow, flowText, type ResolvedFlow } from './flows.js';
import { splitSelectable, type Unselectable } from './singled-out.js';
import { type Cluster, NAMESPACE_NAME_LABEL, type PodInfo } from './types.js';

type Manifest = Record<string, unknown>;

export type { ResolvedFlow };

const nsSelector = (ns: string) => ({ matchLabels: { [NAMESPACE_NAME_LABEL]: ns } });
const dnsPorts = [
  { port: 53, protocol: 'UDP' },
  { port: 53, protocol: 'TCP' },
];

function manifest(ns: string, name: string, spec: Record<string, unknown>): Manifest {
  return {
    apiVersion: 'networking.k8s.io/v1',
    kind: 'NetworkPolicy',
    metadata: {
      name: name.slice(0, 63).replace(/-+$/, ''),
      namespace: ns,
      labels: { 'app.kubernetes.io/managed-by': 'strata' },
    },
    spec,
  };
}

function peer(end: PodInfo | string): Record<string, unknown> {
  if (typeof end === 'string') return { ipBlock: { cidr: end } };
  return { namespaceSelector: nsSelector(end.namespace), podSelector: { matchLabels: { ...end.labels } } };
}

const key = (end: PodInfo | string) =>
  typeof end === 'string' ? `cidr:${end}` : `${end.kind}/${end.namespace}/${end.name}`;
const slug = (p: PodInfo) => `${p.kind.toLowerCase()}-${p.name}`.toLowerCase().replace(/[^a-z0-9-]/g, '-');

export function resolveFlows(cluster: Cluster, flows: readonly Flow[]): ResolvedFlow[] {
  const end = (ref: string) => (parseCidr(ref) ? ref : findPod(cluster, ref));
  return flows.map((flow) => ({ flow, src: end(flow.src), dst: end(flow.dst) }));
}

/** Groups flows by one end, then by the other end, collecting ports. */
function grouped(flows: readonly ResolvedFlow[], side: 'src' | 'dst') {
  const other = side === 'src' ? 'dst' : 'src';
  const out = new Map<
    string,
    { self: PodInfo; peers: Map<string, { peer: PodInfo | string; ports: Set<string> }> }
  >();
  for (const f of flows) {
    const self = f[side];
    if (typeof self === 'string') continue;
    const entry = out.get(key(self)) ?? { self, peers: new Map() };
    out.set(key(self), entry);
    const p = entry.peers.get(key(f[other])) ?? { peer: f[other], ports: new Set<string>() };
    entry.peers.set(key(f[other]), p);
    p.ports.add(`${f.flow.protocol}/${f.flow.port}`);
  }
  return [...out.entries()].sort(([a], [b]) => (a < b ? -1 : 1)).map(([, v]) => v);
}

const portList = (ports: Set<string>) =>
  [...ports].sort().map((p) => {
    const [protocol, port] = p.split('/');
    return { protocol, port: Number(port) };
  });

/** The namespaces the generated policies lock down: every namespace with a pod end of a flow. */
export function managedNamespaces(flows: readonly ResolvedFlow[]): string[] {
  const set = new Set<string>();
  for (const f of flows) for (const e of [f.src, f.dst]) if (typeof e !== 'string') set.add(e.namespace);
  return [...set].sort();
}

export interface Generation {
  readonly policies: Manifest[];
  /** the flows the policies cover: every declared flow whose pod ends can be singled out */
  readonly flows: readonly ResolvedFlow[];
  /** workloads no policy can select alone, and the flows left without a policy because of them */
  readonly unselectable: readonly Unselectable[];
}

/**
 * Least-privilege policies for the flows: per managed namespace a default-deny (both
 * directions) and DNS egress to kube-dns; per destination an ingress policy and per source an
 * egress policy, each naming its peers by namespace name AND the pod template's labels.
 * A workload its labels cannot single out (none, or all shared with another pod of its
 * namespace) gets nothing: any policy for it would also allow pods nobody declared.
 */
export function generatePolicies(cluster: Cluster, declared: readonly ResolvedFlow[]): Generation {
  const { kept: flows, unselectable } = splitSelectable(cluster, declared);
  return { policies: policiesFor(flows), flows, unselectable };
}

function policiesFor(flows: readonly ResolvedFlow[]): Manifest[] {
  const namespaces = managedNamespaces(flows);
  const out: Manifest[] = [];
  for (const ns of namespaces) {
    out.push(manifest(ns, 'strata-default-deny', { podSelector: {}, policyTypes: ['Ingress', 'Egress'] }));
    out.push(
      manifest(ns, 'strata-allow-dns-egress', {
        podSelector: {},
        policyTypes: ['Egress'],
        egress: [
          {
            to: [{ namespaceSelector: nsSelector(DNS_NAMESPACE), podSelector: { matchLabels: DNS_LABELS } }],
            ports: dnsPorts,
          },
        ],
      }),
    );
  }
  if (namespaces.includes(DNS_NAMESPACE)) {
    out.push(
      manifest(DNS_NAMESPACE, 'strata-allow-dns-ingress', {
        podSelector: { matchLabels: DNS_LABELS },
        policyTypes: ['Ingress'],
        ingress: [
          {
            from: [
              {
                namespaceSelector: {
                  matchExpressions: [{ key: NAMESPACE_NAME_LABEL, operator: 'In', values: namespaces }],
                },
              },
            ],
            ports: dnsPorts,
          },
        ],
      }),
    );
  }
  for (const { self, peers } of grouped(flows, 'dst')) {
    const rules = [...peers.values()].map((p) => ({ from: [peer(p.peer)], ports: portList(p.ports) }));
    out.push(
      manifest(self.namespace, `strata-ingress-${slug(self)}`, {
        podSelector: { matchLabels: { ...self.labels } },
        policyTypes: ['Ingress'],
        ingress: rules,
      }),
    );
  }
  for (const { self, peers } of grouped(flows, 'src')) {
    const rules = [...peers.values()].map((p) => ({ to: [peer(p.peer)], ports: portList(p.ports) }));
    out.push(
      manifest(self.namespace, `strata-egress-${slug(self)}`, {
        podSelector: { matchLabels: { ...self.labels } },
        policyTypes: ['Egress'],
        egress: rules,
      }),
    );
  }
  return out;
}

export { flowText };
