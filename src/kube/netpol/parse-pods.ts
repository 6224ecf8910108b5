import type { ContainerPort, PodInfo, ServiceInfo, ServicePort, ServiceType, WorkloadKind } from './types.js';
import {
  FieldError,
  isPortName,
  labels,
  list,
  metadata,
  obj,
  optString,
  portNumber,
  protocol,
  type ResourceInput,
} from './values.js';

/** Where each workload kind keeps its pod template. */
const TEMPLATE_PATH: Record<Exclude<WorkloadKind, 'Pod'>, readonly string[]> = {
  Deployment: ['spec', 'template'],
  StatefulSet: ['spec', 'template'],
  DaemonSet: ['spec', 'template'],
  ReplicaSet: ['spec', 'template'],
  ReplicationController: ['spec', 'template'],
  Job: ['spec', 'template'],
  CronJob: ['spec', 'jobTemplate', 'spec', 'template'],
};

function containerPorts(podSpec: Readonly<Record<string, unknown>>, base: string): ContainerPort[] {
  const out: ContainerPort[] = [];
  for (const field of ['containers', 'initContainers'] as const) {
    list(podSpec[field], `${base}.${field}`).forEach((c, i) => {
      const cpath = `${base}.${field}[${i}]`;
      list(obj(c, cpath).ports, `${cpath}.ports`).forEach((p, j) => {
        const ppath = `${cpath}.ports[${j}]`;
        const o = obj(p, ppath);
        const name = optString(o.name, `${ppath}.name`);
        if (name !== undefined && !isPortName(name)) {
          throw new FieldError(`${ppath}.name`, `${JSON.stringify(name)} is not a valid port name`);
        }
        out.push({
          port: portNumber(o.containerPort, `${ppath}.containerPort`),
          protocol: protocol(o.protocol, `${ppath}.protocol`),
          ...(name ? { name } : {}),
        });
      });
    });
  }
  return out;
}

function podIps(status: Readonly<Record<string, unknown>>): string[] {
  const ips = new Set<string>();
  if (typeof status.podIP === 'string' && status.podIP) ips.add(status.podIP);
  for (const entry of list(status.podIPs, 'status.podIPs')) {
    const ip = obj(entry, 'status.podIPs[]').ip;
    if (typeof ip === 'string' && ip) ips.add(ip);
  }
  return [...ips].sort();
}

/** A Pod, or a workload's pod template standing for its pods. */
export function parsePod(r: ResourceInput, kind: WorkloadKind): PodInfo {
  const meta = metadata(r.object);
  let template: Readonly<Record<string, unknown>> = r.object;
  let base = '';
  if (kind !== 'Pod') {
    for (const key of TEMPLATE_PATH[kind]) {
      base = base ? `${base}.${key}` : key;
      template = obj(template[key], base);
    }
  }
  const tmeta = obj(template.metadata, base ? `${base}.metadata` : 'metadata');
  const spec = obj(template.spec, base ? `${base}.spec` : 'spec');
  return {
    kind,
    namespace: meta.namespace,
    name: meta.name,
    labels: labels(tmeta.labels, `${base ? `${base}.` : ''}metadata.labels`),
    annotations: labels(tmeta.annotations, `${base ? `${base}.` : ''}metadata.annotations`),
    ports: containerPorts(spec, base ? `${base}.spec` : 'spec'),
    ips: kind === 'Pod' ? podIps(obj(r.object.status, 'status')) : [],
    source: { file: r.file, line: r.line },
  };
}

const SERVICE_TYPES: readonly ServiceType[] = ['ClusterIP', 'NodePort', 'LoadBalancer', 'ExternalName'];

export function parseService(r: ResourceInput): ServiceInfo {
  const meta = metadata(r.object);
  const spec = obj(r.object.spec, 'spec');
  const type = (optString(spec.type, 'spec.type') ?? 'ClusterIP') as ServiceType;
  if (!SERVICE_TYPES.includes(type))
    throw new FieldError('spec.type', `unknown type ${JSON.stringify(type)}`);
  const selector =
    spec.selector === undefined || spec.selector === null
      ? undefined
      : labels(spec.selector, 'spec.selector');
  const ports: ServicePort[] = list(spec.ports, 'spec.ports').map((p, i) => {
    const o = obj(p, `spec.ports[${i}]`);
    const tp = o.targetPort;
    return {
      port: portNumber(o.port, `spec.ports[${i}].port`),
      protocol: protocol(o.protocol, `spec.ports[${i}].protocol`),
      ...(typeof tp === 'number' || typeof tp === 'string' ? { targetPort: tp } : {}),
      ...(typeof o.nodePort === 'number' ? { nodePort: o.nodePort } : {}),
    };
  });
  return {
    namespace: meta.namespace,
    name: meta.name,
    type,
    ...(selector && Object.keys(selector).length > 0 ? { selector } : {}),
    ports,
    source: { file: r.file, line: r.line },
  };
}
