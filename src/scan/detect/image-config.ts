import { need } from './need.js';
import type { Detector } from './types.js';

const NAME = 'misconfig/image-config';

/** Misconfigurations of the image config (root user, secrets in ENV names, ...). */
export const imageConfigDetector: Detector = {
  name: NAME,
  scanner: 'misconfig',
  needs: ['inventory', 'image-config'],
  async detect(ctx) {
    const config = need(ctx.imageConfig, 'an image config', NAME);
    const { checkImageConfig } = await import('../../docker/index.js');
    return { findings: checkImageConfig(config, ctx.inventory.target.name), errors: [] };
  },
};
