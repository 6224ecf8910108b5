import type { OSInfo } from '../core/types.js';
import { baseEcosystem } from './version/registry.js';

/** Package names as the ecosystem compares them: PyPI per PEP 503, case-insensitive registries lowercased. */
export function normalizeName(ecosystem: string, name: string): string {
  switch (baseEcosystem(ecosystem)) {
    case 'PyPI':
      return name.toLowerCase().replace(/[-_.]+/g, '-');
    case 'NuGet':
    case 'Packagist':
    case 'Hex':
      return name.toLowerCase();
    default:
      return name;
  }
}

/**
 * The OSV ecosystem (with release) for an OS package whose inventory left the release out:
 * Debian 12.5 -> `Debian:12`, Alpine 3.20.1 -> `Alpine:v3.20`, Ubuntu 22.04 -> `Ubuntu:22.04:LTS`.
 */
export function osEcosystem(os: OSInfo): string | undefined {
  const v = os.version;
  switch (os.family) {
    case 'debian': {
      const major = /^(\d+)/.exec(v)?.[1];
      return major ? `Debian:${major}` : undefined;
    }
    case 'ubuntu': {
      const m = /^(\d+)\.(\d+)/.exec(v);
      if (!m) return undefined;
      const lts = Number(m[1]) % 2 === 0 && m[2] === '04';
      return `Ubuntu:${m[1]}.${m[2]}${lts ? ':LTS' : ''}`;
    }
    case 'alpine': {
      const m = /^(\d+)\.(\d+)/.exec(v);
      return m ? `Alpine:v${m[1]}.${m[2]}` : undefined;
    }
    case 'wolfi':
      return 'Wolfi';
    case 'chainguard':
      return 'Chainguard';
    case 'rocky': {
      const major = /^(\d+)/.exec(v)?.[1];
      return major ? `Rocky Linux:${major}` : undefined;
    }
    case 'almalinux': {
      const major = /^(\d+)/.exec(v)?.[1];
      return major ? `AlmaLinux:${major}` : undefined;
    }
    default:
      return undefined;
  }
}

/** Ecosystems whose advisories name source packages (Debian/Ubuntu source, Alpine origin). */
export function matchesBySourceOnly(ecosystem: string): boolean {
  return ['Debian', 'Ubuntu', 'Alpine', 'Wolfi', 'Chainguard'].includes(baseEcosystem(ecosystem));
}

/** rpm-based ecosystems: advisories may name the binary or the source rpm. */
export function matchesByBinaryOrSource(ecosystem: string): boolean {
  return [
    'Red Hat',
    'Rocky Linux',
    'AlmaLinux',
    'SUSE',
    'openSUSE',
    'Photon OS',
    'Mageia',
    'openEuler',
    'Azure Linux',
    'Mariner',
    'Oracle Linux',
    'Amazon Linux',
  ].includes(baseEcosystem(ecosystem));
}
