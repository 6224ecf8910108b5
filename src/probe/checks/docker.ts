import type { Finding } from '../../core/types.js';
import { exposure, jsonArray, jsonObject, str } from '../finding.js';
import { type ExposureCheck, get } from './context.js';

const DOCKER_REF = 'https://docs.docker.com/engine/security/protect-access/';

/** Docker Engine API without client authentication (2375, or 2376 accepting a client without a certificate). */
export const dockerCheck: ExposureCheck = {
  name: 'docker',
  async run(ctx) {
    const res = await ctx.fetch(get('/version'));
    const version = jsonObject(res);
    if (!res || !version || !str(version.ApiVersion) || !str(version.Version)) return [];
    const findings: Finding[] = [
      exposure(ctx.target, res, {
        id: 'STRATA-PROBE-DOCKER-API',
        service: 'docker',
        severity: 'CRITICAL',
        title: 'Docker daemon API is open without client authentication',
        description:
          'The Docker Engine API answered without a client certificate: anyone who reaches it can start a privileged container and own the host.',
        seen: {
          Version: version.Version,
          ApiVersion: version.ApiVersion,
          Os: version.Os,
          Arch: version.Arch,
        },
        references: [DOCKER_REF],
      }),
    ];
    const containers = await ctx.fetch(get('/containers/json'));
    const list = jsonArray(containers);
    if (containers && list) {
      findings.push(
        exposure(ctx.target, containers, {
          id: 'STRATA-PROBE-DOCKER-CONTAINERS',
          service: 'docker',
          severity: 'CRITICAL',
          title: 'Docker daemon lists its containers without client authentication',
          description: 'GET /containers/json succeeded without credentials.',
          seen: { containers: list.length },
          references: [DOCKER_REF],
        }),
      );
    }
    return findings;
  },
};
