import { errorMessage } from '../../core/errors.js';
import type { ScanError } from '../../core/types.js';
import { NETPOL_ANALYZER } from './errors.js';
import {
  type CniEncryption,
  calicoEncryption,
  ciliumEncryption,
  parsePeerAuthentication,
} from './parse-encryption.js';
import { parsePod, parseService } from './parse-pods.js';
import { parsePolicy } from './parse-policy.js';
import {
  type Cluster,
  NAMESPACE_NAME_LABEL,
  type NamespaceInfo,
  type NetworkPolicy,
  type PeerAuthentication,
  type PodInfo,
  type ServiceInfo,
  WORKLOAD_KINDS,
  type WorkloadKind,
} from './types.js';
import { metadata, type ResourceInput } from './values.js';

export interface ParsedCluster {
  readonly cluster: Cluster;
  readonly errors: ScanError[];
}

function resourceName(r: ResourceInput): string {
  const m = r.object.metadata as { name?: unknown; namespace?: unknown } | undefined;
  const ns = typeof m?.namespace === 'string' ? `${m.namespace}/` : '';
  return `${r.kind} ${ns}${typeof m?.name === 'string' ? m.name : '<unnamed>'}`;
}

function namespaceInfo(r: ResourceInput): NamespaceInfo {
  const meta = metadata(r.object);
  return {
    name: meta.name,
    // the API server always sets this label to the namespace's name, overriding any other value
    labels: { ...meta.labels, [NAMESPACE_NAME_LABEL]: meta.name },
    annotations: meta.annotations,
    implicit: false,
    source: { file: r.file, line: r.line },
  };
}

function implicitNamespace(name: string): NamespaceInfo {
  return { name, labels: { [NAMESPACE_NAME_LABEL]: name }, annotations: {}, implicit: true };
}

/**
 * Parses resources once, at the edge, into the typed network model. A resource that breaks the
 * API's validation (a malformed NetworkPolicy, a bad port) is reported in `errors` and left out,
 * as the API server would have refused it; everything else is still analysed.
 */
export function parseCluster(resources: readonly ResourceInput[]): ParsedCluster {
  const namespaces = new Map<string, NamespaceInfo>();
  const pods: PodInfo[] = [];
  const services: ServiceInfo[] = [];
  const policies: NetworkPolicy[] = [];
  const cni: CniEncryption[] = [];
  const peerAuthentications: PeerAuthentication[] = [];
  const errors: ScanError[] = [];
  for (const r of resources) {
    try {
      if (r.kind === 'Namespace') {
        const ns = namespaceInfo(r);
        namespaces.set(ns.name, ns);
      } else if ((WORKLOAD_KINDS as readonly string[]).includes(r.kind)) {
        pods.push(parsePod(r, r.kind as WorkloadKind));
      } else if (r.kind === 'Service') services.push(parseService(r));
      else if (r.kind === 'NetworkPolicy') policies.push(parsePolicy(r));
      else if (r.kind === 'ConfigMap' && metadata(r.object).name === 'cilium-config')
        for (const item of ciliumEncryption(r)) cni.push(item);
      else if (r.kind === 'FelixConfiguration' && metadata(r.object).name === 'default')
        for (const item of calicoEncryption(r)) cni.push(item);
      else if (r.kind === 'PeerAuthentication') peerAuthentications.push(parsePeerAuthentication(r));
    } catch (err) {
      errors.push({
        analyzer: NETPOL_ANALYZER,
        path: r.file,
        message: `${resourceName(r)} (line ${r.line}): ${errorMessage(err)}`,
      });
    }
  }
  const referenced = [
    'default',
    ...pods.map((p) => p.namespace),
    ...services.map((s) => s.namespace),
    ...policies.map((p) => p.namespace),
  ];
  for (const name of referenced) if (!namespaces.has(name)) namespaces.set(name, implicitNamespace(name));
  const byName = <T extends { namespace: string; name: string }>(a: T, b: T) =>
    a.namespace === b.namespace
      ? a.name < b.name
        ? -1
        : a.name > b.name
          ? 1
          : 0
      : a.namespace < b.namespace
        ? -1
        : 1;
  return {
    cluster: {
      namespaces: new Map([...namespaces].sort(([a], [b]) => (a < b ? -1 : 1))),
      pods: pods.sort(byName),
      services: services.sort(byName),
      policies: policies.sort(byName),
      encryption: { cni, peerAuthentications, istioRootNamespace: 'istio-system' },
    },
    errors,
  };
}
