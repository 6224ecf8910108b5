import { readInputFile } from '../../core/safe-read.js';
import { parseJsonText } from '../../core/schema.js';
import { isCycloneDx, readCycloneDx } from './cyclonedx.js';
import { SbomError } from './errors.js';
import { sbomByteLimit } from './limits.js';
import { readSpdx } from './spdx.js';
import type { SbomDocument } from './types.js';

/** Formats told apart by their first bytes, refused with the way out. */
function refuseOtherEncodings(text: string, file: string): void {
  const head = text
    .slice(0, 4096)
    .replace(/^\uFEFF/, '')
    .trimStart();
  if (head.startsWith('<') && /cyclonedx/i.test(head)) {
    throw new SbomError(
      'UNSUPPORTED_FORMAT',
      `${file}: CycloneDX XML is not read; write the BOM as JSON (CycloneDX 1.2-1.6)`,
    );
  }
  if (/^SPDXVersion:/m.test(head)) {
    throw new SbomError(
      'UNSUPPORTED_FORMAT',
      `${file}: SPDX tag-value is not read; write the document as SPDX 2.2/2.3 JSON`,
    );
  }
}

/** A parsed JSON value as an SBOM document, by its format's marker field. */
export function decodeSbom(value: unknown, file: string): SbomDocument {
  if (isCycloneDx(value)) return readCycloneDx(value, file);
  if (typeof value === 'object' && value !== null && 'spdxVersion' in value) return readSpdx(value, file);
  if (typeof value === 'object' && value !== null && '@context' in value) {
    throw new SbomError(
      'UNSUPPORTED_FORMAT',
      `${file}: SPDX 3 JSON-LD is not read; write the document as SPDX 2.3 JSON`,
    );
  }
  throw new SbomError(
    'UNKNOWN_FORMAT',
    `${file}: neither a CycloneDX JSON BOM ("bomFormat") nor an SPDX JSON document ("spdxVersion")`,
  );
}

/**
 * Reads an SBOM file (CycloneDX 1.x or SPDX 2.x JSON) as the user named it: a regular file, at most
 * what the heap can hold (sbomByteLimit), parsed once with the format's schema.
 */
export function readSbomFile(file: string): SbomDocument {
  const text = readInputFile(file, { kind: 'sbom', maxBytes: sbomByteLimit() }).toString('utf8');
  refuseOtherEncodings(text, file);
  return decodeSbom(parseJsonText(text.replace(/^\uFEFF/, ''), file), file);
}
