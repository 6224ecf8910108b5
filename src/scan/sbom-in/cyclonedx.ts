import { parseWith, z } from '../../core/schema.js';
import type { SbomDocument, SbomEntry, SbomOs, SbomSubject } from './types.js';
import { parseItem, walkNested } from './walk.js';

const Property = z.object({ name: z.string(), value: z.string().optional() });

const License = z.object({
  license: z.object({ id: z.string().optional(), name: z.string().optional() }).optional(),
  expression: z.string().optional(),
});

/** The fields of a CycloneDX component an inventory reads (1.2-1.6 agree on them); the rest is ignored. */
const Component = z.object({
  type: z.string().optional(),
  'bom-ref': z.string().optional(),
  group: z.string().optional(),
  name: z.string().optional(),
  version: z.string().optional(),
  description: z.string().optional(),
  purl: z.string().optional(),
  licenses: z.array(License).optional(),
  properties: z.array(Property).optional(),
  components: z.array(z.unknown()).optional(),
});
type Component = z.output<typeof Component>;

const Bom = z.object({
  bomFormat: z.literal('CycloneDX'),
  specVersion: z.string().regex(/^1\.\d+$/, 'expected a CycloneDX 1.x version'),
  metadata: z.object({ component: z.unknown().optional() }).optional(),
  components: z.array(z.unknown()).optional(),
  dependencies: z.array(z.object({ ref: z.string(), dependsOn: z.array(z.string()).optional() })).optional(),
});

function properties(c: Component): Map<string, string[]> {
  const out = new Map<string, string[]>();
  for (const p of c.properties ?? []) {
    const values = out.get(p.name);
    if (values) values.push(p.value ?? '');
    else out.set(p.name, [p.value ?? '']);
  }
  return out;
}

function licenses(c: Component): string[] {
  const out: string[] = [];
  for (const l of c.licenses ?? []) {
    const text = l.license?.id ?? l.license?.name ?? l.expression;
    if (text) out.push(text);
  }
  return out;
}

const DIGEST = /sha256:[0-9a-f]{64}$/;

/** The image digest a container component records: its version (Syft, Strata) or Trivy's RepoDigest. */
function subjectDigest(c: Component, props: ReadonlyMap<string, readonly string[]>): string | undefined {
  if (c.version && /^sha256:[0-9a-f]{64}$/.test(c.version)) return c.version;
  return DIGEST.exec(props.get('aquasecurity:trivy:RepoDigest')?.[0] ?? '')?.[0];
}

function subjectOf(c: Component, fallback: string): SbomSubject {
  const digest = subjectDigest(c, properties(c));
  return { container: c.type === 'container', name: c.name || fallback, ...(digest ? { digest } : {}) };
}

/** A CycloneDX JSON BOM (the value JSON.parse gave) as an SbomDocument; nested components flattened. */
export function readCycloneDx(value: unknown, file: string): SbomDocument {
  const bom = parseWith(Bom, value, file);
  const operatingSystems: SbomOs[] = [];
  const entries: SbomEntry[] = [];
  const visit = ({ value: c, field }: { value: Component; field: string }): void => {
    const ref = c['bom-ref'];
    if (c.type === 'operating-system') {
      operatingSystems.push({
        ...(ref ? { ref } : {}),
        name: c.name ?? '',
        ...(c.version ? { version: c.version } : {}),
        ...(c.description ? { description: c.description } : {}),
      });
      return;
    }
    entries.push({
      field,
      ...(ref ? { ref } : {}),
      ...(c.name ? { name: c.group && !c.purl ? `${c.group}:${c.name}` : c.name } : {}),
      ...(c.version ? { version: c.version } : {}),
      ...(c.purl ? { purl: c.purl } : {}),
      ...(c.type ? { kind: c.type } : {}),
      props: properties(c),
      licenses: licenses(c),
    });
  };
  const parse = (v: unknown, field: string): Component => parseItem(Component, v, field, file);
  const children = (c: Component) => c.components;

  let subject: SbomSubject | undefined;
  let subjectRef: string | undefined;
  const root = bom.metadata?.component;
  if (root !== undefined) {
    const c = parse(root, 'metadata.component');
    subject = subjectOf(c, file);
    subjectRef = c['bom-ref'];
    walkNested(c.components ?? [], 'metadata.component.components', file, parse, children, visit);
  }
  walkNested(bom.components ?? [], 'components', file, parse, children, visit);
  const edges: [string, string][] = [];
  for (const d of bom.dependencies ?? []) for (const to of d.dependsOn ?? []) edges.push([d.ref, to]);
  return {
    format: 'cyclonedx',
    specVersion: bom.specVersion,
    ...(subject ? { subject } : {}),
    ...(subjectRef ? { subjectRef } : {}),
    operatingSystems,
    entries,
    edges,
  };
}

export function isCycloneDx(value: unknown): boolean {
  return typeof value === 'object' && value !== null && 'bomFormat' in value;
}
