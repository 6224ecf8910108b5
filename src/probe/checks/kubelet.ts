import type { Finding } from '../../core/types.js';
import { exposure, itemCount, jsonObject } from '../finding.js';
import { type ExposureCheck, get } from './context.js';

const KUBELET_REF = 'https://kubernetes.io/docs/reference/access-authn-authz/kubelet-authn-authz/';

/**
 * Kubelet: `/pods` without credentials. On the TLS API port (10250) that means anonymous auth with
 * AlwaysAllow authorization — exec and logs too (`/runningpods` is served there only); on plain
 * HTTP it is the read-only port (10255).
 */
export const kubeletCheck: ExposureCheck = {
  name: 'kubelet',
  async run(ctx) {
    const res = await ctx.fetch(get('/pods'));
    const pods = jsonObject(res);
    if (!res || !pods || pods.kind !== 'PodList') return [];
    const readOnly = ctx.scheme === 'http';
    const findings: Finding[] = [
      exposure(ctx.target, res, {
        id: readOnly ? 'STRATA-PROBE-KUBELET-READONLY' : 'STRATA-PROBE-KUBELET-API',
        service: 'kubelet',
        severity: readOnly ? 'HIGH' : 'CRITICAL',
        title: readOnly
          ? 'Kubelet read-only port lists pods without authentication'
          : 'Kubelet API answers anonymous requests',
        description: readOnly
          ? 'The kubelet read-only port serves pod specs (images, environment, mounts) to anyone; set readOnlyPort: 0.'
          : 'The kubelet API on its TLS port served /pods without credentials: anonymous auth is enabled and authorization does not use Webhook, so exec, attach and logs are open as well.',
        seen: { kind: pods.kind, items: itemCount(pods) },
        references: [KUBELET_REF],
      }),
    ];
    if (!readOnly) {
      const running = await ctx.fetch(get('/runningpods/'));
      const list = jsonObject(running);
      if (running && list && list.kind === 'PodList') {
        findings.push(
          exposure(ctx.target, running, {
            id: 'STRATA-PROBE-KUBELET-RUNNINGPODS',
            service: 'kubelet',
            severity: 'CRITICAL',
            title: 'Kubelet debugging handlers answer anonymous requests',
            description:
              'GET /runningpods/ succeeded without credentials: the kubelet debugging handlers (exec, attach, portforward, logs) are reachable anonymously.',
            seen: { kind: list.kind, items: itemCount(list) },
            references: [KUBELET_REF],
          }),
        );
      }
    }
    return findings;
  },
};
