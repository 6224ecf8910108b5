import type { Json } from '../fields.js';

/** Test input: a partial audit event; `objectRef`, `user` and `annotations` merge into the defaults. */
export interface EventInit {
  readonly verb?: string;
  readonly stage?: string;
  readonly user?: string;
  readonly resource?: string;
  readonly subresource?: string;
  readonly namespace?: string;
  readonly name?: string;
  readonly code?: number;
  readonly decision?: string;
  readonly uri?: string;
  readonly requestObject?: Json;
  readonly extra?: Json;
}

let seq = 0;

/** A complete `audit.k8s.io/v1` Event, as kube-apiserver writes it, with the given parts changed. */
export function auditEvent(init: EventInit = {}): Json {
  seq++;
  const resource = init.resource ?? 'pods';
  const ns = init.namespace ?? 'default';
  const path = `/api/v1/namespaces/${ns}/${resource}${init.name ? `/${init.name}` : ''}`;
  return {
    kind: 'Event',
    apiVersion: 'audit.k8s.io/v1',
    level: 'RequestResponse',
    auditID: `00000000-0000-4000-8000-${String(seq).padStart(12, '0')}`,
    stage: init.stage ?? 'ResponseComplete',
    requestURI: init.uri ?? path,
    verb: init.verb ?? 'get',
    user: { username: init.user ?? 'alice', groups: ['system:authenticated'] },
    sourceIPs: ['10.0.0.7'],
    userAgent: 'kubectl/v1.34.0',
    objectRef: {
      resource,
      ...(init.namespace === '' ? {} : { namespace: ns }),
      ...(init.name ? { name: init.name } : {}),
      ...(init.subresource ? { subresource: init.subresource } : {}),
      apiVersion: 'v1',
    },
    responseStatus: { metadata: {}, code: init.code ?? 200 },
    ...(init.requestObject ? { requestObject: init.requestObject } : {}),
    requestReceivedTimestamp: '2026-12-04T01:00:00.000000Z',
    stageTimestamp: '2026-12-04T01:00:00.012345Z',
    annotations: {
      'authorization.k8s.io/decision': init.decision ?? 'allow',
      'authorization.k8s.io/reason': 'RBAC: allowed',
    },
    ...init.extra,
  };
}

/** A pod spec's request object with the given containers and pod-level fields. */
export function podObject(spec: Json): Json {
  return {
    kind: 'Pod',
    apiVersion: 'v1',
    metadata: { name: 'p' },
    spec: { containers: [{ name: 'c', image: 'nginx:1.27' }], ...spec },
  };
}
