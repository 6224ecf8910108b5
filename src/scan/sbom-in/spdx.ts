import { parsePurl } from '../../core/purl.js';
import { parseWith, z } from '../../core/schema.js';
import type { SbomDocument, SbomEntry, SbomOs, SbomSubject } from './types.js';
import { parseItem, walkNested } from './walk.js';

const ExternalRef = z.object({
  referenceCategory: z.string(),
  referenceType: z.string(),
  referenceLocator: z.string(),
});

/** The fields of an SPDX 2.2/2.3 package an inventory reads; the rest is ignored. */
const Package = z.object({
  SPDXID: z.string(),
  name: z.string().optional(),
  versionInfo: z.string().optional(),
  description: z.string().optional(),
  primaryPackagePurpose: z.string().optional(),
  sourceInfo: z.string().optional(),
  licenseDeclared: z.string().optional(),
  licenseConcluded: z.string().optional(),
  externalRefs: z.array(ExternalRef).optional(),
  annotations: z.array(z.object({ comment: z.string().optional() })).optional(),
  attributionTexts: z.array(z.string()).optional(),
});
type Package = z.output<typeof Package>;

const Relationship = z.object({
  spdxElementId: z.string(),
  relationshipType: z.string(),
  relatedSpdxElement: z.string(),
  comment: z.string().optional(),
});

const Document = z.object({
  spdxVersion: z.string().regex(/^SPDX-2\.\d+$/, 'expected SPDX-2.x (SPDX 3 JSON-LD is not read)'),
  SPDXID: z.string().optional(),
  name: z.string().optional(),
  documentDescribes: z.array(z.string()).optional(),
  packages: z.array(z.unknown()).optional(),
  relationships: z.array(Relationship).optional(),
});

/** `PACKAGE-MANAGER` (2.3) and `PACKAGE_MANAGER` (2.2 tools) alike; the first purl wins. */
function purlOf(p: Package): string | undefined {
  return p.externalRefs?.find(
    (r) => r.referenceType === 'purl' && /^PACKAGE[-_]MANAGER$/i.test(r.referenceCategory),
  )?.referenceLocator;
}

/** `OPERATING_SYSTEM` (the 2.3 schema) and `OPERATING-SYSTEM` (the 2.3 text) alike: `operating-system`. */
const purpose = (p: Package): string | undefined => p.primaryPackagePurpose?.toLowerCase().replace(/_/g, '-');

const isOs = (p: Package): boolean =>
  purpose(p) === 'operating-system' || p.SPDXID.startsWith('SPDXRef-OperatingSystem');

const isContainer = (p: Package): boolean =>
  purpose(p) === 'container' ||
  p.SPDXID.startsWith('SPDXRef-ContainerImage') ||
  /^pkg:oci\//.test(purlOf(p) ?? '');

/**
 * Name/value pairs a package carries outside the SPDX fields: Strata's annotations
 * (`strata:ecosystem=Debian:12`) and Trivy's attribution texts (`LayerDigest: sha256:...`,
 * kept under Trivy's CycloneDX property names).
 */
function properties(p: Package): Map<string, string[]> {
  const out = new Map<string, string[]>();
  const add = (key: string, value: string) => {
    const values = out.get(key);
    if (values) values.push(value);
    else out.set(key, [value]);
  };
  for (const a of p.annotations ?? []) {
    const m = /^([\w.-]+(?::[\w.-]+)+)=(.*)$/s.exec(a.comment ?? '');
    if (m) add(m[1]!, m[2]!);
  }
  for (const text of p.attributionTexts ?? []) {
    const m = /^(\w+): (.*)$/s.exec(text);
    if (m) add(`aquasecurity:trivy:${m[1]}`, m[2]!);
  }
  return out;
}

function licenses(p: Package): string[] {
  const meaningful = (l: string | undefined) => l && l !== 'NOASSERTION' && l !== 'NONE';
  if (meaningful(p.licenseDeclared)) return [p.licenseDeclared!];
  if (meaningful(p.licenseConcluded)) return [p.licenseConcluded!];
  return [];
}

function subjectOf(p: Package, file: string): SbomSubject {
  const version = p.versionInfo && /^sha256:[0-9a-f]{64}$/.test(p.versionInfo) ? p.versionInfo : undefined;
  const purl = purlOf(p);
  const pinned = purl ? parsePurl(purl)?.version : undefined;
  const fromPurl = pinned && /^sha256:[0-9a-f]{64}$/.test(pinned) ? pinned : undefined;
  const digest = version ?? (isContainer(p) ? fromPurl : undefined);
  return { container: isContainer(p), name: p.name || file, ...(digest ? { digest } : {}) };
}

/** Relationship types read as parent -> child, and those read the other way round. */
const DOWN = new Set(['CONTAINS', 'DEPENDS_ON', 'DESCRIBES', 'HAS_PREREQUISITE']);
const UP = new Set(['CONTAINED_BY', 'DEPENDENCY_OF', 'DESCRIBED_BY', 'PREREQUISITE_FOR']);

/** An SPDX 2.x JSON document (the value JSON.parse gave) as an SbomDocument. */
export function readSpdx(value: unknown, file: string): SbomDocument {
  const doc = parseWith(Document, value, file);
  const packages: { value: Package; field: string }[] = [];
  walkNested(
    doc.packages ?? [],
    'packages',
    file,
    (v, field) => parseItem(Package, v, field, file),
    () => undefined,
    (item) => packages.push(item),
  );
  const edges: [string, string][] = [];
  const ownership: [string, string][] = [];
  const described = new Set(doc.documentDescribes ?? []);
  const docId = doc.SPDXID ?? 'SPDXRef-DOCUMENT';
  for (const r of doc.relationships ?? []) {
    if (r.relationshipType === 'DESCRIBES' && r.spdxElementId === docId) described.add(r.relatedSpdxElement);
    else if (r.relationshipType === 'DESCRIBED_BY' && r.relatedSpdxElement === docId)
      described.add(r.spdxElementId);
    else if (DOWN.has(r.relationshipType)) edges.push([r.spdxElementId, r.relatedSpdxElement]);
    else if (UP.has(r.relationshipType)) edges.push([r.relatedSpdxElement, r.spdxElementId]);
    else if (r.relationshipType === 'OTHER' && r.comment?.startsWith('ownership-by-file-overlap')) {
      ownership.push([r.spdxElementId, r.relatedSpdxElement]);
    }
  }
  const root = packages.find((p) => described.has(p.value.SPDXID))?.value;
  const operatingSystems: SbomOs[] = [];
  const entries: SbomEntry[] = [];
  for (const { value: p, field } of packages) {
    if (p === root) continue;
    if (isOs(p)) {
      operatingSystems.push({
        ref: p.SPDXID,
        name: p.name ?? '',
        ...(p.versionInfo ? { version: p.versionInfo } : {}),
        ...(p.description ? { description: p.description } : {}),
      });
      continue;
    }
    const purl = purlOf(p);
    const kind = purpose(p);
    entries.push({
      field,
      ref: p.SPDXID,
      ...(p.name ? { name: p.name } : {}),
      ...(p.versionInfo ? { version: p.versionInfo } : {}),
      ...(purl ? { purl } : {}),
      ...(kind ? { kind } : {}),
      props: properties(p),
      licenses: licenses(p),
      ...(p.sourceInfo ? { sourceInfo: p.sourceInfo } : {}),
    });
  }
  return {
    format: 'spdx',
    specVersion: doc.spdxVersion,
    ...(root ? { subject: subjectOf(root, file), subjectRef: root.SPDXID } : {}),
    operatingSystems,
    entries,
    edges,
    ...(ownership.length ? { ownership } : {}),
  };
}
