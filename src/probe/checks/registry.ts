import { exposure, jsonObject } from '../finding.js';
import { type ExposureCheck, get } from './context.js';

/** OCI/Docker registry whose catalog answers without credentials. */
export const registryCheck: ExposureCheck = {
  name: 'registry',
  async run(ctx) {
    const base = await ctx.fetch(get('/v2/'));
    if (base?.status !== 200 || !base.headers['docker-distribution-api-version']) return [];
    const res = await ctx.fetch(get('/v2/_catalog?n=100'));
    const catalog = jsonObject(res);
    if (!res || !catalog || !Array.isArray(catalog.repositories)) return [];
    const repos = catalog.repositories.filter((r): r is string => typeof r === 'string');
    return [
      exposure(ctx.target, res, {
        id: 'STRATA-PROBE-REGISTRY-CATALOG',
        service: 'registry',
        severity: repos.length > 0 ? 'HIGH' : 'MEDIUM',
        title: 'Container registry serves its catalog without credentials',
        description:
          'GET /v2/_catalog answered without credentials: anyone who reaches the registry can list and pull its images (and the secrets baked into them), and push unless writes are restricted separately.',
        seen: {
          apiVersion: base.headers['docker-distribution-api-version'],
          repositories: repos.length,
          firstRepositories: repos.slice(0, 10),
          more: typeof res.headers.link === 'string',
        },
        references: ['https://distribution.github.io/distribution/spec/api/#catalog'],
      }),
    ];
  },
};
