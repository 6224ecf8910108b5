import { z } from '../../core/schema.js';
import { parseCidr, rangeWithin } from './cidr.js';
import { Selector } from './parse-selector.js';
import { EVERYTHING } from './selector.js';
import type { Direction, NetworkPolicy, ObjectPath, PolicyPeer, PolicyPort, PolicyRule } from './types.js';
import {
  Cidr,
  list,
  Metadata,
  mapping,
  opt,
  PortNumber,
  PortNumberOrName,
  ProtocolField,
  type ResourceInput,
  readObject,
} from './values.js';

const Port = mapping(
  z.object({ protocol: ProtocolField, port: opt(PortNumberOrName), endPort: opt(PortNumber) }),
)
  .check((ctx) => {
    const { port, endPort } = ctx.value;
    if (endPort === undefined) return;
    const message =
      typeof port !== 'number' ? 'requires a numeric port' : endPort < port ? `must be >= port ${port}` : '';
    if (message) ctx.issues.push({ code: 'custom', message, path: ['endPort'], input: endPort });
  })
  .transform(({ protocol, port, endPort }): PolicyPort => {
    if (endPort !== undefined) return { protocol, port: port as number, endPort };
    return port === undefined ? { protocol } : { protocol, port };
  });

const IpBlock = mapping(z.object({ cidr: Cidr, except: list(Cidr) })).check((ctx) => {
  const range = parseCidr(ctx.value.cidr)!;
  ctx.value.except.forEach((e, i) => {
    const r = parseCidr(e)!;
    if (!rangeWithin(r, range) || (r.lo === range.lo && r.hi === range.hi)) {
      const message = `${e} must be strictly within ${ctx.value.cidr}`;
      ctx.issues.push({ code: 'custom', message, path: ['except', i], input: e });
    }
  });
});

const Peer = mapping(z.object({ podSelector: Selector, namespaceSelector: Selector, ipBlock: opt(IpBlock) }))
  .check((ctx) => {
    const { podSelector, namespaceSelector, ipBlock } = ctx.value;
    const selects = podSelector !== undefined || namespaceSelector !== undefined;
    const message =
      ipBlock && selects
        ? 'ipBlock cannot be combined with podSelector or namespaceSelector'
        : !ipBlock && !selects
          ? 'a peer needs podSelector, namespaceSelector or ipBlock'
          : '';
    if (message) ctx.issues.push({ code: 'custom', message, input: ctx.value });
  })
  .transform(({ podSelector, namespaceSelector, ipBlock }): PolicyPeer => {
    if (ipBlock) return { kind: 'ipBlock', cidr: ipBlock.cidr, except: ipBlock.except };
    return {
      kind: 'pods',
      ...(podSelector ? { podSelector } : {}),
      ...(namespaceSelector ? { namespaceSelector } : {}),
    };
  });

const IngressRule = mapping(z.object({ from: list(Peer), ports: list(Port) }));
const EgressRule = mapping(z.object({ to: list(Peer), ports: list(Port) }));

const PolicyDocument = z.compile(
  z.object({
    metadata: Metadata,
    spec: mapping(
      z.object({
        podSelector: Selector,
        ingress: list(IngressRule),
        egress: list(EgressRule),
        policyTypes: list(
          z.enum(['Ingress', 'Egress'], {
            error: (i) => `expected Ingress or Egress, got ${JSON.stringify(i.input)}`,
          }),
        ),
      }),
    ),
  }),
);

function withLines(
  r: ResourceInput,
  rules: readonly { peers: readonly PolicyPeer[]; ports: readonly PolicyPort[] }[],
  direction: Direction,
): PolicyRule[] {
  const path: ObjectPath = ['spec', direction];
  return rules.map((rule, i) => ({ ...rule, line: r.lineOf?.([...path, i]) ?? r.line }));
}

/**
 * Parses a networking/v1 NetworkPolicy with the API's validation and defaulting: policyTypes
 * default to Ingress, plus Egress when the policy has egress rules.
 */
export function parsePolicy(r: ResourceInput): NetworkPolicy {
  const { metadata: meta, spec } = readObject(PolicyDocument, r.object);
  const ingress = withLines(
    r,
    spec.ingress.map((rule) => ({ peers: rule.from, ports: rule.ports })),
    'ingress',
  );
  const egress = withLines(
    r,
    spec.egress.map((rule) => ({ peers: rule.to, ports: rule.ports })),
    'egress',
  );
  const declared = spec.policyTypes;
  const types =
    declared.length > 0
      ? { ingress: declared.includes('Ingress'), egress: declared.includes('Egress') }
      : { ingress: true, egress: egress.length > 0 };
  return {
    namespace: meta.namespace,
    name: meta.name,
    podSelector: spec.podSelector ?? EVERYTHING,
    types,
    ingress,
    egress,
    source: { file: r.file, line: r.line },
  };
}
