import { InputError, safeParseWith, type z } from '../../core/schema.js';
import { SbomError } from './errors.js';
import { MAX_ENTRIES, MAX_NESTING } from './limits.js';

/** One item of an array in the document, with the field path it sits at. */
export interface Located<T> {
  readonly value: T;
  readonly field: string;
}

/**
 * Parses one item with its schema; a failure names the file and the item's field
 * (`bom.json: components[3].purl: expected string, got number`).
 */
export function parseItem<S extends z.ZodType>(
  schema: S,
  value: unknown,
  field: string,
  file: string,
): z.output<S> {
  const r = safeParseWith(schema, value);
  if (r.ok) return r.value;
  const message = r.message.startsWith('(root)') ? r.message.slice('(root)'.length) : `.${r.message}`;
  throw new InputError(`${file}: ${field}${message}`);
}

/**
 * Visits the items of `roots` and of their nested arrays depth first, in document order, without
 * recursion (a hostile document may nest a million levels): `children` returns an item's nested
 * array. More than MAX_NESTING levels or MAX_ENTRIES items is refused, naming the field.
 */
export function walkNested<T>(
  roots: readonly unknown[],
  rootField: string,
  file: string,
  parse: (value: unknown, field: string) => T,
  children: (item: T) => readonly unknown[] | undefined,
  visit: (item: Located<T>) => void,
): void {
  const stack: { value: unknown; field: string; depth: number }[] = [];
  const push = (items: readonly unknown[], field: string, depth: number): void => {
    if (depth > MAX_NESTING) {
      throw new SbomError(
        'TOO_DEEP',
        `${file}: ${field}: components nested deeper than ${MAX_NESTING} levels`,
      );
    }
    if (stack.length + items.length > MAX_ENTRIES) {
      throw new SbomError('TOO_MANY_COMPONENTS', `${file}: more than ${MAX_ENTRIES} components`);
    }
    for (let i = items.length - 1; i >= 0; i--)
      stack.push({ value: items[i], field: `${field}[${i}]`, depth });
  };
  push(roots, rootField, 1);
  let seen = 0;
  for (let next = stack.pop(); next; next = stack.pop()) {
    seen += 1;
    if (seen > MAX_ENTRIES) {
      throw new SbomError('TOO_MANY_COMPONENTS', `${file}: more than ${MAX_ENTRIES} components`);
    }
    const item = parse(next.value, next.field);
    visit({ value: item, field: next.field });
    const nested = children(item);
    if (nested && nested.length > 0) push(nested, `${next.field}.components`, next.depth + 1);
  }
}
