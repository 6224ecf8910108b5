import type { Finding } from '../../core/types.js';
import { exposure, itemCount, jsonObject, str } from '../finding.js';
import { type CheckContext, type ExposureCheck, get } from './context.js';

const ANON_REF = 'https://kubernetes.io/docs/reference/access-authn-authz/authentication/#anonymous-requests';

async function anonymousList(ctx: CheckContext, resource: 'namespaces' | 'pods'): Promise<Finding[]> {
  const res = await ctx.fetch(get(`/api/v1/${resource}?limit=500`));
  const list = jsonObject(res);
  if (!res || !list || !str(list.kind)?.endsWith('List')) return [];
  return [
    exposure(ctx.target, res, {
      id: `STRATA-PROBE-KUBE-API-ANONYMOUS-${resource.toUpperCase()}`,
      service: 'kube-apiserver',
      severity: 'CRITICAL',
      title: `Kubernetes API server lists ${resource} to anonymous users`,
      description: `GET /api/v1/${resource} succeeded without credentials: system:anonymous (or system:unauthenticated) is bound to a role that reads ${resource} cluster-wide.`,
      seen: { kind: list.kind, items: itemCount(list) },
      references: [ANON_REF, 'https://www.cisecurity.org/benchmark/kubernetes'],
    }),
  ];
}

/** Kubernetes API server: anonymous /version, discovery, and cluster-wide lists. */
export const kubeApiServerCheck: ExposureCheck = {
  name: 'kube-apiserver',
  async run(ctx) {
    const res = await ctx.fetch(get('/version'));
    const version = jsonObject(res);
    if (!res || !version || !str(version.gitVersion) || !str(version.goVersion) || !str(version.platform))
      return [];
    const findings: Finding[] = [
      exposure(ctx.target, res, {
        id: 'STRATA-PROBE-KUBE-API-VERSION',
        service: 'kube-apiserver',
        severity: 'LOW',
        title: 'Kubernetes API server answers anonymous requests',
        description:
          'GET /version answered without credentials: anonymous authentication is on and the API server is reachable from here. Its version tells an attacker which CVEs apply.',
        seen: { gitVersion: version.gitVersion, platform: version.platform, goVersion: version.goVersion },
        references: [ANON_REF],
      }),
    ];
    const api = await ctx.fetch(get('/api'));
    const core = jsonObject(api);
    if (api && core && core.kind === 'APIVersions') {
      const groups = jsonObject(await ctx.fetch(get('/apis')));
      findings.push(
        exposure(ctx.target, api, {
          id: 'STRATA-PROBE-KUBE-API-DISCOVERY',
          service: 'kube-apiserver',
          severity: 'MEDIUM',
          title: 'Kubernetes API discovery is open to anonymous users',
          description:
            'GET /api (and /apis) answered without credentials: the API surface, installed CRDs and extensions are visible to anyone who reaches the server.',
          seen: {
            versions: Array.isArray(core.versions) ? core.versions : [],
            ...(groups && Array.isArray(groups.groups) ? { apiGroups: groups.groups.length } : {}),
          },
          references: [ANON_REF],
        }),
      );
    }
    for (const item of await anonymousList(ctx, 'namespaces')) findings.push(item);
    for (const item of await anonymousList(ctx, 'pods')) findings.push(item);
    return findings;
  },
};
