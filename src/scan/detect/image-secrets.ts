import { need } from './need.js';
import type { Detector } from './types.js';

const NAME = 'secret/image-config';

/** Secrets left in the image config: Env, Labels, history (files are the secret analyzer's, during the walk). */
export const imageSecretsDetector: Detector = {
  name: NAME,
  scanner: 'secret',
  needs: ['image-config'],
  async detect(ctx) {
    const { scanImageConfigReport } = await import('../../analyzers/index.js');
    const { findings, errors } = scanImageConfigReport(need(ctx.imageConfig, 'an image config', NAME));
    return { findings, errors: errors.map((message) => ({ analyzer: NAME, message })) };
  },
};
