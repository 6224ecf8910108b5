import { type NetworkFinding, networkFinding } from '../../core/index.js';
import type { ClassEngine } from './engine.js';
import { exposingServices } from './exposure.js';
import { type Protocol, podResource } from './types.js';

/** Ports whose reachability is an incident on its own: control plane, kubelet, data stores. */
export const SENSITIVE_PORTS: ReadonlyMap<number, string> = new Map([
  [2379, 'etcd client'],
  [2380, 'etcd peer'],
  [6443, 'Kubernetes API server'],
  [10250, 'kubelet API'],
  [10255, 'kubelet read-only API'],
  [5432, 'PostgreSQL'],
  [3306, 'MySQL/MariaDB'],
  [1433, 'SQL Server'],
  [1521, 'Oracle'],
  [6379, 'Redis'],
  [27017, 'MongoDB'],
  [9200, 'Elasticsearch'],
  [9042, 'Cassandra'],
  [5984, 'CouchDB'],
  [11211, 'memcached'],
  [2181, 'ZooKeeper'],
  [9092, 'Kafka'],
]);

/**
 * A sensitive port is reachable broadly when the internet reaches it, or when pods of another
 * namespace do (a non-isolated pod is reachable from every namespace).
 */
export function sensitivePortFindings(engine: ClassEngine): NetworkFinding[] {
  const out: NetworkFinding[] = [];
  for (const dst of engine.cluster.pods) {
    const d = engine.classOf.get(dst)!;
    const seen = new Set<string>();
    for (const cp of dst.ports) {
      const service = SENSITIVE_PORTS.get(cp.port);
      const key = `${cp.port}/${cp.protocol}`;
      if (!service || seen.has(key)) continue;
      seen.add(key);
      const isolated = engine.isIsolated('ingress', d);
      // a non-isolated pod is reachable from outside only through a LoadBalancer/NodePort Service
      const internet =
        engine.internet('ingress', d).has(cp.protocol, cp.port) &&
        (isolated || exposingServices(engine.cluster, dst).length > 0);
      const namespaces = new Set<string>();
      for (const src of engine.classes) {
        if (
          src.namespace !== dst.namespace &&
          engine.allowed(src.id, d).has(cp.protocol as Protocol, cp.port)
        ) {
          namespaces.add(src.namespace);
        }
      }
      if (!internet && namespaces.size === 0 && isolated) continue;
      const reach = internet
        ? 'from the internet'
        : namespaces.size > 0
          ? `from ${namespaces.size} other namespace(s)`
          : 'by any pod (no ingress policy isolates it)';
      out.push(
        networkFinding({
          id: 'NETPOL-SENSITIVE-PORT-EXPOSED',
          severity: internet ? 'CRITICAL' : 'HIGH',
          title: `${service} port ${key} of ${podResource(dst)} is reachable ${reach}`,
          location: { path: dst.source.file, line: dst.source.line, resource: podResource(dst) },
          evidence: {
            port: cp.port,
            protocol: cp.protocol,
            service,
            ingressIsolated: isolated,
            internet,
            fromNamespaces: [...namespaces].sort(),
          },
          references: ['https://kubernetes.io/docs/concepts/services-networking/network-policies/'],
        }),
      );
    }
  }
  return out;
}
