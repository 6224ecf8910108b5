import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import type { Json } from './fields.js';
import { loadRuleTexts } from './index.js';
import { auditEvent as ev, podObject as pod } from './testing/events.js';

const COMMUNITY = {
  name: 'k8s_audit_rules.yaml',
  text: readFileSync(new URL('./fixtures/k8s_audit_rules.yaml', import.meta.url), 'utf8'),
};

/**
 * Five community rules are switched off by a macro the file expects users to override (e.g.
 * `allowed_k8s_containers` is always true); this local file does so, as a Falco user would.
 */
const LOCAL = {
  name: 'local_rules.yaml',
  text: `
- macro: allowed_k8s_containers
  condition: (ka.req.pod.containers.image.repository in (nginx))
  override: { condition: replace }
- macro: consider_all_events
  condition: (k8s_audit_always_true)
  override: { condition: replace }
- macro: allowed_full_admin_users
  condition: (k8s_audit_never_true)
  override: { condition: replace }
- macro: allow_all_k8s_nodes
  condition: (k8s_audit_never_true)
  override: { condition: replace }
`,
};

const created = (resource: string, extra: Parameters<typeof ev>[0] = {}) =>
  ev({ verb: 'create', resource, name: 'x', code: 201, ...extra });
const deleted = (resource: string, extra: Parameters<typeof ev>[0] = {}) =>
  ev({ verb: 'delete', resource, name: 'x', code: 200, ...extra });
const role = (rules: Json[]) => ({ kind: 'ClusterRole', rules });

/** One event each rule must fire on, and a near miss (one detail changed) it must stay quiet on. */
const CASES: ReadonlyArray<readonly [string, Json, Json]> = [
  ['Disallowed K8s User', ev({ user: 'mallory' }), ev({ user: 'vpa-recommender' })],
  [
    'Create Disallowed Pod',
    created('pods', { requestObject: pod({ containers: [{ image: 'evil.io/miner:1' }] }) }),
    created('pods', { requestObject: pod({}) }),
  ],
  [
    'Create Privileged Pod',
    created('pods', {
      requestObject: pod({ initContainers: [{ image: 'busybox', securityContext: { privileged: true } }] }),
    }),
    created('pods', {
      requestObject: pod({ containers: [{ image: 'busybox', securityContext: { privileged: false } }] }),
    }),
  ],
  [
    'Create Sensitive Mount Pod',
    created('pods', { requestObject: pod({ volumes: [{ name: 'v', hostPath: { path: '/etc' } }] }) }),
    created('pods', { requestObject: pod({ volumes: [{ name: 'v', hostPath: { path: '/etc/app' } }] }) }),
  ],
  [
    'Create HostNetwork Pod',
    created('pods', { requestObject: pod({ hostNetwork: true }) }),
    created('pods', { requestObject: pod({ hostNetwork: false }) }),
  ],
  [
    'Create HostPid Pod',
    created('pods', { requestObject: pod({ hostPID: true }) }),
    created('pods', { requestObject: pod({}) }),
  ],
  [
    'Create HostIPC Pod',
    created('pods', { requestObject: pod({ hostIPC: true }) }),
    ev({ verb: 'update', resource: 'pods', name: 'x', requestObject: pod({ hostIPC: true }) }),
  ],
  [
    'Create NodePort Service',
    created('services', { requestObject: { spec: { type: 'NodePort', ports: [{ port: 80 }] } } }),
    created('services', { requestObject: { spec: { type: 'ClusterIP', ports: [{ port: 80 }] } } }),
  ],
  [
    'Create/Modify Configmap With Private Credentials',
    ev({
      verb: 'patch',
      resource: 'configmaps',
      name: 'c',
      requestObject: { data: { aws_access_key_id: 'AKIA' } },
    }),
    ev({ verb: 'patch', resource: 'configmaps', name: 'c', requestObject: { data: { colour: 'blue' } } }),
  ],
  [
    'Anonymous Request Allowed',
    ev({ user: 'system:anonymous', uri: '/api/v1/namespaces' }),
    ev({ user: 'system:anonymous', uri: '/readyz?verbose' }),
  ],
  [
    'Attach/Exec Pod',
    ev({
      stage: 'ResponseStarted',
      verb: 'create',
      subresource: 'exec',
      name: 'p',
      uri: '/api/v1/namespaces/default/pods/p/exec?command=sh&stdin=true',
    }),
    ev({ stage: 'ResponseComplete', verb: 'create', subresource: 'exec', name: 'p' }),
  ],
  [
    'port-forward',
    ev({ verb: 'create', subresource: 'portforward', name: 'p' }),
    ev({ verb: 'create', subresource: 'proxy', name: 'p' }),
  ],
  [
    'EphemeralContainers Created',
    ev({
      verb: 'patch',
      subresource: 'ephemeralcontainers',
      name: 'p',
      requestObject: { ephemeralContainers: [{ name: 'dbg', image: 'busybox' }] },
    }),
    ev({ verb: 'get', subresource: 'ephemeralcontainers', name: 'p' }),
  ],
  [
    'Create Disallowed Namespace',
    created('namespaces', { name: 'crypto', namespace: '' }),
    created('namespaces', { name: 'kube-public', namespace: '' }),
  ],
  [
    'Pod Created in Kube Namespace',
    created('pods', {
      namespace: 'kube-system',
      requestObject: pod({ containers: [{ image: 'evil.io/x:1' }] }),
    }),
    created('pods', {
      namespace: 'kube-system',
      requestObject: pod({ containers: [{ image: 'registry.k8s.io/kube-apiserver:v1.34.0' }] }),
    }),
  ],
  [
    'Service Account Created in Kube Namespace',
    created('serviceaccounts', { namespace: 'kube-system', name: 'backdoor' }),
    created('serviceaccounts', { namespace: 'kube-system', name: 'job-controller' }),
  ],
  [
    'System ClusterRole Modified/Deleted',
    deleted('clusterroles', { name: 'system:node', namespace: '' }),
    deleted('clusterroles', { name: 'system:coredns', namespace: '' }),
  ],
  [
    'Attach to cluster-admin Role',
    created('clusterrolebindings', {
      requestObject: { roleRef: { name: 'cluster-admin' }, subjects: [{ kind: 'User', name: 'eve' }] },
    }),
    created('clusterrolebindings', {
      requestObject: { roleRef: { name: 'view' }, subjects: [{ kind: 'User', name: 'eve' }] },
    }),
  ],
  [
    'ClusterRole With Wildcard Created',
    created('clusterroles', { requestObject: role([{ resources: ['*'], verbs: ['get'] }]) }),
    created('clusterroles', { requestObject: role([{ resources: ['pods'], verbs: ['get'] }]) }),
  ],
  [
    'ClusterRole With Write Privileges Created',
    created('roles', { requestObject: role([{ resources: ['pods'], verbs: ['get', 'delete'] }]) }),
    created('roles', { requestObject: role([{ resources: ['pods'], verbs: ['get', 'list'] }]) }),
  ],
  [
    'ClusterRole With Pod Exec Created',
    created('roles', { requestObject: role([{ resources: ['pods/exec'], verbs: ['get'] }]) }),
    created('roles', { requestObject: role([{ resources: ['pods/log'], verbs: ['get'] }]) }),
  ],
  ...(
    [
      ['Deployment', 'deployments'],
      ['Service', 'services'],
      ['ConfigMap', 'configmaps'],
      ['Namespace', 'namespaces'],
      ['Serviceaccount', 'serviceaccounts'],
      ['Role', 'roles'],
      ['ClusterRole', 'clusterroles'],
      ['RoleBinding', 'rolebindings'],
      ['ClusterRoleBinding', 'clusterrolebindings'],
      ['Secret', 'secrets'],
    ] as const
  ).flatMap(
    ([kind, resource]): Array<readonly [string, Json, Json]> => [
      [`K8s ${kind} Created`, created(resource), created(resource, { code: 403 })],
      [`K8s ${kind} Deleted`, deleted(resource), deleted(resource, { code: 404 })],
    ],
  ),
  [
    'K8s Secret Get Successfully',
    ev({ resource: 'secrets', name: 's' }),
    ev({ resource: 'secrets', name: 's', code: 403 }),
  ],
  [
    'K8s Secret Get Unsuccessfully Tried',
    ev({ resource: 'secrets', name: 's', code: 403 }),
    ev({ resource: 'secrets', name: 's' }),
  ],
  ['All K8s Audit Events', ev(), ev({ stage: 'RequestReceived' })],
  ['Full K8s Administrative Access', ev({ user: 'kubernetes-admin' }), ev({ user: 'alice' })],
  [
    'Ingress Object without TLS Certificate Created',
    created('ingresses', { requestObject: { spec: { rules: [] } } }),
    created('ingresses', { requestObject: { spec: { rules: [], tls: [{ hosts: ['a'] }] } } }),
  ],
  [
    'Untrusted Node Successfully Joined the Cluster',
    created('nodes', { namespace: '' }),
    created('nodes', { namespace: '', code: 403 }),
  ],
  [
    'Untrusted Node Unsuccessfully Tried to Join the Cluster',
    created('nodes', { namespace: '', code: 403 }),
    created('nodes', { namespace: '' }),
  ],
];

describe('the Falco community k8s_audit rules', () => {
  const rules = loadRuleTexts([COMMUNITY, LOCAL]);
  const fired = (event: Json) => rules.evaluate(event).map((a) => a.rule);

  it('load unchanged: every k8s_audit rule is compiled', () => {
    expect(rules.rules).toHaveLength(48);
    expect(loadRuleTexts([COMMUNITY]).rules).toHaveLength(48);
  });

  it('have one case per enabled rule, none forgotten', () => {
    expect(CASES.map(([name]) => name).sort()).toEqual(rules.rules.map((r) => r.def.name).sort());
  });

  it.each(CASES)('%s fires on its event and stays quiet on the near miss', (name, hit, miss) => {
    expect(fired(hit)).toContain(name);
    expect(fired(miss)).not.toContain(name);
  });

  it.each([
    'Create Disallowed Pod',
    'All K8s Audit Events',
    'Full K8s Administrative Access',
    'Untrusted Node Successfully Joined the Cluster',
  ])('%s stays off until a local file overrides its switch macro', (name) => {
    const plain = loadRuleTexts([COMMUNITY]);
    const hit = CASES.find(([n]) => n === name)?.[1] as Json;
    expect(plain.evaluate(hit).map((a) => a.rule)).not.toContain(name);
  });

  it('format the output with the event fields, <NA> for a missing one and (a,b) for a list', () => {
    const [, hit] = CASES.find(([n]) => n === 'Create Privileged Pod') as (typeof CASES)[number];
    const alert = rules.evaluate(hit).find((a) => a.rule === 'Create Privileged Pod');
    expect(alert?.output).toBe(
      'Pod started with privileged container (user=alice pod=<NA> resource=pods ns=default images=(nginx:1.27) init_images=(busybox) ephemeral_images=<NA>)',
    );
    expect(alert?.priority).toBe('WARNING');
  });

  it('read the exec command from the URI query', () => {
    const [, hit] = CASES.find(([n]) => n === 'Attach/Exec Pod') as (typeof CASES)[number];
    expect(rules.evaluate(hit).find((a) => a.rule === 'Attach/Exec Pod')?.output).toContain(
      'action=exec command=sh',
    );
  });
});
