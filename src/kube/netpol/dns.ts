import { type NetworkFinding, networkFinding } from '../../core/index.js';
import type { ClassEngine } from './engine.js';
import { podResource } from './types.js';

export const DNS_NAMESPACE = 'kube-system';
export const DNS_LABELS: Readonly<Record<string, string>> = { 'k8s-app': 'kube-dns' };

/**
 * Pods isolated for egress that cannot reach any kube-dns pod on 53/UDP: name resolution fails,
 * which usually means a default-deny egress without its DNS allowance.
 */
export function dnsFindings(engine: ClassEngine): NetworkFinding[] {
  const dns = engine.cluster.pods.filter(
    (p) => p.namespace === DNS_NAMESPACE && Object.entries(DNS_LABELS).every(([k, v]) => p.labels[k] === v),
  );
  if (dns.length === 0) return [];
  const dnsClasses = [...new Set(dns.map((p) => engine.classOf.get(p)!))];
  const blocked = new Map<number, boolean>();
  const out: NetworkFinding[] = [];
  for (const pod of engine.cluster.pods) {
    const c = engine.classOf.get(pod)!;
    if (dns.includes(pod) || !engine.isIsolated('egress', c)) continue;
    let isBlocked = blocked.get(c);
    if (isBlocked === undefined) {
      isBlocked = !dnsClasses.some((d) => engine.allowed(c, d).has('UDP', 53));
      blocked.set(c, isBlocked);
    }
    if (!isBlocked) continue;
    out.push(
      networkFinding({
        id: 'NETPOL-DNS-EGRESS-BLOCKED',
        severity: 'LOW',
        title: `${podResource(pod)} cannot reach kube-dns on 53/UDP (egress is isolated)`,
        location: { path: pod.source.file, line: pod.source.line, resource: podResource(pod) },
        evidence: {
          dns: dns.map(podResource),
          explanation: 'no egress rule allows 53/UDP to the kube-dns pods, or their ingress denies it',
        },
      }),
    );
  }
  return out;
}
