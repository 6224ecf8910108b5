import { prng as rng } from '../../src/core/testing/prng.js';

export { prng as rng } from '../../src/core/testing/prng.js';

/**
 * Seeded random RBAC sets and requests for comparing `strata rbac who-can` with a real API
 * server's SubjectAccessReview (test/integration/rbac-who-can-sar.test.ts). Everything a run
 * creates carries its prefix, so runs never collide and cleanup finds its own objects.
 */

type Rand = () => number;
const pick = <T>(r: Rand, xs: readonly T[]): T => xs[Math.floor(r() * xs.length)]!;
/** 1..max distinct elements */
const some = <T>(r: Rand, xs: readonly T[], max = 3): T[] => {
  const n = 1 + Math.floor(r() * max);
  const out = new Set<T>();
  for (let i = 0; i < n * 2 && out.size < n; i++) out.add(pick(r, xs));
  return [...out];
};

// '*' appears once in each list, so most rules are specific
const RULE_VERBS = [
  'get',
  'list',
  'watch',
  'create',
  'update',
  'patch',
  'delete',
  'deletecollection',
  'impersonate',
  'bind',
  'escalate',
  '*',
];
const RULE_GROUPS = ['', '', 'apps', 'batch', 'rbac.authorization.k8s.io', 'example.com', '*'];
const RULE_RESOURCES = [
  'pods',
  'pods/log',
  'pods/exec',
  'pods/*',
  'secrets',
  'configmaps',
  'deployments',
  'deployments/scale',
  '*/scale',
  'jobs',
  'roles',
  'widgets',
  'services/proxy',
  'users',
  '*',
];
const RULE_URLS = ['/healthz', '/metrics', '/logs/*', '/api/*', '/version', '*'];
const NAMES = ['alpha', 'beta'];

export interface Identity {
  readonly user: string;
  readonly groups: readonly string[];
}

export type Req =
  | {
      readonly type: 'resource';
      readonly verb: string;
      readonly group: string;
      readonly resource: string;
      readonly subresource: string;
      readonly namespace: string;
      readonly name: string;
    }
  | { readonly type: 'nonResource'; readonly verb: string; readonly path: string };

export interface RandomRbac {
  readonly prefix: string;
  readonly namespaces: readonly string[];
  /** the objects to create, in creation order (namespaces first) */
  readonly objects: readonly Record<string, unknown>[];
  readonly identities: readonly Identity[];
  readonly requests: readonly Req[];
}

const rbacApi = 'rbac.authorization.k8s.io/v1';

/** One random set: ~60 RBAC objects in 3 namespaces, ~25 identities, `requestCount` requests. */
export function randomRbac(seed: number, prefix: string, requestCount: number): RandomRbac {
  const r = rng(seed);
  const ns = ['a', 'b', 'c'].map((x) => `${prefix}-${x}`);
  const AGG = 'strata.test/agg';
  const NEST = 'strata.test/nest';
  // users and groups carry the prefix too: sets of other seeds may still be in the cluster
  const [u1, u2, u3, u4, u5, u6, nobody] = ['u1', 'u2', 'u3', 'u4', 'u5', 'u6', 'nobody'].map(
    (u) => `${prefix}:${u}`,
  );
  const [g1, g2, g3] = ['g1', 'g2', 'g3'].map((g) => `${prefix}:${g}`);
  const users = [u1!, u2!, u3!, u4!, u5!, u6!];
  const groups = [g1!, g2!, g3!];
  const sas = ns.flatMap((n) => ['sa1', 'sa2', 'default'].map((name) => ({ namespace: n, name })));

  const resourceRule = () => ({
    apiGroups: some(r, RULE_GROUPS, 2),
    resources: some(r, RULE_RESOURCES),
    verbs: some(r, RULE_VERBS),
    ...(r() < 0.2 ? { resourceNames: some(r, NAMES, 2) } : {}),
  });
  const rule = (cluster: boolean) =>
    cluster && r() < 0.2
      ? { nonResourceURLs: some(r, RULE_URLS), verbs: some(r, ['get', 'post', '*'], 2) }
      : resourceRule();
  const rules = (cluster: boolean) => Array.from({ length: 1 + Math.floor(r() * 3) }, () => rule(cluster));
  const subject = () => {
    const x = r();
    if (x < 0.35) return { kind: 'User', apiGroup: 'rbac.authorization.k8s.io', name: pick(r, users) };
    if (x < 0.6) {
      const name = r() < 0.15 ? `system:serviceaccounts:${pick(r, ns)}` : pick(r, groups);
      return { kind: 'Group', apiGroup: 'rbac.authorization.k8s.io', name };
    }
    const sa = pick(r, sas);
    return { kind: 'ServiceAccount', name: sa.name, namespace: sa.namespace };
  };
  const subjects = () => Array.from({ length: 1 + Math.floor(r() * 3) }, subject);

  const objects: Record<string, unknown>[] = ns.map((name) => ({
    apiVersion: 'v1',
    kind: 'Namespace',
    metadata: { name },
  }));
  const clusterRoles: string[] = [];
  const clusterRole = (name: string, body: Record<string, unknown>, labels: Record<string, string> = {}) => {
    clusterRoles.push(name);
    objects.push({ apiVersion: rbacApi, kind: 'ClusterRole', metadata: { name, labels }, ...body });
  };
  for (let i = 0; i < 8; i++) {
    const labels: Record<string, string> = {};
    const x = r();
    if (x < 0.3) labels[AGG] = `${prefix}-x`;
    else if (x < 0.55) labels[AGG] = `${prefix}-y`;
    clusterRole(`${prefix}-cr-${i}`, { rules: rules(true) }, labels);
  }
  // aggregated into the built-in view (and so edit and admin)
  clusterRole(
    `${prefix}-to-view`,
    { rules: [{ apiGroups: ['example.com'], resources: ['widgets'], verbs: ['get', 'list'] }] },
    { 'rbac.authorization.k8s.io/aggregate-to-view': 'true' },
  );
  const selector = (value: string) => ({ clusterRoleSelectors: [{ matchLabels: { [AGG]: value } }] });
  clusterRole(`${prefix}-agg-x`, { aggregationRule: selector(`${prefix}-x`) }, { [NEST]: prefix });
  clusterRole(`${prefix}-agg-xy`, {
    aggregationRule: {
      clusterRoleSelectors: [
        { matchExpressions: [{ key: AGG, operator: 'In', values: [`${prefix}-x`, `${prefix}-y`] }] },
      ],
    },
  });
  // created with rules and a selector that matches: the controller's union replaces them
  clusterRole(`${prefix}-agg-y-own`, { aggregationRule: selector(`${prefix}-y`), rules: rules(true) });
  // created with rules and a selector that matches nothing: a real cluster keeps the rules
  clusterRole(`${prefix}-agg-none`, { aggregationRule: selector(`${prefix}-nothing`), rules: rules(true) });
  // an aggregate of an aggregate
  clusterRole(`${prefix}-agg-nested`, {
    aggregationRule: { clusterRoleSelectors: [{ matchLabels: { [NEST]: prefix } }] },
  });
  const roleTargets = [...clusterRoles, 'view', 'edit', 'admin'];
  for (const n of ns) {
    const roles: string[] = [];
    for (let i = 0; i < 3; i++) {
      const name = `${prefix}-role-${i}`;
      roles.push(name);
      objects.push({
        apiVersion: rbacApi,
        kind: 'Role',
        metadata: { name, namespace: n },
        rules: rules(false),
      });
    }
    for (let i = 0; i < 5; i++) {
      const toRole = r() < 0.45;
      objects.push({
        apiVersion: rbacApi,
        kind: 'RoleBinding',
        metadata: { name: `${prefix}-rb-${i}`, namespace: n },
        roleRef: {
          apiGroup: 'rbac.authorization.k8s.io',
          kind: toRole ? 'Role' : 'ClusterRole',
          name: toRole ? pick(r, roles) : pick(r, roleTargets),
        },
        subjects: subjects(),
      });
    }
  }
  // a binding to a role that does not exist grants nothing
  objects.push({
    apiVersion: rbacApi,
    kind: 'RoleBinding',
    metadata: { name: `${prefix}-rb-missing`, namespace: ns[0] },
    roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'Role', name: `${prefix}-no-such-role` },
    subjects: [{ kind: 'User', apiGroup: 'rbac.authorization.k8s.io', name: u1 }],
  });
  // bindings that always exercise the aggregation cases
  const fixed = (kind: string, name: string, role: string, user: string, namespace?: string) =>
    objects.push({
      apiVersion: rbacApi,
      kind,
      metadata: { name, ...(namespace ? { namespace } : {}) },
      roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: role },
      subjects: [{ kind: 'User', apiGroup: 'rbac.authorization.k8s.io', name: user }],
    });
  fixed('ClusterRoleBinding', `${prefix}-crb-none`, `${prefix}-agg-none`, u2!);
  fixed('ClusterRoleBinding', `${prefix}-crb-nested`, `${prefix}-agg-nested`, u6!);
  fixed('RoleBinding', `${prefix}-rb-view`, 'view', u1!, ns[1]);
  for (let i = 0; i < 5; i++) {
    objects.push({
      apiVersion: rbacApi,
      kind: 'ClusterRoleBinding',
      metadata: { name: `${prefix}-crb-${i}` },
      roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: pick(r, clusterRoles) },
      subjects: subjects(),
    });
  }

  const authenticated = 'system:authenticated';
  const identities: Identity[] = [
    { user: u1!, groups: [authenticated] },
    { user: u2!, groups: [authenticated] },
    { user: u3!, groups: [g1!, authenticated] },
    { user: u4!, groups: [g2!, g3!, authenticated] },
    { user: u5!, groups: [] },
    { user: u6!, groups: [g3!] },
    { user: nobody!, groups: [g1!, g2!, authenticated] },
    { user: 'system:anonymous', groups: ['system:unauthenticated'] },
    // the API server allows system:masters everything before RBAC; Strata through cluster-admin
    { user: `${prefix}:root`, groups: ['system:masters', authenticated] },
    { user: 'system:kube-scheduler', groups: [authenticated] },
    { user: 'system:kube-controller-manager', groups: [authenticated] },
    ...sas.map((sa) => serviceAccount(sa.namespace, sa.name)),
    serviceAccount('kube-system', 'generic-garbage-collector'),
    serviceAccount('kube-system', 'namespace-controller'),
    serviceAccount('kube-system', 'deployment-controller'),
    serviceAccount('kube-system', 'bootstrap-signer'),
  ];

  const requests: Req[] = [];
  for (let i = 0; i < requestCount; i++) {
    if (r() < 0.15) {
      requests.push({
        type: 'nonResource',
        verb: pick(r, ['get', 'get', 'post', 'put']),
        path: pick(r, [
          '/healthz',
          '/metrics',
          '/logs/app',
          '/logs',
          '/api',
          '/api/v1',
          '/version',
          '/apis/apps',
          '/readyz',
        ]),
      });
      continue;
    }
    const [group, resource] = pick(r, [
      ['', 'pods'],
      ['', 'pods'],
      ['', 'secrets'],
      ['', 'configmaps'],
      ['', 'services'],
      ['', 'serviceaccounts'],
      ['', 'users'],
      ['', 'nodes'],
      ['apps', 'deployments'],
      ['apps', 'deployments'],
      ['batch', 'jobs'],
      ['rbac.authorization.k8s.io', 'roles'],
      ['rbac.authorization.k8s.io', 'clusterroles'],
      ['example.com', 'widgets'],
      ['coordination.k8s.io', 'leases'],
      ['', '*'],
      ['*', '*'],
    ] as const);
    const sub = r() < 0.3 ? pick(r, ['log', 'exec', 'scale', 'status', 'proxy', 'token']) : '';
    requests.push({
      type: 'resource',
      verb: pick(r, [...RULE_VERBS.slice(0, -1), 'get', 'list', 'create', 'delete', '*']),
      group,
      resource,
      subresource: sub,
      namespace: pick(r, [...ns, ...ns, 'kube-system', 'kube-public', 'default', '']),
      name: pick(r, ['', '', 'alpha', 'beta', 'gamma', 'extension-apiserver-authentication', 'cluster-info']),
    });
  }
  return { prefix, namespaces: ns, objects, identities, requests };
}

function serviceAccount(namespace: string, name: string): Identity {
  return {
    user: `system:serviceaccount:${namespace}:${name}`,
    groups: ['system:serviceaccounts', `system:serviceaccounts:${namespace}`, 'system:authenticated'],
  };
}

/** The REST path that creates an object. */
export function createPath(obj: Record<string, unknown>): string {
  const meta = obj.metadata as { namespace?: string };
  switch (obj.kind) {
    case 'Namespace':
      return '/api/v1/namespaces';
    case 'ClusterRole':
      return '/apis/rbac.authorization.k8s.io/v1/clusterroles';
    case 'ClusterRoleBinding':
      return '/apis/rbac.authorization.k8s.io/v1/clusterrolebindings';
    case 'Role':
      return `/apis/rbac.authorization.k8s.io/v1/namespaces/${meta.namespace}/roles`;
    case 'RoleBinding':
      return `/apis/rbac.authorization.k8s.io/v1/namespaces/${meta.namespace}/rolebindings`;
    default:
      throw new Error(`no path for ${String(obj.kind)}`);
  }
}

/** A SubjectAccessReview body for an identity and request. */
export function sarBody(id: Identity, req: Req): Record<string, unknown> {
  const spec: Record<string, unknown> = { user: id.user, groups: id.groups };
  if (req.type === 'nonResource') spec.nonResourceAttributes = { path: req.path, verb: req.verb };
  else {
    spec.resourceAttributes = {
      verb: req.verb,
      group: req.group,
      resource: req.resource,
      ...(req.subresource ? { subresource: req.subresource } : {}),
      ...(req.namespace ? { namespace: req.namespace } : {}),
      ...(req.name ? { name: req.name } : {}),
    };
  }
  return { apiVersion: 'authorization.k8s.io/v1', kind: 'SubjectAccessReview', spec };
}

/** The `strata rbac who-can` arguments for a request (before the paths). */
export function whoCanArgs(req: Req): string[] {
  if (req.type === 'nonResource') return [req.verb, req.path];
  return [
    req.verb,
    req.subresource ? `${req.resource}/${req.subresource}` : req.resource,
    '--api-group',
    req.group,
    ...(req.namespace ? ['-n', req.namespace] : []),
    ...(req.name ? ['--name', req.name] : []),
  ];
}

export function describeReq(req: Req): string {
  if (req.type === 'nonResource') return `${req.verb} ${req.path}`;
  const res = `${req.resource}${req.subresource ? `/${req.subresource}` : ''}${req.group ? `.${req.group}` : ''}`;
  return `${req.verb} ${res}${req.name ? ` name=${req.name}` : ''}${req.namespace ? ` -n ${req.namespace}` : ' (cluster-wide)'}`;
}
