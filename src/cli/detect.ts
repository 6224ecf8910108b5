import { scanImageConfig } from '../analyzers/secret/index.js';
import type { Finding, ScanError, ScanResult } from '../core/types.js';
import { checkImageConfig } from '../docker/index.js';
import type { ImageHandle } from '../image/types.js';
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
 * the image config. Secrets in files are found by the secret analyzer during the walk.
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
    return { findings, errors };
  };
}
