import { imageConfigDetector } from './image-config.js';
import { imageSecretsDetector } from './image-secrets.js';
import { projectConfigDetector } from './project-config.js';
import type { Detector } from './types.js';
import { vulnDetector } from './vuln.js';

/**
 * Every detector, in the order their findings are reported (no import side effects). A new
 * detector gets a file beside these, an entry here and a test; `--scanners` picks by `scanner`.
 */
export const DETECTORS: readonly Detector[] = [
  vulnDetector,
  imageSecretsDetector,
  imageConfigDetector,
  projectConfigDetector,
];
