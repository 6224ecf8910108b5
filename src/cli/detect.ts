import { scanImageConfig } from '../analyzers/secret/index.js';
import type { Finding, ScanError, ScanResult } from '../core/types.js';
import { checkImageConfig } from '../docker/index.js';
import type { ImageHandle } from '../image/types.js';
import { parsePssVersion, scanConfig } from '../kube/workload/index.js';
import type { Scanner } from '../scan/scanners.js';
import { checkDbFreshness, defaultDbPath, detectVulnerabilities, openAdvisoryDb } from '../vuln/index.js';

export interface DetectOptions {
  readonly db?: string;
  readonly quiet?: boolean;
}

export type Detector = (
  result: ScanResult,
  image?: ImageHandle,
) => Promise<{ findings: Finding[]; errors: ScanError[] }>;

/**
 * The detectors behind `--scanners`, run on an inventory: vulnerabilities (the advisory
 * database), secrets left in the image config (Env, Labels, history), misconfigurations of
 * the image config, or of the manifests and Dockerfiles in a project directory (`strata fs`). Secrets in files are found by the secret analyzer during the walk.
 */
export function detectorsFor(scanners: readonly Scanner[], options: DetectOptions): Detector {
  return async (result, image) => {
    const findings: Finding[] = [];
    const errors: ScanError[] = [];
    if (scanners.includes('vuln')) {
      const db = openAdvisoryDb(options.db ?? defaultDbPath(), { readonly: true });
      try {
        const { warning } = checkDbFreshness(db);
        if (warning && !options.quiet) process.stderr.write(`warning: ${warning}\n`);
        const detected = detectVulnerabilities(result.packages, result.os, db);
        findings.push(...detected.findings);
        errors.push(...detected.errors);
      } finally {
        db.close();
      }
    }
    if (image && scanners.includes('secret')) findings.push(...scanImageConfig(image.config));
    if (image && scanners.includes('misconfig'))
      findings.push(...checkImageConfig(image.config, result.target.name));
    if (!image && scanners.includes('misconfig') && result.target.type === 'filesystem') {
      // a project directory: its Kubernetes manifests and Dockerfiles, as `strata config` scans them
      const config = await scanConfig([result.target.name], {
        pss: { level: 'restricted', version: parsePssVersion('latest') },
      });
      findings.push(...config.result.findings);
      errors.push(...config.result.errors);
    }
    return { findings, errors };
  };
}
