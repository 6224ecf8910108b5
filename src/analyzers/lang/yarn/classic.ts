import type { PackageDraft } from '../../types.js';
import { malformed } from '../shared/errors.js';
import { npmPackage } from '../shared/naming.js';
import { descriptorName } from './descriptor.js';

/**
 * Yarn classic (v1) lockfile: unindented `"a@^1", a@^1.2:` key lines, then indented
 * `version "1.2.3"` fields. Nested blocks (`dependencies:`) are indented further and ignored.
 */
export function parseClassic(text: string): PackageDraft[] {
  const out: PackageDraft[] = [];
  let name: string | undefined;
  let lineNo = 0;
  for (const line of text.split(/\r?\n/)) {
    lineNo++;
    if (line === '' || line.startsWith('#')) continue;
    if (!/^\s/.test(line)) {
      if (!line.endsWith(':')) throw malformed(`yarn.lock line ${lineNo}: expected a package key`);
      const first = line.slice(0, -1).split(',')[0]?.trim().replace(/^"|"$/g, '') ?? '';
      name = descriptorName(first);
      continue;
    }
    const m = /^ {2}version:? "?([^"\s]+)"?$/.exec(line);
    if (m && name) {
      out.push(npmPackage(name, m[1]!));
      name = undefined;
    }
  }
  return out;
}
