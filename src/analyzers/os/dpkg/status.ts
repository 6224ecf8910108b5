import type { PackageDraft } from '../../types.js';
import { parseControl } from './control.js';

/** `Source: openssl (3.0.11-1)` or `Source: openssl` */
function parseSource(value: string | undefined): { name: string; version?: string } | undefined {
  if (!value) return undefined;
  const m = /^(\S+)(?:\s+\(([^)]+)\))?/.exec(value);
  if (!m) return undefined;
  return m[2] ? { name: m[1]!, version: m[2].trim() } : { name: m[1]! };
}

/**
 * dpkg's `Status: want flag status`: only `installed` counts (a removed package keeps its
 * paragraph as `deinstall ok config-files`). Distroless `status.d` entries carry no Status.
 */
function isInstalled(status: string | undefined): boolean {
  if (status === undefined) return true;
  return status.split(/\s+/)[2] === 'installed';
}

export interface DpkgParse {
  readonly packages: PackageDraft[];
  readonly errors: string[];
}

export function parseDpkgStatus(text: string): DpkgParse {
  const packages: PackageDraft[] = [];
  const errors: string[] = [];
  for (const p of parseControl(text)) {
    const name = p.fields.get('package');
    const version = p.fields.get('version');
    if (!isInstalled(p.fields.get('status'))) continue;
    if (!name || !version) {
      errors.push(`paragraph at line ${p.line}: missing ${name ? 'Version' : 'Package'} field`);
      continue;
    }
    const src = parseSource(p.fields.get('source'));
    const source = src ? { name: src.name, version: src.version ?? version } : undefined;
    const arch = p.fields.get('architecture');
    const maintainer = p.fields.get('maintainer');
    const epoch = /^(\d+):/.exec(version)?.[1];
    packages.push({
      type: 'deb',
      name,
      version,
      ...(source && (source.name !== name || source.version !== version) ? { source } : {}),
      ...(arch ? { arch } : {}),
      ...(epoch ? { epoch: Number(epoch) } : {}),
      ...(maintainer ? { maintainer } : {}),
    });
  }
  return { packages, errors };
}
