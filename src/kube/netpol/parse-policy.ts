import { parseCidr, rangeWithin } from './cidr.js';
import { parseSelector } from './parse-selector.js';
import { EVERYTHING } from './selector.js';
import type { Direction, NetworkPolicy, ObjectPath, PolicyPeer, PolicyPort, PolicyRule } from './types.js';
import {
  FieldError,
  isPortName,
  list,
  metadata,
  obj,
  optString,
  portNumber,
  protocol,
  type ResourceInput,
} from './values.js';

function parsePort(v: unknown, path: string): PolicyPort {
  const o = obj(v, path);
  const proto = protocol(o.protocol, `${path}.protocol`);
  const raw = o.port;
  let port: number | string | undefined;
  if (typeof raw === 'string') {
    if (!isPortName(raw))
      throw new FieldError(`${path}.port`, `${JSON.stringify(raw)} is not a valid port name`);
    port = raw;
  } else if (raw !== undefined && raw !== null) port = portNumber(raw, `${path}.port`);
  if (o.endPort === undefined || o.endPort === null)
    return port === undefined ? { protocol: proto } : { protocol: proto, port };
  const endPort = portNumber(o.endPort, `${path}.endPort`);
  if (typeof port !== 'number') throw new FieldError(`${path}.endPort`, 'requires a numeric port');
  if (endPort < port) throw new FieldError(`${path}.endPort`, `must be >= port ${port}`);
  return { protocol: proto, port, endPort };
}

function parseIpBlock(v: unknown, path: string): PolicyPeer {
  const o = obj(v, path);
  const cidr = optString(o.cidr, `${path}.cidr`);
  const range = cidr ? parseCidr(cidr) : undefined;
  if (!cidr || !range) throw new FieldError(`${path}.cidr`, `${JSON.stringify(cidr)} is not a valid CIDR`);
  const except = list(o.except, `${path}.except`).map((e, i) => {
    const r = typeof e === 'string' ? parseCidr(e) : undefined;
    if (!r) throw new FieldError(`${path}.except[${i}]`, `${JSON.stringify(e)} is not a valid CIDR`);
    if (!rangeWithin(r, range) || (r.lo === range.lo && r.hi === range.hi)) {
      throw new FieldError(`${path}.except[${i}]`, `${e} must be strictly within ${cidr}`);
    }
    return e as string;
  });
  return { kind: 'ipBlock', cidr, except };
}

function parsePeer(v: unknown, path: string): PolicyPeer {
  const o = obj(v, path);
  const podSelector = parseSelector(o.podSelector, `${path}.podSelector`);
  const namespaceSelector = parseSelector(o.namespaceSelector, `${path}.namespaceSelector`);
  const hasIpBlock = o.ipBlock !== undefined && o.ipBlock !== null;
  if (hasIpBlock && (podSelector || namespaceSelector)) {
    throw new FieldError(path, 'ipBlock cannot be combined with podSelector or namespaceSelector');
  }
  if (hasIpBlock) return parseIpBlock(o.ipBlock, `${path}.ipBlock`);
  if (!podSelector && !namespaceSelector) {
    throw new FieldError(path, 'a peer needs podSelector, namespaceSelector or ipBlock');
  }
  return {
    kind: 'pods',
    ...(podSelector ? { podSelector } : {}),
    ...(namespaceSelector ? { namespaceSelector } : {}),
  };
}

function parseRules(r: ResourceInput, rules: unknown, direction: Direction, path: ObjectPath): PolicyRule[] {
  const peerField = direction === 'ingress' ? 'from' : 'to';
  const base = path.join('.');
  return list(rules, base).map((rule, i) => {
    const o = obj(rule, `${base}[${i}]`);
    return {
      peers: list(o[peerField], `${base}[${i}].${peerField}`).map((p, j) =>
        parsePeer(p, `${base}[${i}].${peerField}[${j}]`),
      ),
      ports: list(o.ports, `${base}[${i}].ports`).map((p, j) => parsePort(p, `${base}[${i}].ports[${j}]`)),
      line: r.lineOf?.([...path, i]) ?? r.line,
    };
  });
}

/**
 * Parses a networking/v1 NetworkPolicy with the API's validation and defaulting: policyTypes
 * default to Ingress, plus Egress when the policy has egress rules.
 */
export function parsePolicy(r: ResourceInput): NetworkPolicy {
  const meta = metadata(r.object);
  const spec = obj(r.object.spec, 'spec');
  const podSelector = parseSelector(spec.podSelector, 'spec.podSelector') ?? EVERYTHING;
  const ingress = parseRules(r, spec.ingress, 'ingress', ['spec', 'ingress']);
  const egress = parseRules(r, spec.egress, 'egress', ['spec', 'egress']);
  const declared = list(spec.policyTypes, 'spec.policyTypes').map((t, i) => {
    if (t !== 'Ingress' && t !== 'Egress') {
      throw new FieldError(`spec.policyTypes[${i}]`, `unknown policy type ${JSON.stringify(t)}`);
    }
    return t;
  });
  const types =
    declared.length > 0
      ? { ingress: declared.includes('Ingress'), egress: declared.includes('Egress') }
      : { ingress: true, egress: egress.length > 0 };
  return {
    namespace: meta.namespace,
    name: meta.name,
    podSelector,
    types,
    ingress,
    egress,
    source: { file: r.file, line: r.line },
  };
}
