import { readFileSync } from 'node:fs';
import type { Finding } from '../../core/types.js';
import { VulnError } from '../errors.js';
import { namesFinding, type Suppressor } from './types.js';

/** One OpenVEX statement (https://github.com/openvex/spec), v0.0.x and v0.2.0 shapes both read. */
export interface VexStatement {
  readonly vulnerability: readonly string[];
  readonly products: readonly string[];
  readonly status: 'not_affected' | 'affected' | 'fixed' | 'under_investigation';
  readonly justification?: string;
  readonly impactStatement?: string;
  readonly timestamp?: string;
  readonly id?: string;
}

export interface VexDocument {
  readonly file: string;
  readonly id?: string;
  readonly timestamp?: string;
  readonly statements: readonly VexStatement[];
}

const STATUSES = new Set(['not_affected', 'affected', 'fixed', 'under_investigation']);

function bad(file: string, where: string, why: string): VulnError {
  return new VulnError('VEX_INVALID', `${file}: ${where}: ${why}`);
}

type Json = Record<string, unknown>;
const isObject = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v);

function vulnNames(file: string, v: unknown, where: string): string[] {
  if (typeof v === 'string') return [v];
  if (!isObject(v)) throw bad(file, where, 'is not a string or an object');
  const names = [v.name, v['@id'], ...(Array.isArray(v.aliases) ? v.aliases : [])].filter(
    (x): x is string => typeof x === 'string' && x !== '',
  );
  if (names.length === 0) throw bad(file, `${where}.name`, 'is missing');
  return names;
}

function productIds(file: string, v: unknown, where: string): string[] {
  if (v === undefined) return [];
  if (!Array.isArray(v)) throw bad(file, where, 'is not a list');
  return v.flatMap((p, i) => {
    if (typeof p === 'string') return [p];
    if (!isObject(p)) throw bad(file, `${where}[${i}]`, 'is not a string or an object');
    const ids = [p['@id'], ...(isObject(p.identifiers) ? [p.identifiers.purl] : [])];
    const subs = Array.isArray(p.subcomponents)
      ? p.subcomponents.map((s) => (typeof s === 'string' ? s : isObject(s) ? s['@id'] : undefined))
      : [];
    return [...ids, ...subs].filter((x): x is string => typeof x === 'string' && x !== '');
  });
}

export function parseVex(file: string, text: string): VexDocument {
  let doc: unknown;
  try {
    doc = JSON.parse(text);
  } catch (err) {
    throw new VulnError('VEX_INVALID', `${file}: not valid JSON`, { cause: err });
  }
  if (!isObject(doc)) throw bad(file, 'document', 'is not a JSON object');
  const context = doc['@context'];
  if (typeof context !== 'string' || !context.startsWith('https://openvex.dev/ns')) {
    throw bad(file, '@context', 'is not an OpenVEX context (https://openvex.dev/ns/...)');
  }
  if (!Array.isArray(doc.statements)) throw bad(file, 'statements', 'is missing');
  const statements = doc.statements.map((s, i): VexStatement => {
    const where = `statements[${i}]`;
    if (!isObject(s)) throw bad(file, where, 'is not an object');
    const status = s.status;
    if (typeof status !== 'string' || !STATUSES.has(status))
      throw bad(file, `${where}.status`, `"${String(status)}" is not an OpenVEX status`);
    const text = (k: string): string | undefined => (typeof s[k] === 'string' ? (s[k] as string) : undefined);
    const justification = text('justification');
    const impact = text('impact_statement');
    if (status === 'not_affected' && !justification && !impact) {
      throw bad(file, where, 'a not_affected statement needs a justification or an impact_statement');
    }
    const timestamp = text('timestamp');
    const id = text('@id');
    return {
      vulnerability: vulnNames(file, s.vulnerability, `${where}.vulnerability`),
      products: productIds(file, s.products, `${where}.products`),
      status: status as VexStatement['status'],
      ...(justification ? { justification } : {}),
      ...(impact ? { impactStatement: impact } : {}),
      ...(timestamp ? { timestamp } : {}),
      ...(id ? { id } : {}),
    };
  });
  const id = typeof doc['@id'] === 'string' ? doc['@id'] : undefined;
  const ts = typeof doc.timestamp === 'string' ? doc.timestamp : undefined;
  return { file, ...(id ? { id } : {}), ...(ts ? { timestamp: ts } : {}), statements };
}

export function loadVex(file: string): VexDocument {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (err) {
    throw new VulnError('VEX_INVALID', `${file}: cannot read the VEX document`, { cause: err });
  }
  return parseVex(file, text);
}

/** purl without qualifiers and subpath; a product without a version names every version. */
function purlMatches(product: string, purl: string | undefined): boolean {
  if (!purl || !product.startsWith('pkg:')) return false;
  const strip = (p: string): string => p.split(/[?#]/)[0]!;
  const want = strip(product);
  const have = strip(purl);
  if (want === have) return true;
  return !want.includes('@') && have.startsWith(`${want}@`);
}

function applies(st: VexStatement, f: Finding): boolean {
  if (!st.vulnerability.some((v) => namesFinding(v, f))) return false;
  if (st.products.length === 0) return true;
  // An image-level product (pkg:oci/...) with no subcomponents covers every package found in it.
  return st.products.some((p) => p.startsWith('pkg:oci/') || purlMatches(p, f.package?.purl));
}

/**
 * Suppresses findings that a `not_affected` or `fixed` statement covers. Statements are applied in
 * timestamp order, so a later statement about the same vulnerability and product overrides an earlier one.
 */
export function vexSuppressor(doc: VexDocument): Suppressor {
  const ordered = [...doc.statements].sort((a, b) =>
    (a.timestamp ?? doc.timestamp ?? '') < (b.timestamp ?? doc.timestamp ?? '') ? -1 : 1,
  );
  return (f) => {
    const last = ordered.filter((st) => applies(st, f)).at(-1);
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
