import type { PurlParts } from '../../core/purl.js';
import type { OSFamily, OSInfo } from '../../core/types.js';
import { LANGUAGE_ECOSYSTEMS, osEcosystem } from '../ecosystem.js';
import { familyOf, parseDistro } from './distro.js';

/** purl types of OS package managers: their ecosystem is the distribution's. */
export const OS_TYPES = new Set(['deb', 'rpm', 'apk']);

/**
 * purl type -> OSV ecosystem: the ecosystems our analyzers produce, plus those an SBOM from
 * another tool may carry that OSV also publishes.
 */
const LANGUAGE: Readonly<Record<string, string>> = {
  ...LANGUAGE_ECOSYSTEMS,
  hex: 'Hex',
  pub: 'Pub',
  swift: 'SwiftURL',
  bitnami: 'Bitnami',
};

/** `Debian:12`, or `Debian` when the release is unknown (the matcher then takes the scan's OS). */
function osName(family: OSFamily, version: string): string {
  const full = osEcosystem({ family, version });
  return version ? full : (full.split(':')[0] ?? full);
}

/**
 * The OSV ecosystem of a package from its purl: the language ecosystem of the type, or for OS
 * packages the distribution and release from the `distro` qualifier, else the purl namespace and
 * the operating system the document places the package under (or its only one). Undefined when
 * neither says which distribution, or the type has no OSV ecosystem.
 */
export function ecosystemOfPurl(purl: PurlParts, os: OSInfo | undefined): string | undefined {
  if (!OS_TYPES.has(purl.type)) return Object.hasOwn(LANGUAGE, purl.type) ? LANGUAGE[purl.type] : undefined;
  const distro = purl.qualifiers?.distro ? parseDistro(purl.qualifiers.distro) : {};
  const family = distro.family ?? familyOf(purl.namespace) ?? os?.family;
  if (!family || family === 'unknown' || family === 'distroless') return undefined;
  const version = distro.version ?? (os?.family === family ? os.version : '');
  return osName(family, version);
}

/** The distribution an OS package's purl names, as OSInfo (for a document without an OS component). */
export function osOfPurl(purl: PurlParts): OSInfo | undefined {
  if (!OS_TYPES.has(purl.type)) return undefined;
  const distro = purl.qualifiers?.distro ? parseDistro(purl.qualifiers.distro) : {};
  const family = distro.family ?? familyOf(purl.namespace);
  return family ? { family, version: distro.version ?? '' } : undefined;
}
