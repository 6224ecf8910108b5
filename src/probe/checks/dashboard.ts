import { exposure, jsonObject } from '../finding.js';
import { type ExposureCheck, get } from './context.js';

const DASHBOARD_REF =
  'https://github.com/kubernetes/dashboard/blob/master/docs/user/access-control/README.md';

/** Kubernetes Dashboard: its CSRF login endpoint or the root page fingerprint. */
export const dashboardCheck: ExposureCheck = {
  name: 'dashboard',
  async run(ctx) {
    const csrf = await ctx.fetch(get('/api/v1/csrftoken/login'));
    const token = jsonObject(csrf);
    const viaCsrf = csrf && token && typeof token.token === 'string' ? csrf : undefined;
    const res = viaCsrf ?? (await ctx.fetch({ method: 'GET', path: '/', accept: 'text/html' }));
    if (!res) return [];
    const page =
      !viaCsrf &&
      res.status === 200 &&
      /<title>\s*Kubernetes Dashboard\s*<\/title>|<kd-root\b/i.test(res.body);
    if (!viaCsrf && !page) return [];
    return [
      exposure(ctx.target, res, {
        id: 'STRATA-PROBE-DASHBOARD',
        service: 'dashboard',
        severity: 'MEDIUM',
        title: 'Kubernetes Dashboard is reachable',
        description:
          'The Kubernetes Dashboard answers here. Exposed dashboards (especially with --enable-skip-login or a privileged service account) have led to cluster takeovers; keep it behind kubectl proxy or an authenticating proxy.',
        seen: viaCsrf
          ? { fingerprint: 'csrftoken/login endpoint', csrfToken: 'present (not recorded)' }
          : { fingerprint: 'root page title' },
        references: [DASHBOARD_REF],
      }),
    ];
  },
};
