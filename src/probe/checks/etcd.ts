import type { Finding } from '../../core/types.js';
import { exposure, jsonObject, str } from '../finding.js';
import type { EtcdRangePath, ProbeResponse } from '../types.js';
import { type CheckContext, type ExposureCheck, get } from './context.js';

const ETCD_REF = 'https://etcd.io/docs/v3.5/op-guide/security/';

/** The Kubernetes key prefix; `count_only` asks for the number of keys, never their values. */
const RANGE_KEY = Buffer.from('/registry/').toString('base64');
const RANGE_END = Buffer.from('/registry0').toString('base64');

async function range(ctx: CheckContext): Promise<ProbeResponse | undefined> {
  const paths: readonly EtcdRangePath[] = ['/v3/kv/range', '/v3beta/kv/range'];
  for (const path of paths) {
    const res = await ctx.fetch({
      method: 'POST',
      path,
      json: { key: RANGE_KEY, range_end: RANGE_END, count_only: true },
    });
    if (res?.status !== 404) return res;
  }
  return undefined;
}

/** etcd: `/version` (it answers whenever a client gets through TLS) and an anonymous v3 read. */
export const etcdCheck: ExposureCheck = {
  name: 'etcd',
  async run(ctx) {
    const res = await ctx.fetch(get('/version'));
    const version = jsonObject(res);
    if (!res || !version || !str(version.etcdserver) || !str(version.etcdcluster)) return [];
    const findings: Finding[] = [
      exposure(ctx.target, res, {
        id: 'STRATA-PROBE-ETCD-VERSION',
        service: 'etcd',
        severity: 'MEDIUM',
        title: 'etcd client port accepts clients without a certificate',
        description:
          'etcd answered GET /version to a client without a certificate: --client-cert-auth is off, so only etcd user auth (if any) stands between this network and the cluster state.',
        seen: { etcdserver: version.etcdserver, etcdcluster: version.etcdcluster },
        references: [ETCD_REF],
      }),
    ];
    const read = await range(ctx);
    const body = jsonObject(read);
    const header = body?.header as Record<string, unknown> | undefined;
    if (read && body && header && str(header.revision) !== undefined) {
      findings.push(
        exposure(ctx.target, read, {
          id: 'STRATA-PROBE-ETCD-READ',
          service: 'etcd',
          severity: 'CRITICAL',
          title: 'etcd key space is readable without authentication',
          description:
            'A v3 range request (count only, on the /registry/ prefix) succeeded without credentials: anyone who reaches this port can read every Kubernetes object, Secrets included, and write them too.',
          seen: {
            keyPrefix: '/registry/',
            count: Number(body.count ?? 0),
            revision: Number(header.revision),
          },
          references: [ETCD_REF],
        }),
      );
    }
    return findings;
  },
};
