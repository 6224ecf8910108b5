/**
 * The facts of one cluster snapshot the attack graph is built from, read once from the resources:
 * workloads (their pod, service account, token automount and escape-grade privileges), the
 * routes in from outside (LoadBalancer/NodePort/externalIPs Services, Ingresses, Gateway API
 * HTTPRoutes, hostPort and hostNetwork pods) and the exploitable vulnerabilities of the images.
 */
import type { Finding, Severity, VulnerabilityFinding } from '../core/index.js';
import {
  isObj,
  type KubeResource,
  type Obj,
  type PodInfo,
  podTemplateOf,
  resourceRef,
  visitContainers,
  WORKLOAD_KINDS,
} from '../kube/index.js';

/** A securityContext or pod spec field that gives a compromised container the node. */
export interface Privilege {
  /** `privileged`, `hostPID`, `hostIPC`, `hostNetwork`, `hostPath`, `capability` */
  readonly type: string;
  /** the field, as a path in the resource: `spec.template.spec.containers[0].securityContext.privileged` */
  readonly field: string;
  readonly why: string;
  /** how to remove it */
  readonly fix: string;
  readonly container?: string;
}

export interface VulnFact {
  readonly id: string;
  readonly severity: Severity;
  readonly pkg: string;
  readonly version: string;
  readonly fixedVersion?: string;
  /** purl type: deb, apk, rpm, npm, pypi, golang ... */
  readonly type: string;
  /** a package type a remote request reaches (application libraries, TLS/HTTP/XML/compression libraries, servers) */
  readonly network: boolean;
  readonly container?: string;
  readonly image?: string;
}

export interface Workload {
  /** `Kind/namespace/name` */
  readonly ref: string;
  readonly kind: string;
  readonly namespace: string;
  readonly name: string;
  readonly resource: KubeResource;
  readonly pod: PodInfo;
  readonly serviceAccount: string;
  /** whether a token is mounted, and which field decided it */
  readonly automount: { readonly mounted: boolean; readonly why: string };
  readonly privileges: readonly Privilege[];
  /** runs as root with a writable root filesystem (raises the score; not a node escape alone) */
  readonly rootWritable: boolean;
  /** CRITICAL/HIGH vulnerabilities of the images it runs, fixable first */
  readonly vulns: readonly VulnFact[];
  /** hostPort declarations (`containers[i].ports[j].hostPort`) */
  readonly hostPorts: readonly { port: number; protocol: string; container: string }[];
  readonly hostNetwork: boolean;
}

export interface ServiceFact {
  readonly ref: string;
  readonly namespace: string;
  readonly name: string;
  readonly type: string;
  readonly selector?: Readonly<Record<string, string>>;
  readonly ports: readonly {
    port: number;
    protocol: string;
    targetPort?: number | string;
    nodePort?: number;
    name?: string;
  }[];
  readonly externalIPs: readonly string[];
  readonly loadBalancerIngress: readonly string[];
}

/** An Ingress or HTTPRoute rule naming a backend Service. */
export interface RouteFact {
  readonly ref: string;
  readonly namespace: string;
  /** `host/path` (or `*`) */
  readonly route: string;
  readonly service: string;
  readonly serviceNamespace: string;
  /** backend port: number or name (undefined: every port of the Service) */
  readonly port?: number | string;
}

const SENSITIVE_HOST_PATHS = [
  '/',
  '/etc',
  '/root',
  '/home',
  '/proc',
  '/sys',
  '/dev',
  '/boot',
  '/var/run',
  '/run',
  '/var/run/docker.sock',
  '/run/containerd',
  '/var/run/containerd',
  '/var/run/crio',
  '/var/lib/kubelet',
  '/var/lib/docker',
  '/var/lib/containerd',
  '/etc/kubernetes',
];

const DANGEROUS_CAPABILITIES = new Set([
  'ALL',
  'SYS_ADMIN',
  'SYS_MODULE',
  'SYS_PTRACE',
  'SYS_RAWIO',
  'DAC_READ_SEARCH',
  'BPF',
  'PERFMON',
  'NET_ADMIN',
]);

const APP_TYPES = new Set([
  'npm',
  'pypi',
  'gem',
  'maven',
  'golang',
  'cargo',
  'nuget',
  'composer',
  'hex',
  'pub',
]);
const NETWORK_OS_PACKAGES =
  /ssl|tls|curl|http|nginx|apache|openssh|xml|zlib|expat|krb5|nghttp|glibc|libc6|musl|busybox|python|node|ruby|php|perl|java|jdk|tomcat|jetty|sqlite|ldap|sasl|idn|brotli|zstd|bzip|lz4|libpng|libjpeg|tiff|webp|freetype|icu|pcre|libgcrypt|gnupg|systemd/;

const str = (o: Obj | undefined, k: string): string | undefined => {
  const v = o?.[k];
  return typeof v === 'string' ? v : undefined;
};
const objOf = (v: unknown): Obj | undefined => (isObj(v) ? v : undefined);
const list = (v: unknown): Obj[] => (Array.isArray(v) ? v.filter(isObj) : []);

function normalizePath(p: string): string {
  const trimmed = p.replace(/\/+$/, '');
  return trimmed === '' ? '/' : trimmed;
}

/** A hostPath is sensitive when it is, contains or lies under one of the host's control paths. */
export function sensitiveHostPath(path: string): boolean {
  const p = normalizePath(path);
  return SENSITIVE_HOST_PATHS.some(
    (s) =>
      p === s ||
      (s !== '/' && p.startsWith(`${s}/`) && !['/var/run', '/run', '/dev', '/sys', '/home'].includes(s)) ||
      (p !== '/' && s.startsWith(`${p}/`)),
  );
}

function privilegesOf(spec: Obj, specPath: string): { privileges: Privilege[]; rootWritable: boolean } {
  const out: Privilege[] = [];
  for (const ns of ['hostPID', 'hostIPC', 'hostNetwork'] as const) {
    if (spec[ns] === true) {
      out.push({
        type: ns,
        field: `${specPath}.${ns}`,
        why: `${ns}: true shares the node's ${ns === 'hostPID' ? 'process' : ns === 'hostIPC' ? 'IPC' : 'network'} namespace${ns === 'hostPID' ? ' (nsenter into PID 1 is root on the node)' : ns === 'hostNetwork' ? " (the kubelet and node-local services on the node's loopback)" : ''}`,
        fix: `remove ${ns}: true`,
      });
    }
  }
  const volumes = new Map<string, string>();
  for (const v of list(spec.volumes)) {
    const hp = objOf(v.hostPath);
    const name = str(v, 'name');
    const path = str(hp, 'path');
    if (name && path && sensitiveHostPath(path)) volumes.set(name, path);
  }
  const podSc = objOf(spec.securityContext);
  const podNonRoot = podSc?.runAsNonRoot === true;
  const podUser = typeof podSc?.runAsUser === 'number' ? podSc.runAsUser : undefined;
  let rootWritable = false;
  for (const c of visitContainers(spec)) {
    const where = `${specPath}.${c.kind}[${c.index}]`;
    const sc = objOf(c.container.securityContext);
    if (sc?.privileged === true) {
      out.push({
        type: 'privileged',
        field: `${where}.securityContext.privileged`,
        container: c.name,
        why: `container ${c.name} is privileged: every device and capability of the node, root on the node`,
        fix: `set ${where}.securityContext.privileged: false`,
      });
    }
    const add = (
      Array.isArray(objOf(sc?.capabilities)?.add) ? objOf(sc?.capabilities)?.add : []
    ) as unknown[];
    for (const cap of add) {
      if (typeof cap !== 'string') continue;
      const name = cap.toUpperCase().replace(/^CAP_/, '');
      if (!DANGEROUS_CAPABILITIES.has(name)) continue;
      out.push({
        type: 'capability',
        field: `${where}.securityContext.capabilities.add`,
        container: c.name,
        why: `container ${c.name} adds capability ${name}, enough to break out to the node`,
        fix: `remove ${name} from ${where}.securityContext.capabilities.add`,
      });
    }
    for (const m of list(c.container.volumeMounts)) {
      const vol = str(m, 'name');
      const host = vol ? volumes.get(vol) : undefined;
      if (!host) continue;
      out.push({
        type: 'hostPath',
        field: `${specPath}.volumes[${vol}].hostPath.path`,
        container: c.name,
        why: `container ${c.name} mounts the node's ${host} (volume ${vol}${m.readOnly === true ? ', read-only' : ''}) at ${str(m, 'mountPath') ?? '?'}`,
        fix: `remove the hostPath volume ${vol} (${host})`,
      });
    }
    const user = typeof sc?.runAsUser === 'number' ? sc.runAsUser : podUser;
    const nonRoot = sc?.runAsNonRoot === true || (sc?.runAsNonRoot === undefined && podNonRoot);
    if (!nonRoot && (user === undefined || user === 0) && sc?.readOnlyRootFilesystem !== true)
      rootWritable = true;
  }
  return { privileges: out, rootWritable };
}

function vulnFact(f: VulnerabilityFinding): VulnFact {
  const type = /^pkg:([a-z0-9.+-]+)\//i.exec(f.package.purl)?.[1]?.toLowerCase() ?? 'generic';
  return {
    id: f.id,
    severity: f.severity,
    pkg: f.package.name,
    version: f.package.version,
    ...(f.fixedVersion ? { fixedVersion: f.fixedVersion } : {}),
    type,
    network: APP_TYPES.has(type) || NETWORK_OS_PACKAGES.test(f.package.name.toLowerCase()),
    ...(f.location.container ? { container: f.location.container } : {}),
    ...(f.location.image ? { image: f.location.image } : {}),
  };
}

const vulnOrder = (a: VulnFact, b: VulnFact): number =>
  (a.severity === 'CRITICAL' ? 0 : 1) - (b.severity === 'CRITICAL' ? 0 : 1) ||
  (a.fixedVersion ? 0 : 1) - (b.fixedVersion ? 0 : 1) ||
  (a.network ? 0 : 1) - (b.network ? 0 : 1) ||
  (a.id < b.id ? -1 : a.id > b.id ? 1 : 0) ||
  (a.pkg < b.pkg ? -1 : a.pkg > b.pkg ? 1 : 0);

/** `Kind/namespace/name` with the namespace a namespaced resource without one is created in. */
export const workloadKey = (kind: string, namespace: string | undefined, name: string): string =>
  `${kind}/${namespace ?? 'default'}/${name}`;

function metaOf(r: KubeResource): Obj | undefined {
  return objOf(r.object.metadata);
}

/** uid -> resource, to walk ownerReferences (a live cluster's Pods are left out when their owner is collected). */
function ownedByCollected(resources: readonly KubeResource[]): Set<KubeResource> {
  const byUid = new Map<string, KubeResource>();
  for (const r of resources) {
    const uid = str(metaOf(r), 'uid');
    if (uid) byUid.set(uid, r);
  }
  const owned = new Set<KubeResource>();
  for (const r of resources) {
    const refs = list(metaOf(r)?.ownerReferences);
    const owner = refs.find((o) => o.controller === true) ?? refs[0];
    const uid = str(owner, 'uid');
    if (uid && byUid.has(uid) && byUid.get(uid) !== r) owned.add(r);
  }
  return owned;
}

/** The image vulnerabilities that count as an initial compromise: CRITICAL and HIGH. */
export function exploitable(findings: readonly Finding[]): Map<string, VulnFact[]> {
  const out = new Map<string, VulnFact[]>();
  for (const f of findings) {
    if (f.kind !== 'vulnerability' || (f.severity !== 'CRITICAL' && f.severity !== 'HIGH')) continue;
    const at = f.location.resource;
    if (!at) continue;
    const parts = at.split('/');
    const key = parts.length === 2 ? workloadKey(parts[0]!, undefined, parts[1]!) : at;
    const l = out.get(key);
    if (l) l.push(vulnFact(f));
    else out.set(key, [vulnFact(f)]);
  }
  return out;
}

export function readWorkloads(
  resources: readonly KubeResource[],
  pods: readonly PodInfo[],
  vulns: ReadonlyMap<string, readonly VulnFact[]>,
): Workload[] {
  const owned = ownedByCollected(resources);
  const podByKey = new Map(pods.map((p) => [workloadKey(p.kind, p.namespace, p.name), p]));
  const saAutomount = new Map<string, boolean>();
  for (const r of resources) {
    if (r.kind !== 'ServiceAccount' || typeof r.object.automountServiceAccountToken !== 'boolean') continue;
    saAutomount.set(`${r.namespace ?? 'default'}/${r.name}`, r.object.automountServiceAccountToken);
  }
  const out: Workload[] = [];
  for (const r of resources) {
    if (!(WORKLOAD_KINDS as readonly string[]).includes(r.kind) || owned.has(r)) continue;
    const tpl = podTemplateOf(r);
    if (!tpl) continue;
    const namespace = r.namespace ?? 'default';
    const ref = workloadKey(r.kind, namespace, r.name);
    const pod = podByKey.get(ref);
    if (!pod) continue;
    const specPath = tpl.specPath.join('.');
    const spec = tpl.spec;
    const serviceAccount = str(spec, 'serviceAccountName') || str(spec, 'serviceAccount') || 'default';
    const saSetting = saAutomount.get(`${namespace}/${serviceAccount}`);
    const automount =
      typeof spec.automountServiceAccountToken === 'boolean'
        ? {
            mounted: spec.automountServiceAccountToken,
            why: `${specPath}.automountServiceAccountToken: ${spec.automountServiceAccountToken}`,
          }
        : saSetting !== undefined
          ? {
              mounted: saSetting,
              why: `ServiceAccount ${namespace}/${serviceAccount} automountServiceAccountToken: ${saSetting}`,
            }
          : {
              mounted: true,
              why: 'automountServiceAccountToken is not set on the pod or its ServiceAccount (default: mounted)',
            };
    const { privileges, rootWritable } = privilegesOf(spec, specPath);
    const hostPorts: { port: number; protocol: string; container: string }[] = [];
    for (const c of visitContainers(spec)) {
      for (const p of list(c.container.ports)) {
        if (typeof p.hostPort === 'number' && p.hostPort > 0)
          hostPorts.push({ port: p.hostPort, protocol: str(p, 'protocol') ?? 'TCP', container: c.name });
      }
    }
    const own = [...(vulns.get(ref) ?? vulns.get(resourceRef(r)) ?? [])].sort(vulnOrder);
    out.push({
      ref,
      kind: r.kind,
      namespace,
      name: r.name,
      resource: r,
      pod,
      serviceAccount,
      automount,
      privileges,
      rootWritable,
      vulns: own,
      hostPorts,
      hostNetwork: spec.hostNetwork === true,
    });
  }
  return out.sort((a, b) => (a.ref < b.ref ? -1 : a.ref > b.ref ? 1 : 0));
}

export function readServices(resources: readonly KubeResource[]): ServiceFact[] {
  const out: ServiceFact[] = [];
  for (const r of resources) {
    if (r.kind !== 'Service') continue;
    const spec = objOf(r.object.spec) ?? {};
    const namespace = r.namespace ?? 'default';
    const selector = objOf(spec.selector);
    const lb = list(objOf(objOf(r.object.status)?.loadBalancer)?.ingress).map(
      (i) => str(i, 'ip') ?? str(i, 'hostname') ?? '',
    );
    out.push({
      ref: `Service/${namespace}/${r.name}`,
      namespace,
      name: r.name,
      type: str(spec, 'type') ?? 'ClusterIP',
      ...(selector && Object.keys(selector).length > 0
        ? {
            selector: Object.fromEntries(
              Object.entries(selector).filter((e): e is [string, string] => typeof e[1] === 'string'),
            ),
          }
        : {}),
      ports: list(spec.ports)
        .filter((p) => typeof p.port === 'number')
        .map((p) => ({
          port: p.port as number,
          protocol: str(p, 'protocol') ?? 'TCP',
          ...(typeof p.targetPort === 'number' || typeof p.targetPort === 'string'
            ? { targetPort: p.targetPort }
            : {}),
          ...(typeof p.nodePort === 'number' ? { nodePort: p.nodePort } : {}),
          ...(str(p, 'name') ? { name: str(p, 'name') as string } : {}),
        })),
      externalIPs: (Array.isArray(spec.externalIPs) ? spec.externalIPs : []).filter(
        (x): x is string => typeof x === 'string',
      ),
      loadBalancerIngress: lb.filter(Boolean),
    });
  }
  return out;
}

function ingressBackend(b: Obj | undefined): { service: string; port?: number | string } | undefined {
  const svc = objOf(b?.service);
  const name = str(svc, 'name');
  if (!name) return undefined;
  const port = objOf(svc?.port);
  const num = typeof port?.number === 'number' ? port.number : undefined;
  const pname = str(port, 'name');
  return { service: name, ...(num !== undefined ? { port: num } : pname ? { port: pname } : {}) };
}

/** Ingress rules and Gateway API HTTPRoute backendRefs, each naming a backend Service. */
export function readRoutes(resources: readonly KubeResource[]): RouteFact[] {
  const out: RouteFact[] = [];
  for (const r of resources) {
    const namespace = r.namespace ?? 'default';
    const spec = objOf(r.object.spec) ?? {};
    if (r.kind === 'Ingress') {
      const ref = `Ingress/${namespace}/${r.name}`;
      const def = ingressBackend(objOf(spec.defaultBackend));
      if (def) out.push({ ref, namespace, route: '* (defaultBackend)', serviceNamespace: namespace, ...def });
      for (const rule of list(spec.rules)) {
        const host = str(rule, 'host') ?? '*';
        for (const p of list(objOf(rule.http)?.paths)) {
          const b = ingressBackend(objOf(p.backend));
          if (b)
            out.push({
              ref,
              namespace,
              route: `${host}${str(p, 'path') ?? '/'}`,
              serviceNamespace: namespace,
              ...b,
            });
        }
      }
    } else if (r.kind === 'HTTPRoute' && r.apiVersion.startsWith('gateway.networking.k8s.io/')) {
      const ref = `HTTPRoute/${namespace}/${r.name}`;
      const hosts = (Array.isArray(spec.hostnames) ? spec.hostnames : []).filter(
        (h): h is string => typeof h === 'string',
      );
      for (const rule of list(spec.rules)) {
        const path = str(objOf(list(rule.matches)[0]?.path), 'value') ?? '/';
        for (const b of list(rule.backendRefs)) {
          const kind = str(b, 'kind') ?? 'Service';
          const name = str(b, 'name');
          if (kind !== 'Service' || !name) continue;
          out.push({
            ref,
            namespace,
            route: `${hosts[0] ?? '*'}${path}`,
            service: name,
            serviceNamespace: str(b, 'namespace') ?? namespace,
            ...(typeof b.port === 'number' ? { port: b.port } : {}),
          });
        }
      }
    }
  }
  return out;
}
