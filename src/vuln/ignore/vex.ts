import { parsePurl } from '../../core/purl.js';
import { readInputText } from '../../core/safe-read.js';
import { parseJsonText, parseWith } from '../../core/schema.js';
import type { Finding, ScanTarget } from '../../core/types.js';
import { namesFinding, type Suppressor } from './types.js';
import {
  type ImageIdentity,
  imageIdentity,
  productCovers,
  type VexComponent,
  type VexProduct,
  vexComponent,
} from './vex-match.js';
import { type VexComponentInput, VexDocumentSchema, type VexStatementInput } from './vex-schema.js';

export type { VexComponent, VexProduct } from './vex-match.js';

/** One OpenVEX statement (https://github.com/openvex/spec), v0.0.x and v0.2.0 shapes both read. */
export interface VexStatement {
  /** the vulnerability `name` and its `aliases` */
  readonly vulnerability: readonly string[];
  readonly products: readonly VexProduct[];
  /** statement-level subcomponents (v0.0.x): they apply within every product */
  readonly subcomponents: readonly VexComponent[];
  readonly status: 'not_affected' | 'affected' | 'fixed' | 'under_investigation';
  readonly justification?: string;
  readonly impactStatement?: string;
  /** the statement's timestamp, else the document's */
  readonly timestamp?: string;
  readonly id?: string;
}

export interface VexDocument {
  readonly file: string;
  readonly id?: string;
  readonly timestamp?: string;
  readonly statements: readonly VexStatement[];
}

function component(c: VexComponentInput): VexComponent {
  return vexComponent([c['@id'], c.identifiers?.purl, c.identifiers?.cpe23, c.identifiers?.cpe22]);
}

function statement(s: VexStatementInput, docTimestamp: string | undefined): VexStatement {
  const timestamp = s.timestamp ?? docTimestamp;
  return {
    vulnerability: [s.vulnerability.name, ...(s.vulnerability.aliases ?? [])],
    products: s.products.map((p) => ({
      ...component(p),
      subcomponents: (p.subcomponents ?? []).map(component),
    })),
    subcomponents: (s.subcomponents ?? []).map(component),
    status: s.status,
    ...(s.justification ? { justification: s.justification } : {}),
    ...(s.impact_statement ? { impactStatement: s.impact_statement } : {}),
    ...(timestamp ? { timestamp } : {}),
    ...(s['@id'] ? { id: s['@id'] } : {}),
  };
}

/** Parses an OpenVEX document; errors name the file and the field. */
export function parseVex(file: string, text: string): VexDocument {
  const doc = parseWith(VexDocumentSchema, parseJsonText(text, file), file);
  return {
    file,
    ...(doc['@id'] ? { id: doc['@id'] } : {}),
    ...(doc.timestamp ? { timestamp: doc.timestamp } : {}),
    statements: doc.statements.map((s) => statement(s, doc.timestamp)),
  };
}

export function loadVex(file: string): VexDocument {
  return parseVex(file, readInputText(file, { kind: 'vex' }));
}

function applies(st: VexStatement, f: Finding, image: ImageIdentity | undefined): boolean {
  if (f.kind !== 'vulnerability') return false;
  if (!st.vulnerability.some((v) => namesFinding(v, f))) return false;
  const pkg = f.package ? parsePurl(f.package.purl) : undefined;
  return st.products.some((p) => productCovers(p, st.subcomponents, pkg, image));
}

const time = (st: VexStatement): number => (st.timestamp ? Date.parse(st.timestamp) : 0);

/**
 * Suppresses findings that a `not_affected` or `fixed` statement covers. Statements are applied in
 * timestamp order (document order among equals), so a later statement about the same vulnerability
 * and product overrides an earlier one.
 */
export function vexSuppressor(doc: VexDocument): Suppressor {
  const ordered = [...doc.statements].sort((a, b) => time(a) - time(b));
  const images = new WeakMap<ScanTarget, ImageIdentity | undefined>();
  const identity = (target: ScanTarget): ImageIdentity | undefined => {
    if (!images.has(target)) images.set(target, imageIdentity(target));
    return images.get(target);
  };
  return (f, target) => {
    const image = identity(target);
    const last = ordered.filter((st) => applies(st, f, image)).at(-1);
    if (!last || (last.status !== 'not_affected' && last.status !== 'fixed')) return undefined;
    return {
      by: 'vex',
      file: doc.file,
      status: last.status,
      ...(last.justification ? { justification: last.justification } : {}),
      ...(last.impactStatement ? { impactStatement: last.impactStatement } : {}),
      ...(last.id ? { statement: last.id } : {}),
    };
  };
}
