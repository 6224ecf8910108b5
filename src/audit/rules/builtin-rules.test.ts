import { describe, expect, it } from 'vitest';
import type { Json } from '../fields.js';
import { loadRuleFiles, loadRuleTexts } from '../index.js';
import { auditEvent as ev, podObject as pod } from '../testing/events.js';

const write = (resource: string, extra: Parameters<typeof ev>[0] = {}) =>
  ev({ verb: 'create', resource, name: 'x', code: 201, ...extra });
const binding = (role: string, subject: string) => ({
  roleRef: { kind: 'ClusterRole', name: role },
  subjects: [{ kind: 'User', name: subject }],
});
const netpol = (spec: Json) => ({ kind: 'NetworkPolicy', spec: { podSelector: {}, ...spec } });
const sa = 'system:serviceaccount:team-a:builder';

/** Each built-in rule: an event it must catch, and a near miss it must let pass. */
const CASES: ReadonlyArray<readonly [string, Json, Json]> = [
  [
    'Strata Pod Exec or Attach',
    ev({
      verb: 'create',
      subresource: 'exec',
      name: 'p',
      code: 101,
      uri: '/api/v1/namespaces/default/pods/p/exec?command=id',
    }),
    ev({ verb: 'create', subresource: 'exec', name: 'p', code: 403 }),
  ],
  [
    'Strata Pod Port-Forward',
    ev({ verb: 'create', subresource: 'portforward', name: 'p', code: 101 }),
    ev({ verb: 'get', subresource: 'log', name: 'p' }),
  ],
  [
    'Strata Privileged Pod',
    write('pods', {
      requestObject: pod({ containers: [{ image: 'busybox', securityContext: { privileged: true } }] }),
    }),
    write('pods', {
      requestObject: pod({ containers: [{ image: 'busybox', securityContext: { privileged: true } }] }),
      code: 403,
    }),
  ],
  [
    'Strata Host Namespace Pod',
    write('pods', { requestObject: pod({ hostPID: true }) }),
    write('pods', { requestObject: pod({ hostPID: false }) }),
  ],
  [
    'Strata HostPath Pod',
    write('pods', { requestObject: pod({ volumes: [{ name: 'h', hostPath: { path: '/' } }] }) }),
    write('pods', { requestObject: pod({ volumes: [{ name: 'e', emptyDir: {} }] }) }),
  ],
  [
    'Strata Secret Read by a Service Account of Another Namespace',
    ev({ resource: 'secrets', name: 's', namespace: 'team-b', user: sa }),
    ev({ resource: 'secrets', name: 's', namespace: 'team-a', user: sa }),
  ],
  [
    'Strata Binding to cluster-admin',
    write('clusterrolebindings', { namespace: '', requestObject: binding('cluster-admin', 'eve') }),
    write('clusterrolebindings', { namespace: '', requestObject: binding('view', 'eve') }),
  ],
  [
    'Strata Binding to Anonymous',
    write('rolebindings', { requestObject: binding('view', 'system:anonymous') }),
    write('rolebindings', { requestObject: binding('view', 'eve') }),
  ],
  [
    'Strata NetworkPolicy Deleted',
    ev({ verb: 'delete', resource: 'networkpolicies', name: 'deny' }),
    ev({ verb: 'get', resource: 'networkpolicies', name: 'deny' }),
  ],
  [
    'Strata NetworkPolicy Allows All',
    ev({ verb: 'update', resource: 'networkpolicies', name: 'n', requestObject: netpol({ ingress: [{}] }) }),
    ev({
      verb: 'update',
      resource: 'networkpolicies',
      name: 'n',
      requestObject: netpol({ ingress: [{ from: [{ podSelector: {} }] }] }),
    }),
  ],
  [
    'Strata Admission Webhook Changed',
    ev({ verb: 'patch', resource: 'validatingwebhookconfigurations', namespace: '', name: 'strata' }),
    ev({ verb: 'get', resource: 'validatingwebhookconfigurations', namespace: '', name: 'strata' }),
  ],
  [
    'Strata Admission Webhook Deleted',
    ev({ verb: 'delete', resource: 'mutatingwebhookconfigurations', namespace: '', name: 'strata' }),
    ev({
      verb: 'delete',
      resource: 'mutatingwebhookconfigurations',
      namespace: '',
      name: 'strata',
      code: 404,
    }),
  ],
  [
    'Strata Image by Tag in a Digest-Only Namespace',
    write('pods', {
      namespace: 'prod',
      requestObject: pod({ containers: [{ image: 'a@sha256:00' }, { image: 'b:1' }] }),
    }),
    write('pods', {
      namespace: 'prod',
      requestObject: pod({ containers: [{ image: 'a@sha256:00' }, { image: 'b@sha256:11' }] }),
    }),
  ],
  [
    'Strata Anonymous Request Succeeded',
    ev({ user: 'system:anonymous', resource: 'configmaps', uri: '/api/v1/configmaps' }),
    ev({ user: 'system:anonymous', uri: '/readyz?verbose' }),
  ],
  [
    'Strata Ephemeral Container Added',
    ev({ verb: 'patch', subresource: 'ephemeralcontainers', name: 'p' }),
    ev({ verb: 'patch', subresource: 'status', name: 'p' }),
  ],
  [
    'Strata Role with Wildcard',
    write('clusterroles', { requestObject: { rules: [{ verbs: ['*'], resources: ['pods'] }] } }),
    write('clusterroles', { requestObject: { rules: [{ verbs: ['get'], resources: ['pods'] }] } }),
  ],
  [
    'Strata Role with Pod Exec',
    write('roles', { requestObject: { rules: [{ verbs: ['create'], resources: ['pods/exec'] }] } }),
    write('roles', { requestObject: { rules: [{ verbs: ['create'], resources: ['pods/log'] }] } }),
  ],
  [
    'Strata System Role Changed',
    ev({ verb: 'patch', resource: 'clusterroles', name: 'system:node' }),
    ev({
      verb: 'patch',
      resource: 'clusterroles',
      name: 'system:node',
      user: 'system:kube-controller-manager',
    }),
  ],
  [
    'Strata NodePort Service',
    write('services', { requestObject: { spec: { type: 'NodePort' } } }),
    write('services', { requestObject: { spec: { type: 'LoadBalancer' } } }),
  ],
  [
    'Strata ConfigMap with Credentials',
    write('configmaps', { requestObject: { data: { DB_PASSWORD: 'x' } } }),
    write('configmaps', { requestObject: { data: { colour: 'x' } } }),
  ],
  [
    'Strata Service Account Created in a System Namespace',
    write('serviceaccounts', { namespace: 'kube-system' }),
    write('serviceaccounts', { namespace: 'kube-system', user: 'system:kube-controller-manager' }),
  ],
  [
    'Strata Pod in a System Namespace',
    write('pods', { namespace: 'kube-system', requestObject: pod({}) }),
    write('pods', { namespace: 'apps', requestObject: pod({}) }),
  ],
  [
    'Strata Ingress without TLS',
    write('ingresses', { requestObject: { spec: {} } }),
    write('ingresses', { requestObject: { spec: { tls: [{}] } } }),
  ],
];

/** The digest rule needs a namespace listed; a local file appends one, as the comment in the file says. */
const LOCAL = {
  name: 'local.yaml',
  text: '- list: strata_digest_required_namespaces\n  items: [prod]\n  append: true\n',
};

describe("Strata's built-in rules", async () => {
  const builtin = await loadRuleFiles([]);
  const { BUILTIN_RULES_PATH } = await import('../index.js');
  const { readFileSync } = await import('node:fs');
  const rules = loadRuleTexts([{ name: 'builtin', text: readFileSync(BUILTIN_RULES_PATH, 'utf8') }, LOCAL]);

  it('load, and each has a case here', () => {
    expect(CASES.map(([n]) => n).sort()).toEqual(builtin.rules.map((r) => r.def.name).sort());
  });

  it.each(CASES)('%s fires on its event and not on the near miss', (name, hit, miss) => {
    expect(rules.evaluate(hit).map((a) => a.rule)).toContain(name);
    expect(rules.evaluate(miss).map((a) => a.rule)).not.toContain(name);
  });

  it('only look at ResponseComplete, so a request alerts once', () => {
    const [, hit] = CASES[0] as (typeof CASES)[number];
    expect(builtin.evaluate({ ...hit, stage: 'ResponseStarted' })).toEqual([]);
  });
});
