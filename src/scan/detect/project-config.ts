import { parsePssVersion } from '../../kube/index.js';
import { scanConfig } from '../config.js';
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
    const { result } = await scanConfig([root], {
      pss: { level: 'restricted', version: parsePssVersion('latest') },
    });
    return { findings: result.findings, errors: result.errors };
  },
};
