import { PssError } from './errors.js';
import type { PssLevel, PssVersion } from './types.js';

const VERSION = /^v1\.([0-9]|[1-9][0-9]*)$/;

/** Parses a policy version exactly as upstream's api.ParseVersion: `latest` or `v1.<minor>` (no leading zeros). */
export function parsePssVersion(value: string): PssVersion {
  if (value === 'latest') return { latest: true };
  const match = VERSION.exec(value);
  const minor = match ? Number(match[1]) : Number.NaN;
  if (!Number.isSafeInteger(minor)) {
    throw new PssError('INVALID_VERSION', `--pss-version: "${value}" must be "latest" or "v1.x"`);
  }
  return { latest: false, minor };
}

export function parsePssLevel(value: string): PssLevel {
  if (value === 'baseline' || value === 'restricted') return value;
  throw new PssError('INVALID_LEVEL', `--pss: "${value}" must be one of baseline, restricted`);
}

export function formatPssVersion(v: PssVersion): string {
  return v.latest ? 'latest' : `v1.${v.minor}`;
}
