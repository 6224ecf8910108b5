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
