import {
  type DocumentOptions,
  type ParseOptions,
  parseAllDocuments,
  parseDocument,
  type SchemaOptions,
  stringify,
} from 'yaml';
import { type GoMap, GoObject, type GoValue, isMap } from './template/value.js';

/**
 * YAML as Helm reads it (go-yaml v2 through sigs.k8s.io/yaml): YAML 1.1 booleans (`on`, `yes`),
 * octal `0644`, but timestamps and `1:20` stay strings, and every number is a float64.
 */
const READ: ParseOptions & DocumentOptions & SchemaOptions = {
  version: '1.1',
  uniqueKeys: false,
  customTags: (tags) =>
    tags.filter(
      (t) => typeof t === 'object' && !/timestamp/.test(t.tag) && !('format' in t && t.format === 'TIME'),
    ),
};

/** A plain JS value from the YAML library as a Go value: numbers float64, keys strings, bytes text. */
export function fromPlain(v: unknown): GoValue {
  if (v === null || v === undefined) return null;
  if (typeof v === 'number' || typeof v === 'string' || typeof v === 'boolean') return v;
  if (typeof v === 'bigint') return Number(v);
  if (v instanceof Uint8Array) return Buffer.from(v).toString('utf8');
  if (Array.isArray(v)) return v.map(fromPlain);
  if (v instanceof Map) {
    const out: GoMap = {};
    for (const [k, x] of v) out[String(k)] = fromPlain(x);
    return out;
  }
  if (v instanceof Set) return [...v].map(fromPlain);
  if (typeof v === 'object') {
    const out: GoMap = {};
    for (const [k, x] of Object.entries(v)) out[k] = fromPlain(x);
    return out;
  }
  return String(v);
}

/** Parses one YAML document; throws the library's first error (one line). */
export function readYaml(text: string): GoValue {
  const doc = parseDocument(text, READ);
  const first = doc.errors[0];
  if (first) throw new Error(first.message.split('\n', 1)[0]);
  return fromPlain(doc.toJS({ maxAliasCount: 100 }));
}

/** Parses every document of a YAML stream. */
export function readYamlAll(text: string): GoValue[] {
  const out: GoValue[] = [];
  for (const doc of parseAllDocuments(text, READ)) {
    const first = doc.errors[0];
    if (first) throw new Error(first.message.split('\n', 1)[0]);
    out.push(fromPlain(doc.toJS({ maxAliasCount: 100 })));
  }
  return out;
}

/** A Go value as JSON-able data: objects by their JSON fields, bytes as base64 (Go's json rules). */
export function toData(v: GoValue): unknown {
  if (v === undefined) return null;
  if (v instanceof Uint8Array) return Buffer.from(v).toString('base64');
  if (Array.isArray(v)) return v.map(toData);
  if (v instanceof GoObject) return toData(v.field('__json__') ?? null);
  if (isMap(v)) {
    const out: Record<string, unknown> = {};
    for (const k of Object.keys(v).sort()) out[k] = toData(v[k] ?? null);
    return out;
  }
  return v;
}

/** toYaml: go-yaml v2's layout (sorted keys, sequences not indented), no trailing newline. */
export function toYaml(v: GoValue): string {
  const data = toData(v);
  return stringify(data, {
    version: '1.1',
    indentSeq: false,
    sortMapEntries: true,
    lineWidth: 0,
    minContentWidth: 0,
    aliasDuplicateObjects: false,
  }).replace(/\n$/, '');
}

/** encoding/json: sorted keys, `<>&` and U+2028/9 escaped as Go does. */
export function toJson(v: GoValue, indent = ''): string {
  const text = JSON.stringify(
    toData(v),
    (_k, x: unknown) => (typeof x === 'bigint' ? Number(x) : x),
    indent || undefined,
  );
  return (text ?? 'null').replace(
    /[<>&\u2028\u2029]/g,
    (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`,
  );
}
