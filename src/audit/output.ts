import type { FieldValue } from './fields.js';
import { FIELDS } from './fields.js';

export type OutputPart =
  | { readonly kind: 'text'; readonly text: string }
  | { readonly kind: 'field'; readonly slot: number };

const FIELD_REF = /%([A-Za-z_][A-Za-z0-9_.]*)(\[[^\]]*\])?/g;

/** Splits an output template into text and field references; an unknown `%name` is an error. */
export function parseOutput(
  template: string,
  slot: (name: string, arg: string | undefined) => number,
): OutputPart[] {
  const parts: OutputPart[] = [];
  let last = 0;
  for (const m of template.matchAll(FIELD_REF)) {
    let name = m[1] as string;
    let arg = m[2]?.slice(1, -1);
    let end = (m.index ?? 0) + m[0].length;
    // "%ka.verb." at a sentence end: the dot is text, not part of the name
    while (name.endsWith('.') && !FIELDS[name]) {
      name = name.slice(0, -1);
      end = (m.index ?? 0) + 1 + name.length;
      arg = undefined;
    }
    if (!FIELDS[name]) throw new Error(`output: unknown field "%${name}"`);
    parts.push({ kind: 'text', text: template.slice(last, m.index) });
    parts.push({ kind: 'field', slot: slot(name, arg) });
    last = end;
  }
  parts.push({ kind: 'text', text: template.slice(last) });
  return parts.filter((p) => p.kind !== 'text' || p.text !== '');
}

/** Falco's rendering: `<NA>` for a missing value, `(a,b)` for a list. */
export function renderValue(v: FieldValue): string {
  if (v === undefined) return '<NA>';
  return typeof v === 'string' ? v : `(${v.join(',')})`;
}
