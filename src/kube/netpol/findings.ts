import {
  type Finding,
  type NetworkEvidence,
  type NetworkFinding,
  networkFinding,
  type Severity,
} from '../../core/index.js';
import { isWholeFamily, reachesPublic } from './cidr.js';
import { dnsFindings } from './dns.js';
import type { ClassEngine } from './engine.js';
import { isExternalService, serviceSelects } from './exposure.js';
import { policySelects } from './match.js';
import { formatSelector, isEmptySelector, matchesSelector } from './selector.js';
import { sensitivePortFindings } from './sensitive-ports.js';
import {
  type Cluster,
  type Direction,
  type NetworkPolicy,
  type PodInfo,
  type PolicyPeer,
  type PolicyRule,
  podResource,
  policyId,
} from './types.js';

const REFERENCE = 'https://kubernetes.io/docs/concepts/services-networking/network-policies/';

function finding(
  id: string,
  severity: Severity,
  title: string,
  location: Finding['location'],
  evidence: NetworkEvidence,
): NetworkFinding {
  return networkFinding({ id, severity, title, location, evidence, references: [REFERENCE] });
}

export const policyLocation = (p: NetworkPolicy, line = p.source.line): Finding['location'] => ({
  path: p.source.file,
  line,
  resource: `NetworkPolicy/${p.namespace}/${p.name}`,
});

export const podLocation = (p: PodInfo): Finding['location'] => ({
  path: p.source.file,
  line: p.source.line,
  resource: podResource(p),
});

function namespaceFindings(cluster: Cluster): NetworkFinding[] {
  const out: NetworkFinding[] = [];
  const withPods = new Set(cluster.pods.map((p) => p.namespace));
  for (const ns of cluster.namespaces.values()) {
    if (!withPods.has(ns.name)) continue;
    const location = {
      ...(ns.source ? { path: ns.source.file, line: ns.source.line } : {}),
      resource: `Namespace/${ns.name}`,
    };
    for (const direction of ['ingress', 'egress'] as const) {
      const denyAll = cluster.policies.some(
        (p) => p.namespace === ns.name && p.types[direction] && isEmptySelector(p.podSelector),
      );
      if (denyAll) continue;
      out.push(
        finding(
          `NETPOL-NO-DEFAULT-DENY-${direction.toUpperCase()}`,
          direction === 'ingress' ? 'MEDIUM' : 'LOW',
          `Namespace ${ns.name} has no default-deny ${direction} policy`,
          location,
          {
            namespace: ns.name,
            direction,
            explanation: `no NetworkPolicy in ${ns.name} selects every pod (podSelector: {}) with policyType ${direction === 'ingress' ? 'Ingress' : 'Egress'}, so pods not selected by another policy accept all ${direction} traffic`,
          },
        ),
      );
    }
  }
  return out;
}

function selectionFindings(cluster: Cluster): NetworkFinding[] {
  const out: NetworkFinding[] = [];
  for (const pod of cluster.pods) {
    if (cluster.policies.some((p) => policySelects(p, pod))) continue;
    out.push(
      finding(
        'NETPOL-POD-NOT-SELECTED',
        'MEDIUM',
        `${podResource(pod)} is selected by no NetworkPolicy`,
        podLocation(pod),
        {
          labels: pod.labels,
          explanation: 'no policy selects these pods: they are non-isolated and accept and send any traffic',
        },
      ),
    );
  }
  for (const policy of cluster.policies) {
    if (cluster.pods.some((p) => policySelects(policy, p))) continue;
    out.push(
      finding(
        'NETPOL-POLICY-SELECTS-NOTHING',
        'LOW',
        `NetworkPolicy ${policyId(policy)} selects no pod`,
        policyLocation(policy),
        { podSelector: formatSelector(policy.podSelector), namespace: policy.namespace },
      ),
    );
  }
  return out;
}

function peerText(peer: PolicyPeer): string {
  if (peer.kind === 'ipBlock')
    return `ipBlock ${peer.cidr}${peer.except.length ? ` except ${peer.except.join(',')}` : ''}`;
  const parts: string[] = [];
  if (peer.namespaceSelector) parts.push(`namespaceSelector ${formatSelector(peer.namespaceSelector)}`);
  if (peer.podSelector) parts.push(`podSelector ${formatSelector(peer.podSelector)}`);
  return parts.join(' AND ');
}

function ruleFindings(
  cluster: Cluster,
  policy: NetworkPolicy,
  direction: Direction,
  rule: PolicyRule,
  index: number,
): NetworkFinding[] {
  const field = direction === 'ingress' ? 'from' : 'to';
  const dir = direction.toUpperCase();
  const ports =
    rule.ports.length === 0
      ? 'all ports'
      : `ports ${rule.ports.map((p) => `${p.port ?? '*'}${p.endPort ? `-${p.endPort}` : ''}/${p.protocol}`).join(',')}`;
  const base = { policy: policyId(policy), direction, rule: index, ports };
  const location = policyLocation(policy, rule.line);
  const allowAll =
    rule.peers.length === 0 ||
    rule.peers.some((p) => p.kind === 'ipBlock' && p.except.length === 0 && isWholeFamily(p.cidr));
  if (allowAll) {
    const severity: Severity =
      direction === 'ingress'
        ? rule.ports.length === 0
          ? 'HIGH'
          : 'MEDIUM'
        : rule.ports.length === 0
          ? 'MEDIUM'
          : 'LOW';
    return [
      finding(
        `NETPOL-ALLOW-ALL-${dir}`,
        severity,
        `${policyId(policy)} ${direction} rule ${index} allows every ${direction === 'ingress' ? 'source' : 'destination'} (${ports})`,
        location,
        {
          ...base,
          peer:
            rule.peers.length === 0
              ? `empty ${field}: every peer`
              : peerText(rule.peers.find((p) => p.kind === 'ipBlock')!),
        },
      ),
    ];
  }
  const out: NetworkFinding[] = [];
  rule.peers.forEach((peer, j) => {
    if (peer.kind === 'ipBlock' && reachesPublic(peer.cidr, peer.except)) {
      out.push(
        finding(
          direction === 'ingress' ? 'NETPOL-INGRESS-FROM-INTERNET' : 'NETPOL-EGRESS-TO-INTERNET',
          direction === 'ingress' ? 'MEDIUM' : 'LOW',
          `${policyId(policy)} ${direction} rule ${index} ${direction === 'ingress' ? 'admits' : 'reaches'} public internet addresses (${peer.cidr})`,
          location,
          { ...base, peer: j, ipBlock: peerText(peer) },
        ),
      );
    }
    if (peer.kind === 'pods' && peer.namespaceSelector) {
      const sel = peer.namespaceSelector;
      const others = [...cluster.namespaces.values()]
        .filter((ns) => ns.name !== policy.namespace && matchesSelector(sel, ns.labels))
        .map((ns) => ns.name);
      const everyNamespace = isEmptySelector(sel);
      if (!everyNamespace && others.length === 0) return;
      out.push(
        finding(
          'NETPOL-CROSS-NAMESPACE',
          everyNamespace ? 'MEDIUM' : 'LOW',
          `${policyId(policy)} ${direction} rule ${index} allows ${everyNamespace ? 'every namespace' : `namespaces ${others.join(', ')}`}`,
          location,
          { ...base, peer: j, selector: peerText(peer), namespaces: others },
        ),
      );
    }
  });
  return out;
}

function exposedServiceFindings(cluster: Cluster, engine: ClassEngine): NetworkFinding[] {
  const out: NetworkFinding[] = [];
  for (const svc of cluster.services) {
    if (!isExternalService(svc)) continue;
    const pods = cluster.pods.filter((p) => serviceSelects(svc, p));
    const open = pods.filter((p) => !engine.isIsolated('ingress', engine.classOf.get(p)!));
    if (open.length === 0) continue;
    out.push(
      finding(
        'NETPOL-EXPOSED-SERVICE-UNPROTECTED',
        'HIGH',
        `${svc.type} Service ${svc.namespace}/${svc.name} fronts pods no ingress policy protects`,
        { path: svc.source.file, line: svc.source.line, resource: `Service/${svc.namespace}/${svc.name}` },
        {
          type: svc.type,
          ports: svc.ports.map(
            (p) => `${p.port}/${p.protocol}${p.nodePort ? ` (nodePort ${p.nodePort})` : ''}`,
          ),
          unprotected: open.map(podResource),
        },
      ),
    );
  }
  return out;
}

/** Every NetworkPolicy finding for a cluster, from the policies themselves and from the engine. */
export function networkFindings(cluster: Cluster, engine: ClassEngine): NetworkFinding[] {
  const rules = cluster.policies.flatMap((p) =>
    (['ingress', 'egress'] as const).flatMap((d) =>
      p.types[d] ? p[d].flatMap((rule, i) => ruleFindings(cluster, p, d, rule, i)) : [],
    ),
  );
  return [
    ...namespaceFindings(cluster),
    ...selectionFindings(cluster),
    ...rules,
    ...exposedServiceFindings(cluster, engine),
    ...sensitivePortFindings(engine),
    ...dnsFindings(engine),
  ];
}
