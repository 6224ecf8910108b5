import type { LayerInfo, OSInfo, Package, ScanTarget } from '../../core/types.js';
import {
  combineLicenses,
  type NormalizedLicense,
  normalizeLicenses,
  packageProvenance,
} from '../spdx/index.js';
import type { CdxComponent, CdxComponentType, CdxContact, CdxLicenseChoice } from './types.js';

const ROOT_TYPE: Record<ScanTarget['type'], CdxComponentType> = {
  container_image: 'container',
  filesystem: 'application',
  kubernetes: 'platform',
  cluster: 'platform',
  registry: 'platform',
};

/** The scanned target: a container (version = the image digest) or an application directory. */
export function rootComponent(target: ScanTarget): CdxComponent {
  return {
    type: ROOT_TYPE[target.type],
    'bom-ref': `strata:target:${target.name}`,
    name: target.name,
    ...(target.digest ? { version: target.digest } : {}),
    properties: [{ name: 'strata:target:type', value: target.type }],
  };
}

export function osComponent(os: OSInfo): CdxComponent {
  return {
    type: 'operating-system',
    'bom-ref': `strata:os:${os.family}@${os.version}`,
    name: os.family,
    ...(os.version ? { version: os.version } : {}),
    ...(os.name ? { description: os.name } : {}),
  };
}

const MAIL_PART = /^[^\s@<>()]+$/;

/** `local@domain.tld`; checked by parts so a long address costs one pass (a single regex backtracked). */
function isEmail(text: string): boolean {
  const at = text.indexOf('@');
  const local = text.slice(0, at);
  const domain = text.slice(at + 1);
  return at > 0 && MAIL_PART.test(local) && MAIL_PART.test(domain) && domain.slice(1, -1).includes('.');
}

/** `Name <mail>` as a CycloneDX contact; a malformed mail address stays part of the name. */
export function contact(text: string): CdxContact {
  const trimmed = text.trim();
  const open = trimmed.lastIndexOf('<');
  const mail = trimmed.slice(open + 1, -1);
  const name = trimmed.slice(0, Math.max(open, 0)).trimEnd();
  const wellFormed =
    open >= 0 && trimmed.endsWith('>') && !mail.includes('>') && !/[\n\r\u2028\u2029]/.test(name);
  if (wellFormed && isEmail(mail)) return name ? { name, email: mail } : { email: mail };
  return { name: trimmed };
}

/** A list of ids and names, or (as soon as one is an expression) one expression for them all. */
export function licenseChoice(licenses: readonly NormalizedLicense[]): CdxLicenseChoice | undefined {
  if (licenses.length === 0) return undefined;
  if (licenses.some((l) => l.kind === 'expression')) return [{ expression: combineLicenses(licenses)! }];
  return licenses.map((l) =>
    l.kind === 'id' ? { license: { id: l.id } } : { license: { name: l.kind === 'name' ? l.name : '' } },
  );
}

export function packageComponent(
  pkg: Package,
  bomRef: string,
  layers: ReadonlyMap<string, LayerInfo>,
): CdxComponent {
  const supplierName = pkg.vendor?.trim() || (pkg.maintainer ? contact(pkg.maintainer).name : undefined);
  const author = pkg.maintainer?.trim() ? contact(pkg.maintainer) : undefined;
  const licenses = licenseChoice(normalizeLicenses(pkg.licenses));
  return {
    type: pkg.extra?.main === true ? 'application' : 'library',
    'bom-ref': bomRef,
    ...(supplierName ? { supplier: { name: supplierName } } : {}),
    ...(author ? { authors: [author] } : {}),
    name: pkg.name,
    ...(pkg.version ? { version: pkg.version } : {}),
    ...(licenses ? { licenses } : {}),
    ...(pkg.purl ? { purl: pkg.purl } : {}),
    properties: packageProvenance(pkg, layers).map(([name, value]) => ({ name, value })),
  };
}
