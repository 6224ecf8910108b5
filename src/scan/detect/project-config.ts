import { need } from './need.js';
import type { Detector } from './types.js';

const NAME = 'misconfig/project';

/** A project directory's Kubernetes manifests and Dockerfiles, as `strata config` scans them. */
export const projectConfigDetector: Detector = {
  name: NAME,
  scanner: 'misconfig',
  needs: ['filesystem'],
  async detect(ctx) {
    const root = need(ctx.root, 'a directory', NAME);
    // loaded when it runs: the config rules, CEL and kube/ are not part of an image scan's start-up
    const [{ parsePssVersion }, { scanConfig }] = await Promise.all([
      import('../../kube/index.js'),
      import('../config.js'),
    ]);
    const { result } = await scanConfig([root], {
      pss: { level: 'restricted', version: parsePssVersion('latest') },
    });
    return { findings: result.findings, errors: result.errors };
  },
};
