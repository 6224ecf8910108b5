import type { LayerInfo, Package } from '../../core/types.js';
import { combineLicenses, type NormalizedLicense, normalizeLicenses } from './license.js';
import { packageProvenance } from './provenance.js';
import { NOASSERTION } from './root.js';
import type { SpdxAnnotation, SpdxPackage } from './types.js';

export interface PackageContext {
  readonly layers: ReadonlyMap<string, LayerInfo>;
  /** the document's creation time, used as the annotation date */
  readonly created: string;
  /** `Tool: strata-<version>` */
  readonly annotator: string;
}

/** `Name <mail>` (Debian, RPM) becomes SPDX's `Name (mail)`. */
export function spdxAgent(text: string): string {
  const m = /^(.*?)\s*<([^<>\s]+@[^<>\s]+)>\s*$/.exec(text);
  return m ? `${m[1] || m[2]} (${m[2]})` : text.trim();
}

function supplier(pkg: Package): string | undefined {
  if (pkg.vendor?.trim()) return `Organization: ${spdxAgent(pkg.vendor)}`;
  if (pkg.maintainer?.trim()) return `Person: ${spdxAgent(pkg.maintainer)}`;
  return undefined;
}

export interface WrittenPackage {
  readonly pkg: SpdxPackage;
  readonly licenses: readonly NormalizedLicense[];
}

/** One scanned package as an SPDX package: purl, declared licenses, and layer/path provenance. */
export function spdxPackage(pkg: Package, spdxId: string, ctx: PackageContext): WrittenPackage {
  const licenses = normalizeLicenses(pkg.licenses);
  const who = supplier(pkg);
  const annotations: SpdxAnnotation[] = packageProvenance(pkg, ctx.layers).map(([name, value]) => ({
    annotationDate: ctx.created,
    annotationType: 'OTHER',
    annotator: ctx.annotator,
    comment: `${name}=${value}`,
  }));
  return {
    licenses,
    pkg: {
      name: pkg.name,
      SPDXID: spdxId,
      ...(pkg.version ? { versionInfo: pkg.version } : {}),
      ...(who ? { supplier: who } : {}),
      ...NOASSERTION,
      ...(pkg.source ? { sourceInfo: `built package from: ${pkg.source.name} ${pkg.source.version}` } : {}),
      licenseDeclared: combineLicenses(licenses) ?? 'NOASSERTION',
      ...(pkg.purl
        ? {
            externalRefs: [
              { referenceCategory: 'PACKAGE-MANAGER', referenceType: 'purl', referenceLocator: pkg.purl },
            ],
          }
        : {}),
      primaryPackagePurpose: pkg.extra?.main === true ? 'APPLICATION' : 'LIBRARY',
      annotations,
    },
  };
}
