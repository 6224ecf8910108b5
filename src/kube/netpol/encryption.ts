import { type NetworkFinding, networkFinding } from '../../core/index.js';
import { matchesSelector } from './selector.js';
import { type Cluster, type MtlsMode, type PeerAuthentication, type PodInfo, podResource } from './types.js';

export type Protection =
  | { readonly kind: 'cni'; readonly provider: string; readonly mechanism: string }
  | { readonly kind: 'linkerd' }
  | { readonly kind: 'istio'; readonly mode: MtlsMode; readonly policy?: string }
  | { readonly kind: 'none'; readonly reason: string };

const selects = (labels: Readonly<Record<string, string>>, pod: PodInfo) =>
  matchesSelector({ matchLabels: labels, matchExpressions: [] }, pod.labels);

function linkerdInjected(cluster: Cluster, pod: PodInfo): boolean {
  const own = pod.annotations['linkerd.io/inject'];
  if (own) return own === 'enabled';
  return cluster.namespaces.get(pod.namespace)?.annotations['linkerd.io/inject'] === 'enabled';
}

function istioInjected(cluster: Cluster, pod: PodInfo): boolean {
  const own = pod.labels['sidecar.istio.io/inject'] ?? pod.annotations['sidecar.istio.io/inject'];
  if (own === 'false') return false;
  if (own === 'true') return true;
  const ns = cluster.namespaces.get(pod.namespace)?.labels ?? {};
  // sidecar injection by namespace label or revision, or ambient mode (ztunnel carries mTLS)
  return (
    ns['istio-injection'] === 'enabled' ||
    ns['istio.io/rev'] !== undefined ||
    ns['istio.io/dataplane-mode'] === 'ambient' ||
    pod.labels['istio.io/dataplane-mode'] === 'ambient'
  );
}

/** Istio's precedence: workload selector, then namespace-wide, then mesh-wide; UNSET inherits. */
function istioMode(cluster: Cluster, pod: PodInfo): { mode: MtlsMode; policy?: string } {
  const pas = cluster.encryption.peerAuthentications;
  const byName = (a: PeerAuthentication, b: PeerAuthentication) => (a.name < b.name ? -1 : 1);
  const levels = [
    pas.filter((p) => p.namespace === pod.namespace && p.selector && selects(p.selector, pod)).sort(byName),
    pas.filter((p) => p.namespace === pod.namespace && !p.selector).sort(byName),
    pas.filter((p) => p.namespace === cluster.encryption.istioRootNamespace && !p.selector).sort(byName),
  ];
  for (const level of levels) {
    const p = level[0];
    if (p && p.mode !== 'UNSET') return { mode: p.mode, policy: `${p.namespace}/${p.name}` };
  }
  // Istio's default when nothing says otherwise
  return { mode: 'PERMISSIVE' };
}

/** How a pod's pod-to-pod traffic is protected, strongest mechanism first. */
export function protectionOf(cluster: Cluster, pod: PodInfo): Protection {
  const cni = cluster.encryption.cni[0];
  if (cni) return { kind: 'cni', provider: cni.provider, mechanism: cni.mechanism };
  if (linkerdInjected(cluster, pod)) return { kind: 'linkerd' };
  if (istioInjected(cluster, pod)) {
    const { mode, policy } = istioMode(cluster, pod);
    if (mode === 'DISABLE')
      return { kind: 'none', reason: `Istio PeerAuthentication ${policy} disables mTLS` };
    return { kind: 'istio', mode, ...(policy ? { policy } : {}) };
  }
  return {
    kind: 'none',
    reason:
      'no CNI encryption (Cilium WireGuard/IPsec, Calico WireGuard) and the pod is not in a Linkerd or Istio mesh',
  };
}

/** Findings for workloads whose pod-to-pod traffic travels unencrypted or may fall back to plaintext. */
export function encryptionFindings(cluster: Cluster): NetworkFinding[] {
  const out: NetworkFinding[] = [];
  for (const pod of cluster.pods) {
    const p = protectionOf(cluster, pod);
    const resource = podResource(pod);
    const location = { path: pod.source.file, line: pod.source.line, resource };
    if (p.kind === 'none') {
      out.push(
        networkFinding({
          id: 'NETPOL-UNENCRYPTED',
          severity: 'MEDIUM',
          title: `Pod-to-pod traffic of ${resource} is not encrypted`,
          location,
          evidence: { reason: p.reason },
        }),
      );
    } else if (p.kind === 'istio' && p.mode === 'PERMISSIVE') {
      out.push(
        networkFinding({
          id: 'NETPOL-MTLS-PERMISSIVE',
          severity: 'LOW',
          title: `${resource} accepts plaintext traffic (Istio mTLS PERMISSIVE)`,
          location,
          evidence: {
            mode: p.mode,
            peerAuthentication: p.policy ?? 'none (Istio default is PERMISSIVE)',
          },
          references: ['https://istio.io/latest/docs/reference/config/security/peer_authentication/'],
        }),
      );
    }
  }
  return out;
}
