import { tolerant, z } from '../../core/schema.js';
import { podTemplatePrefix } from '../load/index.js';
import type { ContainerPort, PodInfo, ServiceInfo, ServicePort, ServiceType, WorkloadKind } from './types.js';
import {
  Labels,
  list,
  Metadata,
  mapping,
  metadata,
  opt,
  PortName,
  PortNumber,
  ProtocolField,
  type ResourceInput,
  readObject,
} from './values.js';

const ContainerPortSchema = mapping(
  z.object({ name: opt(PortName), containerPort: PortNumber, protocol: ProtocolField }),
).transform(
  (p): ContainerPort => ({
    port: p.containerPort,
    protocol: p.protocol,
    ...(p.name ? { name: p.name } : {}),
  }),
);

const Container = mapping(z.object({ ports: list(ContainerPortSchema) }));

const PodTemplate = mapping(
  z.object({
    metadata: mapping(z.object({ labels: Labels, annotations: Labels })),
    spec: mapping(z.object({ containers: list(Container), initContainers: list(Container) })),
  }),
);

// Addresses are informational (a pod that has not started has none): a malformed one is skipped.
const PodStatus = mapping(
  z.object({
    podIP: tolerant(z.string()),
    podIPs: list(mapping(z.object({ ip: tolerant(z.string()) }))),
  }),
).transform((s) => {
  const ips = new Set<string>();
  if (s.podIP) ips.add(s.podIP);
  for (const { ip } of s.podIPs) if (ip) ips.add(ip);
  return [...ips].sort();
});

const WithStatus = z.compile(z.object({ status: PodStatus }));

/** The pod template at `prefix` (a Pod is its own template), read through nested mappings. */
function templateAt(prefix: readonly (string | number)[]): z.ZodType<z.output<typeof PodTemplate>> {
  let schema: z.ZodType = PodTemplate;
  for (const key of [...prefix].reverse()) schema = mapping(z.object({ [key]: schema }));
  return schema.transform((v) => {
    let t: unknown = v;
    for (const key of prefix) t = (t as Record<string, unknown>)[key];
    return t as z.output<typeof PodTemplate>;
  });
}

const templates = new Map<string, z.ZodType<z.output<typeof PodTemplate>>>();

/** A Pod, or a workload's pod template standing for its pods. */
export function parsePod(r: ResourceInput, kind: WorkloadKind): PodInfo {
  const prefix = podTemplatePrefix(kind) ?? [];
  let template = templates.get(kind);
  if (!template) {
    template = z.compile(templateAt(prefix));
    templates.set(kind, template);
  }
  const meta = metadata(r.object);
  const { metadata: tmeta, spec } = readObject(template, r.object);
  return {
    kind,
    namespace: meta.namespace,
    name: meta.name,
    labels: tmeta.labels,
    annotations: tmeta.annotations,
    ports: [...spec.containers, ...spec.initContainers].flatMap((c) => c.ports),
    ips: kind === 'Pod' ? readObject(WithStatus, r.object).status : [],
    source: { file: r.file, line: r.line },
  };
}

const SERVICE_TYPES = [
  'ClusterIP',
  'NodePort',
  'LoadBalancer',
  'ExternalName',
] as const satisfies readonly ServiceType[];

const ServicePortSchema = mapping(
  z.object({
    port: PortNumber,
    protocol: ProtocolField,
    targetPort: tolerant(z.union([z.number(), z.string()])),
    nodePort: tolerant(z.number()),
  }),
).transform(
  (p): ServicePort => ({
    port: p.port,
    protocol: p.protocol,
    ...(p.targetPort !== undefined ? { targetPort: p.targetPort } : {}),
    ...(p.nodePort !== undefined ? { nodePort: p.nodePort } : {}),
  }),
);

const ServiceDocument = z.compile(
  z.object({
    metadata: Metadata,
    spec: mapping(
      z.object({
        type: z.preprocess(
          (v) => v ?? 'ClusterIP',
          z.enum(SERVICE_TYPES, {
            error: (i) =>
              `expected ClusterIP, NodePort, LoadBalancer or ExternalName, got ${JSON.stringify(i.input)}`,
          }),
        ),
        selector: opt(Labels),
        ports: list(ServicePortSchema),
      }),
    ),
  }),
);

export function parseService(r: ResourceInput): ServiceInfo {
  const { metadata: meta, spec } = readObject(ServiceDocument, r.object);
  return {
    namespace: meta.namespace,
    name: meta.name,
    type: spec.type,
    ...(spec.selector && Object.keys(spec.selector).length > 0 ? { selector: spec.selector } : {}),
    ports: spec.ports,
    source: { file: r.file, line: r.line },
  };
}
