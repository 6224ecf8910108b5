import { comparePackages } from '../../core/result.js';
import type { ScanResult } from '../../core/types.js';
import { contentUuid } from './content-uuid.js';
import { licenseRefId, type NormalizedLicense } from './license.js';
import { applicationIndexes, ownerIndexes } from './owner.js';
import { spdxPackage } from './package.js';
import { isOsPackage, layerIndex } from './provenance.js';
import { osPackage, rootPackage } from './root.js';
import { packageSpdxIds } from './spdx-id.js';
import { documentTimes } from './timestamp.js';
import type { SpdxDocument, SpdxExtractedLicense, SpdxPackage, SpdxRelationship } from './types.js';

function extractedLicenses(licenses: readonly NormalizedLicense[]): SpdxExtractedLicense[] {
  const byId = new Map<string, SpdxExtractedLicense>();
  for (const l of licenses) {
    if (l.kind !== 'name') continue;
    const licenseId = licenseRefId(l.name);
    byId.set(licenseId, {
      licenseId,
      name: l.name,
      extractedText: l.name,
      comment: 'license name as the package manager records it; the license text was not extracted',
    });
  }
  return [...byId.values()].sort((a, b) => (a.licenseId < b.licenseId ? -1 : 1));
}

function uriSegment(text: string): string {
  return (
    text
      .replace(/[^A-Za-z0-9._-]+/g, '-')
      .replace(/-{2,}/g, '-')
      .replace(/^-|-$/g, '') || 'sbom'
  );
}

/**
 * The scan result as an SPDX 2.3 JSON document. The document DESCRIBES the target; the target
 * CONTAINS the operating system and the language packages; the operating system CONTAINS its
 * packages, and an OS package CONTAINS the language packages it installed (`ownedBy`). The
 * application itself (`extra.main`, purpose APPLICATION) DEPENDS_ON the packages it was built from. Deterministic: no clock (see documentTimes), the namespace is a UUID of the content.
 */
export function writeSpdx(result: ScanResult): string {
  const times = documentTimes(result);
  const annotator = `Tool: strata-${result.tool.version}`;
  const ctx = { layers: layerIndex(result), created: times.created, annotator };
  const sorted = [...result.packages].sort(comparePackages);
  const ids = packageSpdxIds(sorted);
  const root = rootPackage(result.target);
  const os = result.os ? osPackage(result.os) : undefined;

  const packages: SpdxPackage[] = [root, ...(os ? [os] : [])];
  const relationships: SpdxRelationship[] = [
    { spdxElementId: 'SPDXRef-DOCUMENT', relationshipType: 'DESCRIBES', relatedSpdxElement: root.SPDXID },
  ];
  if (os) relationships.push(contains(root.SPDXID, os.SPDXID));
  const licenses: NormalizedLicense[] = [];
  const owners = ownerIndexes(sorted);
  const apps = applicationIndexes(sorted);
  sorted.forEach((p, i) => {
    const written = spdxPackage(p, ids[i]!, ctx);
    packages.push(written.pkg);
    for (const item of written.licenses) licenses.push(item);
    const owner = owners[i];
    const parent = owner !== undefined ? ids[owner]! : os && isOsPackage(p) ? os.SPDXID : root.SPDXID;
    relationships.push(contains(parent, written.pkg.SPDXID));
    const app = apps[i];
    if (app !== undefined) relationships.push(dependsOn(ids[app]!, written.pkg.SPDXID));
  });
  const extracted = extractedLicenses(licenses);

  const doc: SpdxDocument = {
    spdxVersion: 'SPDX-2.3',
    dataLicense: 'CC0-1.0',
    SPDXID: 'SPDXRef-DOCUMENT',
    name: result.target.name,
    documentNamespace: '',
    creationInfo: { creators: [annotator], created: times.created },
    packages,
    relationships,
    ...(extracted.length > 0 ? { hasExtractedLicensingInfos: extracted } : {}),
  };
  const uuid = contentUuid('spdx', JSON.stringify(doc));
  doc.documentNamespace = `https://strata.dev/spdxdocs/${uriSegment(result.target.name)}-${uuid}`;
  return `${JSON.stringify(doc, null, 2)}\n`;
}

function dependsOn(from: string, to: string): SpdxRelationship {
  return { spdxElementId: from, relationshipType: 'DEPENDS_ON', relatedSpdxElement: to };
}

function contains(from: string, to: string): SpdxRelationship {
  return { spdxElementId: from, relationshipType: 'CONTAINS', relatedSpdxElement: to };
}
