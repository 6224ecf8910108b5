import { apk } from './apk.js';
import { dpkg } from './dpkg.js';
import { maven } from './maven.js';
import { packagist } from './packagist.js';
import { pep440 } from './pep440.js';
import { rpm } from './rpm.js';
import { rubygems } from './rubygems.js';
import { goVersion, nuget, semver } from './semver.js';
import type { VersionComparator } from './types.js';

/** OSV ecosystem (without its `:release` suffix) -> the version order it uses. */
const BY_ECOSYSTEM: Readonly<Record<string, VersionComparator>> = {
  Debian: dpkg,
  Ubuntu: dpkg,
  Alpine: apk,
  Wolfi: apk,
  Chainguard: apk,
  'Red Hat': rpm,
  'Rocky Linux': rpm,
  AlmaLinux: rpm,
  SUSE: rpm,
  openSUSE: rpm,
  'Photon OS': rpm,
  Mageia: rpm,
  openEuler: rpm,
  'Azure Linux': rpm,
  Mariner: rpm,
  'Oracle Linux': rpm,
  'Amazon Linux': rpm,
  npm: semver,
  'crates.io': semver,
  Hex: semver,
  Pub: semver,
  SwiftURL: semver,
  Bitnami: semver,
  NuGet: nuget,
  Packagist: packagist,
  PyPI: pep440,
  Maven: maven,
  Go: goVersion,
  RubyGems: rubygems,
};

/** `Debian:12` -> `Debian`, `Ubuntu:22.04:LTS` -> `Ubuntu`. */
export function baseEcosystem(ecosystem: string): string {
  const i = ecosystem.indexOf(':');
  return i < 0 ? ecosystem : ecosystem.slice(0, i);
}

export function comparatorFor(ecosystem: string): VersionComparator | undefined {
  return BY_ECOSYSTEM[baseEcosystem(ecosystem)];
}

export function supportedEcosystems(): string[] {
  return Object.keys(BY_ECOSYSTEM).sort();
}
