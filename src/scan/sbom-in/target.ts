import { closeSync, constants, fstatSync, openSync, readSync } from 'node:fs';
import { UsageError } from '../../core/index.js';

export const SBOM_PREFIX = 'sbom:';

/** The first bytes of a regular file; undefined for anything else (directories, FIFOs, missing). */
function head(path: string, n: number): string | undefined {
  let fd: number;
  try {
    fd = openSync(path, constants.O_RDONLY | constants.O_NONBLOCK);
  } catch {
    return undefined;
  }
  try {
    if (!fstatSync(fd).isFile()) return undefined;
    const buf = Buffer.alloc(n);
    return buf.subarray(0, readSync(fd, buf, 0, n, 0)).toString('utf8');
  } finally {
    closeSync(fd);
  }
}

/**
 * True when a file's first 64 KiB look like a CycloneDX or SPDX JSON document: a JSON object with a
 * `"bomFormat": "CycloneDX"` or `"spdxVersion"` member (as Trivy recognises SBOMs by content).
 */
export function looksLikeSbom(path: string): boolean {
  const text = head(path, 64 * 1024);
  if (
    text === undefined ||
    !text
      .replace(/^\uFEFF/, '')
      .trimStart()
      .startsWith('{')
  )
    return false;
  return /"bomFormat"\s*:\s*"CycloneDX"/.test(text) || /"spdxVersion"\s*:\s*"SPDX-/.test(text);
}

/**
 * The SBOM file an image target names: `sbom:PATH` (as Grype), or a bare path whose content is a
 * CycloneDX or SPDX JSON document; undefined for every other target (an image).
 */
export function sbomTargetPath(text: string): string | undefined {
  if (text.startsWith(SBOM_PREFIX)) {
    const path = text.slice(SBOM_PREFIX.length);
    if (path === '') throw new UsageError('INVALID_ARGUMENT', `"${text}": a path is needed after the prefix`);
    return path;
  }
  return text !== '' && looksLikeSbom(text) ? text : undefined;
}
