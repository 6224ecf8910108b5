import { parse } from 'yaml';
import type { PackageDraft } from '../../types.js';
import { malformed } from '../shared/errors.js';
import { npmPackage } from '../shared/naming.js';
import { dict, isDict, str } from '../shared/values.js';

/**
 * Yarn berry (v2+) lockfile, a YAML document: entries carry `resolution: "name@npm:1.2.3"`.
 * Only `npm:` resolutions are registry packages (patches keep the version of what they patch);
 * workspaces, links, portals and files are the project's own code.
 */
export function parseBerry(text: string): PackageDraft[] {
  let doc: unknown;
  try {
    doc = parse(text, { maxAliasCount: 100 });
  } catch (err) {
    throw malformed('invalid YAML in yarn.lock', err);
  }
  if (!isDict(doc)) throw malformed('yarn.lock is not a mapping');
  const out: PackageDraft[] = [];
  for (const [key, raw] of Object.entries(doc)) {
    if (key === '__metadata') continue;
    const entry = dict(raw);
    const resolution = str(entry.resolution);
    const version = str(entry.version);
    if (!resolution || !version) continue;
    const name = npmResolutionName(resolution);
    if (name) out.push(npmPackage(name, version));
  }
  return out;
}

function npmResolutionName(resolution: string): string | undefined {
  const at = resolution.indexOf('@', 1);
  if (at < 0) return undefined;
  const protocol = resolution.slice(at + 1);
  return protocol.startsWith('npm:') ? resolution.slice(0, at) : undefined;
}
